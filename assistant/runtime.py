"""The running service's parts, built once from settings: database, sessions, job layer.

The API, the CLI, the embedded worker and the Celery worker processes each build one
``Runtime`` and pass it down; nothing reads settings or opens engines anywhere else.
"""

from __future__ import annotations

import logging
import uuid
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from celery import Celery
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from assistant.jobs import catalog
from assistant.jobs.celery_app import make_celery
from assistant.jobs.registry import JOBS
from assistant.jobs.runs import JobRunLog
from assistant.jobs.tables import JobRun
from assistant.settings import Settings
from crm.db import enqueue_after_commit, make_engine, make_session_factory, unit_of_work, utcnow

__all__ = ["Runtime"]

log = logging.getLogger("assistant.jobs")


class Runtime:
    def __init__(self, settings: Settings):
        self.settings = settings
        catalog.load(settings.job_modules)
        settings.ensure_data_dir()
        self.engine: Engine = make_engine(settings.effective_database_url)
        self.sessions = make_session_factory(self.engine)
        self.job_runs = JobRunLog(self.sessions)

    @cached_property
    def celery(self) -> Celery:
        return make_celery(self)

    @cached_property
    def pipeline(self):
        """The NLP pipeline, built once per process on first use (models load lazily)."""
        from nlp.pipeline import Pipeline

        return Pipeline.from_config()

    def prepare_publishing(self) -> None:
        """Load now what this process's first publish would load: the Celery result backend (found
        through package entry points), the task router and sender and, in embedded mode, the queue's
        connection (a local SQLite file); about 25 ms in all. For a caller about to wait anyway (a sync
        waiting for its first batch), so that its first commit does not pay it. A networked broker is
        not touched: a slow one must not hold up the caller."""
        try:
            self.celery.backend
            self.celery.amqp.router
            self.celery.amqp.send_task_message
            if self.settings.embedded_jobs:
                with self.celery.producer_or_acquire() as producer:
                    producer.connection.ensure_connection(max_retries=1)
        except Exception:
            # The first publish meets the same error, and reports it where jobs are published.
            log.debug("could not prepare publishing", exc_info=True)

    def unit(self) -> AbstractContextManager[Session]:
        return unit_of_work(self.sessions)

    def enqueue(self, session: Session, name: str, *args: Any, countdown: float | None = None,
                eta: datetime | None = None, owner_id: int | None = None, **kwargs: Any) -> str:
        """Ask for a job; it is published when ``session`` commits, and forgotten on rollback."""
        spec = JOBS.get(name)
        if spec is None:
            raise KeyError(f"no job named {name!r}")
        run_id = str(uuid.uuid4())
        if countdown is not None:
            eta = utcnow() + timedelta(seconds=countdown)
        if spec.track:
            session.add(JobRun(id=run_id, name=name, args=list(args), kwargs=kwargs, owner_id=owner_id, eta=eta))

        def publish() -> None:
            try:
                self.celery.send_task(name, args=list(args), kwargs=kwargs, task_id=run_id, eta=eta)
            except Exception:
                # The run stays 'queued' in the database; jobs.republish_lost sends it again.
                log.exception("could not publish job", extra={"job": name, "job_id": run_id})

        enqueue_after_commit(session, publish)
        return run_id

    def dispose(self) -> None:
        if "celery" in self.__dict__:
            self.celery.close()
        self.engine.dispose()
