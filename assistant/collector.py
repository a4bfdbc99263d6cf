"""Python's cyclic garbage collector during bulk work (a first mailbox sync of thousands of messages).

Storing a batch makes tens of thousands of short-lived containers (rows, envelopes, look-up dicts) that
reference counting frees when the batch is done. With the default thresholds (700, 10, 10) the collector
still runs about every 700 of them, a middle collection every 7,000 and a full one, which walks every
object of the process (some 150,000 in a sync worker, 150 ms on the 2-core machine), twice per 10,000
messages: measured with ``gc.callbacks`` around ``bench/imap_sync.py``'s sync, 0.4-0.55 s of a 2.5-3.3 s
pass, all of it holding the GIL the storing needs.

Inside :func:`bulk`, the youngest generation is collected every ``BULK_THRESHOLD`` allocations instead,
and the older ones practically never (a 10,000-message pass then runs about ten young collections and
nothing else: 0.1-0.18 s). The thresholds are process-wide: they are set when the first bulk block of the
process begins and put back when the last one ends (two syncs may overlap on two threads). Nothing is
left uncollected for long: cyclic garbage made meanwhile waits for the first collection after the block,
which the restored thresholds bring soon.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["bulk", "BULK_THRESHOLD"]

BULK_THRESHOLD = 10_000  # allocations between young collections inside a bulk block
_OLDER = 100  # young collections between middle ones, and middle ones between full ones

_lock = threading.Lock()
_active = 0
_saved: tuple[int, int, int] | None = None


@contextmanager
def bulk() -> Iterator[None]:
    """Collect rarely while the block runs (see the module's docstring)."""
    global _active, _saved
    with _lock:
        if _active == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(max(_saved[0], BULK_THRESHOLD), max(_saved[1], _OLDER), max(_saved[2], _OLDER))
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None
