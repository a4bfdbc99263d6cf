"""Loaded models out of the cyclic garbage collector's way.

A process that has loaded the pipeline holds some 350,000 container objects that live as long as it does:
the modules of torch, spaCy and transformers, GiNZA's vocabulary, the heads. Python's full collection
walks every one of them, and one ran about every 1,000 analysed mails, 0.45 s each (measured with
``gc.callbacks`` around ``bench/pipeline.py``'s pipeline): several per cent of the pipeline's own Python
time. After something long-lived is loaded (:func:`loaded`), :func:`settle` runs one full collection and
then freezes what survived (``gc.freeze``). Frozen objects are still freed by reference counting when
dropped; the collector only stops walking them, so a cycle that was alive at that moment and is dropped
later stays until the process ends (settling happens a handful of times per process, after loads). The
pipeline settles between batches.
"""

from __future__ import annotations

import gc
import threading

__all__ = ["loaded", "settle"]

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
