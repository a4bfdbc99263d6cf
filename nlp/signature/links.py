"""E-mail addresses, websites and social profiles on a signature line.

All patterns are applied to the folded line (same length as the original), each bounded by the line
length cap, so a span can be cut from the line as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.signature.patterns import SOCIAL_HANDLE_LABELS, SOCIAL_HOSTS
from nlp.signature.text import MAX_LINE

__all__ = ["Link", "email_domain", "find_links"]

_EMAIL = re.compile(r"(?<![\w.+-])(?:mailto:)?([A-Za-z0-9][A-Za-z0-9._%+'-]{0,63}@[A-Za-z0-9-]{1,63}"
                    r"(?:\.[A-Za-z0-9-]{1,63}){0,6}\.[A-Za-z]{2,24})(?![\w-])")
_TLDS = ("com|net|org|edu|gov|info|biz|io|co|ai|app|dev|jp|de|fr|uk|ca|au|ch|at|nl|be|es|it|se|no|dk|fi|pl|"
         "eu|us|cn|kr|sg|in|br|mx|ru|tv|me|ly|to")
_URL = re.compile(
    r"(?<![\w@.-])(?:(?:https?://|www\.)[^\s<>()\"'、。，|]{2,200}"
    r"|[A-Za-z0-9][A-Za-z0-9-]{0,62}(?:\.[A-Za-z0-9-]{1,63}){0,4}\.(?:" + _TLDS + r")\b"
    r"(?:/[^\s<>()\"'、。，|]{0,200})?)", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w])(?P<label>" + "|".join(sorted(SOCIAL_HANDLE_LABELS, key=len, reverse=True)) +
                     r")\s*[:：]?\s*@(?P<handle>[A-Za-z0-9_.-]{1,50})", re.IGNORECASE)
_TRAILING = ".,;:!?)]}>'\""


@dataclass(frozen=True, slots=True)
class Link:
    kind: str  # email | website | social
    value: str  # e-mail lower-cased; websites as written; socials as an https URL
    start: int
    end: int


def email_domain(address: str | None) -> str | None:
    if not address or "@" not in address:
        return None
    return address.rsplit("@", 1)[1].lower().strip(">) ")


def _social_url(url: str) -> str | None:
    bare = re.sub(r"^(?:https?://)?(?:www\.|m\.)?", "", url, flags=re.IGNORECASE)
    host, _, path = bare.partition("/")
    canonical = SOCIAL_HOSTS.get(host.lower())
    if canonical is None or not path.strip("/"):
        return None
    return f"https://{canonical}/{path.rstrip('/')}"


def find_links(folded: str) -> list[Link]:
    """E-mails, websites and social profiles on one folded line, left to right."""
    if len(folded) > MAX_LINE:
        return []
    out: list[Link] = []
    taken: list[tuple[int, int]] = []
    for m in _EMAIL.finditer(folded):
        out.append(Link("email", m.group(1).lower(), m.start(), m.end()))
        taken.append((m.start(), m.end()))
    for m in _HANDLE.finditer(folded):
        prefix = SOCIAL_HANDLE_LABELS[m.group("label").lower()]
        out.append(Link("social", prefix + m.group("handle").rstrip("."), m.start(), m.end()))
        taken.append((m.start(), m.end()))
    for m in _URL.finditer(folded):
        if any(a <= m.start() < b or a < m.end() <= b for a, b in taken):
            continue
        raw = m.group(0).rstrip(_TRAILING)
        if not raw or raw.lower().startswith(("mailto:",)):
            continue
        social = _social_url(raw)
        if social:
            out.append(Link("social", social, m.start(), m.start() + len(raw)))
        else:
            out.append(Link("website", raw, m.start(), m.start() + len(raw)))
        taken.append((m.start(), m.start() + len(raw)))
    out.sort(key=lambda link: link.start)
    return out
