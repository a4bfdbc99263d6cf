"""Running analysis batches and delivering their webhooks, in the job layer."""

from __future__ import annotations

import httpx

from assistant.batches.repository import BatchRepository
from assistant.batches.service import BatchService, check_webhook_url
from assistant.errors import BadInput
from assistant.jobs.context import JobContext
from assistant.jobs.registry import TransientError, job
from crm.db import utcnow
from nlp.interface import analyze_objects

_CHUNK = 64


@job("analysis.batch", max_retries=3)
def run_batch(ctx: JobContext, batch_id: str) -> dict:
    """Analyse the items without a result yet, a chunk per transaction (a rerun resumes, never repeats)."""
    runtime = ctx.runtime
    with runtime.unit() as session:
        batch = BatchRepository(session).get(batch_id)
        if batch is None or batch.state == "done":
            return {"skipped": True}
        batch.state = "running"
        total = batch.total
    while True:
        with runtime.unit() as session:
            repo = BatchRepository(session)
            items = repo.pending_items(batch_id, _CHUNK)
            if not items:
                break
            for item, result in zip(items, analyze_objects(runtime.pipeline, [i.input for i in items],
                                                           batch_size=_CHUNK)):
                item.result, item.input = result, None
            done = repo.done_count(batch_id) + len(items)
            repo.get(batch_id).done = done
        ctx.progress(done, total, f"{done}/{total} analysed", force=True)
    with runtime.unit() as session:
        batch = BatchRepository(session).get(batch_id)
        batch.state, batch.finished_at = "done", utcnow()
        if batch.webhook_url:
            runtime.enqueue(session, "analysis.webhook", batch_id, owner_id=batch.owner_id)
    return {"analysed": total}


@job("analysis.webhook", max_retries=8, backoff_s=5, backoff_max_s=1800)
def deliver_webhook(ctx: JobContext, batch_id: str) -> dict:
    """POST the completion notice, signed with the batch's secret; retried with backoff on failure."""
    service = BatchService(ctx.session, ctx.settings)
    batch = service.repo.get(batch_id)
    if batch is None or batch.webhook_state == "delivered":
        return {"skipped": True}
    try:  # checked again at delivery: the name may resolve elsewhere now than when the batch was made
        check_webhook_url(batch.webhook_url, allow_private=ctx.settings.webhook_allow_private)
    except BadInput as exc:
        batch.webhook_state, batch.webhook_error = "failed", exc.message
        return {"refused": exc.message}
    body, headers = service.webhook_payload(batch)
    try:
        response = httpx.post(batch.webhook_url, content=body, headers=headers, timeout=10)
    except httpx.HTTPError as exc:
        raise TransientError(f"webhook not reached: {type(exc).__name__}: {exc}") from exc
    if response.status_code >= 500 or response.status_code == 429:
        raise TransientError(f"webhook answered HTTP {response.status_code}")
    if response.status_code >= 400:
        # The receiver refuses it: retrying cannot help. Recorded on the batch, not raised (which would
        # roll the record back).
        batch.webhook_state, batch.webhook_error = "failed", f"HTTP {response.status_code}"
        return {"status": response.status_code}
    batch.webhook_state, batch.webhook_error = "delivered", None
    return {"status": response.status_code}
