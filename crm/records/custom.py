"""Admin-defined modules: typed fields as data, validated when the module is defined."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.errors import BadInput, Conflict, NotFound
from crm.records.fields import field_from_dict
from crm.records.modules import MODULES
from crm.records.tables import CustomModule

__all__ = ["CustomModuleService"]

_RESERVED = set(MODULES) | {"emails", "users", "threads", "custom", "records"}


class CustomModuleService:
    def __init__(self, session: Session):
        self.session = session

    def list(self) -> list[CustomModule]:
        return list(self.session.scalars(select(CustomModule).order_by(CustomModule.name)))

    def get(self, name: str) -> CustomModule:
        module = self.session.scalar(select(CustomModule).where(CustomModule.name == name))
        if module is None:
            raise NotFound(f"no custom module {name!r}")
        return module

    def create(self, name: str, label: str, fields: list[dict], title_field: str) -> CustomModule:
        if name in _RESERVED:
            raise BadInput(f"{name!r} is a built-in name", code="reserved_name")
        if self.session.scalar(select(CustomModule).where(CustomModule.name == name)):
            raise Conflict(f"a module {name!r} exists", code="module_exists")
        specs = [field_from_dict(f) for f in fields]
        names = [s.name for s in specs]
        if len(set(names)) != len(names):
            raise BadInput("field names must be unique", code="bad_field")
        if title_field not in names:
            raise BadInput(f"title_field {title_field!r} is not one of the fields", code="bad_field",
                           details={"field": title_field})
        for spec in specs:
            if spec.type == "ref" and spec.ref not in MODULES:
                raise BadInput(f"field {spec.name!r}: ref must name a built-in module", code="bad_field",
                               details={"field": spec.name, "allowed": list(MODULES)})
        module = CustomModule(name=name, label=label, fields=[s.to_dict() for s in specs], title_field=title_field)
        self.session.add(module)
        self.session.flush()
        return module

    def delete(self, name: str) -> None:
        self.session.delete(self.get(name))
        self.session.flush()
