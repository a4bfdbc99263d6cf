"""Settling: one full collection after a model loads, then what survived is frozen."""

from __future__ import annotations

import gc
import weakref

import pytest

from models import memory


class _Node:
    def __init__(self):
        self.me = self  # a reference cycle: only the collector frees it


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    memory.settle()  # clear any pending load of an earlier test
    yield
    gc.unfreeze()


def test_settle_collects_garbage_then_freezes_the_survivors(unfrozen):
    garbage, kept = _Node(), _Node()
    gone = weakref.ref(garbage)
    del garbage
    memory.loaded()
    assert memory.settle() is True
    assert gone() is None  # the cycle was collected first, not frozen
    assert gc.get_freeze_count() > 0
    assert kept not in gc.get_objects()  # frozen: out of every generation the collector walks


def test_settle_does_nothing_until_something_is_loaded_again(unfrozen):
    assert memory.settle() is False
    frozen = gc.get_freeze_count()
    _Node()
    assert memory.settle() is False
    assert gc.get_freeze_count() == frozen
    memory.loaded()
    assert memory.settle() is True


def test_what_is_loaded_once_per_process_settles_once(unfrozen):
    memory.loaded(once="test-memory-once")
    assert memory.settle() is True
    memory.loaded(once="test-memory-once")  # e.g. a second pipeline: its modules were loaded already
    assert memory.settle() is False


def test_the_pipeline_settles_after_a_batch(unfrozen):
    from nlp.pipeline import MessageInput, Pipeline

    pipeline = Pipeline.from_config(disable=["embed", "intent", "insights", "sentiment", "emotion", "summary",
                                             "signature", "activities"])
    memory.loaded()  # as a stage loading a model on its first batch says
    docs = list(pipeline.pipe([MessageInput(id="a", text="Hello,\n\nCan we meet on Friday?\n\nAnna")]))
    assert docs[0].out["language"] == "en"
    assert gc.get_freeze_count() > 0
    assert memory.settle() is False  # settled already, after the batch
