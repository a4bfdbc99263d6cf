"""numpy's and scipy's BLAS on one thread in a process that analyses mail.

OpenBLAS starts a thread per core and, after every call, lets its helpers spin for a while before they
sleep. The pipeline's heads make many small matrix products (a batch of sentences times a few hundred
weights) on the thread that runs the pipeline, so on 2 cores a helper spun almost the whole time: 5 s of
CPU in a 20 s pass over the SpamAssassin corpus (``/proc`` thread times around ``bench/pipeline.py``),
taken from the encoder, which has the cores to itself otherwise. Products this small gain nothing from a
second thread.

The limit is process-wide and is not put back: OpenBLAS here (0.3.31) ignores a call that raises its
thread count from another thread than the one that lowered it, so a limit scoped to a block would not
reliably end when blocks overlap on several threads. A BLAS library loaded after the first call (an
import that brings scipy's own) is limited at the next call after that import.
"""

from __future__ import annotations

import sys
import threading

from threadpoolctl import ThreadpoolController

__all__ = ["one_thread"]

_lock = threading.Lock()
_modules_seen = -1  # len(sys.modules) when the limit was last set


def one_thread() -> None:
    """Every loaded BLAS on one thread, for good. Cheap when nothing was imported since the last call;
    otherwise it scans the loaded libraries again (about a millisecond)."""
    global _modules_seen
    if len(sys.modules) == _modules_seen:
        return
    with _lock:
        modules = len(sys.modules)
        ThreadpoolController().limit(limits=1, user_api="blas")  # the limiter is dropped: never restored
        _modules_seen = modules
