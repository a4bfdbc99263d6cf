"""A typed generic repository: the only place that builds queries for a table.

Domain repositories subclass it and add named queries; services call them and never touch SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from assistant.errors import BadInput, NotFound
from crm.db import Base

__all__ = ["Repository", "Page"]

T = TypeVar("T", bound=Base)


class Page(Generic[T]):
    def __init__(self, items: Sequence[T], total: int, offset: int, limit: int):
        self.items, self.total, self.offset, self.limit = list(items), total, offset, limit


class Repository(Generic[T]):
    model: type[T]
    # Columns a caller may sort or filter by; anything else is rejected with the reason.
    sortable: tuple[str, ...] = ("id",)
    filterable: tuple[str, ...] = ()

    def __init__(self, session: Session):
        self.session = session

    def get(self, id_: Any) -> T | None:
        return self.session.get(self.model, id_)

    def get_or_raise(self, id_: Any) -> T:
        obj = self.get(id_)
        if obj is None:
            raise NotFound(f"{self.model.__name__.lower()} {id_} not found")
        return obj

    def add(self, obj: T) -> T:
        self.session.add(obj)
        self.session.flush()
        return obj

    def delete(self, obj: T) -> None:
        self.session.delete(obj)
        self.session.flush()

    def base_query(self) -> Select[tuple[T]]:
        return select(self.model)

    def page(self, query: Select[tuple[T]] | None = None, *, sort: str | None = None,
             filters: dict[str, Any] | None = None, offset: int = 0, limit: int = 50) -> Page[T]:
        query = self.base_query() if query is None else query
        for name, value in (filters or {}).items():
            if value is None:
                continue
            if name not in self.filterable:
                raise BadInput(f"cannot filter by {name!r}", code="bad_filter",
                               details={"allowed": list(self.filterable)})
            query = query.where(getattr(self.model, name) == value)
        if sort:
            desc = sort.startswith("-")
            name = sort.lstrip("-")
            if name not in self.sortable:
                raise BadInput(f"cannot sort by {name!r}", code="bad_sort",
                               details={"allowed": list(self.sortable)})
            column = getattr(self.model, name)
            query = query.order_by(column.desc() if desc else column.asc(), self.model.id)
        else:
            query = query.order_by(self.model.id)
        limit = max(1, min(limit, 500))
        total = self.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
        items = self.session.scalars(query.offset(max(offset, 0)).limit(limit)).all()
        return Page(items, total, offset, limit)
