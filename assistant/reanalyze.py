"""Re-analysis after a model upgrade: every stored mail since a date, through the current pipeline, in
batches (one transaction each, so an interruption keeps what is done and a rerun skips it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from sqlalchemy import select

from assistant.analysis import ANALYZE_BATCH, analyze_emails, pipeline_version
from crm.mail.tables import Email, EmailAnalysis

__all__ = ["to_reanalyze", "reanalyze"]


def to_reanalyze(session, version: str, since: datetime | None, *, force: bool = False) -> list[int]:
    """Ids of stored mail (since ``since``) without a result of ``version`` (all of them with ``force``)."""
    query = select(Email.id)
    if since is not None:
        query = query.where(Email.date >= since)
    ids = list(session.scalars(query.order_by(Email.id)))
    if force or not ids:
        return ids
    done = set(session.scalars(select(EmailAnalysis.email_id).where(EmailAnalysis.pipeline_version == version)))
    return [i for i in ids if i not in done]


def reanalyze(runtime, since: datetime | None, *, force: bool = False, batch_size: int = ANALYZE_BATCH,
              progress: Callable[[int, int], None] | None = None) -> Iterator[int]:
    pipeline = runtime.pipeline
    with runtime.unit() as session:
        ids = to_reanalyze(session, pipeline_version(pipeline), since, force=force)
    done = 0
    if progress:
        progress(0, len(ids))
    for start in range(0, len(ids), batch_size):
        chunk = ids[start:start + batch_size]
        with runtime.unit() as session:
            analyze_emails(session, pipeline, chunk, force=force)
        done += len(chunk)
        if progress:
            progress(done, len(ids))
        yield done
