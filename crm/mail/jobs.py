"""Mail jobs: importing an uploaded file in the background, with progress; threading and linking mail a
big first sync stored without (``mail.process_stored``)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy.exc import IntegrityError, OperationalError

from assistant.analysis import request_analysis
from assistant.jobs.context import JobContext
from assistant.jobs.registry import PermanentError, TransientError, job
from crm.mail.importer import count_sources, import_path
from crm.mail import processing
from crm.mail.processing import ProcessConflict, process_stored, unprocessed_count


@job("mail.import_upload", max_retries=0)
def import_upload(ctx: JobContext, path: str, owner_id: int | None, original_name: str = "") -> dict:
    source = Path(path)
    if not source.exists():
        raise PermanentError(f"upload {source.name} is gone")
    total = count_sources(source)
    done = 0

    def progress(report, batch_size: int) -> None:
        nonlocal done
        done += batch_size
        ctx.progress(done, total, f"{report.stored} stored, {report.malformed} malformed, "
                                  f"{report.duplicates} already there", force=True)

    # Batches commit on their own: a rerun after a crash skips what was stored (content hash).
    report = import_path(ctx.runtime.sessions, source, owner_id=owner_id, on_progress=progress,
                         after_batch=lambda session, ids: request_analysis(ctx.runtime, session, ids))
    source.unlink(missing_ok=True)
    return {"stored": report.stored, "duplicates": report.duplicates, "malformed": report.malformed,
            "problems": [f"{name.replace(source.name, original_name or source.name)}: {reason}"
                         for name, reason in report.problems[:100]]}


PROCESS_BUDGET_S = 300.0  # one run, then it continues in a fresh run (as a mailbox sync does)


class _Running:
    """Owners whose stored mail a run in this process is threading and linking; a second run asked
    for meanwhile leaves it to the running one, which passes again before it stops."""

    def __init__(self):
        self._lock = threading.Lock()
        self._again: dict[int | None, bool] = {}

    def enter(self, owner_id: int | None) -> bool:
        with self._lock:
            if owner_id in self._again:
                self._again[owner_id] = True
                return False
            self._again[owner_id] = False
            return True

    def done(self, owner_id: int | None) -> bool:
        """True (and the owner released) unless someone asked for another pass."""
        with self._lock:
            if self._again.get(owner_id):
                self._again[owner_id] = False
                return False
            self._again.pop(owner_id, None)
            return True

    def leave(self, owner_id: int | None) -> None:
        with self._lock:
            self._again.pop(owner_id, None)


_running = _Running()


@job("mail.process_stored", max_retries=6, backoff_s=2.0, backoff_max_s=300.0)
def process_stored_job(ctx: JobContext, owner_id: int | None, budget_s: float | None = None) -> dict:
    """Thread and link the owner's mail stored without (a big first sync), batch by batch, each batch
    committed with its analysis asked for: an interrupted run resumes where it stopped."""
    if not _running.enter(owner_id):
        return {"joined": "a run for this owner is going on; it will pass again"}
    deadline = time.monotonic() + (PROCESS_BUDGET_S if budget_s is None else budget_s)
    processed = 0
    try:
        with ctx.runtime.unit() as session:
            total = unprocessed_count(session, owner_id)
        while True:
            try:
                with ctx.runtime.unit() as session:
                    ids = process_stored(session, owner_id, limit=processing.PROCESS_BATCH)
                    request_analysis(ctx.runtime, session, ids)
            except (ProcessConflict, OperationalError, IntegrityError) as exc:
                # Another run (another process) took some of this batch, or SQLite was busy.
                raise TransientError(f"{type(exc).__name__}: {exc}"[:300]) from None
            processed += len(ids)
            ctx.progress(processed, max(total, processed), f"{processed} threaded and linked")
            if not ids and _running.done(owner_id):
                break
            if ids and time.monotonic() > deadline:
                _running.leave(owner_id)
                ctx.enqueue("mail.process_stored", owner_id, owner_id=owner_id)
                return {"processed": processed, "more": True}
    except BaseException:
        _running.leave(owner_id)
        raise
    ctx.progress(processed, max(total, processed), f"{processed} threaded and linked", force=True)
    return {"processed": processed}
