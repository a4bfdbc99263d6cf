"""Housekeeping jobs of the job layer itself."""

from __future__ import annotations

import logging

from assistant.jobs import transport
from assistant.jobs.context import JobContext
from assistant.jobs.registry import job, periodic
from assistant.jobs.runs import JobRunLog, JobRunRepository

log = logging.getLogger("assistant.jobs")


@job("jobs.purge_finished", track=False)
def purge_finished(ctx: JobContext, keep_days: float = 30) -> dict:
    removed = JobRunRepository(ctx.session).purge_finished(JobRunLog.horizon(keep_days))
    return {"removed": removed}


@job("jobs.republish_lost", track=False)
def republish_lost(ctx: JobContext) -> dict:
    """Queued jobs whose publish never reached the queue (a crash right after the commit)."""
    if not ctx.settings.embedded_jobs:
        return {"republished": 0}  # Redis keeps its own messages; only the embedded queue is checked
    path = str(ctx.settings.data_dir / "jobs.sqlite")
    count = 0
    for run in JobRunRepository(ctx.session).stale_queued(JobRunLog.horizon(1 / 24)):
        if not transport.holds_task(path, run.id):
            ctx.runtime.celery.send_task(run.name, args=run.args, kwargs=run.kwargs, task_id=run.id)
            count += 1
    if count:
        log.warning("republished lost jobs", extra={"count": count})
    return {"republished": count}


@job("jobs.ping", track=True)
def ping(ctx: JobContext, value: str = "pong") -> dict:
    """A job that does nothing but answer: used by health checks and tests of the job layer."""
    return {"value": value}


periodic("jobs.purge_finished", 24 * 3600)
periodic("jobs.republish_lost", 600)
