"""The queries of sending: the relay, from-addresses, the outbox, compose preferences."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select, update

from crm.db import utcnow
from crm.repository import Repository
from crm.users.tables import User, UserPreferences
from mailio.mailboxes.tables import Mailbox
from mailio.smtp.tables import FromAddress, Outbox, SmtpRelay

__all__ = ["RelayRepository", "FromAddressRepository", "OutboxRepository", "PreferencesRepository"]


class RelayRepository(Repository[SmtpRelay]):
    model = SmtpRelay

    def current(self) -> SmtpRelay | None:
        """The organisation has one relay; the oldest row is it."""
        return self.session.scalar(select(SmtpRelay).order_by(SmtpRelay.id).limit(1))


class FromAddressRepository(Repository[FromAddress]):
    model = FromAddress
    sortable = ("id", "address", "created_at")

    def usable_by(self, user_id: int) -> list[FromAddress]:
        """Org-wide addresses and the user's own, verified or not."""
        query = (select(FromAddress)
                 .where(or_(FromAddress.scope == "org", FromAddress.owner_id == user_id))
                 .order_by(FromAddress.scope, FromAddress.address))
        return list(self.session.scalars(query))

    def all(self) -> list[FromAddress]:
        return list(self.session.scalars(select(FromAddress).order_by(FromAddress.scope, FromAddress.address)))

    def verified_for(self, user_id: int, address: str) -> FromAddress | None:
        query = select(FromAddress).where(
            FromAddress.address == address.lower(), FromAddress.verified_at.is_not(None),
            or_(FromAddress.scope == "org", FromAddress.owner_id == user_id)).limit(1)
        return self.session.scalar(query)

    def same(self, address: str, scope: str, owner_id: int | None) -> FromAddress | None:
        query = select(FromAddress).where(FromAddress.address == address.lower(), FromAddress.scope == scope)
        if scope == "user":
            query = query.where(FromAddress.owner_id == owner_id)
        return self.session.scalar(query.limit(1))


class OutboxRepository(Repository[Outbox]):
    model = Outbox
    sortable = ("id", "created_at", "send_at", "sent_at", "state")
    filterable = ("state", "owner_id")

    def by_key(self, key: str) -> Outbox | None:
        return self.session.scalar(select(Outbox).where(Outbox.idempotency_key == key))

    def by_keys(self, keys: list[str]) -> dict[str, Outbox]:
        if not keys:
            return {}
        query = select(Outbox).where(Outbox.idempotency_key.in_(list(set(keys))))
        return {row.idempotency_key: row for row in self.session.scalars(query)}

    def for_owner(self, owner_id: int):
        return select(Outbox).where(Outbox.owner_id == owner_id)

    def claim(self, ids: Iterable[int]) -> list[int]:
        """Atomically move queued rows to 'sending'; returns the ids this caller now owns.

        A single UPDATE … WHERE state = 'queued' decides between two workers that got the same
        job: only one of them sees each id come back.
        """
        ids = list(ids)
        if not ids:
            return []
        stmt = (update(Outbox).where(Outbox.id.in_(ids), Outbox.state == "queued")
                .values(state="sending", attempts=Outbox.attempts + 1).returning(Outbox.id))
        return sorted(self.session.scalars(stmt))

    def by_ids(self, ids: Iterable[int]) -> list[Outbox]:
        return list(self.session.scalars(select(Outbox).where(Outbox.id.in_(list(ids))).order_by(Outbox.id)))

    def release(self, ids: Iterable[int], error: str) -> None:
        """Back to 'queued' after a temporary failure, so the retry may claim them again."""
        ids = list(ids)
        if ids:
            self.session.execute(update(Outbox).where(Outbox.id.in_(ids), Outbox.state == "sending")
                                 .values(state="queued", last_error=error[:4000]))

    def fail(self, ids: Iterable[int], error: str) -> None:
        ids = list(ids)
        if ids:
            self.session.execute(update(Outbox).where(Outbox.id.in_(ids), Outbox.state.in_(("queued", "sending")))
                                 .values(state="failed", last_error=error[:4000]))

    def mark_sent(self, ids: list[int], refusals: dict[int, str]) -> None:
        """Sent, whatever the row says now: a late 'sent' beats an 'interrupted' mark (it is the truth)."""
        if not ids:
            return
        now = utcnow()
        self.session.execute(update(Outbox).where(Outbox.id.in_(ids))
                             .values(state="sent", sent_at=now, last_error=None))
        if refusals:
            self.session.execute(update(Outbox), [{"id": i, "last_error": e[:4000]} for i, e in refusals.items()])

    def fail_each(self, replies: dict[int, str]) -> None:
        if replies:
            self.session.execute(update(Outbox), [{"id": i, "state": "failed", "last_error": r[:4000]}
                                                  for i, r in replies.items()])

    def set_stored(self, links: dict[int, tuple[int, int | None]]) -> None:
        """Each outbox row's stored copy (email id) and the mailbox its Sent copy goes to."""
        if links:
            self.session.execute(update(Outbox), [{"id": i, "email_id": e, "mailbox_id": m}
                                                  for i, (e, m) in links.items()])


class PreferencesRepository(Repository[UserPreferences]):
    model = UserPreferences

    def of(self, user_id: int) -> UserPreferences:
        """The user's preferences row, created empty on first use."""
        prefs = self.session.get(UserPreferences, user_id)
        if prefs is None:
            prefs = UserPreferences(user_id=user_id, dropbox_creates="none", notify={})
            self.session.add(prefs)
            self.session.flush()
        return prefs

    def of_many(self, user_ids: Iterable[int]) -> dict[int, UserPreferences]:
        ids = list(set(user_ids))
        if not ids:
            return {}
        return {p.user_id: p for p in self.session.scalars(select(UserPreferences).where(
            UserPreferences.user_id.in_(ids)))}

    def by_dropbox_token(self, token: str) -> UserPreferences | None:
        return self.session.scalar(select(UserPreferences).where(UserPreferences.dropbox_token == token))

    def user(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def sent_mailbox(self, user_id: int) -> Mailbox | None:
        """The user's IMAP mailbox that keeps a Sent folder (where a sent copy is appended)."""
        query = (select(Mailbox).where(Mailbox.owner_id == user_id, Mailbox.kind == "imap",
                                       Mailbox.enabled.is_(True), Mailbox.sent_folder.is_not(None))
                 .order_by(Mailbox.id).limit(1))
        return self.session.scalar(query)

    def sender_addresses(self, user_id: int) -> set[str]:
        """Addresses this user may send as: their login email and their verified from-addresses."""
        found = {a.lower() for a in self.session.scalars(select(User.email).where(User.id == user_id))}
        found |= {a.lower() for a in self.session.scalars(select(FromAddress.address).where(
            FromAddress.verified_at.is_not(None),
            or_(FromAddress.scope == "org", FromAddress.owner_id == user_id)))}
        return found
