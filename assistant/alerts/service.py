"""Mail alerts: when mail from a CRM contact or lead arrives, its owner hears about it at once.

Notifications are rows, read by a Server-Sent Events stream that polls for new ones: that works the
same whether the job that made them ran in this process, another web worker, or a Celery worker.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from assistant.alerts.repository import NotificationRepository
from assistant.alerts.tables import Notification
from assistant.errors import NotFound
from crm.db import utcnow
from crm.mail.repository import LinkRepository
from crm.mail.tables import Email
from crm.records.service import Change, RecordService, record_title
from crm.users.service import Identity
from crm.users.tables import UserPreferences

__all__ = ["AlertService", "DEFAULT_PREFERENCES", "as_event"]

DEFAULT_PREFERENCES = {"contact_mail": True, "lead_mail": True}


class AlertService:
    def __init__(self, session: Session):
        self.session = session
        self.repo = NotificationRepository(session)

    def preferences(self, user_id: int) -> dict[str, bool]:
        prefs = self.session.get(UserPreferences, user_id)
        return {**DEFAULT_PREFERENCES, **((prefs.notify if prefs else None) or {})}

    def set_preferences(self, user_id: int, changes: dict[str, bool]) -> dict[str, bool]:
        prefs = self.session.get(UserPreferences, user_id) or UserPreferences(user_id=user_id)
        current = {**DEFAULT_PREFERENCES, **(prefs.notify or {})}
        current.update({k: bool(v) for k, v in changes.items() if k in DEFAULT_PREFERENCES})
        prefs.notify = current
        self.session.add(prefs)
        self.session.flush()
        return current

    def on_analysed(self, email: Email, result: dict[str, Any], who: Identity | None) -> Notification | None:
        """After a mail is analysed: alert its owner when the sender is one of their CRM people."""
        if email.owner_id is None or email.direction != "in" or who is None:
            return None
        if self.repo.exists_for(email.owner_id, email.id):
            return None  # analysed again: already announced
        sender = next((link for link in LinkRepository(self.session).for_email(email.id)
                       if link.reason == "from" and link.module in ("contacts", "leads")), None)
        if sender is None:
            return None
        prefs = self.preferences(email.owner_id)
        if not prefs["contact_mail" if sender.module == "contacts" else "lead_mail"]:
            return None
        service = RecordService(self.session, who, sender.module)
        try:
            record = service.get(sender.record_id)
        except NotFound:
            return None  # a person the owner cannot see is not theirs to be alerted about
        summary = result.get("summary") or {}
        summary = (summary.get("line") or summary.get("tldr") or email.subject or "(no subject)")[:500]
        notification = Notification(
            user_id=email.owner_id, kind="crm_mail", email_id=email.id,
            title=f"New mail from {email.from_name or email.from_addr}"[:300], body=summary,
            data={"email_id": email.id, "subject": email.subject[:300],
                  "record": {"module": sender.module, "id": record.id,
                             "title": record_title(service.spec, record)}})
        self.session.add(notification)
        self.session.flush()
        return notification

    def follow_up(self, notification_id: int, who: Identity) -> int:
        """Quick action: a follow-up task for tomorrow on the sender's record, linked to the mail."""
        notification = self.repo.get(notification_id)
        if notification is None or notification.user_id != who.user_id:
            raise NotFound(f"notification {notification_id} not found")
        record = notification.data.get("record") or {}
        related = {"contact_id" if record.get("module") == "contacts" else "lead_id": record.get("id")}
        task = RecordService(self.session, who, "tasks").create(
            {"subject": f"Follow up: {notification.data.get('subject', '')}"[:500],
             "due_date": (utcnow() + timedelta(days=1)).replace(microsecond=0),
             "email_id": notification.email_id, **related},
            Change(source="alert", email_id=notification.email_id))
        self.repo.mark_read(who.user_id, [notification.id])
        return task.id


def as_event(notification: Notification) -> dict[str, Any]:
    return {"id": notification.id, "kind": notification.kind, "title": notification.title, "body": notification.body,
            "email_id": notification.email_id, "created_at": notification.created_at.isoformat(),
            **{k: v for k, v in notification.data.items() if k in ("record", "subject")}}
