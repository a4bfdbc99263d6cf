"""What a running job sees: its own session, progress reporting, and follow-up jobs."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from assistant.runtime import Runtime

__all__ = ["JobContext"]


class JobContext:
    def __init__(self, runtime: Runtime, session: Session, run_id: str, attempt: int):
        self.runtime = runtime
        self.session = session
        self.run_id = run_id
        self.attempt = attempt
        self._last_progress = 0.0

    @property
    def settings(self):
        return self.runtime.settings

    def progress(self, done: int, total: int | None = None, message: str = "", *, force: bool = False) -> None:
        """Record progress in its own short transaction, so the UI sees it while the job runs."""
        now = time.monotonic()
        if not force and now - self._last_progress < 0.5:
            return
        self._last_progress = now
        self.runtime.job_runs.update(self.run_id, done=done, total=total, message=message[:500])

    def enqueue(self, name: str, *args: Any, **options: Any) -> str:
        """A follow-up job, published only if this job's unit of work commits."""
        return self.runtime.enqueue(self.session, name, *args, **options)
