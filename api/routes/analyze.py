"""The analysis API for apps: what the pipeline reads in one message."""

from __future__ import annotations

import base64
import binascii

from pydantic import BaseModel, Field, model_validator

from api.deps import protected, require
from api.errors import error_responses
from assistant.errors import BadInput
from nlp.analyze import analyze_raw

router = protected(prefix="/v1", tags=["analysis"], responses=error_responses(401, 403))


class AnalyzeIn(BaseModel):
    id: str | None = Field(default=None, max_length=200)
    raw: str | None = Field(default=None, description="the whole message as a string")
    raw_b64: str | None = Field(default=None, description="base64 of the message's bytes (lossless)")

    @model_validator(mode="after")
    def _one_source(self):
        if (self.raw is None) == (self.raw_b64 is None):
            raise ValueError("give exactly one of raw or raw_b64")
        return self

    def raw_bytes(self) -> bytes:
        if self.raw is not None:
            return self.raw.encode("utf-8", "surrogateescape")
        try:
            return base64.b64decode(self.raw_b64 or "", validate=True)
        except (binascii.Error, ValueError) as exc:
            raise BadInput("raw_b64 is not valid base64", code="bad_base64") from exc


@router.post("/analyze", dependencies=[require("analyze")], responses=error_responses(413, 422))
def analyze(body: AnalyzeIn) -> dict:
    return analyze_raw(body.raw_bytes(), id=body.id)
