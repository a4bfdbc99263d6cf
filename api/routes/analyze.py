"""The analysis API for apps: the pipeline's reading of one message, the same JSON as the CLI prints."""

from __future__ import annotations

from typing import Any

from fastapi import Query, Request
from pydantic import BaseModel, Field

from api.deps import DB, CurrentIdentity, get_runtime, protected, require
from api.errors import error_responses
from api.ratelimit import limit
from assistant.batches.service import MAX_ITEMS, BatchService
from assistant.errors import BadInput, TooLarge
from nlp.interface import analyze_objects
from nlp.schema import ANALYSIS_EXAMPLE, AnalysisResult

router = protected(prefix="/v1", tags=["analysis"], responses=error_responses(401, 403))


class AnalyzeIn(BaseModel):
    """Exactly one of raw_b64, raw, text or html."""

    model_config = {"json_schema_extra": {"examples": [
        {"id": "m-1", "raw": "From: Sarah <sarah@northwind.example>\nSubject: Call\n\nCould we meet next Tuesday "
                             "at 3pm EST?"},
        {"id": "m-2", "text": "Hi,\n\nPlease send the signed contract by Friday.\n\nThanks,\nBo",
         "date": "Mon, 23 Nov 2026 09:00:00 +0100"}]}}

    id: str | None = Field(default=None, max_length=200)
    raw_b64: str | None = Field(default=None, description="base64 of the message's bytes (lossless, any charset)")
    raw: str | None = Field(default=None, description="the whole RFC 822 message as a string")
    text: str | None = Field(default=None, description="a bare plain-text body")
    html: str | None = Field(default=None, description="a bare HTML body")
    date: str | None = Field(default=None, description="RFC 2822 date: the reference for relative dates when "
                                                        "the message has no Date header")


def _rate(request: Request, who) -> None:
    per_minute = who.rate_limit or get_runtime(request).settings.analyze_rate_limit_per_minute
    limit(request, "analyze", f"key:{who.api_key_id}" if who.api_key_id else f"user:{who.user_id}",
          calls=per_minute, per_seconds=60)


@router.post("/analyze", dependencies=[require("analyze")], responses=error_responses(413, 422, 429),
             summary="Analyse one message", response_model=AnalysisResult, response_model_exclude_unset=True,
             openapi_extra={"responses": {"200": {"content": {"application/json": {"example": ANALYSIS_EXAMPLE}}}}})
def analyze(body: AnalyzeIn, request: Request, who: CurrentIdentity) -> dict:
    """Zones, new text, language, signature, intents, sentiment, summary and activities of one message
    (the keys of the stages that are built; see the README's machine interface)."""
    _rate(request, who)
    result = next(analyze_objects(get_runtime(request).pipeline, [body.model_dump(exclude_none=True)]))
    if "error" in result:
        error = result["error"]
        raise (TooLarge if error["code"] == "too_large" else BadInput)(error["message"], code=error["code"])
    return result


class BatchIn(BaseModel):
    items: list[AnalyzeIn] = Field(min_length=1, max_length=MAX_ITEMS)
    webhook_url: str | None = Field(default=None, max_length=2000,
                                    description="Called (POST, signed) when the batch is done")


class BatchOut(BaseModel):
    id: str
    state: str
    total: int
    done: int
    webhook_state: str | None = None
    webhook_secret: str | None = Field(default=None, description="Only in the answer that created the batch: "
                                       "verify X-Mailassist-Signature (t=<time>,v1=HMAC-SHA256(secret, "
                                       "'<time>.' + body)) with it")
    results: list[dict[str, Any]] | None = None


@router.post("/analyze/batch", response_model=BatchOut, status_code=202, dependencies=[require("analyze")],
             responses=error_responses(413, 422, 429), summary="Analyse up to 1,000 messages in the background")
def analyze_batch(body: BatchIn, request: Request, who: CurrentIdentity, session: DB) -> BatchOut:
    """Accepted at once; poll GET /v1/analyze/batch/{id}, or give a webhook_url to be called when done."""
    _rate(request, who)
    runtime = get_runtime(request)
    batch, secret = BatchService(session, runtime.settings).create(
        who, [item.model_dump(exclude_none=True) for item in body.items], body.webhook_url)
    runtime.enqueue(session, "analysis.batch", batch.id, owner_id=who.user_id)
    return BatchOut(id=batch.id, state=batch.state, total=batch.total, done=0, webhook_state=batch.webhook_state,
                    webhook_secret=secret)


@router.get("/analyze/batch/{batch_id}", response_model=BatchOut, dependencies=[require("analyze")],
            responses=error_responses(404))
def get_batch(batch_id: str, request: Request, who: CurrentIdentity, session: DB,
              offset: int = Query(0, ge=0), limit_: int = Query(100, ge=1, le=1000, alias="limit")) -> BatchOut:
    """The batch's progress; once done, its results in input order (paged with offset/limit)."""
    service = BatchService(session, get_runtime(request).settings)
    batch = service.get(who, batch_id)
    results = service.results(batch, offset, limit_) if batch.state == "done" else None
    return BatchOut(id=batch.id, state=batch.state, total=batch.total, done=batch.done,
                    webhook_state=batch.webhook_state, results=results)


__all__ = ["router", "AnalyzeIn", "BatchIn"]
