"""The parsed message: what the parse stage hands to every later stage, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nlp.parsing.headers import HeaderMap
    from nlp.parsing.mime import Part

__all__ = ["Address", "Attachment", "AutoInfo", "CalendarEvent", "ParsedMessage"]


@dataclass(slots=True)
class Address:
    name: str
    address: str

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "address": self.address}


@dataclass(slots=True)
class Attachment:
    name: str | None
    content_type: str
    size: int  # decoded bytes
    sha256: str  # of the decoded bytes
    inline: bool
    content_id: str | None  # without angle brackets, as "cid:" URLs in the HTML refer to it
    section: str  # MIME part number ("2", "1.3"), as IMAP numbers parts

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "content_type": self.content_type, "size": self.size,
                "sha256": self.sha256, "inline": self.inline, "content_id": self.content_id}


@dataclass(slots=True)
class CalendarEvent:
    method: str | None  # REQUEST, CANCEL, REPLY, PUBLISH... (the calendar's METHOD)
    uid: str | None
    summary: str | None
    start: str | None  # ISO 8601; a date for all-day events; no offset for floating times
    end: str | None
    timezone: str | None  # the TZID as written, else the offset of start
    location: str | None
    organizer: dict[str, str] | None  # {"name", "address"}
    attendees: list[dict[str, Any]]  # [{"name", "address", "role", "status", "rsvp"}]
    sequence: int | None
    status: str | None

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "uid": self.uid, "summary": self.summary, "start": self.start,
                "end": self.end, "timezone": self.timezone, "location": self.location,
                "organizer": self.organizer, "attendees": self.attendees, "sequence": self.sequence,
                "status": self.status}


@dataclass(slots=True)
class AutoInfo:
    kind: str | None  # auto_reply, bounce, bulk, list, or None for mail a person wrote
    reasons: list[str] = field(default_factory=list)  # the evidence: which header or pattern said so

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "reasons": self.reasons}


@dataclass(slots=True)
class ParsedMessage:
    body: str  # the text the zones index, line endings "\n"
    body_source: str  # "plain" or "html" (converted): the part it came from; "text" for a bare text
    # input (a bare HTML input is "html"); "none" when the message has no text part
    html: str | None = None  # the decoded HTML part, when there is one (for display and HTML rules)
    message_id: str | None = None
    subject: str = ""
    from_: Address | None = None
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    reply_to: list[Address] = field(default_factory=list)
    date: datetime | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    calendar: list[CalendarEvent] = field(default_factory=list)
    auto: AutoInfo = field(default_factory=lambda: AutoInfo(None))
    problems: list[str] = field(default_factory=list)
    content_type: str | None = None  # of the whole message
    delivery_status: str | None = None  # the message/delivery-status part of a DSN, as text
    headers: HeaderMap | None = None  # every header field, raw (see HeaderMap)
    root: Part | None = None  # the MIME tree, for stages that need a part the body does not use

    def headers_json(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "subject": self.subject if self.headers is not None and "subject" in self.headers else None,
            "from": self.from_.to_json() if self.from_ else None,
            "to": [a.to_json() for a in self.to],
            "cc": [a.to_json() for a in self.cc],
            "date": self.date.isoformat() if self.date else None,
            "in_reply_to": self.in_reply_to,
            "references": self.references,
        }
