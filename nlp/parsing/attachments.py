"""Attachments and inline parts as metadata: name, type, decoded size, SHA-256, inline flag, Content-ID."""

from __future__ import annotations

import hashlib

from nlp.parsing.body import body_kind
from nlp.parsing.headers import split_head
from nlp.parsing.message import Attachment
from nlp.parsing.mime import Part
from nlp.parsing.transfer import decode_transfer
from nlp.parsing.words import decode_words

__all__ = ["is_calendar", "list_attachments"]


def is_calendar(part: Part) -> bool:
    name = (part.filename or "").lower()
    return part.content_type in ("text/calendar", "application/ics", "text/x-vcalendar") \
        or name.endswith((".ics", ".vcs"))


def list_attachments(root: Part, body: set[int], problems: list[str]) -> list[Attachment]:
    """Every leaf that is neither the body nor an unchosen body alternative, in document order."""
    out: list[Attachment] = []
    for part in root.walk():
        if part.is_multipart or id(part) in body:
            continue
        if body_kind(part) is not None:
            continue  # the HTML (or plain) alternative of the body, not an attachment
        if part.content_type == "text/calendar" and part.filename is None \
                and part.disposition != "attachment":
            continue  # an invite's calendar alternative: it is in "calendar", not a file
        if part is root and not part.payload.strip():
            continue  # an empty single-part message has no attachment
        data, problem = decode_transfer(part.payload, part.transfer_encoding)
        if problem:
            problems.append(f"{part.label}: {problem}")
        name = part.filename
        if name is None and part.content_type in ("message/rfc822", "message/global"):
            name = _enclosed_subject(data)
        content_id = part.content_id
        inline = part.disposition == "inline" or (part.disposition is None and content_id is not None)
        out.append(Attachment(name=name, content_type=part.content_type, size=len(data),
                              sha256=hashlib.sha256(data).hexdigest(), inline=inline,
                              content_id=content_id, section=part.section or "1"))
    return out


def _enclosed_subject(data: bytes) -> str | None:
    """A forwarded message has no file name: its subject names it."""
    headers, _, _ = split_head(data[:256 * 1024])
    subject = decode_words(headers.get("subject"))
    return f"{subject[:200]}.eml" if subject else None
