"""Header values a user typed: refused when they could inject headers, never silently repaired.

A CR or LF inside a header value lets a caller add their own headers (a hidden Bcc, a forged
From). Python 3.11's ``email`` package does not refuse them, and it also splits on the Unicode
line breaks (U+0085, U+2028, U+2029, and the C0 separators) when it folds headers. So every
value that ends up in a header is checked here first, and a bad one is refused with the name of
the field, so the caller can show it next to the right input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.errors import BadInput

__all__ = ["check_header_value", "parse_mailbox", "split_mailboxes", "Mailbox", "HeaderInjection", "stored_name"]

# C0 controls (tab included: no field we build needs one), DEL, C1 controls (NEL), Unicode line breaks.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# RFC 5322 dot-atom local part (ASCII only: we do not send SMTPUTF8) and an LDH domain. Each
# repetition is anchored on a mandatory '.', so neither pattern can backtrack catastrophically.
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


class HeaderInjection(BadInput):
    code = "header_injection"


@dataclass(frozen=True)
class Mailbox:
    """A display name and an address, both checked."""

    name: str
    address: str

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2]


def check_header_value(field: str, value: str, *, max_length: int = 998) -> str:
    """``value`` unchanged if it is safe in a header; otherwise :class:`HeaderInjection` naming ``field``."""
    found = _CONTROL.search(value)
    if found:
        char = f"U+{ord(found.group()):04X}"
        kind = "a line break" if found.group() in "\r\n\x85\u2028\u2029" else "a control character"
        raise HeaderInjection(f"field {field!r} contains {kind} ({char}); header injection is refused",
                              details={"field": field, "character": char})
    if len(value) > max_length:
        raise BadInput(f"field {field!r} is longer than {max_length} characters", code="too_long",
                       details={"field": field})
    return value


def _domain(field: str, domain: str) -> str:
    try:
        ascii_domain = domain.encode("idna").decode("ascii") if not domain.isascii() else domain
    except UnicodeError:
        raise BadInput(f"field {field!r}: {domain!r} is not a valid domain", code="bad_address",
                       details={"field": field}) from None
    labels = ascii_domain.split(".")
    if len(ascii_domain) > 253 or len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        raise BadInput(f"field {field!r}: {domain!r} is not a valid domain", code="bad_address",
                       details={"field": field})
    return ascii_domain.lower()


def parse_mailbox(field: str, address: str, name: str = "") -> Mailbox:
    """One recipient or sender: ``address`` may be ``"Name <a@b>"`` when ``name`` is not given."""
    check_header_value(field, address, max_length=400)
    check_header_value(f"{field}.name" if name else field, name, max_length=200)
    text = address.strip()
    if not name and text.endswith(">") and "<" in text:
        cut = text.rindex("<")
        name, text = text[:cut].strip(), text[cut + 1:-1].strip()
        if len(name) >= 2 and name[0] == name[-1] == '"':
            name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain or len(local) > 64 or not _LOCAL.fullmatch(local):
        raise BadInput(f"field {field!r}: {text!r} is not a valid email address", code="bad_address",
                       details={"field": field})
    return Mailbox(name.strip(), f"{local}@{_domain(field, domain)}")


def split_mailboxes(field: str, value: str) -> list[Mailbox]:
    """A comma-separated list as typed into a form; commas inside quoted names are kept."""
    check_header_value(field, value, max_length=20_000)
    items, current, quoted, angle = [], [], False, False
    for char in value:
        if char == '"' and not angle:
            quoted = not quoted
        elif char == "<" and not quoted:
            angle = True
        elif char == ">" and not quoted:
            angle = False
        if char in ",;" and not quoted and not angle:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return [parse_mailbox(f"{field}[{n}]", item) for n, item in enumerate(x for x in items if x.strip())]


def stored_name(name: str | None) -> str:
    """A display name we hold (a user's profile), made header-safe: not typed into this mail, so a
    stray control character in it should not stop the user from sending."""
    return " ".join(_CONTROL.sub(" ", name or "").split())[:200]
