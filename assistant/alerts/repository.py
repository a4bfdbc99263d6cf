from __future__ import annotations

from sqlalchemy import select, update

from assistant.alerts.tables import Notification
from crm.db import utcnow
from crm.repository import Repository

__all__ = ["NotificationRepository"]


class NotificationRepository(Repository[Notification]):
    model = Notification

    def after(self, user_id: int, last_id: int, limit: int = 50) -> list[Notification]:
        query = (select(Notification).where(Notification.user_id == user_id, Notification.id > last_id)
                 .order_by(Notification.id).limit(limit))
        return list(self.session.scalars(query))

    def recent(self, user_id: int, *, unread_only: bool, limit: int = 50) -> list[Notification]:
        query = select(Notification).where(Notification.user_id == user_id)
        if unread_only:
            query = query.where(Notification.read_at.is_(None))
        return list(self.session.scalars(query.order_by(Notification.id.desc()).limit(limit)))

    def latest_id(self, user_id: int) -> int:
        found = self.session.scalar(select(Notification.id).where(Notification.user_id == user_id)
                                    .order_by(Notification.id.desc()).limit(1))
        return found or 0

    def exists_for(self, user_id: int, email_id: int) -> bool:
        return self.session.scalar(select(Notification.id).where(Notification.user_id == user_id,
                                                                 Notification.email_id == email_id).limit(1)) \
            is not None

    def mark_read(self, user_id: int, ids: list[int]) -> int:
        stmt = (update(Notification).where(Notification.user_id == user_id, Notification.id.in_(ids),
                                           Notification.read_at.is_(None)).values(read_at=utcnow()))
        return self.session.execute(stmt).rowcount or 0
