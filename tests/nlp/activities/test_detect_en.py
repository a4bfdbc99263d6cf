"""English proposals: meetings, tasks and calls, their times, zones and what stays ambiguous."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.nlp.activities.helpers import activities, first

TUE = "Tue, 05 Mar 2024 10:12:00 -0500"  # a Tuesday morning in New York (DST starts 10 March)
LONDON = "Tue, 05 Mar 2024 10:12:00 +0000"


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("Can we meet on Thursday at 11?", "2024-03-07T11:00:00-05:00", None),
        ("Let's meet tomorrow at 4:45pm.", "2024-03-06T16:45:00-05:00", None),
        ("Could we catch up the day after tomorrow at noon?", "2024-03-07T12:00:00-05:00", None),
        ("How about a demo on March 20th at 10:30 am?", "2024-03-20T10:30:00-05:00", None),
        ("Are you free on 2024-03-28 at 14:00 for a workshop?", "2024-03-28T14:00:00-05:00", None),
        ("Let's schedule the kickoff meeting for the 18th.", "2024-03-18", None),
        ("Can we meet at 3pm?", "2024-03-05T15:00:00-05:00", None),
        (
            "Let's have a one-hour meeting on Friday at 1pm.",
            "2024-03-08T13:00:00-05:00",
            "2024-03-08T14:00:00-05:00",
        ),
        (
            "Can we meet for 45 minutes on Monday at 9:30?",
            "2024-03-11T09:30:00-05:00",
            "2024-03-11T10:15:00-05:00",
        ),
        ("Let's meet at the end of next month.", "2024-04-30", None),
        ("Can we schedule the workshop for March 18-20?", "2024-03-18", "2024-03-20"),
        ("Are you around for a meeting between the 11th and the 14th?", "2024-03-11", "2024-03-14"),
        ("Could we meet from March 25 to March 27 in Denver?", "2024-03-25", "2024-03-27"),
        (
            "Would Wednesday 2-3pm work for the review meeting?",
            "2024-03-06T14:00:00-05:00",
            "2024-03-06T15:00:00-05:00",
        ),
        ("Can we meet tomorrow from 11 to 1pm?", "2024-03-06T11:00:00-05:00", "2024-03-06T13:00:00-05:00"),
        ("Let's meet Monday, March 11 at 8:15 a.m.", "2024-03-11T08:15:00-05:00", None),
        ("We'd love to see you at our booth on the 21st at 3 o'clock.", "2024-03-21T15:00:00-05:00", None),
    ],
)
def test_meeting_times(text, start, end):
    activity = first(text, TUE)
    assert activity["type"] == "meeting"
    assert (activity["start"], activity["end"]) == (start, end)
    assert activity["timezone"] == "-05:00"
    assert activity["source"] == "text" and activity["evidence"] == text


@pytest.mark.parametrize(
    "text, start, zone",
    [
        # zone abbreviations are the region's wall clock: Los Angeles is on PDT from 10 March
        ("Can we meet Monday at 9am PST?", "2024-03-11T09:00:00-07:00", "America/Los_Angeles"),
        ("Can we meet at 17:00 CET on Thursday?", "2024-03-07T17:00:00+01:00", "Europe/Berlin"),
        ("Let's meet at 10am JST tomorrow.", "2024-03-06T10:00:00+09:00", "Asia/Tokyo"),
        ("Can we meet at 08:00 UTC on Friday?", "2024-03-08T08:00:00+00:00", "UTC"),
        ("Can we meet at 9:00 GMT+2 on Friday?", "2024-03-08T09:00:00+02:00", "+02:00"),
        ("Let's meet at 4pm London time on Monday.", "2024-03-11T16:00:00+00:00", "Europe/London"),
        ("Let's meet at 11am Eastern on Monday.", "2024-03-11T11:00:00-04:00", "America/New_York"),
        ("Could we meet at 14:30 Tokyo time on Friday?", "2024-03-08T14:30:00+09:00", "Asia/Tokyo"),
        ("Let's meet on the 7th at 9am IST.", "2024-03-07T09:00:00+05:30", "Asia/Kolkata"),
    ],
)
def test_zone_named_in_the_sentence(text, start, zone):
    activity = first(text, TUE)
    assert (activity["start"], activity["timezone"]) == (start, zone)


def test_sender_zone_comes_from_the_date_header():
    assert (
        first("Can we meet tomorrow at 10am?", "Tue, 05 Mar 2024 10:12:00 +0530")["start"]
        == "2024-03-06T10:00:00+05:30"
    )
    assert (
        first("Can we meet tomorrow at 10am?", "Tue, 05 Mar 2024 23:30:00 -0800")["start"]
        == "2024-03-06T10:00:00-08:00"
    )


def test_without_a_reference_date_times_resolve_against_now_in_utc():
    activity = first("Can we meet tomorrow at 10am?", None)
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).date()
    assert activity["start"] == f"{tomorrow.isoformat()}T10:00:00+00:00"
    assert activity["timezone"] == "+00:00"


@pytest.mark.parametrize(
    "text, start, alternatives",
    [
        (
            "Would Monday at 10, Tuesday at 2 or Wednesday at 4 work for a meeting?",
            "2024-03-11T10:00:00-05:00",
            [
                {"start": "2024-03-12T14:00:00-05:00", "end": None},
                {"start": "2024-03-06T16:00:00-05:00", "end": None},
            ],
        ),
        (
            "Are you free Thursday or Friday morning for a demo?",
            "2024-03-07T09:00:00-05:00",
            [{"start": "2024-03-08T09:00:00-05:00", "end": "2024-03-08T12:00:00-05:00"}],
        ),
        (
            "Can we meet tomorrow at 10 or 11?",
            "2024-03-06T10:00:00-05:00",
            [{"start": "2024-03-06T11:00:00-05:00", "end": None}],
        ),
        (
            "Is Monday or Tuesday next week better for the workshop?",
            "2024-03-11",
            [{"start": "2024-03-12", "end": None}],
        ),
    ],
)
def test_alternative_slots(text, start, alternatives):
    activity = first(text, TUE)
    assert activity["start"] == start
    assert activity["alternatives"] == alternatives


@pytest.mark.parametrize(
    "text, start, ambiguous",
    [
        ("Can we meet next Thursday?", "2024-03-14", True),  # Thursday is still ahead this week
        ("Can we meet next Monday?", "2024-03-11", False),
        ("Can we meet Thursday next week?", "2024-03-14", False),
        ("Let's meet on Friday, March 9.", "2024-03-09", True),  # 9 March 2024 is a Saturday
        ("Can we meet at 9am?", "2024-03-06T09:00:00-05:00", True),  # 9am today has gone by
        ("Would you be available for a meeting later this week?", "2024-03-06", True),
        ("Can we meet sometime next week?", "2024-03-11", True),
        ("Can we meet in Q2?", "2024-04-01", True),
        ("Can we meet in early April?", "2024-04-01", True),
    ],
)
def test_ambiguity_is_kept(text, start, ambiguous):
    activity = first(text, TUE)
    assert activity["start"] == start
    assert activity["ambiguous"] is ambiguous
    if ambiguous:
        assert activity["confidence"] <= 0.7


def test_periods_are_ranges():
    activity = first("Can we meet in Q2?", TUE)
    assert (activity["start"], activity["end"]) == ("2024-04-01", "2024-06-30")
    activity = first("Would you be available for a meeting later this week?", TUE)
    assert (activity["start"], activity["end"]) == ("2024-03-06", "2024-03-08")


@pytest.mark.parametrize(
    "date, start, ambiguous",
    [
        (TUE, "2024-04-05T10:00:00-05:00", False),  # an American sender writes month/day
        ("Tue, 05 Mar 2024 10:12:00 +0100", "2024-05-04T10:00:00+01:00", True),  # elsewhere day/month, marked
    ],
)
def test_numeric_dates_follow_the_sender(date, start, ambiguous):
    activity = first("Let's meet on 4/5 at 10am.", date)
    assert (activity["start"], activity["ambiguous"]) == (start, ambiguous)


def test_past_dates_are_not_proposed_and_old_month_days_mean_next_year():
    assert first("Can we meet on March 1?", TUE) is None  # four days ago
    assert first("Can we meet on January 10?", TUE) is None  # 55 days ago: a past date, not next year's
    assert first("Can we meet on March 1?", "Mon, 15 Jul 2024 09:00:00 -0500")["start"] == "2025-03-01"


def test_year_end_rolls_over():
    activity = first("Can we meet on Thursday at 10am to plan January?", "Sat, 28 Dec 2024 11:00:00 -0500")
    assert activity["start"] == "2025-01-02T10:00:00-05:00"
    assert first("Can we meet on January 6?", "Sat, 28 Dec 2024 11:00:00 -0500")["start"] == "2025-01-06"


def test_video_link_location_and_attendees():
    activity = first(
        "Let's meet on Zoom on Friday at 10am with Maria Lopez and Ken: https://zoom.us/j/5551234", TUE
    )
    assert (activity["type"], activity["video_link"], activity["video_service"]) == (
        "meeting",
        "https://zoom.us/j/5551234",
        "zoom",
    )
    assert [a["name"] for a in activity["attendees"]] == ["Maria Lopez", "Ken"]
    activity = first("Can we meet at the Marriott lobby on Friday at 9?", TUE)
    assert activity["location"] == "the Marriott lobby"
    activity = first("Could we meet in Room 4B on Friday at 2pm?", TUE)
    assert activity["location"] == "Room 4B"


@pytest.mark.parametrize(
    "text, due, owner",
    [
        ("Please send me the report by Thursday.", "2024-03-07", "reader"),
        ("Could you sign the NDA before the end of the week?", "2024-03-08", "reader"),
        ("I'll send the revised proposal by tomorrow at 9am.", "2024-03-06T09:00:00-05:00", "sender"),
        ("We'll get back to you by the end of the month.", "2024-03-31", "sender"),
        ("Please confirm by EOD Friday.", "2024-03-08T17:00:00-05:00", "reader"),
        ("Can you review the contract within two weeks?", "2024-03-19", "reader"),
        ("Please send the updated forecast by end of Q2.", "2024-06-30", "reader"),
        ("I'll send it over in three days.", "2024-03-08", "sender"),
        ("Please return the form by the 15th.", "2024-03-15", "reader"),
        ("I will share the deck by COB.", "2024-03-05T17:00:00-05:00", "sender"),
        ("Kindly pay the invoice no later than March 29.", "2024-03-29", "reader"),
        ("Could you send me the agenda before Thursday's meeting?", "2024-03-07", "reader"),
    ],
)
def test_tasks(text, due, owner):
    activity = first(text, TUE)
    assert activity["type"] == "task"
    assert (activity["due"], activity["owner"], activity["start"]) == (due, owner, None)
    assert activity["description"] == text


def test_asap_task_has_no_due_date():
    activity = first("Please return the signed form ASAP.", TUE)
    assert (activity["type"], activity["due"], activity["owner"]) == ("task", None, "reader")


@pytest.mark.parametrize(
    "text, start, phone",
    [
        ("Please call me at +1 (212) 555-0100 tomorrow at 2pm.", "2024-03-06T14:00:00-05:00", "+12125550100"),
        ("Can you give me a call on Friday?", "2024-03-08", None),
        ("I'll ring you on Monday morning.", "2024-03-11T09:00:00-05:00", None),
        ("Could we have a phone call on Thursday between 3 and 4pm?", "2024-03-07T15:00:00-05:00", None),
    ],
)
def test_calls(text, start, phone):
    activity = first(text, TUE)
    assert activity["type"] == "call"
    assert activity["start"] == start
    assert activity["phone"] == phone


def test_call_number_falls_back_to_the_signature():
    signature = {
        "fields": {
            "phones": [
                {"type": "fax", "number": "+12125550199", "raw": "fax"},
                {"type": "mobile", "number": "+12125550111", "raw": "m"},
            ]
        }
    }
    activity = first("Call me back when you can.", TUE, signature=signature)
    assert (activity["type"], activity["start"], activity["phone"], activity["phone_source"]) == (
        "call",
        None,
        "+12125550111",
        "signature",
    )


def test_a_video_call_is_a_meeting():
    assert first("Let's do a Teams call on Thursday at 3pm.", TUE)["type"] == "meeting"
    assert first("Let's do a quick call on Thursday at 3pm.", TUE)["type"] == "call"


@pytest.mark.parametrize(
    "text",
    [
        "We met yesterday to discuss pricing.",
        "Thanks for the call on Monday.",
        "The meeting last week was productive.",
        "Our office is closed on Friday.",
        "Your invoice dated March 1 is attached.",
        "The conference was held on March 2.",
        "I called you this morning.",
        "Meeting notes from Monday are attached.",
        "I can't make it to the meeting on Thursday.",
        "Happy Friday!",
        "We have been partners since 2019.",
        "Please let us know if you have any questions.",
        "Please send me the contract.",
        "We'll be in touch.",
        "The weekly sync happens every Monday at 10.",
        "Our support line is open 24/7.",
        "The webinar recording from Thursday is on our site.",
        "Prices are valid until March 31.",
        "I'll be out of the office from March 11 to March 15.",
        "Version 2 will be released in Q3.",
    ],
)
def test_not_proposals(text):
    assert activities(text, TUE) == []


def test_one_activity_per_sentence_in_order_with_spans():
    text = "Thanks for your note. Can we meet on Thursday at 11? Please send the deck by Wednesday."
    found = activities(text, TUE)
    assert [a["type"] for a in found] == ["meeting", "task"]
    for activity in found:
        start, end = activity["span"]
        assert text[start:end] == activity["evidence"]


def test_the_same_proposal_twice_is_listed_once():
    found = activities("Can we meet on Thursday at 11? So, Thursday at 11am for the meeting?", TUE)
    assert len(found) == 1


@pytest.mark.parametrize(
    "language, text, kind, start",
    [
        ("fr", "Pouvons-nous nous réunir demain à 15h ?", "meeting", "2024-03-06T15:00:00+01:00"),
        ("fr", "Pouvez-vous m'appeler jeudi à 10h30 ?", "call", "2024-03-07T10:30:00+01:00"),
        ("nl", "Kunnen we donderdag om 14:00 afspreken?", "meeting", "2024-03-07T14:00:00+01:00"),
        # dateparser reads "alle 14" as the 14th: the weekday is kept, the doubtful time is not
        ("it", "Possiamo vederci venerdì alle 14?", "meeting", "2024-03-08"),
        ("es", "¿Podemos reunirnos el martes a las 3 de la tarde?", "meeting", "2024-03-12"),
    ],
)
def test_other_languages_fall_back_to_checked_dateparser_with_low_confidence(language, text, kind, start):
    activity = first(text, "Tue, 05 Mar 2024 10:12:00 +0100", language)
    assert (activity["type"], activity["start"]) == (kind, start)
    assert activity["confidence"] <= 0.5


def test_other_languages_past_and_small_talk_are_not_proposals():
    assert activities("Merci pour la réunion d'hier.", "Tue, 05 Mar 2024 10:12:00 +0100", "fr") == []
    assert activities("Bonjour, comment allez-vous ?", "Tue, 05 Mar 2024 10:12:00 +0100", "fr") == []


@pytest.mark.parametrize(
    "text",
    [
        'Then, one man, let\'s call him "Wilt", tried again on Monday.',
        "They call me Mr. Fix-it.",
        "You can once again reach me at my normal address on Monday.",
        "Visit: https://www.example.com today for more info.",
        "I checked for availability from March 26 to 29.",
        "Kudos to the product manager for calling me up on Friday.",
        "I don't want to call a destructor on my objects tomorrow.",
    ],
)
def test_call_and_visit_words_that_propose_nothing(text):
    assert activities(text, TUE) == []


@pytest.mark.parametrize(
    "text, kind, start",
    [
        ("Send it to me in an hour please.", "task", "2024-03-05T11:12:00-05:00"),
        ("Would 10am on the 20th work?", "meeting", "2024-03-20T10:00:00-05:00"),
        ("Looking forward to seeing you next Monday!", "meeting", "2024-03-11"),
        ("Are you free at any point between Tuesday and Thursday next week?", "meeting", "2024-03-12"),
        ("Let's touch base on Monday.", "meeting", "2024-03-11"),
        ("Can I call you on Tuesday around 11?", "call", "2024-03-12T11:00:00-05:00"),
    ],
)
def test_scheduling_without_naming_the_meeting(text, kind, start):
    activity = first(text, TUE)
    assert activity["type"] == kind
    assert (activity["start"] or activity["due"]) == start


@pytest.mark.parametrize(
    "text",
    [
        "Call me old fashioned, but I still print my email on Monday.",
        "Barely, but don't call me Shirley.",
        "Church of England bishops are meeting next week to discuss their response.",
        "Levchin is a panelist at the Web Services conference on March 20.",
        "After the talk, I spent Saturday at the writers' workshop.",
    ],
)
def test_idioms_and_news_are_not_proposals(text):
    assert activities(text, TUE) == []
