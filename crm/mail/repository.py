from __future__ import annotations

from sqlalchemy import select

from crm.mail.tables import Email
from crm.repository import Repository

__all__ = ["EmailRepository", "visible_query"]


class EmailRepository(Repository[Email]):
    model = Email
    sortable = ("id", "date", "created_at", "subject", "from_addr", "size")
    filterable = ("status", "source", "direction", "from_addr", "owner_id")

    def by_hash(self, owner_id: int | None, content_hash: str) -> Email | None:
        query = select(Email).where(Email.content_hash == content_hash)
        query = query.where(Email.owner_id.is_(None) if owner_id is None else Email.owner_id == owner_id)
        return self.session.scalar(query)


def visible_query(owner_ids: list[int] | None):
    """Mail a viewer may see: ``None`` means everything (admins); sharing rules extend this."""
    query = select(Email)
    return query if owner_ids is None else query.where(Email.owner_id.in_(owner_ids))
