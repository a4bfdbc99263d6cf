"""The envelope of a raw message: the headers every store needs, read fast and never failing.

Only the header block is read (:func:`nlp.parsing.headers.split_head`, plain string operations), and
only the headers we keep are decoded, with the same decoders as the parse stage, so the CRM and the
analysis show the same subject and names. A message we cannot make sense of is still returned, with
``problem`` set, so the caller stores it raw and marks it instead of losing it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from nlp.parsing.addresses import parse_addresses, parse_date, parse_ids
from nlp.parsing.headers import split_head
from nlp.parsing.words import decode_words

__all__ = ["Envelope", "decode_header_value", "read_envelope"]

_MAX_HEAD = 2_000_000  # bytes read to find the header block; the body is never needed here


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
    """RFC 2047 decoding that never raises; unknown charsets fall back to UTF-8, then cp1252."""
    if value is None:
        return ""
    return decode_words(str(value))


def read_envelope(raw: bytes) -> Envelope:
    env = Envelope(content_hash=hashlib.sha256(raw).hexdigest(), size=len(raw))
    if not raw.strip():
        env.problem = "empty file"
        return env
    head = raw[:_MAX_HEAD]
    end = head.find(b"\r\n\r\n")
    if end < 0 or (0 <= head.find(b"\n\n") < end):
        end = head.find(b"\n\n")
    head = (head[: end + 2] if end >= 0 else head).replace(b"\r\n", b"\n")
    headers, _, defects = split_head(head, mbox=True)
    if not len(headers):
        env.problem = "no header lines: not an RFC 5322 message"
        return env
    get = headers.get
    mid = parse_ids(get("message-id"), keep_last=1)
    env.message_id = mid[0] if mid else None
    env.subject = decode_words(get("subject"))
    sender = parse_addresses(headers.get_all("from"))
    if sender:
        env.from_name, env.from_addr = sender[0].name, sender[0].address
    env.to = [a.address for a in parse_addresses(headers.get_all("to"))]
    env.cc = [a.address for a in parse_addresses(headers.get_all("cc"))]
    env.date = parse_date(get("date"))
    irt = parse_ids(get("in-reply-to"))
    env.in_reply_to = irt[0] if irt else None
    env.references = parse_ids(" ".join(headers.get_all("references")))
    if not sender and get("message-id") is None and get("date") is None:
        env.problem = "no From, Date or Message-ID header: probably not a mail"
    elif defects and not sender:
        env.problem = "broken header block: " + "; ".join(defects)
    return env
