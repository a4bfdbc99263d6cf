"""A record's mail timeline: linked mail, filtered by what the viewer may read."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy.orm import Session

from crm.mail.repository import EmailRepository, LinkRepository
from crm.mail.sharing import MailReader
from crm.users.service import Identity

__all__ = ["timeline"]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def timeline(session: Session, who: Identity, module: str, record_id: int, limit: int = 200) -> list[dict]:
    links = LinkRepository(session).for_record(module, record_id)
    reasons = {link.email_id: link.reason for link in links}
    levels = MailReader(session, who).visible_ids(list(reasons))
    emails = EmailRepository(session).by_ids(levels)
    emails.sort(key=lambda e: e.date or _EPOCH, reverse=True)
    return [{"email_id": e.id, "access": levels[e.id], "subject": e.subject, "from_name": e.from_name,
             "from_addr": e.from_addr, "date": e.date,
             "direction": e.direction if levels[e.id] == "full" else None, "reason": reasons[e.id]}
            for e in emails[:limit]]
