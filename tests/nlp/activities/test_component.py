"""The "activities" pipeline component: what it reads, what it writes, and its place in the pipeline."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from nlp.pipeline import FACTORIES, Doc, MessageInput, Pipeline
from nlp.sentences import split_sentences
from tests.nlp.activities.helpers import make_doc, run

DATE = "Tue, 05 Mar 2024 10:12:00 -0500"


def test_declares_that_it_reads_sentences_and_assigns_activities():
    factory = FACTORIES["activities"]
    assert (factory.reads, factory.assigns) == (("sentences",), ("activities",))


def test_reads_only_the_sentences_never_the_quoted_text():
    body = (
        "Sounds good. Please send the signed contract by Friday.\n\n"
        "On Mon, 4 Mar 2024, Alex wrote:\n> Can we meet tomorrow at 9am?\n> Call me on Thursday."
    )
    new_text = body.split("\n\nOn Mon")[0]
    doc = Doc(MessageInput(id="q", text=body))
    doc["body"], doc["new_text"] = body, new_text  # what the earlier stages would also have set
    doc["sentences"] = split_sentences(new_text)
    doc["reference_date"] = datetime(2024, 3, 5, 10, 12, tzinfo=timezone.utc)
    run(doc)
    assert [(a["type"], a["due"]) for a in doc.out["activities"]] == [("task", "2024-03-08")]


def test_works_on_a_document_that_holds_nothing_but_sentences():
    doc = Doc(MessageInput(id="bare"))
    doc["sentences"] = split_sentences("Can we meet tomorrow at 10am?")
    run(doc)
    [activity] = doc.out["activities"]
    assert activity["type"] == "meeting" and activity["timezone"] == "+00:00"
    assert doc["activities"] is doc.out["activities"]


def test_every_document_of_a_batch_gets_its_own_result():
    docs = [
        make_doc("Can we meet tomorrow at 10am?", DATE),
        make_doc("Thank you for your email.", DATE),
        make_doc("明日の15時にお打ち合わせできますか。", "Tue, 05 Mar 2024 10:12:00 +0900", "ja"),
    ]
    run(*docs)
    assert [[a["start"] for a in d.out["activities"]] for d in docs] == [
        ["2024-03-06T10:00:00-05:00"],
        [],
        ["2024-03-06T15:00:00+09:00"],
    ]


def test_options_cap_sentences_and_confidence():
    doc = make_doc("Can we meet tomorrow at 10am? Let's meet next Thursday.", DATE)
    run(doc, max_sentences=1)
    assert len(doc.out["activities"]) == 1
    doc = make_doc("Can we meet tomorrow at 10am? Let's meet next Thursday.", DATE)
    run(doc, min_confidence=0.75)  # the ambiguous "next Thursday" is dropped
    assert [a["start"] for a in doc.out["activities"]] == ["2024-03-06T10:00:00-05:00"]


def test_every_activity_has_the_documented_keys():
    doc = make_doc("Can we meet tomorrow at 10am? Please send the deck by Friday. Call me on Monday.", DATE)
    run(doc)
    for activity in doc.out["activities"]:
        assert {
            "type",
            "start",
            "end",
            "due",
            "timezone",
            "alternatives",
            "confidence",
            "evidence",
            "source",
            "ambiguous",
            "title",
        } <= set(activity)
        assert 0 <= activity["confidence"] <= 1
    assert [a["type"] for a in doc.out["activities"]] == ["meeting", "task", "call"]


def test_pipeline_order_is_checked(tmp_path: Path):
    config = tmp_path / "pipeline.toml"
    config.write_text(
        '[pipeline]\nmodules = ["nlp.activities.component", "nlp.sentences.component"]\n'
        'components = ["activities", "sentences"]\n'
    )
    with pytest.raises(ValueError, match="reads"):
        Pipeline.from_config(config)


def test_end_to_end_from_raw_mail(tmp_path: Path):
    """parse → zone → language → sentences → activities: the quote and the signature do not count."""
    config = tmp_path / "pipeline.toml"
    config.write_text(
        '[pipeline]\nmodules = ["nlp.parsing.component", "nlp.zoning.component", "nlp.language.component", '
        '"nlp.sentences.component", "nlp.activities.component"]\n'
        'components = ["parse", "zone", "language", "sentences", "activities"]\n'
    )
    raw = (
        b"From: Sarah Lee <sarah@example.com>\r\nTo: Alex <alex@example.org>\r\nSubject: Re: Rollout plan\r\n"
        b"Date: Tue, 05 Mar 2024 10:12:00 -0500\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Hi Alex,\r\n\r\nCould we meet next Tuesday at 3pm EST to go through the rollout plan?\r\n\r\n"
        b"Best regards,\r\nSarah\r\n\r\nOn Mon, 4 Mar 2024 at 09:00, Alex <alex@example.org> wrote:\r\n"
        b"> Can we meet tomorrow at 9am?\r\n"
    )
    doc = Pipeline.from_config(config)(MessageInput(id="m", raw=raw))
    [activity] = doc.out["activities"]
    assert (activity["type"], activity["start"], activity["timezone"]) == (
        "meeting",
        "2024-03-12T15:00:00-04:00",
        "America/New_York",
    )
    assert activity["title"] == "Meeting: Rollout plan"
    assert {"sarah@example.com", "alex@example.org"} <= {a["address"] for a in activity["attendees"]}


def test_auto_replies_propose_nothing_and_bulk_mail_less_surely():
    doc = make_doc("I'll be back on Monday. Please call me on Tuesday at 10am.", DATE)
    doc.out["auto"] = {"kind": "auto_reply", "reasons": ["Auto-Submitted: auto-replied"]}
    run(doc)
    assert doc.out["activities"] == []
    doc = make_doc("Join our webinar on Thursday at 11am ET.", DATE)
    doc.out["auto"] = {"kind": "bulk", "reasons": ["Precedence: bulk"]}
    run(doc)
    [activity] = doc.out["activities"]
    assert activity["type"] == "meeting" and activity["confidence"] <= 0.5
