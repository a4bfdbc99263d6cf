"""API schemas of parsing rules (the rule itself is ``nlp.rules.definition.RuleDefinition``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from nlp.rules.definition import Condition, RuleDefinition

__all__ = ["RuleOut", "RuleVersionOut", "ParseLogOut", "ParseLogPage", "DryRunIn", "PlanOut", "SampleIn",
           "SampleOut", "LearnIn", "LearnOut", "ApplyIn", "ApplyOut", "AddressIn", "AddressOut", "DraftMatch"]


class RuleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    active: bool
    priority: int
    module: str
    version: int
    owner_id: int | None
    definition: RuleDefinition
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None


class RuleVersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    version: int
    change: str
    diff: list[dict[str, Any]] = Field(description="[{path, old, new}] against the version before")
    changed_by: int | None
    changed_at: datetime
    definition: dict[str, Any]


class ParseLogOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    email_id: int
    rule_id: int | None
    rule_version: int | None
    rule_name: str | None
    trigger: str
    outcome: str = Field(description="created, updated, unchanged, skipped, ambiguous, unmatched or failed")
    module: str | None
    record_id: int | None
    reason: str | None
    fields: list[dict[str, Any]]
    at: datetime


class ParseLogPage(BaseModel):
    items: list[ParseLogOut]
    total: int
    offset: int
    limit: int


class DryRunIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email_id: int | None = Field(default=None, description="A stored mail")
    raw: str | None = Field(default=None, description="Or a pasted mail (with headers) or just its body")
    rule_id: int | None = Field(default=None, description="A saved rule; with neither this nor `rule`, all rules")
    rule: dict[str, Any] | None = Field(default=None, description="A draft rule (not saved), as RuleDefinition")


class PlanOut(BaseModel):
    rule_id: int | None
    rule_name: str
    rule_version: int | None
    matched: bool
    reasons: list[str]
    outcome: str
    module: str
    action: str | None
    reason: str | None
    record_id: int | None
    targets: list[int]
    values: dict[str, Any]
    changes: list[dict[str, Any]]
    fields: list[dict[str, Any]] = Field(description="Per mapping: field, value, raw, evidence, error")


class SampleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email_id: int | None = Field(default=None, description="A stored mail")
    raw: str | None = Field(default=None, description="A pasted mail (with headers) or just its body")


class SampleOut(BaseModel):
    email_id: int | None
    from_addr: str
    from_name: str
    subject: str
    has_html: bool
    attachments: list[str]
    texts: list[dict[str, str]] = Field(description="[{source, text}]: where values can be highlighted")
    suggestion: dict[str, Any] = Field(description="A name, approved sender and subject condition to start from")


class DraftMatch(BaseModel):
    """The part of a draft rule that decides which other mails it would match."""

    senders: list[str] = Field(default_factory=list)
    match: str = "all"
    conditions: list[Condition] = Field(default_factory=list)


class LearnIn(SampleIn):
    module: str
    field: str
    selection: str = Field(min_length=1, max_length=20000, description="The highlighted text")
    start: int | None = Field(default=None, ge=0, description="Where the selection starts in `source`'s text")
    source: str = Field(default="body", description="body, html, or attachment:<name>")
    draft: DraftMatch | None = None


class LearnOut(BaseModel):
    mapping: dict[str, Any]
    value: Any
    raw: str
    evidence: str | None
    kind: str
    notes: list[str]
    alternatives: list[dict[str, Any]]
    others: list[dict[str, Any]] = Field(description="What the mapping gives on recent mails the rule matches")


class ApplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email_ids: list[int] | None = Field(default=None, max_length=5000)
    recent: int | None = Field(default=None, ge=1, le=5000,
                               description="Instead of ids: this many recent mails from the approved senders")


class ApplyOut(BaseModel):
    job_id: str
    email_ids: list[int]


class AddressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    address: str | None = Field(default=None, description="Unset: rules+<random>@<dropbox domain>")
    owner_id: int | None = Field(default=None, description="Whose mail it becomes; default you")


class AddressOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    address: str
    owner_id: int
    active: bool
    created_at: datetime
