"""Organisation settings an admin tunes at run time (unlike deployment settings, which are env vars).

Each setting is declared once here with its type and default; reading one that was never set gives
the default; writing checks the type and names the setting in the error.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.errors import BadInput
from crm.org.tables import OrgSetting

__all__ = ["OrgSettings", "OrgSettingsModel"]


class OrgSettingsModel(BaseModel):
    model_config = {"extra": "forbid"}

    signature_new_sender: str = Field(
        default="contact", pattern="^(contact|lead|none)$",
        description="What an unknown sender's signature suggests: a new contact, a new lead, or nothing")
    signature_autocreate_threshold: float | None = Field(
        default=None, ge=0, le=1, description="Create the suggested contact/lead without asking above this "
                                              "confidence (unset: always ask)")
    activity_autocreate_threshold: float | None = Field(
        default=None, ge=0, le=1, description="Create proposed meetings/tasks/calls without asking above this "
                                              "confidence (unset: always ask)")
    competitors: list[str] = Field(default_factory=list, description="Competitor names the insight tags look for")
    priority_weights: dict[str, float] = Field(
        default_factory=dict, description="Overrides of the priority weights (assistant.priority.score)")


    @field_validator("priority_weights")
    @classmethod
    def _known_weights(cls, value: dict[str, float]) -> dict[str, float]:
        from assistant.priority.score import DEFAULT_WEIGHTS  # the weights are defined with the scoring

        unknown = sorted(set(value) - set(DEFAULT_WEIGHTS))
        if unknown:
            raise ValueError(f"unknown weights {unknown}; known: {sorted(DEFAULT_WEIGHTS)}")
        return value


class OrgSettings:
    def __init__(self, session: Session):
        self.session = session

    def get(self) -> OrgSettingsModel:
        stored = {row.key: row.value for row in self.session.scalars(select(OrgSetting))}
        known = {k: v for k, v in stored.items() if k in OrgSettingsModel.model_fields}
        return OrgSettingsModel(**known)

    def update(self, changes: dict[str, Any], *, by: int | None) -> OrgSettingsModel:
        merged = {**self.get().model_dump(), **changes}
        try:
            valid = OrgSettingsModel(**merged)
        except ValidationError as exc:
            first = exc.errors()[0]
            name = ".".join(str(p) for p in first.get("loc", ())) or "settings"
            raise BadInput(f"setting {name!r}: {first.get('msg')}", code="bad_setting",
                           details={"setting": name}) from None
        for key in changes:
            row = self.session.get(OrgSetting, key) or OrgSetting(key=key)
            row.value, row.updated_by = getattr(valid, key), by
            self.session.add(row)
        self.session.flush()
        return valid
