"""Mail jobs: importing an uploaded file in the background, with progress."""

from __future__ import annotations

from pathlib import Path

from assistant.jobs.context import JobContext
from assistant.jobs.registry import PermanentError, job
from assistant.analysis import request_analysis
from crm.mail.importer import count_sources, import_path


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
