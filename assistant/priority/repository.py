from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.mail.tables import Email, EmailAnalysis, EmailLink
from crm.records.tables import Account, Contact, Deal, Lead

__all__ = ["PriorityRepository"]


class PriorityRepository:
    def __init__(self, session: Session):
        self.session = session

    def links(self, email_ids: Iterable[int]) -> list[EmailLink]:
        ids = list(set(email_ids))
        if not ids:
            return []
        return list(self.session.scalars(select(EmailLink).where(EmailLink.email_id.in_(ids))))

    def by_ids(self, model, ids: Iterable[int]) -> dict[int, object]:
        ids = list(set(i for i in ids if i))
        if not ids:
            return {}
        return {row.id: row for row in self.session.scalars(select(model).where(model.id.in_(ids)))}

    def contacts(self, ids) -> dict[int, Contact]:
        return self.by_ids(Contact, ids)

    def leads(self, ids) -> dict[int, Lead]:
        return self.by_ids(Lead, ids)

    def accounts(self, ids) -> dict[int, Account]:
        return self.by_ids(Account, ids)

    def deals(self, ids) -> dict[int, Deal]:
        return self.by_ids(Deal, ids)

    def last_outgoing(self, thread_ids: Iterable[int]) -> dict[int, datetime]:
        """When the owner last wrote in each thread: a mail answered after it arrived needs no reply."""
        ids = list(set(t for t in thread_ids if t))
        if not ids:
            return {}
        query = (select(Email.thread_id, func.max(Email.date)).where(Email.thread_id.in_(ids), Email.direction == "out")
                 .group_by(Email.thread_id))
        return {thread: when for thread, when in self.session.execute(query) if when}

    def waiting(self, since: datetime, limit: int = 5000) -> list[Email]:
        query = (select(Email).where(Email.needs_reply.is_(True), Email.date >= since, Email.direction == "in")
                 .order_by(Email.id).limit(limit))
        return list(self.session.scalars(query))

    def received_since(self, since: datetime, limit: int = 50000) -> list[Email]:
        query = (select(Email).where(Email.direction == "in", Email.date >= since).order_by(Email.id).limit(limit))
        return list(self.session.scalars(query))

    def latest_results(self, email_ids: Iterable[int]) -> dict[int, dict]:
        """Each mail's newest analysis result (any pipeline version)."""
        ids = list(set(email_ids))
        if not ids:
            return {}
        query = (select(EmailAnalysis).where(EmailAnalysis.email_id.in_(ids))
                 .order_by(EmailAnalysis.email_id, EmailAnalysis.id))
        return {row.email_id: row.result for row in self.session.scalars(query)}

    def inbox(self, owner_id: int, *, folder: str | None = None, offset: int = 0,
              limit: int = 50) -> tuple[list[Email], int]:
        """The owner's received mail, highest priority first (not yet scored last), newest first on ties."""
        query = select(Email).where(Email.owner_id == owner_id, Email.direction == "in")
        if folder == "needs_reply":
            query = query.where(Email.needs_reply.is_(True))
        elif folder:
            query = query.where(Email.inbox_folder == folder)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        query = query.order_by(Email.priority.desc().nulls_last(), Email.date.desc().nulls_last(), Email.id.desc())
        return list(self.session.scalars(query.offset(max(0, offset)).limit(max(1, min(limit, 200))))), total

    def folder_counts(self, owner_id: int) -> dict[str, int]:
        base = (Email.owner_id == owner_id, Email.direction == "in")
        counts = dict(self.session.execute(select(Email.inbox_folder, func.count()).where(*base)
                                           .group_by(Email.inbox_folder)).all())
        counts = {k: v for k, v in counts.items() if k}
        counts["needs_reply"] = self.session.scalar(select(func.count()).where(*base, Email.needs_reply.is_(True))) or 0
        return counts
