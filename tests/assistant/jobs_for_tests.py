"""Jobs that exist only for the job-layer tests (loaded through Settings.job_modules)."""

from __future__ import annotations

import time
from pathlib import Path

from assistant.jobs.context import JobContext
from assistant.jobs.registry import PermanentError, TransientError, job, periodic


@job("tests.flaky", max_retries=4, backoff_s=0.3, backoff_max_s=2.0)
def flaky(ctx: JobContext, counter: str, failures: int) -> dict:
    """Fails with a transient error ``failures`` times, then succeeds; attempts are counted in a file."""
    path = Path(counter)
    attempts = int(path.read_text()) + 1 if path.exists() else 1
    path.write_text(str(attempts))
    with path.with_suffix(".times").open("a") as log:
        log.write(f"{time.time()}\n")
    if attempts <= failures:
        raise TransientError(f"attempt {attempts} failed on purpose")
    return {"attempts": attempts}


@job("tests.bad_input", max_retries=3)
def bad_input(ctx: JobContext) -> None:
    raise PermanentError("this input can never work")


@job("tests.touch")
def touch(ctx: JobContext, path: str, text: str = "done") -> dict:
    """Writes a file (idempotent): proof that the job ran, readable from another process."""
    Path(path).write_text(text)
    ctx.progress(1, 1, "touched", force=True)
    return {"path": path}


@job("tests.tick", track=False)
def tick(ctx: JobContext) -> None:
    """Run by beat every second: each run appends a line in the data directory."""
    with (ctx.settings.data_dir / "ticks").open("a") as out:
        out.write("tick\n")


periodic("tests.tick", 1.0)
