"""Creating, reading, updating and deleting records of any module, with history and visibility.

Built-in modules keep their values in typed columns, custom modules in a JSON column; both are
validated by the same field descriptions, and every change is written to the record history with
its source (ui, api, import, signature, rule, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session

from assistant.errors import BadInput, Forbidden, NotFound
from crm.mail.linking import link_existing_mail
from crm.records.fields import FieldSpec, field_from_dict, validate_value
from crm.records.modules import MODULES, ModuleSpec
from crm.records.tables import CustomModule, CustomRecord, RecordHistory
from crm.repository import Page
from crm.users.service import Identity
from crm.users.visibility import visible_owner_ids

__all__ = ["RecordService", "Change", "module_spec", "record_title", "plain"]


@dataclass(frozen=True)
class Change:
    """Where a change comes from, recorded in the history."""

    source: str = "api"
    email_id: int | None = None
    detail: str | None = None


def plain(value: Any) -> Any:
    """A value as JSON and history text want it."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def module_spec(session: Session, name: str) -> tuple[ModuleSpec, CustomModule | None]:
    if name in MODULES:
        return MODULES[name], None
    custom = session.scalar(select(CustomModule).where(CustomModule.name == name))
    if custom is None:
        raise NotFound(f"no module named {name!r}", code="unknown_module")
    fields = tuple(field_from_dict(f) for f in custom.fields)
    return ModuleSpec(custom.name, custom.label, CustomRecord, fields, (custom.title_field,)), custom


def record_title(spec: ModuleSpec, record: Any) -> str:
    values = [_get(spec, record, name) for name in spec.title]
    text = " ".join(str(v) for v in values if v)
    return (text[:80] + "…") if len(text) > 80 else (text or f"#{record.id}")


def _get(spec: ModuleSpec, record: Any, name: str) -> Any:
    if isinstance(record, CustomRecord):
        return record.data.get(name)
    return getattr(record, name)


class RecordService:
    def __init__(self, session: Session, who: Identity, module: str):
        self.session = session
        self.who = who
        self.spec, self.custom = module_spec(session, module)
        self.table = self.spec.table

    # --- reading --------------------------------------------------------------------------------
    def _column(self, name: str):
        if name in ("id", "owner_id", "created_at", "updated_at"):
            return getattr(self.table, name)
        spec = self.spec.field(name)
        if spec is None:
            raise BadInput(f"{self.spec.name} has no field {name!r}", code="unknown_field",
                           details={"field": name, "allowed": [f.name for f in self.spec.fields]})
        if self.custom is not None:
            return CustomRecord.data[name].as_string()
        return getattr(self.table, name)

    def _visible(self, query):
        owners = visible_owner_ids(self.session, self.who)
        if self.custom is not None:
            query = query.where(CustomRecord.module_id == self.custom.id)
        return query if owners is None else query.where(self.table.owner_id.in_(owners))

    def list(self, *, filters: dict[str, Any] | None = None, sort: str | None = None, q: str | None = None,
             offset: int = 0, limit: int = 50) -> Page:
        query = self._visible(select(self.table))
        for name, value in (filters or {}).items():
            column = self._column(name)
            spec = self.spec.field(name)
            query = query.where(column == (validate_value(spec, value) if spec and self.custom is None else value))
        if q:
            like = f"%{q.strip().lower()[:100]}%"
            text_fields = [f.name for f in self.spec.fields if f.type in ("text", "email", "longtext")]
            query = query.where(or_(*[func.lower(cast(self._column(n), String)).like(like) for n in text_fields]))
        if sort:
            column = self._column(sort.lstrip("-"))
            query = query.order_by(column.desc() if sort.startswith("-") else column.asc(), self.table.id)
        else:
            query = query.order_by(self.table.id.desc())
        limit = max(1, min(limit, 500))
        total = self.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
        return Page(self.session.scalars(query.offset(max(0, offset)).limit(limit)).all(), total, offset, limit)

    def get(self, record_id: int) -> Any:
        record = self.session.get(self.table, record_id)
        if record is None or (self.custom is not None and record.module_id != self.custom.id):
            raise NotFound(f"{self.spec.name} record {record_id} not found")
        owners = visible_owner_ids(self.session, self.who)
        if owners is not None and record.owner_id not in owners:
            raise NotFound(f"{self.spec.name} record {record_id} not found")
        return record

    def values(self, record: Any) -> dict[str, Any]:
        data = {f.name: plain(_get(self.spec, record, f.name)) for f in self.spec.fields}
        return {"id": record.id, "module": self.spec.name, "title": record_title(self.spec, record),
                "owner_id": record.owner_id, "created_at": record.created_at, "updated_at": record.updated_at,
                **data}

    def history(self, record_id: int) -> list[RecordHistory]:
        self.get(record_id)
        query = (select(RecordHistory).where(RecordHistory.module == self.spec.name,
                                             RecordHistory.record_id == record_id)
                 .order_by(RecordHistory.id))
        return list(self.session.scalars(query))

    # --- writing --------------------------------------------------------------------------------
    def _require_write(self) -> None:
        if not self.who.has("records:write"):
            raise Forbidden("this needs the 'records:write' scope", code="missing_scope")

    def _clean(self, data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
        unknown = sorted(set(data) - {f.name for f in self.spec.fields} - {"owner_id"})
        if unknown:
            raise BadInput(f"{self.spec.name} has no field(s) {unknown}", code="unknown_field",
                           details={"fields": unknown, "allowed": [f.name for f in self.spec.fields]})
        clean: dict[str, Any] = {}
        for spec in self.spec.fields:
            if spec.name in data:
                clean[spec.name] = validate_value(spec, data[spec.name])
                if spec.type == "ref" and clean[spec.name] is not None and spec.ref in MODULES:
                    # A link to a record the caller cannot see would leak its existence.
                    RecordService(self.session, self.who, spec.ref).get(clean[spec.name])
            elif creating and spec.required:
                raise BadInput(f"field {spec.name!r}: is required", code="bad_field_value",
                               details={"field": spec.name})
        return clean

    def _owner(self, data: dict[str, Any], default: int) -> int:
        owner = data.get("owner_id", default)
        owners = visible_owner_ids(self.session, self.who)
        if owners is not None and owner not in owners:
            raise Forbidden("you cannot give a record to someone outside your team", code="bad_owner")
        return int(owner)

    def _log(self, record_id: int, action: str, change: Change, field: str | None = None,
             old: Any = None, new: Any = None) -> None:
        self.session.add(RecordHistory(
            module=self.spec.name, record_id=record_id, action=action, field=field,
            old_value=None if old is None else str(plain(old)), new_value=None if new is None else str(plain(new)),
            changed_by=self.who.user_id, source=change.source, source_email_id=change.email_id,
            source_detail=change.detail))

    def create(self, data: dict[str, Any], change: Change = Change()) -> Any:
        self._require_write()
        clean = self._clean(data, creating=True)
        owner = self._owner(data, self.who.user_id)
        if self.custom is not None:
            record = CustomRecord(module_id=self.custom.id, owner_id=owner,
                                  data={k: plain(v) for k, v in clean.items()})
        else:
            record = self.table(owner_id=owner, **clean)
        self.session.add(record)
        self.session.flush()
        self._log(record.id, "create", change)
        for name, value in clean.items():
            if value is not None:
                self._log(record.id, "update", change, name, None, value)
        self._link_mail(clean)
        return record

    def update(self, record_id: int, data: dict[str, Any], change: Change = Change()) -> Any:
        self._require_write()
        record = self.get(record_id)
        clean = self._clean(data, creating=False)
        if "owner_id" in data:
            new_owner = self._owner(data, record.owner_id)
            if new_owner != record.owner_id:
                self._log(record.id, "update", change, "owner_id", record.owner_id, new_owner)
                record.owner_id = new_owner
        for name, value in clean.items():
            old = _get(self.spec, record, name)
            if plain(old) == plain(value):
                continue
            self._log(record.id, "update", change, name, old, value)
            if self.custom is not None:
                record.data = {**record.data, name: plain(value)}
            else:
                setattr(record, name, value)
        self.session.flush()
        self._link_mail(clean)
        return record

    def _link_mail(self, changed: dict[str, Any]) -> None:
        """A person whose address (or account) just became known gets the mail already stored."""
        if self.spec.name in ("contacts", "leads") and changed.get("email"):
            link_existing_mail(self.session, changed["email"])

    def delete(self, record_id: int, change: Change = Change()) -> None:
        self._require_write()
        record = self.get(record_id)
        self._log(record.id, "delete", change)
        self.session.delete(record)
        self.session.flush()
