"""The envelope of a raw message: the headers every store needs, read fast and never failing.

Only the header block is read (:func:`nlp.parsing.headers.split_head`, plain string operations), and
only the headers we keep are decoded, with the same decoders as the parse stage, so the CRM and the
analysis show the same subject and names. A message we cannot make sense of is still returned, with
``problem`` set, so the caller stores it raw and marks it instead of losing it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

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
    if not raw or (raw[:1].isspace() and not raw.strip()):  # (no copy of the message when it starts well)
        env.problem = "empty file"
        return env
    head = raw[:_MAX_HEAD]
    end = head.find(b"\r\n\r\n")
    # An earlier blank line in "\n" endings ends the block there; only the part before the CRLF blank
    # line is searched (a CRLF message has no "\n\n": searching it all cost more than the headers).
    lf_end = head.find(b"\n\n", 0, end) if end >= 0 else head.find(b"\n\n")
    if end < 0 or lf_end >= 0:
        end = lf_end
    head = (head[: end + 2] if end >= 0 else head).replace(b"\r\n", b"\n")
    headers, _, defects = split_head(head, mbox=True)
    if not len(headers):
        env.problem = "no header lines: not an RFC 5322 message"
        return env
    get = headers.get
    mid = parse_ids(get("message-id"), keep_last=1)
    env.message_id = mid[0] if mid else None
    env.subject = decode_words(get("subject"))
    sender = _addresses(headers.get_all("from"))
    if sender:
        env.from_name, env.from_addr = sender[0]
    env.to = [address for _, address in _addresses(headers.get_all("to"))]
    env.cc = [address for _, address in _addresses(headers.get_all("cc"))]
    env.date = _date(get("date"))
    irt = parse_ids(get("in-reply-to"))
    env.in_reply_to = irt[0] if irt else None
    env.references = parse_ids(" ".join(headers.get_all("references")))
    if not sender and get("message-id") is None and get("date") is None:
        env.problem = "no From, Date or Message-ID header: probably not a mail"
    elif defects and not sender:
        env.problem = "broken header block: " + "; ".join(defects)
    return env


# --- the hot path of a mailbox sync: the same results as the general parsers, sooner ---------------
_CACHED_ADDRESS_CHARS = 512  # longer address headers (long recipient lists) are parsed every time


def _addresses(values: list[str]) -> tuple[tuple[str, str], ...]:
    """(name, address) pairs of address headers, as :func:`parse_addresses` gives them."""
    if not values:
        return ()
    if len(values) == 1 and len(values[0]) <= _CACHED_ADDRESS_CHARS:
        return _cached_addresses(values[0])  # a mailbox repeats its senders and recipients
    return tuple((a.name, a.address) for a in parse_addresses(values))


@lru_cache(maxsize=4096)
def _cached_addresses(value: str) -> tuple[tuple[str, str], ...]:
    return tuple((a.name, a.address) for a in parse_addresses([value]))


# "Mon, 05 Jan 2026 08:35:00 +0000": what nearly every client writes. Anything else (zone names,
# comments, two-digit years, missing seconds, odd spacing) goes to parse_date.
_PLAIN_DATE = re.compile(r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?([0-9]{1,2}) "
                         r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9][0-9]{3}) "
                         r"([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-])([0-9]{2})([0-9]{2})")
_MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}


def _date(value: str | None) -> datetime | None:
    """:func:`parse_date`, with the common form read directly (the stdlib parser costs more)."""
    if not value:
        return None
    match = _PLAIN_DATE.fullmatch(value) if len(value) <= 40 else None
    if match is None:
        return parse_date(value)
    day, month, year, hour, minute, second, sign, zone_h, zone_m = match.groups()
    offset = int(zone_h) * 3600 + int(zone_m) * 60
    try:
        if sign == "-" and offset == 0:
            zone = UTC  # "-0000": no zone known; read as UTC, as parse_date does
        else:
            zone = timezone(timedelta(seconds=-offset if sign == "-" else offset))
        return datetime(int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second), tzinfo=zone)
    except (ValueError, OverflowError):
        return None  # e.g. 31 Feb, or a zone beyond ±24 h: parse_date rejects those too
