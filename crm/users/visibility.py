"""Whose records a person may see: the role hierarchy, decided in this one place."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.users.service import Identity
from crm.users.tables import User

__all__ = ["visible_owner_ids"]


def visible_owner_ids(session: Session, who: Identity) -> list[int] | None:
    """None means everyone (admins); a manager sees their own and their reports' (all levels down)."""
    if who.role == "admin":
        return None
    if who.role != "manager":
        return [who.user_id]
    rows = session.execute(select(User.id, User.manager_id)).all()
    reports: dict[int, list[int]] = {}
    for uid, manager in rows:
        if manager is not None:
            reports.setdefault(manager, []).append(uid)
    seen, todo = {who.user_id}, [who.user_id]
    while todo:
        for uid in reports.get(todo.pop(), []):
            if uid not in seen:
                seen.add(uid)
                todo.append(uid)
    return sorted(seen)
