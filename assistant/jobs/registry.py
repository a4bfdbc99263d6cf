"""Declaring jobs: a name, a function taking plain ids, and how it retries.

A job function receives a :class:`~assistant.jobs.context.JobContext` first (its own session,
progress reporting, follow-up enqueueing) and then JSON-serialisable arguments. It must be
idempotent: at-least-once delivery means it may run twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["JobSpec", "PeriodicSpec", "job", "periodic", "JOBS", "PERIODIC", "TransientError",
           "PermanentError"]


class TransientError(Exception):
    """Worth retrying later (a server that is down, a lock held): the job is retried with backoff."""


class PermanentError(Exception):
    """Retrying cannot help (bad input): the job fails at once with this message."""


@dataclass(frozen=True)
class JobSpec:
    name: str
    fn: Callable
    max_retries: int = 5
    retry_on: tuple[type[BaseException], ...] = (TransientError,)
    backoff_s: float = 2.0
    backoff_max_s: float = 600.0
    track: bool = True  # keep a JobRun row (progress, history); off for tiny frequent jobs


@dataclass(frozen=True)
class PeriodicSpec:
    job: str
    every_s: float
    args: tuple = field(default_factory=tuple)


JOBS: dict[str, JobSpec] = {}
PERIODIC: list[PeriodicSpec] = []


def job(name: str, **options) -> Callable[[Callable], Callable]:
    def register(fn: Callable) -> Callable:
        if name in JOBS and JOBS[name].fn is not fn:
            raise ValueError(f"job {name!r} is declared twice")
        JOBS[name] = JobSpec(name=name, fn=fn, **options)
        return fn

    return register


def periodic(job_name: str, every_s: float, *args) -> None:
    PERIODIC.append(PeriodicSpec(job_name, every_s, tuple(args)))
