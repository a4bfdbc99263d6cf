"""After the signature stage the zones agree with the block it found (examples written by the project)."""

from __future__ import annotations

from nlp.pipeline import MessageInput, Pipeline
from nlp.signature.agree import agree_zones
from nlp.signature.block import Block
from nlp.signature.component import make_signature
from tests.nlp.signature.block_zones import zones_for
from tests.nlp.signature.helpers import make_doc

REPLY = ("Please send the signed order by Friday.\n\nBest regards,\nRuth Alvarez\nHarbor Point Logistics LLC\n"
         "(617) 555-0190\n\nFrom: Dana Whitfield\nSent: Monday, March 3, 2025 10:00 AM\nSubject: Order\n\n"
         "Can we get the order form?\n\nDana Whitfield\nKestrel Foods\n(312) 555-0101")

PLAN = "The plan is below.\n\nWe start the pilot in April with two sites.\nThe rest follow in June once the audit is done."


def block(lines: list[int], closing_name: int | None = None) -> Block:
    return Block(lines=lines, closing_name=closing_name, source="zone", confidence=0.9)


def test_the_blocks_lines_are_signature_and_the_zonings_others_are_the_authors() -> None:
    lines = REPLY.split("\n")
    zones = zones_for(REPLY, L2="closing", L3_4="signature", L7_9="quote_header", L10_15="quoted")
    # the block takes the phone line the zoning left as new text; the name under the sign-off is the closing's
    fixed = agree_zones(lines, zones, block([4, 5], closing_name=3))
    assert fixed[2:6] == ["closing", "closing", "signature", "signature"]
    assert fixed[0] == "new_text" and fixed[7:10] == ["quote_header"] * 3


def test_a_signature_line_the_block_rejects_is_the_authors_text() -> None:
    body = PLAN
    lines = body.split("\n")
    zones = zones_for(body, L2_3="signature")
    assert agree_zones(lines, zones, None) == ["new_text"] * 4


def test_what_follows_a_delimiter_stays_signature_without_contact_data() -> None:
    body = "This works for me.\n\n-- \nrick"
    lines = body.split("\n")
    zones = zones_for(body, L2_3="signature")
    assert agree_zones(lines, zones, None) == zones


def test_a_quoted_persons_signature_is_part_of_the_quote() -> None:
    lines = REPLY.split("\n")
    zones = zones_for(REPLY, L2_3="closing", L4_5="signature", L7_9="quote_header", L10_12="quoted",
                      L13_15="signature")
    fixed = agree_zones(lines, zones, block([4, 5], closing_name=3))
    assert fixed[13:] == ["quoted"] * 3 and fixed[4:6] == ["signature"] * 2


def test_the_authors_signature_under_a_marked_quote_stays() -> None:
    body = "On Monday, Dana wrote:\n> Can we get the order form?\n\nAttached.\n\n-- \nRuth Alvarez\n(617) 555-0190"
    lines = body.split("\n")
    zones = zones_for(body, L0="quote_header", L1="quoted", L5_7="signature")
    assert agree_zones(lines, zones, None)[5:] == ["signature"] * 3


def test_the_stage_rewrites_zones_new_text_and_their_json() -> None:
    body = PLAN
    doc = make_doc(body, zones_for(body, L2_3="signature"))
    doc["new_text"] = "The plan is below."
    make_signature()([doc])
    assert doc.out["signature"] is None
    assert doc["zones"] == ["new_text"] * 4
    assert doc["new_text"] == doc.out["new_text"] == body
    assert [(r["start_line"], r["end_line"], r["zone"]) for r in doc.out["zones"]] == [(0, 3, "new_text")]
    untouched = make_doc(body, zones_for(body, L2_3="signature"))
    make_signature(agree=False)([untouched])
    assert untouched["zones"][2:] == ["signature", "signature"]


def test_analyze_returns_zones_that_agree_with_its_signature() -> None:
    pipeline = Pipeline.from_config(disable=["sentences", "activities", "embed", "intent", "insights", "sentiment",
                                             "emotion", "summary"])
    doc = pipeline(MessageInput(id="1", text=REPLY))
    sig_lines = {i for i in doc.out["signature"]["lines"] if REPLY.split("\n")[i].strip()}
    zoned = {i for run in doc.out["zones"] if run["zone"] == "signature"
             for i in range(run["start_line"], run["end_line"] + 1) if REPLY.split("\n")[i].strip()}
    closing = {i for run in doc.out["zones"] if run["zone"] == "closing"
               for i in range(run["start_line"], run["end_line"] + 1)}
    # every line of the block is zoned signature, but the name under the sign-off, which is the closing's
    assert sig_lines and zoned <= sig_lines and sig_lines - zoned <= closing
    assert "Kestrel Foods" not in doc.out["new_text"] and "(617) 555-0190" not in doc.out["new_text"]


def test_only_a_delimiter_that_opens_the_run_keeps_it_signature() -> None:
    lines = ["Thanks for the update.", "", "Jane", "-----", "Sent via the portal"]
    zones = ["new_text", "new_text", "signature", "signature", "signature"]
    assert agree_zones(lines, zones, None)[2:] == ["new_text"] * 3
    lines = ["ありがとうございます。", "", "━━━━━━━━", "山田 太郎"]
    zones = ["new_text", "new_text", "signature", "signature"]
    assert agree_zones(lines, zones, None) == zones
    lines = ["Sounds good, thanks.", "", "—", "rick"]  # the dash a phone makes of "--"
    assert agree_zones(lines, zones, None) == zones


def test_a_block_line_the_zoning_called_quoted_is_signature() -> None:
    lines = REPLY.split("\n")
    zones = zones_for(REPLY, L2_3="closing", L4_5="quoted", L7_9="quote_header", L10_15="quoted")
    assert agree_zones(lines, zones, block([4, 5], closing_name=3))[4:6] == ["signature"] * 2


def test_a_short_run_under_the_sign_off_stays_signature_without_contact_data() -> None:
    body = "I still have the same problem.\n\nRegards,\n\nJohn Doe\nCEO @ Acme !"
    lines = body.split("\n")
    zones = zones_for(body, L2_4="closing", L5="signature")
    assert agree_zones(lines, zones, None) == zones
    # body text the zoning took for a signature, with no sign-off above it, is the author's
    zones = zones_for(body, L5="signature")
    assert agree_zones(lines, zones, None)[5] == "new_text"


def test_the_name_under_the_sign_off_stays_in_the_closing_when_the_block_holds_it() -> None:
    body = "Please send the form.\n\nBest regards,\nJane Roe\nAcme Corp\n+1 415 555 0134"
    lines = body.split("\n")
    zones = zones_for(body, L2_3="closing", L4_5="signature")
    fixed = agree_zones(lines, zones, block([3, 4, 5]))
    assert fixed[2:4] == ["closing", "closing"] and fixed[4:] == ["signature", "signature"]


def test_a_name_right_under_the_sign_off_goes_back_to_the_closing() -> None:
    body = "Please send the form.\n\nBest regards,\nJane Roe\nAcme Corp\n+1 415 555 0134"
    lines = body.split("\n")
    zones = zones_for(body, L2="closing", L3_5="signature")
    assert agree_zones(lines, zones, block([3, 4, 5]))[2:] == ["closing", "closing", "signature", "signature"]
    # a rule under the sign-off is the signature's, not a name
    lines[3] = "___________________"
    assert agree_zones(lines, zones, block([3, 4, 5]))[3] == "signature"
