"""Who may read whose mail, and how much: the one place every mail query asks.

Mail is private by default. An owner (or an admin for them) shares it with a user or with everyone
of a role, as metadata only (sender, subject, date) or in full. Admins read everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from assistant.errors import BadInput, Forbidden, NotFound
from crm.mail.repository import EmailRepository
from crm.mail.tables import Email, MailShare
from crm.repository import Page
from crm.users.service import Identity
from crm.users.tables import ROLES

__all__ = ["MailAccess", "MailReader", "SharingService", "LEVELS", "METADATA_FIELDS"]

LEVELS = ("metadata", "full")
METADATA_FIELDS = ("id", "owner_id", "subject", "from_name", "from_addr", "date", "thread_id")


@dataclass(frozen=True)
class MailAccess:
    full: frozenset[int] | None  # owners whose mail is fully readable; None = all (admin)
    metadata: frozenset[int]

    @classmethod
    def of(cls, session: Session, who: Identity) -> MailAccess:
        if who.role == "admin":
            return cls(None, frozenset())
        rows = session.execute(select(MailShare.owner_id, MailShare.level).where(
            or_(MailShare.grantee_user_id == who.user_id, MailShare.grantee_role == who.role))).all()
        full = {who.user_id} | {owner for owner, level in rows if level == "full"}
        meta = {owner for owner, level in rows if level == "metadata"} - full
        return cls(frozenset(full), frozenset(meta))

    def level(self, owner_id: int | None) -> str | None:
        if self.full is None:
            return "full"
        if owner_id in self.full:
            return "full"
        return "metadata" if owner_id in self.metadata else None

    def where(self):
        """A filter on Email for every mail readable at any level."""
        if self.full is None:
            return None
        return Email.owner_id.in_(self.full | self.metadata)


class MailReader:
    """Reading mail for a person or an app; every API, page and report goes through it."""

    def __init__(self, session: Session, who: Identity):
        self.session = session
        self.who = who
        self.access = MailAccess.of(session, who)
        self.emails = EmailRepository(session)

    def page(self, *, sort: str | None = "-date", offset: int = 0, limit: int = 50, **filters) -> Page[Email]:
        query = select(Email)
        condition = self.access.where()
        if condition is not None:
            query = query.where(condition)
        return self.emails.page(query, sort=sort, filters=filters, offset=offset, limit=limit)

    def get(self, email_id: int, *, need: str = "metadata") -> Email:
        email = self.emails.get(email_id)
        level = self.access.level(email.owner_id) if email is not None else None
        if level is None:
            raise NotFound(f"email {email_id} not found")  # never reveal that someone else's mail exists
        if need == "full" and level != "full":
            raise Forbidden("only this mail's sender, subject and date are shared with you",
                            code="metadata_only")
        return email

    def level(self, email: Email) -> str | None:
        return self.access.level(email.owner_id)

    def visible_ids(self, ids: list[int]) -> dict[int, str]:
        """For a list of ids (a record's timeline), the level at which each is readable."""
        out = {}
        for email in self.emails.by_ids(ids):
            level = self.access.level(email.owner_id)
            if level:
                out[email.id] = level
        return out


class SharingService:
    def __init__(self, session: Session, who: Identity):
        self.session = session
        self.who = who

    def list(self, owner_id: int | None = None) -> list[MailShare]:
        owner = owner_id if owner_id is not None else self.who.user_id
        self._may_manage(owner)
        return list(self.session.scalars(select(MailShare).where(MailShare.owner_id == owner).order_by(MailShare.id)))

    def _may_manage(self, owner_id: int) -> None:
        if owner_id != self.who.user_id and not self.who.has("admin"):
            raise Forbidden("you can only share your own mail", code="not_owner")

    def share(self, *, level: str, user_id: int | None = None, role: str | None = None,
              owner_id: int | None = None) -> MailShare:
        owner = owner_id if owner_id is not None else self.who.user_id
        self._may_manage(owner)
        if level not in LEVELS:
            raise BadInput(f"level must be one of {LEVELS}", code="bad_level")
        if (user_id is None) == (role is None):
            raise BadInput("share with exactly one of a user or a role", code="bad_grantee")
        if role is not None and role not in ROLES:
            raise BadInput(f"unknown role {role!r}", code="bad_role")
        existing = self.session.scalar(select(MailShare).where(
            MailShare.owner_id == owner, MailShare.grantee_user_id.is_(None) if user_id is None
            else MailShare.grantee_user_id == user_id,
            MailShare.grantee_role.is_(None) if role is None else MailShare.grantee_role == role))
        if existing is not None:
            existing.level = level
            return existing
        share = MailShare(owner_id=owner, grantee_user_id=user_id, grantee_role=role, level=level)
        self.session.add(share)
        self.session.flush()
        return share

    def unshare(self, share_id: int) -> None:
        share = self.session.get(MailShare, share_id)
        if share is None:
            raise NotFound(f"share {share_id} not found")
        self._may_manage(share.owner_id)
        self.session.delete(share)
