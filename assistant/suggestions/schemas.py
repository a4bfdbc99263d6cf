from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["SuggestionOut", "AcceptIn"]


class SuggestionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    email_id: int
    kind: str = Field(description="contact_update | new_record | activity")
    module: str
    record_id: int | None
    field: str | None
    old_value: str | None
    new_value: Any
    confidence: float
    evidence: str | None = Field(description="the signature line or sentence it came from")
    state: str
    created_record_id: int | None
    created_at: datetime
    decided_at: datetime | None


class AcceptIn(BaseModel):
    """Optional edits before applying: {"value": ...} for an update, field values for a new record or activity."""

    edits: dict[str, Any] = Field(default_factory=dict)
