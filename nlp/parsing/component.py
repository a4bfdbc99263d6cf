"""The "parse" pipeline component: every input becomes a decoded body and its metadata.

Reads ``doc.input``. Assigns:
- ``doc["message"]``: the :class:`~nlp.parsing.message.ParsedMessage`;
- ``doc["body"]``: the body text, line endings "\\n" (the text/plain part, else the HTML part as text);
- ``doc["lines"]``: ``body.split("\\n")``, which the zones index;
- ``doc["reference_date"]``: the Date header (aware), else ``input.date``, else None.
Writes ``body``, ``headers``, ``attachments``, ``calendar``, ``auto`` and ``parse_problems`` to the result.
"""

from __future__ import annotations

import logging
from typing import Any

from nlp.parsing.message import ParsedMessage
from nlp.parsing.parse import DEFAULT_LIMITS, Limits, normalize_newlines, parse_html, parse_raw, parse_text
from nlp.pipeline import Doc, MessageInput, component

__all__ = ["make_parser", "parse_input"]

log = logging.getLogger("nlp.parsing")

_EMPTY_HEADERS: dict[str, Any] = {"message_id": None, "subject": None, "from": None, "to": [], "cc": [],
                                  "date": None, "in_reply_to": None, "references": []}


def parse_input(item: MessageInput, limits: Limits) -> ParsedMessage:
    """The parsed message for one input: raw bytes, else bare text, else bare HTML."""
    if item.raw is not None:
        raw = item.raw
        if isinstance(raw, str):  # {"raw": "..."} given as text: its characters are the bytes' UTF-8
            try:
                raw = raw.encode("utf-8", errors="surrogateescape")
            except UnicodeEncodeError:  # lone surrogates that are not escaped bytes
                raw = raw.encode("utf-8", errors="replace")
        try:
            return parse_raw(raw, limits)
        except Exception as exc:
            # A bug in this package, not bad mail (bad mail is marked, never raised): log it for
            # the alert and keep the message readable as plain text rather than losing it.
            log.exception("parser failed", extra={"doc": item.id})
            message = parse_text(raw.decode("utf-8", errors="replace"), limits)
            message.problems.append(f"parser failed ({type(exc).__name__}); the raw message is the body")
            return message
    if item.text is not None:
        return parse_text(item.text, limits)
    if item.html is not None:
        return parse_html(item.html, limits)
    message = parse_text("", limits)
    message.problems.append("no input: neither raw, text nor html")
    return message


@component("parse", reads=("input",), assigns=("message", "body", "lines", "reference_date"))
def make_parser(*, max_message_bytes: int = DEFAULT_LIMITS.max_message_bytes,
                max_body_chars: int = DEFAULT_LIMITS.max_body_chars,
                max_html_chars: int = DEFAULT_LIMITS.max_html_chars,
                max_depth: int = DEFAULT_LIMITS.max_depth, max_parts: int = DEFAULT_LIMITS.max_parts):
    limits = Limits(max_message_bytes=max_message_bytes, max_body_chars=max_body_chars,
                    max_html_chars=max_html_chars, max_depth=max_depth, max_parts=max_parts)

    def parse(docs: list[Doc]) -> None:
        for doc in docs:
            message = parse_input(doc.input, limits)
            body = normalize_newlines(message.body)
            doc["message"] = message
            doc["body"] = body
            doc["lines"] = body.split("\n")
            doc["reference_date"] = message.date or doc.input.date
            doc.out["body"] = body
            has_headers = message.headers is not None
            doc.out["headers"] = message.headers_json() if has_headers else dict(_EMPTY_HEADERS)
            doc.out["attachments"] = [a.to_json() for a in message.attachments]
            doc.out["calendar"] = [e.to_json() for e in message.calendar]
            doc.out["auto"] = message.auto.to_json()
            doc.out["parse_problems"] = list(message.problems)

    parse.name = "parse"  # type: ignore[attr-defined]
    return parse
