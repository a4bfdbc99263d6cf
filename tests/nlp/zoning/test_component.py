"""The "zone" component's contract with the pipeline frame."""

from __future__ import annotations

import pytest

from nlp.pipeline import FACTORIES, Doc, MessageInput
from nlp.zoning.labels import ZONES
from tests.nlp.zoning.conftest import zone_doc

BODY = ("Hi Bob,\n\nThanks, the plan works for us.\n\nBest regards,\nJef\n\n"
        "On Tue, Mar 1, 2011 at 6:02 PM, Bob <bob@example.com> wrote:\n> Does the plan work?\n> Bob\n")


def test_registered_with_reads_and_assigns() -> None:
    import nlp.zoning.component  # noqa: F401

    factory = FACTORIES["zone"]
    assert factory.reads == ("body",)
    assert factory.assigns == ("zones", "new_text")


@pytest.mark.parametrize("body", [BODY, "", "\n", "one line", "a\n\n\n", "> only\n> quoted\n", "\r\n".join(["x"] * 5)])
def test_zones_cover_every_line(zone_component, body: str) -> None:
    doc = zone_doc(zone_component, body)
    n = len(body.split("\n"))
    assert len(doc["zones"]) == n and len(doc["line_confidence"]) == n
    assert all(z in ZONES for z in doc["zones"])
    assert all(0.0 <= c <= 1.0 for c in doc["line_confidence"])
    runs = doc.out["zones"]
    assert runs[0]["start_line"] == 0 and runs[-1]["end_line"] == n - 1
    for a, b in zip(runs, runs[1:]):
        assert b["start_line"] == a["end_line"] + 1
        assert a["zone"] != b["zone"]  # equal neighbours are merged
    for run in runs:
        assert set(run) == {"start_line", "end_line", "zone", "confidence"}
        zones = doc["zones"][run["start_line"]:run["end_line"] + 1]
        assert set(zones) == {run["zone"]}
        confs = doc["line_confidence"][run["start_line"]:run["end_line"] + 1]
        assert run["confidence"] == pytest.approx(sum(confs) / len(confs), abs=1e-3)


def test_new_text_output(zone_component) -> None:
    doc = zone_doc(zone_component, BODY)
    assert doc["new_text"] == doc.out["new_text"] == "Hi Bob,\n\nThanks, the plan works for us.\n\nBest regards,\nJef"
    assert not doc.out["new_text"].startswith("\n") and not doc.out["new_text"].endswith("\n")


def test_a_batch_gives_the_same_result_as_one_by_one(zone_component) -> None:
    bodies = [BODY, "Thanks!\n\nSent from my iPhone\n", "> a\n\nb", ""]
    one = [zone_doc(zone_component, b).out for b in bodies]
    docs = []
    for b in bodies:
        d = Doc(MessageInput(text=b))
        d["body"] = b
        docs.append(d)
    zone_component(docs)
    assert [d.out for d in docs] == one


def test_runs_in_the_configured_pipeline_after_parse() -> None:
    pytest.importorskip("nlp.parsing.component")
    from nlp.pipeline import Pipeline

    pipe = Pipeline.from_config()
    doc = pipe(MessageInput(text=BODY))
    assert not doc.errors, doc.errors
    assert doc.out["new_text"].startswith("Hi Bob,")
    assert doc.out["zones"][-1]["zone"] == "quoted"
