"""The analysis result as a documented schema (OpenAPI, the typed client). Every key is optional:
a stage that is switched off or not built leaves its key out. Extra keys may appear (never renamed)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["AnalysisResult", "ANALYSIS_EXAMPLE"]

Zone = Literal["new_text", "greeting", "closing", "signature", "mobile_footer", "disclaimer", "list_footer",
               "quote_header", "quoted", "forwarded"]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ZoneRun(_Open):
    start_line: int
    end_line: int = Field(description="inclusive")
    zone: Zone
    confidence: float


class Evidence(_Open):
    confidence: float
    line: str | None = None


class Phone(_Open):
    type: Literal["work", "mobile", "fax", "other"]
    number: str = Field(description="E.164")
    raw: str | None = None


class SignatureFields(_Open):
    name: str | None = None
    title: str | None = None
    department: str | None = None
    company: str | None = None
    phones: list[Phone] = []
    emails: list[str] = []
    websites: list[str] = []
    socials: list[str] = []
    address: str | None = None
    name_parts: dict[str, str | None] | None = None
    address_parts: dict[str, str | None] | None = None


class Signature(_Open):
    text: str
    fields: SignatureFields
    evidence: dict[str, Evidence] = {}


class Sentence(_Open):
    text: str
    request: float = Field(description="probability that the sentence asks the reader to act")


class Label(_Open):
    label: str
    confidence: float
    evidence: str | None = None


class Sentiment(_Open):
    label: Literal["positive", "negative", "neutral"]
    score: float = Field(ge=-1, le=1)
    evidence: str | None = None


class Emotion(_Open):
    label: Literal["happy", "enthusiastic", "grateful", "trust", "confused", "dissatisfied", "frustrated", "neutral"]
    confidence: float
    scores: dict[str, float] = {}
    evidence: str | None = None


class Summary(_Open):
    tldr: str = Field(description="one line: who, the matter and the ask in few words, deadline, mood")
    line: str | None = Field(default=None, description="the same as a readable sentence (shown in the inbox)")
    sentences: list[str] = []


class Slot(_Open):
    start: str | None = None
    end: str | None = None


class Activity(_Open):
    type: Literal["meeting", "task", "call"]
    start: str | None = None
    end: str | None = None
    due: str | None = None
    timezone: str | None = None
    alternatives: list[Slot] = []
    confidence: float
    evidence: str | None = None


class ErrorItem(_Open):
    stage: str
    code: str
    message: str


class AnalysisResult(_Open):
    id: str | None = None
    language: str | None = Field(default=None, description="ISO 639-1")
    body: str | None = Field(default=None, description="the decoded body the zones index, \\n line endings")
    zones: list[ZoneRun] | None = None
    new_text: str | None = None
    signature: Signature | None = None
    sentences: list[Sentence] | None = None
    intents: list[Label] | None = None
    insights: list[Label] | None = None
    sentiment: Sentiment | None = None
    emotion: Emotion | None = None
    summary: Summary | None = None
    activities: list[Activity] | None = None
    headers: dict[str, Any] | None = None
    attachments: list[dict[str, Any]] | None = None
    calendar: list[dict[str, Any]] | None = None
    auto: dict[str, Any] | None = None
    parse_problems: list[str] | None = None
    errors: list[ErrorItem] | None = None


ANALYSIS_EXAMPLE = {
    "id": "m-1", "language": "en",
    "body": "Hi Alex,\n\nCould we meet next Tuesday at 3pm EST?\n\nBest regards,\nSarah\n\nSarah Chen\nTel: +1 617 555 0142",
    "zones": [{"start_line": 0, "end_line": 1, "zone": "greeting", "confidence": 1.0},
              {"start_line": 2, "end_line": 3, "zone": "new_text", "confidence": 0.99},
              {"start_line": 4, "end_line": 6, "zone": "closing", "confidence": 0.98},
              {"start_line": 7, "end_line": 8, "zone": "signature", "confidence": 0.93}],
    "new_text": "Hi Alex,\n\nCould we meet next Tuesday at 3pm EST?\n\nBest regards,\nSarah",
    "signature": {"text": "Sarah Chen\nTel: +1 617 555 0142",
                  "fields": {"name": "Sarah Chen", "phones": [{"type": "work", "number": "+16175550142",
                                                               "raw": "+1 617 555 0142"}]},
                  "evidence": {"name": {"confidence": 0.95, "line": "Sarah Chen"}}},
    "activities": [{"type": "meeting", "start": "2026-12-01T15:00:00-05:00", "end": None, "due": None,
                    "timezone": "America/New_York", "alternatives": [], "confidence": 0.85,
                    "evidence": "Could we meet next Tuesday at 3pm EST?"}],
}
