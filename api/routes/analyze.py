"""The analysis API for apps: the pipeline's reading of one message, the same JSON as the CLI prints."""

from __future__ import annotations

from fastapi import Request
from pydantic import BaseModel, Field

from api.deps import get_runtime, protected, require
from api.errors import error_responses
from assistant.errors import BadInput, TooLarge
from nlp.interface import analyze_objects

router = protected(prefix="/v1", tags=["analysis"], responses=error_responses(401, 403))


class AnalyzeIn(BaseModel):
    """Exactly one of raw_b64, raw, text or html."""

    id: str | None = Field(default=None, max_length=200)
    raw_b64: str | None = Field(default=None, description="base64 of the message's bytes (lossless, any charset)")
    raw: str | None = Field(default=None, description="the whole RFC 822 message as a string")
    text: str | None = Field(default=None, description="a bare plain-text body")
    html: str | None = Field(default=None, description="a bare HTML body")
    date: str | None = Field(default=None, description="RFC 2822 date: the reference for relative dates when "
                                                        "the message has no Date header")


@router.post("/analyze", dependencies=[require("analyze")], responses=error_responses(413, 422),
             summary="Analyse one message")
def analyze(body: AnalyzeIn, request: Request) -> dict:
    """Zones, new text, language, signature, intents, sentiment, summary and activities of one message
    (the keys of the stages that are built; see the README's machine interface)."""
    result = next(analyze_objects(get_runtime(request).pipeline, [body.model_dump(exclude_none=True)]))
    if "error" in result:
        error = result["error"]
        raise (TooLarge if error["code"] == "too_large" else BadInput)(error["message"], code=error["code"])
    return result


__all__ = ["router", "AnalyzeIn"]
