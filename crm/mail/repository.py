from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session

from crm.mail.tables import Attachment, Blob, Email, EmailAnalysis, EmailLink, Thread
from crm.records.tables import Contact, Deal, Lead
from crm.repository import Repository
from crm.users.tables import User
from mailio.mailboxes.tables import Mailbox
from mailio.smtp.tables import FromAddress

__all__ = ["EmailRepository", "ThreadRepository", "LinkRepository", "AttachmentRepository"]


class EmailRepository(Repository[Email]):
    model = Email
    sortable = ("id", "date", "created_at", "subject", "from_addr", "size")
    filterable = ("status", "source", "direction", "from_addr", "owner_id", "thread_id", "mailbox_id",
                  "analysis_state")

    def existing_hashes(self, owner_id: int | None, hashes: Iterable[str]) -> dict[str, Email]:
        hashes = list(set(hashes))
        if not hashes:
            return {}
        query = select(Email).where(Email.content_hash.in_(hashes), _owner_is(owner_id))
        return {e.content_hash: e for e in self.session.scalars(query)}

    def existing_message_ids(self, owner_id: int | None, ids: Iterable[str]) -> dict[str, Email]:
        ids = [i for i in set(ids) if i]
        if not ids:
            return {}
        query = select(Email).where(Email.message_id.in_(ids), _owner_is(owner_id))
        return {e.message_id: e for e in self.session.scalars(query)}

    def replies_to(self, owner_id: int | None, ids: Iterable[str]) -> dict[str, Email]:
        """Stored mail that answers one of these Message-IDs (a reply that arrived before its parent)."""
        ids = [i for i in set(ids) if i]
        if not ids:
            return {}
        query = select(Email).where(Email.in_reply_to.in_(ids), _owner_is(owner_id), Email.thread_id.is_not(None))
        return {e.in_reply_to: e for e in self.session.scalars(query)}

    def by_ids(self, ids: Iterable[int]) -> list[Email]:
        return list(self.session.scalars(select(Email).where(Email.id.in_(list(ids))).order_by(Email.id)))

    def involving(self, address: str, limit: int = 5000) -> list[Email]:
        """Mail from, to or cc an address (to/cc are JSON lists: matched as quoted text)."""
        address = address.lower()
        quoted = f'%"{address}"%'
        query = select(Email).where(or_(Email.from_addr == address, cast(Email.to_addrs, String).like(quoted),
                                        cast(Email.cc_addrs, String).like(quoted))).limit(limit)
        return list(self.session.scalars(query))

    def latest_analysis(self, email_id: int) -> EmailAnalysis | None:
        return self.session.scalar(select(EmailAnalysis).where(EmailAnalysis.email_id == email_id)
                                   .order_by(EmailAnalysis.id.desc()).limit(1))

    def analyses(self, email_ids: Iterable[int], version: str) -> dict[int, EmailAnalysis]:
        query = select(EmailAnalysis).where(EmailAnalysis.email_id.in_(list(email_ids)),
                                            EmailAnalysis.pipeline_version == version)
        return {a.email_id: a for a in self.session.scalars(query)}


def _owner_is(owner_id: int | None):
    return Email.owner_id.is_(None) if owner_id is None else Email.owner_id == owner_id


class ThreadRepository(Repository[Thread]):
    model = Thread
    sortable = ("id", "last_date")

    def recent_by_subject(self, owner_id: int | None, keys: Iterable[str]) -> dict[str, Thread]:
        keys = [k for k in set(keys) if k]
        if not keys:
            return {}
        query = (select(Thread).where(Thread.subject_key.in_(keys),
                                      Thread.owner_id.is_(None) if owner_id is None else Thread.owner_id == owner_id)
                 .order_by(Thread.last_date.desc().nulls_last()))
        found: dict[str, Thread] = {}
        for thread in self.session.scalars(query):
            found.setdefault(thread.subject_key, thread)
        return found


class LinkRepository:
    def __init__(self, session: Session):
        self.session = session

    def own_addresses(self, owner_id: int | None) -> set[str]:
        """The owner's own addresses: a rep is not linked to their own mail as a 'contact'."""
        if owner_id is None:
            return set()
        found = {a.lower() for a in self.session.scalars(select(User.email).where(User.id == owner_id))}
        found |= {a.lower() for a in self.session.scalars(
            select(Mailbox.username).where(Mailbox.owner_id == owner_id)) if "@" in a}
        found |= {a.lower() for a in self.session.scalars(select(FromAddress.address).where(
            FromAddress.owner_id == owner_id, FromAddress.verified_at.is_not(None)))}
        return found

    def people_by_address(self, addresses: Iterable[str]) -> tuple[list[Contact], list[Lead]]:
        addresses = [a for a in set(addresses) if a]
        if not addresses:
            return [], []
        contacts = list(self.session.scalars(select(Contact).where(func.lower(Contact.email).in_(addresses))))
        leads = list(self.session.scalars(select(Lead).where(func.lower(Lead.email).in_(addresses))))
        return contacts, leads

    def open_deals(self, contact_ids: Iterable[int], account_ids: Iterable[int], stages: tuple[str, ...]) -> list[Deal]:
        contact_ids, account_ids = list(set(contact_ids)), [a for a in set(account_ids) if a]
        if not contact_ids and not account_ids:
            return []
        who = []
        if contact_ids:
            who.append(Deal.contact_id.in_(contact_ids))
        if account_ids:
            who.append(Deal.account_id.in_(account_ids))
        return list(self.session.scalars(select(Deal).where(or_(*who), Deal.stage.in_(stages))))

    def thread_deals(self, thread_ids: Iterable[int]) -> dict[int, int]:
        """The deal each thread is already linked to (the deal 'named in the thread')."""
        thread_ids = [t for t in set(thread_ids) if t]
        if not thread_ids:
            return {}
        query = (select(Email.thread_id, EmailLink.record_id).join(EmailLink, EmailLink.email_id == Email.id)
                 .where(Email.thread_id.in_(thread_ids), EmailLink.module == "deals"))
        return {thread_id: deal_id for thread_id, deal_id in self.session.execute(query)}

    def existing(self, email_ids: Iterable[int]) -> set[tuple[int, str, int]]:
        email_ids = list(set(email_ids))
        if not email_ids:
            return set()
        query = select(EmailLink.email_id, EmailLink.module, EmailLink.record_id).where(
            EmailLink.email_id.in_(email_ids))
        return {tuple(row) for row in self.session.execute(query)}

    def for_email(self, email_id: int) -> list[EmailLink]:
        return list(self.session.scalars(select(EmailLink).where(EmailLink.email_id == email_id)
                                         .order_by(EmailLink.id)))

    def for_record(self, module: str, record_id: int) -> list[EmailLink]:
        query = select(EmailLink).where(EmailLink.module == module, EmailLink.record_id == record_id)
        return list(self.session.scalars(query))


class AttachmentRepository:
    def __init__(self, session: Session):
        self.session = session

    def for_email(self, email_id: int) -> list[Attachment]:
        return list(self.session.scalars(select(Attachment).where(Attachment.email_id == email_id)
                                         .order_by(Attachment.id)))

    def get(self, attachment_id: int) -> Attachment | None:
        return self.session.get(Attachment, attachment_id)

    def blob_exists(self, sha256: str) -> bool:
        return self.session.get(Blob, sha256) is not None

    def blob(self, sha256: str) -> Blob | None:
        return self.session.get(Blob, sha256)
