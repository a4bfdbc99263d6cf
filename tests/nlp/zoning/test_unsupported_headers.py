"""A ``quote_header`` run needs a header's cue; a blank line anchors no quote; a rule under the sign-off
opens a signature; an unmarked quote runs to the next header. Texts written by the project."""

from __future__ import annotations

from nlp.zoning.features import extract
from nlp.zoning.zoner import (Zoner, header_cues, strong_headers, unanchored_quotes, unmarked_quotes,
                              unsupported_headers)

NOTICE = [
    "Maintenance this weekend:",
    "",
    "BILLING PORTAL:",
    "Window:  Sat 3/8/2025 at 9:00 PM CT thru Sun 3/9/2025 at 1:00 AM CT",
    "Change:  Move the ledger database to the new cluster",
    "Rollback: Point the portal back at the old cluster",
    "",
    "Questions go to the service desk.",
]
OUTLOOK = [
    "Fine by me.",
    "",
    "-----Original Message-----",
    "From: Ola Berg [mailto:ola.berg@fjordline.example]",
    "Sent: Monday, March 3, 2025 10:00 AM",
    "To: Kim Ruiz",
    "Subject: Grid study",
    "",
    "Can you review the grid study before Friday?",
]


def cues_of(lines: list[str]) -> list[bool]:
    return header_cues(extract([lines]), lines)[0].tolist()


def strong_of(lines: list[str]) -> list[int]:
    batch = extract([lines])
    return strong_headers(batch, header_cues(batch, lines)[1]).tolist()


def test_key_value_lines_of_a_notice_carry_no_header_cue_and_a_real_header_does() -> None:
    assert not any(cues_of(NOTICE))
    cues = cues_of(OUTLOOK)
    assert all(cues[2:7]) and not any(cues[:2]) and not cues[8]


def test_a_header_run_without_a_cue_is_the_authors_text_and_its_quote_goes_with_it() -> None:
    zones = ["new_text", "new_text", "quote_header", "quote_header", "quote_header", "quoted", "quoted",
             "quoted"]
    fixed = unsupported_headers(NOTICE, zones, cues_of(NOTICE))
    assert fixed[2:5] == ["new_text"] * 3 and fixed[5:] == ["quoted"] * 3
    assert unanchored_quotes(NOTICE, fixed) == ["new_text"] * len(NOTICE)


def test_a_header_run_with_a_cue_keeps_its_zone_and_its_quote() -> None:
    zones = ["new_text", "new_text"] + ["quote_header"] * 6 + ["quoted"]
    assert unsupported_headers(OUTLOOK, zones, cues_of(OUTLOOK)) == zones
    assert unanchored_quotes(OUTLOOK, zones) == zones


def test_a_header_like_run_inside_a_quote_stays_in_the_quote() -> None:
    lines = OUTLOOK + ["", *NOTICE[2:6]]
    zones = ["new_text", "new_text"] + ["quote_header"] * 6 + ["quoted", "quoted"] + ["quote_header"] * 4
    fixed = unsupported_headers(lines, zones, cues_of(lines))
    assert fixed[10:] == ["quoted"] * 4 and fixed[:10] == zones[:10]


def test_a_pasted_subject_line_counts_as_a_header() -> None:
    lines = ["FW: Arrival notice for container 4471", "Hello team,", "Can I get the notice without the invoice?"]
    zones = ["quote_header", "greeting", "new_text"]
    assert unsupported_headers(lines, zones, cues_of(lines)) == zones


def test_a_blank_header_line_is_left_to_the_model_but_anchors_no_quote() -> None:
    lines = ["Thanks for the update.", "", "The rollout moves to April.", "The budget is unchanged."]
    zones = ["new_text", "quote_header", "quoted", "quoted"]
    assert unsupported_headers(lines, zones, cues_of(lines)) == zones
    assert unanchored_quotes(lines, zones) == ["new_text", "quote_header", "new_text", "new_text"]


def test_an_unanchored_run_that_opens_with_a_rule_under_the_sign_off_is_the_signature() -> None:
    lines = ["Please resend the files.", "", "Thanks,", "___________________", "Jane Roe",
             "Reference Data Services", "Direct: +1 312 555 0147"]
    zones = ["new_text", "new_text", "closing", "quoted", "quoted", "quoted", "quoted"]
    assert unanchored_quotes(lines, zones)[3:] == ["signature"] * 4
    # without the sign-off above it the same run is the author's text
    zones[2] = "new_text"
    assert unanchored_quotes(lines, zones)[3:] == ["new_text"] * 4


def test_the_zoner_keeps_a_real_outlook_quote() -> None:
    zoning = Zoner()("\n".join(OUTLOOK))
    assert zoning.zones[0] == "new_text"
    assert set(zoning.zones[2:7]) == {"quote_header"} and zoning.zones[8] == "quoted"


QUOTED_MESSAGE = [
    "Can you review the grid study before Friday? The numbers in section 3 changed",
    "after the second load-flow run, and the substation list is longer.",
    "",
    "The budget line is unchanged.",
    "",
    "Thanks,",
    "Ola",
]


def test_an_unmarked_quote_runs_to_the_next_header() -> None:
    lines = OUTLOOK[:8] + QUOTED_MESSAGE
    zones = (["new_text", "new_text"] + ["quote_header"] * 6 + ["quoted", "quoted", "quoted", "new_text", "new_text",
                                                                "closing", "closing"])
    fixed = unmarked_quotes(lines, zones, strong_of(lines))
    assert fixed[:8] == zones[:8] and set(fixed[8:]) == {"quoted"}


def test_a_header_at_the_top_heads_the_message_itself() -> None:
    lines = OUTLOOK[2:8] + QUOTED_MESSAGE
    zones = ["quote_header"] * 6 + ["new_text"] * 5 + ["closing", "closing"]
    assert unmarked_quotes(lines, zones, strong_of(lines)) == zones


def test_an_interleaved_reply_under_a_header_keeps_the_authors_lines() -> None:
    lines = OUTLOOK[:8] + ["> Can you review the grid study before Friday?", "Yes, Thursday at the latest.",
                           "> The budget line is unchanged.", "Good."]
    zones = ["new_text", "new_text"] + ["quote_header"] * 6 + ["quoted", "new_text", "quoted", "new_text"]
    assert unmarked_quotes(lines, zones, strong_of(lines)) == zones


def test_headers_with_the_verb_inside_the_line_carry_a_cue() -> None:
    lines = ["Am 03.06.2025 um 13:15 schrieb Mette Pedersen:", "Den 03.06.2025 kl. 13:15 skrev Mette Pedersen:",
             "Op 3 jun. 2025 om 13:15 heeft Jan de Vries het volgende geschreven:", "2024/06/03 10:00 山田太郎さん:",
             "Chicago officials said on Wednesday", "Capability for roll-ups (phase 2, on hold since 7/9/01):"]
    assert cues_of(lines) == [True, True, True, True, False, False]


def test_a_german_reply_keeps_its_header_and_the_quoted_signature_stays_in_the_quote() -> None:
    body = ("Danke, passt.\n\nViele Grüße\nJan\n\nAm 03.06.2025 um 13:15 schrieb Mette Pedersen:\nHallo Jan,\n"
            "kannst du mir die Unterlagen bis Freitag schicken?\n\nViele Grüße\nMette Pedersen\nVertrieb\n"
            "Tel. +49 30 1234567")
    zoning = Zoner()(body)
    assert zoning.zones[5] == "quote_header"
    assert zoning.new_text == "Danke, passt.\n\nViele Grüße\nJan"


def test_the_authors_own_date_and_subject_lines_are_no_quote_header() -> None:
    lines = ["Hi all,", "", "Reminder about the offsite.", "Date: Friday, June 6, 2025", "Subject: Offsite plan", "",
             "Please RSVP by Wednesday.", "", "Thanks,", "Dana Roe"]
    zones = ["greeting", "greeting", "new_text", "quote_header", "quote_header", "new_text", "new_text", "new_text",
             "closing", "closing"]
    assert unmarked_quotes(lines, zones, strong_of(lines)) == zones


def test_a_long_body_zones_its_unclassified_middle_and_keeps_its_quote() -> None:
    body = "\n".join(OUTLOOK + [f"Line {i} of the quoted report." for i in range(1000)])
    zoning = Zoner()(body)
    assert len(zoning.zones) == len(body.split("\n"))
    assert zoning.zones[0] == "new_text" and set(zoning.zones[2:7]) == {"quote_header"}
    assert set(zoning.zones[500:900]) == {"quoted"}


def test_raw_header_lines_leaked_into_the_body_stay_headers() -> None:
    lines = ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "", "here's a funny one"]
    zones = ["quote_header", "quote_header", "quote_header", "new_text"]
    assert unsupported_headers(lines, zones, cues_of(lines)) == zones


def test_a_heading_with_a_date_and_time_is_a_cue_but_no_strong_header() -> None:
    lines = ["Team,", "", "Notes from today's standup.", "", "Standup 2025-06-03 09:30:", "Alex: finishing the billing fix",
             "Sam: on vacation", "", "Please update your tickets before the sprint review on Thursday.", "",
             "Cheers,", "Jane"]
    zones = ["greeting", "greeting", "new_text", "new_text", "quote_header", "quoted", "quoted", "quoted", "new_text",
             "new_text", "closing", "closing"]
    assert cues_of(lines)[4] and not strong_of(lines)[4] >> 5
    assert unmarked_quotes(lines, zones, strong_of(lines))[8:] == zones[8:]


def test_a_wrote_line_left_in_the_authors_text_heads_the_quote_below_it() -> None:
    lines = ["Hi Tom,", "", "Quick update.", "On June 3, 2025 Mike wrote:", "", "We need to confirm the delivery date.",
             "Please check with finance."]
    zones = ["greeting", "greeting", "new_text", "new_text", "quote_header", "quoted", "quoted"]
    own = header_cues(extract([lines]), lines)[1].tolist()
    assert unanchored_quotes(lines, zones, own) == zones[:3] + ["quote_header", "quote_header", "quoted", "quoted"]
    # without the wrote line the blank header line anchors nothing
    assert unanchored_quotes(lines, zones)[5:] == ["new_text", "new_text"]


def test_a_line_under_the_sign_off_read_as_a_header_is_the_signature() -> None:
    lines = ["Sounds good.", "", "Best,", "Jane", "", "Jane Roe | Account Executive", "Acme Corp - We make widgets",
             "Book a meeting: calendly.com/janeroe"]
    zones = ["new_text", "new_text", "closing", "closing", "closing", "quote_header", "quoted", "quoted"]
    fixed = unanchored_quotes(lines, unsupported_headers(lines, zones, cues_of(lines)))
    assert fixed[5:] == ["signature"] * 3


def test_key_value_lines_that_only_look_like_raw_headers_are_the_authors() -> None:
    lines = ["Update on the patient in room 4:", "X-Ray: no fracture", "Received: 12 pallets", "VS: Eagles at 10:00"]
    zones = ["new_text", "quote_header", "quote_header", "quote_header"]
    assert unsupported_headers(lines, zones, cues_of(lines)) == ["new_text"] * 4
