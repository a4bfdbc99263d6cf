"""Calendar invites (text/calendar, .ics) as events: method, times, organizer, attendees."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from nlp.parsing.message import CalendarEvent

__all__ = ["MAX_CALENDAR_CHARS", "MAX_EVENTS", "parse_calendar"]

MAX_CALENDAR_CHARS = 256 * 1024
MAX_CALENDAR_LINES = 3000  # icalendar costs ~50 us a line; real invites have a few hundred
MAX_EVENTS = 100
MAX_ATTENDEES = 500


def parse_calendar(text: str) -> tuple[list[CalendarEvent], str | None]:
    """The VEVENTs of an iCalendar text, and a problem when it could not be read (or was cut)."""
    # Imported here: icalendar costs ~100 ms to import and most messages carry no invite.
    from icalendar import Calendar

    problem = None
    if len(text) > MAX_CALENDAR_CHARS:
        text = text[:MAX_CALENDAR_CHARS]
        problem = f"calendar over {MAX_CALENDAR_CHARS} characters; the rest was not read"
    if text.count("\n") > MAX_CALENDAR_LINES:
        cut = -1
        for _ in range(MAX_CALENDAR_LINES):
            cut = text.find("\n", cut + 1)
        text = text[:cut + 1]
        problem = f"calendar over {MAX_CALENDAR_LINES} lines; the rest was not read"
    if text.count("BEGIN:VEVENT") > MAX_EVENTS:
        cut = -1
        for _ in range(MAX_EVENTS + 1):
            cut = text.find("BEGIN:VEVENT", cut + 1)
        text = text[:cut]
        problem = f"more than {MAX_EVENTS} calendar events; the rest were not read"
    if problem:
        # Close what the cut left open, so the events before it can still be read.
        last = text.rfind("BEGIN:VEVENT")
        if last > 0 and text.find("END:VEVENT", last) < 0:
            text = text[:last]  # an event cut in the middle
        text += "END:VCALENDAR\n"
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except Exception as exc:  # noqa: BLE001 - icalendar raises many types on bad input; marked, not lost
        return [], f"unreadable calendar ({type(exc).__name__}: {str(exc)[:80]})"
    events: list[CalendarEvent] = []
    for calendar in calendars:
        method = _text(calendar.get("METHOD"))
        for event in calendar.walk("VEVENT"):
            if len(events) >= MAX_EVENTS:
                return events, problem
            try:
                events.append(_event(event, method.upper() if method else None))
            except Exception as exc:  # noqa: BLE001 - one malformed property must not lose the other events
                problem = f"unreadable calendar event ({type(exc).__name__}: {str(exc)[:80]})"
    return events, problem


def _event(event: Any, method: str | None) -> CalendarEvent:
    start_prop = event.get("DTSTART")
    start = getattr(start_prop, "dt", None)
    end = getattr(event.get("DTEND"), "dt", None)
    if end is None and start is not None:
        duration = getattr(event.get("DURATION"), "dt", None)
        if isinstance(duration, timedelta):
            end = start + duration
    tzid = start_prop.params.get("TZID") if start_prop is not None else None
    if not tzid and isinstance(start, datetime) and start.tzinfo is not None:
        tzid = "UTC" if start.utcoffset() == timedelta(0) else start.strftime("%z")
    attendees = event.get("ATTENDEE") or []
    if not isinstance(attendees, list):
        attendees = [attendees]
    sequence = event.get("SEQUENCE")
    return CalendarEvent(
        method=method,
        uid=_text(event.get("UID")),
        summary=_text(event.get("SUMMARY")),
        start=_iso(start),
        end=_iso(end),
        timezone=str(tzid) if tzid else None,
        location=_text(event.get("LOCATION")),
        organizer=_person(event.get("ORGANIZER")),
        attendees=[_attendee(a) for a in attendees[:MAX_ATTENDEES]],
        sequence=int(sequence) if str(sequence).strip().lstrip("-").isdigit() else None,
        status=(_text(event.get("STATUS")) or "").upper() or None,
    )


def _iso(value: Any) -> str | None:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _person(value: Any) -> dict[str, str] | None:
    if value is None:
        return None
    address = str(value).strip()
    if address.lower().startswith("mailto:"):
        address = address[7:]
    params = getattr(value, "params", {}) or {}
    return {"name": _text(params.get("CN")) or "", "address": address.lower()}


def _attendee(value: Any) -> dict[str, Any]:
    person = _person(value) or {"name": "", "address": ""}
    params = getattr(value, "params", {}) or {}
    rsvp = str(params.get("RSVP", "")).upper()
    return {**person, "role": _text(params.get("ROLE")), "status": _text(params.get("PARTSTAT")),
            "rsvp": rsvp == "TRUE"}
