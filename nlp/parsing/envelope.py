"""The envelope of a raw message: the headers every store needs, read fast and never failing.

Only the header block is parsed (compat32 policy, which is ~10x faster than ``policy.default``),
and only the headers we keep are decoded. A message we cannot make sense of is still returned,
with ``problem`` set, so the caller stores it raw and marks it instead of losing it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email import policy
from email.errors import HeaderParseError, MessageDefect
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime

__all__ = ["Envelope", "read_envelope", "decode_header_value"]

_parser = BytesHeaderParser(policy=policy.compat32)
_MAX_HEADER = 64 * 1024  # a header longer than this is hostile or broken; it is cut, not parsed


@dataclass
class Envelope:
    content_hash: str
    size: int
    message_id: str | None = None
    subject: str = ""
    from_name: str = ""
    from_addr: str = ""
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    date: datetime | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    problem: str | None = None


def decode_header_value(value: object) -> str:
    """RFC 2047 decoding that never raises; unknown charsets fall back to latin-1."""
    if value is None:
        return ""
    text = str(value)[:_MAX_HEADER]
    if "=?" not in text:
        return " ".join(text.split())
    try:
        chunks = decode_header(text)
    except (HeaderParseError, ValueError, AssertionError):
        return " ".join(text.split())  # not valid RFC 2047: show it as written
    try:
        return " ".join(str(make_header(chunks)).split())
    except (LookupError, UnicodeError, ValueError, AssertionError):
        parts = []
        for chunk, charset in chunks:
            if isinstance(chunk, bytes):
                try:
                    chunk = chunk.decode(charset or "ascii")
                except (LookupError, UnicodeError):
                    chunk = chunk.decode("latin-1")
            parts.append(chunk)
        return " ".join("".join(parts).split())


def _ids(value: str) -> list[str]:
    return [tok.strip() for tok in value.replace(",", " ").split() if tok.startswith("<") and tok.endswith(">")]


def _addresses(values: list[str]) -> list[tuple[str, str]]:
    out = []
    for name, addr in getaddresses([decode_header_value(v) for v in values]):
        if addr and "@" in addr:
            out.append((name, addr.strip().lower()))
    return out


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


def read_envelope(raw: bytes) -> Envelope:
    env = Envelope(content_hash=hashlib.sha256(raw).hexdigest(), size=len(raw))
    if not raw.strip():
        env.problem = "empty file"
        return env
    head = raw[:2_000_000].replace(b"\r\n", b"\n")
    end = head.find(b"\n\n")
    msg = _parser.parsebytes(head[: end + 1] if end >= 0 else head)
    if not msg.keys():
        env.problem = "no header lines: not an RFC 5322 message"
        return env
    defects: list[MessageDefect] = list(msg.defects)
    get = msg.get
    mid = _ids(str(get("Message-ID", "")))
    env.message_id = mid[0] if mid else None
    env.subject = decode_header_value(get("Subject"))
    sender = _addresses(msg.get_all("From", []))
    if sender:
        env.from_name, env.from_addr = sender[0]
    env.to = [a for _, a in _addresses(msg.get_all("To", []))]
    env.cc = [a for _, a in _addresses(msg.get_all("Cc", []))]
    env.date = _date(get("Date"))
    irt = _ids(str(get("In-Reply-To", "")))
    env.in_reply_to = irt[0] if irt else None
    env.references = _ids(str(get("References", "")))[-100:]
    if not sender and get("Message-ID") is None and get("Date") is None:
        env.problem = "no From, Date or Message-ID header: probably not a mail"
    elif defects and not sender:
        env.problem = "broken header block: " + ", ".join(sorted({type(d).__name__ for d in defects}))
    return env
