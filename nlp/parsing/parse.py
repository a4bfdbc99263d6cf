"""Any input to a :class:`ParsedMessage`: raw RFC 5322 bytes, a bare plain-text body, or a bare HTML body.

Never raises on bad mail and never drops it: what could not be read is named in ``problems``. Every
step is linear in its input, and the input of each step is capped (:class:`Limits`), so a hostile
message costs a bounded time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.parsing.addresses import parse_addresses, parse_date, parse_ids
from nlp.parsing.attachments import is_calendar, list_attachments
from nlp.parsing.auto import detect_auto
from nlp.parsing.body import choose_body
from nlp.parsing.charsets import decode_bytes
from nlp.parsing.html_text import html_to_text
from nlp.parsing.ical import parse_calendar
from nlp.parsing.message import CalendarEvent, ParsedMessage
from nlp.parsing.mime import MAX_DEPTH, MAX_PARTS, Part, parse_tree
from nlp.parsing.transfer import decode_transfer
from nlp.parsing.words import decode_words

__all__ = ["DEFAULT_LIMITS", "Limits", "normalize_newlines", "parse_html", "parse_raw", "parse_text"]

# <meta charset="x"> or <meta http-equiv=... content="text/html; charset=x">, in the first bytes only.
_META_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Limits:
    """How much of a message is read; every cut is recorded in ``problems``."""

    max_message_bytes: int = 32 * 1024 * 1024
    max_body_chars: int = 1_000_000  # the body the later stages index
    max_html_chars: int = 2_000_000  # HTML read by the converter
    max_depth: int = MAX_DEPTH
    max_parts: int = MAX_PARTS


DEFAULT_LIMITS = Limits()


def normalize_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def parse_text(text: str, limits: Limits = DEFAULT_LIMITS) -> ParsedMessage:
    problems: list[str] = []
    body = _cap(normalize_newlines(text), limits.max_body_chars, "body", problems)
    return ParsedMessage(body=body, body_source="text", problems=problems)


def parse_html(html: str, limits: Limits = DEFAULT_LIMITS) -> ParsedMessage:
    problems: list[str] = []
    source = _cap(html, limits.max_html_chars, "HTML", problems)
    body = _cap(html_to_text(normalize_newlines(source), problems), limits.max_body_chars, "body", problems)
    return ParsedMessage(body=body, body_source="html", html=html, problems=problems)


def parse_raw(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> ParsedMessage:
    return _RawParser(raw, limits).parse()


class _RawParser:
    def __init__(self, raw: bytes, limits: Limits):
        self.limits = limits
        self.problems: list[str] = []
        if len(raw) > limits.max_message_bytes:
            self.problems.append(f"message over {limits.max_message_bytes} bytes; the rest was not read")
            raw = raw[:limits.max_message_bytes]
        self.data = raw.replace(b"\r\n", b"\n") if b"\r\n" in raw else raw
        self.texts: dict[int, str] = {}

    def parse(self) -> ParsedMessage:
        problems = self.problems
        if not self.data or self.data.isspace():  # isspace: no copy of a large message
            problems.append("empty message")
            return ParsedMessage(body="", body_source="none", problems=problems)
        limits = self.limits
        root = parse_tree(self.data, problems, max_depth=limits.max_depth, max_parts=limits.max_parts)
        headers = root.headers
        if not len(headers):
            problems.append("no header block: the whole input was read as the body")
        fallback = self._header_charset(root)
        msg = ParsedMessage(body="", body_source="none", problems=problems, headers=headers, root=root,
                            content_type=root.content_type)
        msg.subject = decode_words(headers.get("subject"), fallback, problems)
        senders = parse_addresses(headers.get_all("from"), fallback, problems)
        msg.from_ = senders[0] if senders else None
        msg.to = parse_addresses(headers.get_all("to"), fallback, problems)
        msg.cc = parse_addresses(headers.get_all("cc"), fallback, problems)
        msg.reply_to = parse_addresses(headers.get_all("reply-to"), fallback, problems)
        date_value = headers.get("date")
        msg.date = parse_date(date_value)
        if date_value and msg.date is None:
            problems.append(f"unreadable Date header {date_value.strip()[:60]!r}")
        ids = parse_ids(headers.get("message-id"), keep_last=1)
        msg.message_id = ids[0] if ids else None
        in_reply_to = parse_ids(headers.get("in-reply-to"))
        msg.in_reply_to = in_reply_to[0] if in_reply_to else None
        msg.references = parse_ids(" ".join(headers.get_all("references")))

        chosen = choose_body(root, self._is_blank)
        self._body(msg, chosen)
        msg.attachments = list_attachments(root, {id(p) for p in chosen}, problems)
        self._calendar_and_reports(msg, root)
        msg.auto = detect_auto(headers, subject=msg.subject, sender=msg.from_, content_type=root.content_type,
                               report_type=root.params.get("report-type"),
                               has_delivery_status=msg.delivery_status is not None)
        return msg

    # --- body -----------------------------------------------------------------------------------
    def _body(self, msg: ParsedMessage, chosen: list[Part]) -> None:
        pieces: list[str] = []
        sources = set()
        for part in chosen:
            text = self._text(part)
            if part.subtype == "html":
                if msg.html is None:
                    msg.html = text
                source = _cap(text, self.limits.max_html_chars, f"{part.label} HTML", self.problems)
                text = html_to_text(source, self.problems)
            sources.add(part.subtype)
            pieces.append(text.rstrip("\n"))
        if msg.html is None:
            html_part = next((p for p in msg.root.walk() if p.content_type == "text/html"  # type: ignore[union-attr]
                              and p.disposition != "attachment" and p.filename is None), None)
            if html_part is not None:
                msg.html = self._text(html_part)
        body = normalize_newlines("\n".join(pieces))
        msg.body = _cap(body, self.limits.max_body_chars, "body", self.problems)
        msg.body_source = "plain" if "plain" in sources else ("html" if sources else "none")

    def _is_blank(self, part: Part) -> bool:
        return not self._text(part).strip()

    def _text(self, part: Part) -> str:
        """The decoded text of a leaf, decoded once."""
        key = id(part)
        cached = self.texts.get(key)
        if cached is not None:
            return cached
        data, problem = decode_transfer(part.payload, part.transfer_encoding)
        if problem:
            self.problems.append(f"{part.label}: {problem}")
        cap = 4 * self.limits.max_html_chars
        if len(data) > cap:
            self.problems.append(f"{part.label}: over {cap} bytes; the rest was not read")
            data = data[:cap]
        label = part.charset
        if label is None and part.subtype == "html":
            found = _META_CHARSET.search(data, 0, 4096)
            label = found.group(1).decode("ascii") if found else None
        decoded = decode_bytes(data, label)
        if decoded.problem:
            self.problems.append(f"{part.label}: {decoded.problem}")
        self.texts[key] = decoded.text
        return decoded.text

    def _header_charset(self, root: Part) -> str | None:
        """Raw 8-bit headers are most often in the charset of the message's text."""
        for part in root.walk():
            if part.maintype == "text" and part.charset:
                return part.charset
        return None

    # --- calendar and delivery reports ----------------------------------------------------------
    def _calendar_and_reports(self, msg: ParsedMessage, root: Part) -> None:
        seen: set[tuple] = set()
        events: list[CalendarEvent] = []
        for part in root.walk():
            if part.is_multipart:
                continue
            ctype = part.content_type
            if ctype in ("message/delivery-status", "message/global-delivery-status"):
                if msg.delivery_status is None:
                    msg.delivery_status = self._text(part)
                continue
            if not is_calendar(part):
                continue
            found, problem = parse_calendar(self._text(part))
            if problem:
                self.problems.append(f"{part.label}: {problem}")
            for event in found:
                key = (event.uid, event.method, event.sequence, event.start, event.summary)
                if key not in seen:  # Outlook sends the invite twice: inline and as invite.ics
                    seen.add(key)
                    events.append(event)
        msg.calendar = events


def _cap(text: str, limit: int, what: str, problems: list[str]) -> str:
    if len(text) <= limit:
        return text
    problems.append(f"{what} over {limit} characters; cut there")
    return text[:limit]
