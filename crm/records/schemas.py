"""API schemas of records, built from the field descriptions so the OpenAPI document is exact."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from crm.records.fields import FieldSpec
from crm.records.modules import ModuleSpec

__all__ = ["input_model", "output_model", "RecordPage", "HistoryOut", "TimelineItem", "CustomModuleIn",
           "CustomModuleOut", "GenericRecordOut", "GenericRecordIn"]

_TYPES: dict[str, Any] = {"text": str, "longtext": str, "email": str, "phone": str, "url": str,
                          "number": Decimal, "money": Decimal, "date": date, "datetime": datetime, "bool": bool,
                          "ref": int, "user": int}


def _python_type(spec: FieldSpec) -> Any:
    if spec.type == "choice":
        return Literal[spec.choices]  # type: ignore[valid-type]
    return _TYPES[spec.type]


def input_model(module: ModuleSpec) -> type[BaseModel]:
    """All fields optional: POST checks required ones itself (so PATCH can reuse the model)."""
    fields = {f.name: (_python_type(f) | None, Field(default=None, description=f.title)) for f in module.fields}
    fields["owner_id"] = (int | None, Field(default=None, description="Owner; default the caller"))
    return create_model(f"{module.name.capitalize()}In", __config__=ConfigDict(extra="forbid"), **fields)


def output_model(module: ModuleSpec) -> type[BaseModel]:
    fields: dict[str, Any] = {
        "id": (int, ...), "module": (str, ...), "title": (str, ...), "owner_id": (int | None, None),
        "created_at": (datetime, ...), "updated_at": (datetime, ...),
    }
    for f in module.fields:
        fields[f.name] = (_python_type(f) | str | None, None)
    return create_model(f"{module.name.capitalize()}Out", **fields)


class GenericRecordOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: int
    module: str
    title: str
    owner_id: int | None
    created_at: datetime
    updated_at: datetime


class GenericRecordIn(BaseModel):
    model_config = ConfigDict(extra="allow")
    owner_id: int | None = None


class RecordPage(BaseModel):
    items: list[dict[str, Any]]
    total: int
    offset: int
    limit: int


class HistoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    action: str
    field: str | None
    old_value: str | None
    new_value: str | None
    changed_by: int | None
    source: str
    source_email_id: int | None
    source_detail: str | None
    at: datetime


class TimelineItem(BaseModel):
    email_id: int
    access: Literal["full", "metadata"]
    subject: str
    from_name: str
    from_addr: str
    date: datetime | None
    direction: str | None
    reason: str


class CustomFieldIn(BaseModel):
    name: str
    type: str = "text"
    label: str = ""
    required: bool = False
    choices: list[str] = Field(default_factory=list)
    ref: str | None = None
    listed: bool = True


class CustomModuleIn(BaseModel):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]{1,39}$", description="API name, e.g. 'projects'")
    label: str = Field(min_length=1, max_length=120)
    fields: list[CustomFieldIn] = Field(min_length=1)
    title_field: str


class CustomModuleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    label: str
    fields: list[dict[str, Any]]
    title_field: str
