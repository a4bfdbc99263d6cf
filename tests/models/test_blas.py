"""numpy's BLAS on one thread in a process that analyses mail (models.blas)."""

from __future__ import annotations

import sys
import types

import numpy  # noqa: F401  (loads its BLAS)
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from models import blas


def blas_threads() -> set[int]:
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


@pytest.fixture(autouse=True)
def two_threads(monkeypatch):
    """Two BLAS threads before each test, as in a process that has not analysed mail yet, and the process's
    setting put back after it (pytest runs tests on the main thread, where OpenBLAS takes a raise)."""
    monkeypatch.setattr(blas, "_modules_seen", -1)  # earlier tests may have run a pipeline
    saved = {pool["filepath"]: pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}
    threadpool_limits(limits=2, user_api="blas")
    if blas_threads() != {2}:
        pytest.skip("this BLAS cannot run two threads here")
    yield
    for path, threads in saved.items():
        threadpool_limits(limits={path: threads})


def test_the_pipeline_puts_blas_on_one_thread_for_the_rest_of_the_process():
    from nlp.pipeline import MessageInput, Pipeline

    pipeline = Pipeline.from_config(disable=["embed", "intent", "insights", "sentiment", "emotion", "summary",
                                             "signature", "activities"])
    inputs = [MessageInput(id=str(i), text=f"Hello,\n\nCan we meet on day {i}?\n\nAnna") for i in range(3)]
    during = [(doc.id, blas_threads()) for doc in pipeline.pipe(inputs, batch_size=2)]
    assert during == [(str(i), {1}) for i in range(3)]
    assert blas_threads() == {1}


def test_a_library_loaded_later_is_limited_at_the_next_call_after_an_import(monkeypatch):
    def an_import(name: str) -> None:
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))

    an_import("mailassist_test_first")
    blas.one_thread()
    assert blas_threads() == {1}
    threadpool_limits(limits=2, user_api="blas")  # as a library loaded without an import would be
    blas.one_thread()
    assert blas_threads() == {2}  # nothing imported since: the cheap check, no scan
    an_import("mailassist_test_second")
    blas.one_thread()  # an import happened: the loaded libraries are scanned again
    assert blas_threads() == {1}
