"""Calendar invites (the parse stage's ``calendar`` list) as exact meeting activities: no guessing.

REQUEST and PUBLISH are meetings as sent; CANCEL is the same meeting with ``status: cancelled``;
REPLY is an attendee's answer (``status`` from their PARTSTAT). Method, UID and sequence are kept so
the CRM can update the event it already holds.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from nlp.activities.details import video_link
from nlp.activities.timex.zones import WINDOWS_TZIDS, offset_name, zone_by_name

__all__ = ["invite_activities", "same_time"]

_REPLY_STATUS = {
    "ACCEPTED": "accepted",
    "DECLINED": "declined",
    "TENTATIVE": "tentative",
    "DELEGATED": "delegated",
    "NEEDS-ACTION": "needs_action",
}


def _iana(tzid: str | None) -> str | None:
    if not tzid:
        return None
    name = tzid.strip().strip('"')
    if name in WINDOWS_TZIDS:
        return WINDOWS_TZIDS[name]
    if zone_by_name(name) is not None:
        return name
    # "/example.com/20240101_1/Europe/Berlin" style prefixes, and trailing IANA names.
    for cut in range(name.count("/")):
        tail = name.split("/", cut + 1)[-1]
        if zone_by_name(tail) is not None:
            return tail
    return None


def _localise(value: str | None, zone: str | None) -> str | None:
    """Floating times ("2024-01-23T10:00:00") get the offset of the event's zone when it is known."""
    if not value or "T" not in value:
        return value
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    if parsed.tzinfo is None:
        tz = zone_by_name(zone) if zone else None
        if tz is None:
            return value
        parsed = parsed.replace(tzinfo=tz)
    elif zone and zone_by_name(zone) is not None:
        parsed = parsed.astimezone(zone_by_name(zone))
    return parsed.isoformat(timespec="seconds")


def _status(event: dict[str, Any], method: str) -> str:
    if method == "CANCEL" or (event.get("status") or "").upper() == "CANCELLED":
        return "cancelled"
    if method == "REPLY":
        for attendee in event.get("attendees") or []:
            status = (attendee.get("status") or "").upper()
            if status in _REPLY_STATUS:
                return _REPLY_STATUS[status]
        return "replied"
    if method == "COUNTER":
        return "counter_proposed"
    return (event.get("status") or "confirmed").lower()


def invite_activities(calendar: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    activities = []
    for event in calendar or []:
        if not isinstance(event, dict):
            continue
        method = (event.get("method") or "PUBLISH").upper()
        zone = _iana(event.get("timezone"))
        start, end = _localise(event.get("start"), zone), _localise(event.get("end"), zone)
        timezone_name = zone
        if timezone_name is None and start and "T" in start:
            try:
                offset = datetime.fromisoformat(start).utcoffset()
            except ValueError:
                offset = None
            timezone_name = offset_name(offset) if offset is not None else None
        link, service = video_link(" ".join(filter(None, [event.get("location"), event.get("summary")])))
        attendees = [
            {
                "name": a.get("name") or None,
                "address": a.get("address") or None,
                "role": a.get("role"),
                "status": a.get("status"),
                "source": "calendar",
            }
            for a in event.get("attendees") or []
        ]
        summary = event.get("summary")
        activities.append(
            {
                "type": "meeting",
                "title": summary,
                "start": start,
                "end": end,
                "due": None,
                "timezone": timezone_name,
                "alternatives": [],
                "confidence": 1.0,
                "ambiguous": False,
                "evidence": f"{method} {summary or ''}".strip(),
                "source": "calendar",
                "method": method,
                "uid": event.get("uid"),
                "sequence": event.get("sequence"),
                "status": _status(event, method),
                "location": event.get("location"),
                "video_link": link,
                "video_service": service,
                "organizer": event.get("organizer"),
                "attendees": attendees,
            }
        )
    return activities


def same_time(a: str | None, b: str | None) -> bool:
    """Whether two ISO values name the same instant (or the same day when either is a date)."""
    if not a or not b:
        return False
    try:
        if "T" in a and "T" in b:
            x, y = datetime.fromisoformat(a), datetime.fromisoformat(b)
            if (x.tzinfo is None) != (y.tzinfo is None):
                return x.replace(tzinfo=None) == y.replace(tzinfo=None)
            return x == y
        return date.fromisoformat(a[:10]) == date.fromisoformat(b[:10])
    except ValueError:
        return False
