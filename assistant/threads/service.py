"""A conversation's summary for whoever asks: the thread's mail they may read in full, summarised.

The summary is built from each message's stored analysis (:func:`nlp.summary.thread.summarize_thread`):
nothing is analysed again. Sharing decides what goes in: mail the reader may read in full is
summarised, mail shared with them as metadata only is counted (``hidden``) but says nothing, and a
thread with no mail they may see at all does not exist for them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.errors import NotFound
from assistant.priority.repository import PriorityRepository
from crm.mail.sharing import MailAccess
from crm.mail.tables import Email, Thread
from crm.users.service import Identity
from nlp.summary.thread import summarize_thread

__all__ = ["ThreadSummaryService"]

_MAX_MESSAGES = 200  # the newest this many: a summary of a thread, not of a mailing list's archive


class ThreadSummaryService:
    def __init__(self, session: Session, who: Identity):
        self.session = session
        self.access = MailAccess.of(session, who)

    def summary(self, thread_id: int) -> dict[str, Any]:
        thread = self.session.get(Thread, thread_id)
        rows = [] if thread is None else self.session.execute(
            select(Email.id, Email.owner_id, Email.subject, Email.date).where(Email.thread_id == thread_id)
            .order_by(Email.date.desc().nulls_last(), Email.id.desc()).limit(_MAX_MESSAGES)).all()
        levels = {email_id: self.access.level(owner_id) for email_id, owner_id, _, _ in rows}
        if not any(levels.values()):
            raise NotFound(f"thread {thread_id} not found")  # never reveal that someone else's thread exists
        readable = [email_id for email_id, level in levels.items() if level == "full"]
        results = PriorityRepository(self.session).latest_results(readable)
        stored_dates = {email_id: date for email_id, _, _, date in rows}
        summary = summarize_thread([_with_date({**result, "id": email_id}, stored_dates.get(email_id))
                                    for email_id, result in results.items()])
        subject = next((s for email_id, _, s, _ in reversed(rows) if levels[email_id] == "full"), None)
        analysed = sum(1 for result in results.values() if not result.get("error"))
        return {"thread_id": thread_id, "subject": subject or "", **summary,
                "analysed": analysed, "not_analysed": len(readable) - analysed,
                "hidden": sum(1 for level in levels.values() if level == "metadata")}


def _with_date(result: dict[str, Any], stored: datetime | None) -> dict[str, Any]:
    """A message without a usable Date header takes the date it was stored under (its server's arrival
    date, or when it reached us), so it is not taken for the latest message of the conversation."""
    headers = result.get("headers") or {}
    if headers.get("date") or stored is None:
        return result
    return {**result, "headers": {**headers, "date": stored.isoformat()}}
