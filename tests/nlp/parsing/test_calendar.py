"""Calendar invites: an Outlook REQUEST (inline and as invite.ics, read once) and a CANCEL."""

from __future__ import annotations

from nlp.parsing.ical import parse_calendar
from nlp.parsing.parse import parse_raw
from tests.nlp.parsing.conftest import FIXTURES
from tests.nlp.parsing.mails import headers, multipart, text_part, to_bytes

CANCEL = """BEGIN:VCALENDAR
METHOD:CANCEL
VERSION:2.0
PRODID:-//Example//Calendar//EN
BEGIN:VEVENT
UID:call-42@example.com
SEQUENCE:2
STATUS:CANCELLED
SUMMARY:Pricing call
DTSTART:20240201T150000Z
DURATION:PT30M
ORGANIZER:mailto:Bob@Example.org
ATTENDEE;CN="Ann Smith";PARTSTAT=DECLINED:mailto:ann@example.com
END:VEVENT
END:VCALENDAR
"""


def test_outlook_request_invite():
    message = parse_raw((FIXTURES / "outlook-invite.eml").read_bytes())
    assert message.body == "来週の定例会議です。"
    [event] = message.calendar  # the same event inline and as invite.ics is listed once
    assert event.to_json() == {
        "method": "REQUEST",
        "uid": "040000008200E00074C5B7101A82E00800000000B0D4C1F2E947DA01000000000000000010",
        "summary": "定例会議 (weekly sync)",
        "start": "2024-01-23T10:00:00+09:00",
        "end": "2024-01-23T11:00:00+09:00",
        "timezone": "Tokyo Standard Time",
        "location": "会議室A / https://meet.example.com/abc",
        "organizer": {"name": "山田 太郎", "address": "t.yamada@sakura.example.jp"},
        "attendees": [
            {"name": "Ichiro Suzuki", "address": "ichiro@example.com", "role": "REQ-PARTICIPANT",
             "status": "NEEDS-ACTION", "rsvp": True},
            {"name": "Ann Smith", "address": "ann@example.com", "role": "OPT-PARTICIPANT",
             "status": "NEEDS-ACTION", "rsvp": False},
        ],
        "sequence": 0,
        "status": "CONFIRMED",
    }
    # The .ics file is an attachment; the inline text/calendar alternative is not.
    assert [(a.name, a.content_type) for a in message.attachments] == [("invite.ics", "application/ics")]
    assert message.problems == []


def test_cancel_with_duration_and_utc_times():
    calendar = text_part(CANCEL, subtype="calendar")
    calendar.set_param("method", "CANCEL")
    message = parse_raw(to_bytes(headers(multipart("alternative", text_part("The call is cancelled."), calendar))))
    [event] = message.calendar
    assert (event.method, event.status, event.sequence, event.uid) == ("CANCEL", "CANCELLED", 2, "call-42@example.com")
    assert (event.start, event.end, event.timezone) == ("2024-02-01T15:00:00+00:00", "2024-02-01T15:30:00+00:00", "UTC")
    assert event.organizer == {"name": "", "address": "bob@example.org"}
    assert event.attendees[0]["status"] == "DECLINED"


def test_all_day_event_is_a_date():
    events, problem = parse_calendar("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:d1\nDTSTART;VALUE=DATE:20240301\n"
                                     "DTEND;VALUE=DATE:20240302\nSUMMARY:Offsite\nEND:VEVENT\nEND:VCALENDAR\n")
    assert problem is None
    assert (events[0].start, events[0].end, events[0].timezone) == ("2024-03-01", "2024-03-02", None)


def test_broken_calendar_is_named_not_raised():
    message = parse_raw(to_bytes(headers(multipart("mixed", text_part("See invite."),
                                                   text_part("BEGIN:VCALENDAR\nnot a content line", subtype="calendar")))))
    assert message.calendar == []
    assert message.body == "See invite."
    assert len(message.problems) == 1 and "unreadable calendar" in message.problems[0]
