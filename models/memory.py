"""Python's cyclic garbage collector kept out of the way: of loaded models, and of bulk work.

Loaded models. A process that has loaded the pipeline holds some 350,000 container objects that live as
long as it does: the modules of torch, spaCy and transformers, GiNZA's vocabulary, the heads. Python's full
collection walks every one of them, and one ran about every 1,000 analysed mails, 0.45 s each (measured
with ``gc.callbacks`` around ``bench/pipeline.py``'s pipeline): several per cent of the pipeline's own
Python time. After something long-lived is loaded (:func:`loaded`), :func:`settle` runs one full
collection and then freezes what survived (``gc.freeze``). Frozen objects are still freed by reference
counting when dropped; the collector only stops walking them, so a cycle that was alive at that moment and
is dropped later stays until the process ends (settling happens a handful of times per process, after
loads). The pipeline settles between batches.

Bulk work. Analysing a batch of mail, or storing one in a first mailbox sync, makes tens of thousands of
containers (rows, envelopes, results) that live for a batch or so; reference counting frees them. With
the default thresholds (700, 10, 10) the collector still walks the young ones every 700 allocations, the
middle generation every 7,000 and everything unfrozen every 70,000 or so: measured with ``gc.callbacks``,
0.4-0.55 s of a 2.5-3.3 s 10,000-message sync (``bench/imap_sync.py``; full collections 150 ms each), and
1-2 s of the pipeline's 45-50 s over the SpamAssassin corpus. Without them, in alternating runs, the sync
took 2.50-2.93 s (median 2.71) against 2.80-3.39 s (median 3.13) over six pairs, and the pipeline's wall
time fell by about 5 % (four pairs). Inside :func:`bulk`, the young generation is collected every
``BULK_THRESHOLD`` allocations and the older ones practically never. The thresholds are process-wide: set
when the first bulk block of the process begins, put back when the last one ends (blocks may overlap on
several threads). Cyclic garbage made meanwhile waits for the first collection after the block.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["loaded", "settle", "bulk", "BULK_THRESHOLD"]

BULK_THRESHOLD = 10_000  # allocations between young collections inside a bulk block
_OLDER = 100  # young collections between middle ones, and middle ones between full ones, in a bulk block

_lock = threading.Lock()
_pending = False
_seen: set[str] = set()


def loaded(once: str | None = None) -> None:
    """Note that long-lived objects were just made (a model loaded). ``once``: only the first time this
    process says so (what the first pipeline imports; the next ones reuse it)."""
    global _pending
    with _lock:
        if once is not None:
            if once in _seen:
                return
            _seen.add(once)
        _pending = True


def settle() -> bool:
    """When something was loaded since the last call: collect once, then freeze what is left. Returns
    whether it did (a flag test otherwise: cheap enough to call after every batch)."""
    global _pending
    with _lock:
        if not _pending:
            return False
        _pending = False
    gc.collect()
    gc.freeze()
    return True


_bulk_lock = threading.Lock()
_bulk_active = 0
_bulk_saved: tuple[int, int, int] | None = None


@contextmanager
def bulk() -> Iterator[None]:
    """Collect rarely while the block runs (see the module's docstring)."""
    global _bulk_active, _bulk_saved
    with _bulk_lock:
        if _bulk_active == 0:
            saved = _bulk_saved = gc.get_threshold()
            gc.set_threshold(max(saved[0], BULK_THRESHOLD), max(saved[1], _OLDER), max(saved[2], _OLDER))
        _bulk_active += 1
    try:
        yield
    finally:
        with _bulk_lock:
            _bulk_active -= 1
            if _bulk_active == 0 and _bulk_saved is not None:
                gc.set_threshold(*_bulk_saved)
                _bulk_saved = None
