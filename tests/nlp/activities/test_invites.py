"""Calendar invites become exact meetings: REQUEST as sent, CANCEL cancelled, REPLY answered."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress

from nlp.parsing.ical import parse_calendar
from tests.nlp.activities.helpers import make_doc, run

DATE = "Tue, 05 Mar 2024 10:12:00 +0100"


def invite(
    method: str, *, status: str | None = None, partstat: str = "NEEDS-ACTION", sequence: int = 0
) -> list:
    calendar = Calendar()
    calendar.add("prodid", "-//mailassist tests//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", "kickoff-42@example.com")
    event.add("summary", "Project kickoff")
    event.add("dtstart", datetime(2024, 3, 12, 15, 0, tzinfo=ZoneInfo("Europe/Berlin")))
    event.add("dtend", datetime(2024, 3, 12, 16, 0, tzinfo=ZoneInfo("Europe/Berlin")))
    event.add("location", "Room 3 / https://teams.microsoft.com/l/meetup-join/abc")
    event.add("sequence", sequence)
    if status:
        event.add("status", status)
    organizer = vCalAddress("mailto:bob@example.org")
    organizer.params["cn"] = "Bob Stone"
    event["organizer"] = organizer
    attendee = vCalAddress("mailto:ann@example.com")
    attendee.params["cn"] = "Ann Smith"
    attendee.params["partstat"] = partstat
    event.add("attendee", attendee)
    calendar.add_component(event)
    events, problem = parse_calendar(calendar.to_ical().decode())
    assert problem is None
    return [e.to_json() for e in events]


def activities_for(calendar: list, text: str = "See the invite.") -> list:
    [doc] = run(make_doc(text, DATE, calendar=calendar))
    return doc.out["activities"]


def test_request_is_an_exact_meeting():
    [activity] = activities_for(invite("REQUEST"))
    assert activity["type"] == "meeting" and activity["source"] == "calendar"
    assert (activity["method"], activity["uid"], activity["sequence"]) == (
        "REQUEST",
        "kickoff-42@example.com",
        0,
    )
    assert (activity["start"], activity["end"], activity["timezone"]) == (
        "2024-03-12T15:00:00+01:00",
        "2024-03-12T16:00:00+01:00",
        "Europe/Berlin",
    )
    assert (activity["confidence"], activity["ambiguous"], activity["status"]) == (1.0, False, "confirmed")
    assert activity["title"] == "Project kickoff"
    assert activity["video_link"] == "https://teams.microsoft.com/l/meetup-join/abc"
    assert activity["organizer"] == {"name": "Bob Stone", "address": "bob@example.org"}
    assert [(a["name"], a["address"]) for a in activity["attendees"]] == [("Ann Smith", "ann@example.com")]


def test_cancel_keeps_the_uid_and_says_cancelled():
    [activity] = activities_for(invite("CANCEL", status="CANCELLED", sequence=1))
    assert (activity["method"], activity["status"], activity["uid"], activity["sequence"]) == (
        "CANCEL",
        "cancelled",
        "kickoff-42@example.com",
        1,
    )
    assert activity["start"] == "2024-03-12T15:00:00+01:00"


def test_reply_carries_the_attendees_answer():
    [activity] = activities_for(invite("REPLY", partstat="ACCEPTED"))
    assert (activity["method"], activity["status"]) == ("REPLY", "accepted")


def test_the_mail_text_repeating_the_invite_is_not_a_second_proposal():
    found = activities_for(
        invite("REQUEST"), "Let's meet on Tuesday, March 12 at 3pm. Please send the deck by Monday."
    )
    assert [(a["source"], a["type"]) for a in found] == [("calendar", "meeting"), ("text", "task")]


def test_outlook_zone_names_floating_times_and_all_day_events():
    outlook = {
        "method": "REQUEST",
        "uid": "u1",
        "summary": "定例会議",
        "start": "2024-01-23T10:00:00+09:00",
        "end": "2024-01-23T11:00:00+09:00",
        "timezone": "Tokyo Standard Time",
        "location": None,
        "organizer": None,
        "attendees": [],
        "sequence": 0,
        "status": "CONFIRMED",
    }
    floating = dict(
        outlook, uid="u2", start="2024-03-12T09:00:00", end="2024-03-12T10:00:00", timezone="America/New_York"
    )
    all_day = dict(outlook, uid="u3", start="2024-03-15", end="2024-03-16", timezone=None)
    found = activities_for([outlook, floating, all_day])
    assert [(a["start"], a["timezone"]) for a in found] == [
        ("2024-01-23T10:00:00+09:00", "Asia/Tokyo"),
        ("2024-03-12T09:00:00-04:00", "America/New_York"),
        ("2024-03-15", None),
    ]


def test_malformed_calendar_entries_are_skipped():
    assert activities_for(["not an event", {"method": None, "start": "garbage"}])[0]["start"] == "garbage"
