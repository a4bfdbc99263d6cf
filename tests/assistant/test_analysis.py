"""The pipeline frame and the analysis of stored mail in the job layer."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.analysis import analyze_emails, pipeline_version
from crm.mail.service import MailStore
from crm.mail.tables import EmailAnalysis
from nlp.pipeline import MessageInput, Pipeline

CONFIG = """
[pipeline]
version = "t1"
modules = ["tests.assistant.pipeline_for_tests"]
components = ["subject", "shout", "length"]
[components.subject]
factory = "tests.subject"
prefix = "> "
[components.shout]
factory = "tests.shout"
[components.length]
factory = "tests.length"
"""


@pytest.fixture
def pipeline(tmp_path: Path) -> Pipeline:
    path = tmp_path / "pipeline.toml"
    path.write_text(CONFIG)
    return Pipeline.from_config(path)


def msg(subject: str) -> bytes:
    return f"From: a@x.test\nSubject: {subject}\nMessage-ID: <{subject.replace(' ', '')}@x>\n\nhi\n".encode()


def test_components_run_in_config_order_with_options(pipeline):
    doc = pipeline(MessageInput(id="1", raw=msg("hello")))
    assert doc.result() == {"id": "1", "subject": "> hello", "shout": "> HELLO", "length": len(msg("hello"))}


def test_a_failing_stage_marks_only_the_broken_message(pipeline):
    docs = list(pipeline.pipe([MessageInput(id=str(i), raw=msg(s)) for i, s in
                               enumerate(["ok one", "explode now", "ok two"])], batch_size=8))
    assert [d.out.get("shout") for d in docs] == ["> OK ONE", None, "> OK TWO"]
    assert docs[1].errors == [{"stage": "shout", "code": "stage_failed", "message": "ValueError: cannot shout this"}]
    assert all("length" in d.out for d in docs)  # later stages still ran


def test_components_can_be_switched_off_and_order_is_checked(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(CONFIG)
    assert Pipeline.from_config(path, disable=["shout"]).names == ["subject", "length"]
    with pytest.raises(ValueError, match="reads"):
        Pipeline.from_config(path, disable=["subject"])  # shout reads what subject assigns
    with pytest.raises(ValueError, match="unknown components"):
        Pipeline.from_config(path, disable=["nope"])


STAGED = """
[pipeline]
version = "t2"
modules = ["tests.assistant.pipeline_for_tests"]
components = ["subject", "background", "after"]
[components.subject]
factory = "tests.subject"
[components.background]
factory = "tests.background"
[components.after]
factory = "tests.after"
"""


def test_a_background_stage_overlaps_batches_with_the_same_results(tmp_path):
    from tests.assistant import pipeline_for_tests

    path = tmp_path / "staged.toml"
    path.write_text(STAGED)
    staged = Pipeline.from_config(path)
    inputs = [MessageInput(id=str(i), raw=msg(s)) for i, s in
              enumerate(["one", "two words", "explode here now", "four of them here", "five"])]
    pipeline_for_tests.EVENTS.clear()
    overlapped = [d.result() for d in staged.pipe(inputs, batch_size=2)]
    events = list(pipeline_for_tests.EVENTS)
    pipeline_for_tests.EVENTS.clear()
    sequential = [d.result() for d in staged.pipe(inputs, batch_size=2, overlap=False)]

    assert overlapped == sequential
    assert [r["id"] for r in overlapped] == ["0", "1", "2", "3", "4"]
    assert [r.get("after") for r in overlapped] == [10, 20, None, 40, 10]
    # the failing document alone is marked, its batch mate still finished (one by one) and went on
    assert overlapped[2]["errors"] == [{"stage": "background", "code": "stage_failed",
                                        "message": "ValueError: cannot count this"}]
    assert overlapped[3]["words"] == 4
    # the next batch was started before the previous one was finished
    assert events.index("begin 2,3") < events.index("after 0,1")
    assert events.index("begin 4") < events.index("after 3")


def test_stored_mail_is_analysed_once_per_pipeline_version(runtime, pipeline, admin):
    with runtime.unit() as session:
        ids = [MailStore(session).store(msg(s), owner_id=admin.id, source="test").email.id
               for s in ("first", "explode this")]
    with runtime.unit() as session:
        assert analyze_emails(session, pipeline, ids) == 2
    with runtime.unit() as session:
        assert analyze_emails(session, pipeline, ids) == 0  # same version: nothing to do
        rows = {r.email_id: r for r in session.query(EmailAnalysis)}
        assert rows[ids[0]].state == "done" and rows[ids[0]].result["shout"] == "> FIRST"
        assert rows[ids[1]].state == "partial" and rows[ids[1]].result["errors"][0]["stage"] == "shout"
        assert rows[ids[0]].pipeline_version == pipeline_version(pipeline) == "t1:subject+shout+length"
    with runtime.unit() as session:
        from crm.mail.repository import EmailRepository

        states = {e.id: e.analysis_state for e in EmailRepository(session).by_ids(ids)}
    assert states == {ids[0]: "done", ids[1]: "failed"}
