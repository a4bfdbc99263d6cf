"""Typed record fields: one description drives validation, API schemas, filters and the UI forms.

Built-in modules describe their columns with these; admin-defined custom modules store the same
descriptions as data, so both are validated by the same code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from assistant.errors import BadInput

__all__ = ["FieldSpec", "FIELD_TYPES", "validate_value", "field_from_dict"]

FIELD_TYPES = ("text", "longtext", "email", "phone", "url", "number", "money", "date", "datetime", "bool",
               "choice", "ref", "user")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s.]{1,63}$")
_PHONE = re.compile(r"^[+0-9()./\- ]{3,40}$")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str = "text"
    label: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str | None = None  # module a "ref" field points to
    max_length: int = 500
    filterable: bool = True
    sortable: bool = True
    listed: bool = False  # shown as a column in list views

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "label": self.title, "required": self.required,
                "choices": list(self.choices), "ref": self.ref}


def field_from_dict(data: dict[str, Any]) -> FieldSpec:
    """A custom module's field, checked as an admin defines it (the reason names the field)."""
    name = str(data.get("name", ""))
    if not _NAME.match(name):
        raise BadInput(f"field name {name!r} must be lowercase letters, digits and _ (max 40)",
                       code="bad_field", details={"field": name})
    ftype = data.get("type", "text")
    if ftype not in FIELD_TYPES:
        raise BadInput(f"field {name!r}: unknown type {ftype!r}", code="bad_field",
                       details={"field": name, "allowed": list(FIELD_TYPES)})
    choices = tuple(str(c) for c in data.get("choices") or ())
    if ftype == "choice" and not choices:
        raise BadInput(f"field {name!r}: a choice field needs choices", code="bad_field", details={"field": name})
    return FieldSpec(name=name, type=ftype, label=str(data.get("label", "")), required=bool(data.get("required")),
                     choices=choices, ref=data.get("ref"), listed=bool(data.get("listed", True)))


def _fail(spec: FieldSpec, why: str) -> BadInput:
    return BadInput(f"field {spec.name!r}: {why}", code="bad_field_value", details={"field": spec.name})


def validate_value(spec: FieldSpec, value: Any) -> Any:
    """The value in its stored Python type, or BadInput naming the field and the reason."""
    if value is None or value == "":
        if spec.required:
            raise _fail(spec, "is required")
        return None
    kind = spec.type
    if kind in ("text", "longtext", "url"):
        text = str(value).strip()
        limit = 20000 if kind == "longtext" else spec.max_length
        if len(text) > limit:
            raise _fail(spec, f"is longer than {limit} characters")
        return text
    if kind == "email":
        text = str(value).strip().lower()
        if not _EMAIL.match(text):
            raise _fail(spec, f"{value!r} is not an email address")
        return text
    if kind == "phone":
        text = str(value).strip()
        if not _PHONE.match(text):
            raise _fail(spec, f"{value!r} is not a phone number")
        return text
    if kind in ("number", "money"):
        try:
            number = Decimal(str(value).replace(",", "")) if not isinstance(value, (int, float)) else Decimal(value)
        except InvalidOperation:
            raise _fail(spec, f"{value!r} is not a number") from None
        if not number.is_finite():
            raise _fail(spec, "must be finite")
        return number.quantize(Decimal("0.01")) if kind == "money" else number
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "1", "yes", "on"):
            return True
        if str(value).lower() in ("false", "0", "no", "off"):
            return False
        raise _fail(spec, f"{value!r} is not true or false")
    if kind == "date":
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            raise _fail(spec, f"{value!r} is not a date (YYYY-MM-DD)") from None
    if kind == "datetime":
        if isinstance(value, datetime):
            parsed = value
        else:
            try:
                parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            except ValueError:
                raise _fail(spec, f"{value!r} is not an ISO 8601 date-time") from None
        if parsed.tzinfo is None:
            raise _fail(spec, "needs a time zone offset")
        return parsed.astimezone(timezone.utc)
    if kind == "choice":
        if str(value) not in spec.choices:
            raise _fail(spec, f"{value!r} is not one of {list(spec.choices)}")
        return str(value)
    if kind in ("ref", "user"):
        try:
            return int(value)
        except (TypeError, ValueError):
            raise _fail(spec, f"{value!r} is not a record id") from None
    raise _fail(spec, f"has an unknown type {kind!r}")
