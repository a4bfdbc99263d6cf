"""The garbage collector's thresholds during bulk work (models.memory.bulk)."""

from __future__ import annotations

import gc
import threading

import pytest

from models import memory


@pytest.fixture(autouse=True)
def default_thresholds():
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*saved)


def test_a_bulk_block_collects_rarely_and_puts_the_thresholds_back():
    with memory.bulk():
        young, middle, full = gc.get_threshold()
        assert young == memory.BULK_THRESHOLD and middle >= 100 and full >= 100
        # a batch's worth of containers alive at once (rows, envelopes) runs no middle or full collection
        counts: list[int] = []
        record = lambda phase, info: counts.append(info["generation"]) if phase == "start" else None  # noqa: E731
        gc.callbacks.append(record)
        try:
            batch = [{} for _ in range(200_000)]
        finally:
            gc.callbacks.remove(record)
        assert len(batch) == 200_000 and counts and set(counts) == {0}
    assert gc.get_threshold() == (700, 10, 10)


def test_overlapping_blocks_restore_the_thresholds_only_when_the_last_one_ends():
    inside, leave = threading.Event(), threading.Event()

    def other():
        with memory.bulk():
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(10)
    with memory.bulk():
        pass
    assert gc.get_threshold()[0] == memory.BULK_THRESHOLD  # the other block still runs
    leave.set()
    thread.join(10)
    assert gc.get_threshold() == (700, 10, 10)


def test_an_error_in_the_block_still_puts_the_thresholds_back():
    with pytest.raises(RuntimeError), memory.bulk():
        raise RuntimeError("the server went away")
    assert gc.get_threshold() == (700, 10, 10)


def test_higher_thresholds_set_by_the_process_are_kept():
    gc.set_threshold(50_000, 20, 500)
    with memory.bulk():
        assert gc.get_threshold() == (50_000, 100, 500)
    assert gc.get_threshold() == (50_000, 20, 500)


def test_the_pipeline_collects_rarely_while_it_pipes_and_puts_the_thresholds_back():
    from nlp.pipeline import MessageInput, Pipeline

    pipeline = Pipeline.from_config(disable=["embed", "intent", "insights", "sentiment", "emotion", "summary",
                                             "signature", "activities"])
    inputs = [MessageInput(id=str(i), text=f"Hello,\n\nCan we meet on day {i}?\n\nAnna") for i in range(3)]
    during = [(doc.id, gc.get_threshold()[0]) for doc in pipeline.pipe(inputs, batch_size=2)]
    assert during == [(str(i), memory.BULK_THRESHOLD) for i in range(3)]
    assert gc.get_threshold() == (700, 10, 10)
    stopped = pipeline.pipe(inputs, batch_size=1)
    next(stopped)
    stopped.close()  # a consumer that stops early
    assert gc.get_threshold() == (700, 10, 10)
