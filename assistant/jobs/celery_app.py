"""Building the Celery app for a runtime: one task per declared job, same code in both modes.

Embedded mode: the broker is the durable SQLite transport in the data directory and a worker
runs inside the service (see :mod:`assistant.jobs.embedded`). Scale-out mode: the broker is Redis
and `mailassist worker` processes (with beat) consume it.
"""

from __future__ import annotations

import logging
import random
import traceback
from typing import TYPE_CHECKING

from celery import Celery

from assistant.jobs.context import JobContext
from assistant.jobs.registry import JOBS, PERIODIC, JobSpec, PermanentError

if TYPE_CHECKING:
    from assistant.runtime import Runtime

__all__ = ["make_celery", "backoff_delay"]

log = logging.getLogger("assistant.jobs")


def backoff_delay(spec: JobSpec, attempt: int) -> float:
    """Exponential backoff with ±20 % jitter, so retries of many jobs do not arrive together."""
    return min(spec.backoff_max_s, spec.backoff_s * (2**attempt)) * random.uniform(0.8, 1.2)


def _register(celery: Celery, runtime: Runtime, spec: JobSpec) -> None:
    # shared=False: each app gets its own task bound to its own runtime, never a global one.
    @celery.task(name=spec.name, bind=True, max_retries=spec.max_retries, shared=False)
    def run(task, *args, **kwargs):
        run_id, attempt = task.request.id, task.request.retries
        runs = runtime.job_runs
        if spec.track:
            runs.start(run_id, spec.name, attempt, list(args), dict(kwargs))
        log.info("job started", extra={"job": spec.name, "job_id": run_id, "attempt": attempt + 1})
        try:
            with runtime.unit() as session:
                result = spec.fn(JobContext(runtime, session, run_id, attempt), *args, **kwargs)
        except spec.retry_on as exc:
            if attempt < spec.max_retries:
                delay = backoff_delay(spec, attempt)
                log.warning("job will retry", extra={"job": spec.name, "job_id": run_id, "in_s": round(delay, 1),
                                                     "error": str(exc)[:300]})
                if spec.track:
                    runs.finish(run_id, "retrying", error=f"{type(exc).__name__}: {exc}"[:2000])
                raise task.retry(exc=exc, countdown=delay)
            _failed(runs, spec, run_id, exc)
            raise
        except PermanentError as exc:
            _failed(runs, spec, run_id, exc)
            return None
        except Exception as exc:
            _failed(runs, spec, run_id, exc, bug=True)
            raise
        if spec.track:
            runs.finish(run_id, "succeeded", result=result)
        log.info("job succeeded", extra={"job": spec.name, "job_id": run_id})
        return result

    del run  # registered on the app by the decorator


def _failed(runs, spec: JobSpec, run_id: str, exc: BaseException, *, bug: bool = False) -> None:
    detail = traceback.format_exc(limit=8) if bug else f"{type(exc).__name__}: {exc}"
    if spec.track:
        runs.finish(run_id, "failed", error=detail[:4000])
    log.log(logging.ERROR if bug else logging.WARNING, "job failed",
            extra={"job": spec.name, "job_id": run_id, "error": f"{type(exc).__name__}: {exc}"[:300]})


def make_celery(runtime: Runtime) -> Celery:
    settings = runtime.settings
    celery = Celery("mailassist", set_as_current=False)
    conf = dict(
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_ignore_result=True,
        task_acks_late=True,  # a job is removed from the queue only after it ran
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        enable_utc=True,
        timezone="UTC",
        task_default_queue="mailassist",
        beat_schedule={
            f"every-{p.every_s:g}s-{p.job}": {"task": p.job, "schedule": p.every_s, "args": list(p.args)}
            for p in PERIODIC
        },
    )
    if settings.embedded_jobs:
        conf.update(
            broker_url="sqlite-queue://localhost/",
            broker_transport="assistant.jobs.transport:Transport",
            broker_transport_options={"path": str(settings.ensure_data_dir() / "jobs.sqlite")},
            worker_enable_remote_control=False,  # the SQLite queue has no fan-out
            beat_max_loop_interval=1.0,  # beat sleeps uninterruptibly: keep service shutdown quick
        )
    else:
        conf.update(
            broker_url=settings.broker_url.get_secret_value(),
            # A job a crashed worker held comes back after this; keep it above the longest job.
            broker_transport_options={
                "visibility_timeout": settings.broker_visibility_timeout_s,
                # Sweep for abandoned jobs every few seconds instead of every 100 s.
                "unacked_restore_interval": max(1, min(10, settings.broker_visibility_timeout_s // 2)),
                "unacked_restore_throttle": 1,
            },
        )
    celery.conf.update(conf)
    for spec in JOBS.values():
        _register(celery, runtime, spec)
    return celery
