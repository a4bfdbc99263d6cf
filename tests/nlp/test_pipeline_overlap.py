"""The background stage (the encoder) overlaps the other stages across batches, and changes nothing else."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from nlp.pipeline import MessageInput, Pipeline, component
from tests.nlp.conftest import make_mail

EVENTS: list[tuple[str, str, str, float, float]] = []  # (stage, first doc id, thread, start, end)
_LOCK = threading.Lock()


def _record(stage: str, docs, work) -> None:
    start = time.perf_counter()
    work()
    with _LOCK:
        EVENTS.append((stage, docs[0].id, threading.current_thread().name, start, time.perf_counter()))


@component("tests.overlap.before", reads=("input",), assigns=("n",))
def make_before():
    def run(docs):
        def work():
            for doc in docs:
                doc["n"] = int(doc.id)
        _record("before", docs, work)
    return run


@component("tests.overlap.middle", reads=("n",), assigns=("square",), background=True)
def make_middle():
    def run(docs):
        def work():
            time.sleep(0.15)  # native work that releases the GIL, as the encoder's
            for doc in docs:
                if doc["n"] == 13:
                    raise ValueError("unlucky")
                doc["square"] = doc["n"] ** 2
        _record("middle", docs, work)
    return run


@component("tests.overlap.after", reads=("square",), assigns=("out",))
def make_after():
    def run(docs):
        def work():
            for doc in docs:
                doc.out["square"] = doc["square"]
        _record("after", docs, work)
    return run


@pytest.fixture()
def tiny(tmp_path: Path) -> Pipeline:
    config = tmp_path / "pipeline.toml"
    config.write_text('[pipeline]\nversion = "t"\nmodules = ["tests.nlp.test_pipeline_overlap"]\n'
                      'components = ["before", "middle", "after"]\n'
                      '[components.before]\nfactory = "tests.overlap.before"\n'
                      '[components.middle]\nfactory = "tests.overlap.middle"\n'
                      '[components.after]\nfactory = "tests.overlap.after"\n')
    EVENTS.clear()
    return Pipeline.from_config(config)


def _inputs(n: int) -> list[MessageInput]:
    return [MessageInput(id=str(i), text="x") for i in range(n)]


def test_the_background_stage_runs_beside_the_others_in_input_order(tiny: Pipeline) -> None:
    docs = list(tiny.pipe(_inputs(12), batch_size=3))
    assert [d.id for d in docs] == [str(i) for i in range(12)]
    assert [d.out["square"] for d in docs] == [i * i for i in range(12)]
    main = threading.current_thread().name
    threads = {stage: {t for s, _, t, _, _ in EVENTS if s == stage} for stage in ("before", "middle", "after")}
    assert threads["before"] == threads["after"] == {main}
    assert threads["middle"] and main not in threads["middle"]
    spans = {(s, first): (a, b) for s, first, _, a, b in EVENTS}
    # batch k is prepared while the worker still encodes batch k-1
    for k, first in enumerate(["3", "6", "9"]):
        previous = str(3 * k)
        assert spans[("before", first)][0] < spans[("middle", previous)][1]


def test_overlap_gives_what_one_batch_after_the_other_gives(tiny: Pipeline) -> None:
    together = [d.result() for d in tiny.pipe(_inputs(16), batch_size=4)]
    apart = [d.result() for d in tiny.pipe(_inputs(16), batch_size=4, overlap=False)]
    assert together == apart
    failed = together[13]  # a document the background stage fails on is marked, the others are not lost
    assert failed["errors"][0]["stage"] == "middle" and "square" not in failed
    assert all("errors" not in r for i, r in enumerate(together) if i != 13)


def test_the_default_pipeline_gives_the_same_analysis_with_and_without_overlap(pipeline: Pipeline) -> None:
    texts = ["Could you send me the signed contract by Friday? Thanks, Dana",
             "We are really disappointed with the delay on the last three shipments.",
             "Hi Alex,\n\nCan we move our call to Tuesday 3pm?\n\nBest,\nDana\n\n"
             "On Mon, 23 Nov 2026 at 09:00, Alex Morgan <alex@example.com> wrote:\n> Does Monday work?",
             "Thanks for the demo yesterday, the team loved the pipeline view.",
             "Please find the invoice attached. Payment is due within 30 days."]
    mails = [make_mail(t, subject=f"mail {i}") for i, t in enumerate(texts)]
    together = [json.dumps(d.result(), sort_keys=True, default=str) for d in pipeline.pipe(mails, batch_size=2)]
    apart = [json.dumps(d.result(), sort_keys=True, default=str)
             for d in pipeline.pipe(mails, batch_size=2, overlap=False)]
    assert together == apart
    assert [json.loads(r)["id"] for r in together] == [f"mail {i}" for i in range(5)]
