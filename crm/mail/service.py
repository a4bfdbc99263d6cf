"""Storing mail: every message is kept raw, once; threaded and linked as it is stored.

What we cannot read is stored raw and marked, never dropped. Storing is batch-first: a sync batch of
hundreds of messages costs a handful of queries, not a handful per message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from crm.mail.linking import link_emails
from crm.mail.repository import EmailRepository
from crm.mail.tables import Email
from crm.mail.threading import assign_threads
from nlp.parsing.envelope import read_envelope

__all__ = ["MailStore", "StoreResult", "Incoming"]


@dataclass
class Incoming:
    """A message to store, with where it was found on a server (if it was)."""

    raw: bytes
    mailbox_id: int | None = None
    folder: str | None = None
    uid: int | None = None
    flags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StoreResult:
    email: Email
    created: bool

    @property
    def malformed(self) -> bool:
        return self.email.status == "malformed"


class MailStore:
    def __init__(self, session: Session):
        self.session = session
        self.emails = EmailRepository(session)

    def store(self, raw: bytes, *, owner_id: int | None, source: str, direction: str = "in") -> StoreResult:
        return self.store_batch([Incoming(raw)], owner_id=owner_id, source=source, direction=direction)[0]

    def store_batch(self, items: Sequence[Incoming], *, owner_id: int | None, source: str,
                    direction: str = "in") -> list[StoreResult]:
        """Store each message once per owner (same bytes, or same Message-ID), then thread and link."""
        envelopes = [read_envelope(item.raw) for item in items]
        by_hash = self.emails.existing_hashes(owner_id, [e.content_hash for e in envelopes])
        by_mid = self.emails.existing_message_ids(owner_id, [e.message_id for e in envelopes if e.message_id])
        results: list[StoreResult] = []
        new: list[Email] = []
        for item, env in zip(items, envelopes):
            existing = by_hash.get(env.content_hash) or (by_mid.get(env.message_id) if env.message_id else None)
            if existing is not None:
                if existing.mailbox_id is None and item.mailbox_id is not None:
                    # e.g. a mail we sent, now seen in the server's Sent folder: remember where it lives
                    existing.mailbox_id, existing.folder, existing.uid = item.mailbox_id, item.folder, item.uid
                results.append(StoreResult(existing, created=False))
                continue
            email = Email(
                owner_id=owner_id, source=source, direction=direction, message_id=env.message_id,
                content_hash=env.content_hash, size=env.size, raw=item.raw, subject=env.subject[:2000],
                from_name=env.from_name[:300], from_addr=env.from_addr[:320], date=env.date,
                in_reply_to=env.in_reply_to, references=env.references, to_addrs=env.to[:200],
                cc_addrs=env.cc[:200], status="malformed" if env.problem else "ok", problem=env.problem,
                mailbox_id=item.mailbox_id, folder=item.folder, uid=item.uid, flags=list(item.flags),
                processed=True,  # threaded and linked below, in this same transaction
            )
            new.append(email)
            by_hash[env.content_hash] = email
            if env.message_id:
                by_mid[env.message_id] = email
            results.append(StoreResult(email, created=True))
        if new:
            # Threads first, so each mail is inserted once with its thread (one INSERT per table, not
            # an INSERT then an UPDATE per mail).
            assign_threads(self.session, owner_id, new)
            self.session.add_all(new)
            self.session.flush()
            link_emails(self.session, owner_id, new)
        return results
