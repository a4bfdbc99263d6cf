"""Storing mail: every message is kept raw; what we cannot read is marked, never dropped."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from crm.mail.repository import EmailRepository
from crm.mail.tables import Email
from nlp.parsing.envelope import read_envelope

__all__ = ["MailStore", "StoreResult"]


@dataclass(frozen=True)
class StoreResult:
    email: Email
    created: bool

    @property
    def malformed(self) -> bool:
        return self.email.status == "malformed"


class MailStore:
    def __init__(self, session: Session):
        self.emails = EmailRepository(session)

    def store(self, raw: bytes, *, owner_id: int | None, source: str, direction: str = "in") -> StoreResult:
        """Store one message once per owner (by content hash); a repeat returns the stored row."""
        env = read_envelope(raw)
        existing = self.emails.by_hash(owner_id, env.content_hash)
        if existing is not None:
            return StoreResult(existing, created=False)
        email = Email(
            owner_id=owner_id, source=source, direction=direction, message_id=env.message_id,
            content_hash=env.content_hash, size=env.size, raw=raw, subject=env.subject[:2000],
            from_name=env.from_name[:300], from_addr=env.from_addr[:320], date=env.date,
            in_reply_to=env.in_reply_to, status="malformed" if env.problem else "ok", problem=env.problem,
        )
        self.emails.add(email)
        return StoreResult(email, created=True)


def visible_owner_ids(who) -> list[int] | None:
    """Whose mail an identity may read: all for admins, otherwise its own (sharing extends this)."""
    return None if who.role == "admin" else [who.user_id]
