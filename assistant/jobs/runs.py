"""JobRun bookkeeping, each write in its own short transaction (progress must show mid-job)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from assistant.jobs.tables import JobRun
from crm.db import unit_of_work, utcnow
from crm.repository import Repository

__all__ = ["JobRunRepository", "JobRunLog"]


class JobRunRepository(Repository[JobRun]):
    model = JobRun
    sortable = ("created_at", "name", "state", "finished_at")
    filterable = ("state", "name", "owner_id")

    def stale_queued(self, older_than: datetime) -> list[JobRun]:
        """Queued jobs whose due time passed long ago: their publish was lost (crash after commit)."""
        query = select(JobRun).where(JobRun.state == "queued", JobRun.created_at < older_than)
        return [r for r in self.session.scalars(query) if r.eta is None or r.eta < older_than]

    def purge_finished(self, before: datetime) -> int:
        stmt = delete(JobRun).where(JobRun.state.in_(("succeeded", "failed")), JobRun.finished_at < before)
        return self.session.execute(stmt).rowcount or 0


class JobRunLog:
    """Writes job state changes outside the job's own transaction."""

    def __init__(self, sessions: sessionmaker[Session]):
        self.sessions = sessions

    def update(self, run_id: str, **fields: Any) -> None:
        with unit_of_work(self.sessions) as session:
            run = session.get(JobRun, run_id)
            if run is None:
                return
            for key, value in fields.items():
                setattr(run, key, value)

    def start(self, run_id: str, name: str, attempt: int, args: list, kwargs: dict) -> None:
        with unit_of_work(self.sessions) as session:
            run = session.get(JobRun, run_id)
            if run is None:  # published by beat or another tool, not through Runtime.enqueue
                run = JobRun(id=run_id, name=name, args=args, kwargs=kwargs)
                session.add(run)
            run.state, run.attempts, run.started_at, run.error = "running", attempt + 1, utcnow(), None

    def finish(self, run_id: str, state: str, *, error: str | None = None, result: Any = None) -> None:
        self.update(run_id, state=state, error=error, finished_at=utcnow() if state != "retrying" else None,
                    result=result if isinstance(result, dict) else None)

    @staticmethod
    def horizon(days: float) -> datetime:
        return utcnow() - timedelta(days=days)
