"""Every query about mailboxes, their folders' sync state, POP3 UIDLs and where synced mail lives."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from assistant.jobs.tables import JobRun
from crm.mail.tables import Email
from crm.repository import Repository
from mailio.mailboxes.tables import Mailbox, MailboxFolder, PopSeen

__all__ = ["MailboxRepository", "FolderRepository", "PopSeenRepository", "SyncedMailRepository"]

_CHUNK = 500  # ids per IN (...) clause: below every backend's parameter limit


def _chunks(items: Sequence, size: int = _CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


class MailboxRepository(Repository[Mailbox]):
    model = Mailbox
    sortable = ("id", "name", "created_at", "last_sync_at")
    filterable = ("owner_id", "kind", "enabled", "state")

    def visible(self, owner_id: int | None) -> list[Mailbox]:
        """One owner's mailboxes, or everyone's when ``owner_id`` is None (admins)."""
        query = select(Mailbox).order_by(Mailbox.id)
        if owner_id is not None:
            query = query.where(Mailbox.owner_id == owner_id)
        return list(self.session.scalars(query))

    def latest_runs(self, mailboxes: Sequence[Mailbox], job_name: str) -> dict[int, JobRun]:
        """The newest run of ``job_name`` for each mailbox (its first argument is the mailbox id)."""
        owners = sorted({m.owner_id for m in mailboxes})
        wanted = {m.id for m in mailboxes}
        if not wanted:
            return {}
        # JSON arguments are not comparable alike on every backend: read recent runs, match here.
        query = (select(JobRun).where(JobRun.name == job_name, JobRun.owner_id.in_(owners))
                 .order_by(JobRun.created_at.desc()).limit(50 * len(wanted)))
        found: dict[int, JobRun] = {}
        for run in self.session.scalars(query):
            args = run.args or []
            if args and args[0] in wanted and args[0] not in found:
                found[args[0]] = run
        return found

    def enabled(self, kind: str | None = None) -> list[Mailbox]:
        query = select(Mailbox).where(Mailbox.enabled.is_(True)).order_by(Mailbox.id)
        if kind is not None:
            query = query.where(Mailbox.kind == kind)
        return list(self.session.scalars(query))


class FolderRepository(Repository[MailboxFolder]):
    model = MailboxFolder

    def for_mailbox(self, mailbox_id: int) -> list[MailboxFolder]:
        query = select(MailboxFolder).where(MailboxFolder.mailbox_id == mailbox_id).order_by(MailboxFolder.id)
        return list(self.session.scalars(query))

    def get_or_add(self, mailbox_id: int, name: str) -> MailboxFolder:
        found = self.session.scalar(select(MailboxFolder).where(MailboxFolder.mailbox_id == mailbox_id,
                                                                MailboxFolder.name == name))
        if found is None:
            found = self.add(MailboxFolder(mailbox_id=mailbox_id, name=name, last_uid=0))
        return found

    def remove_except(self, mailbox_id: int, keep: Iterable[str]) -> None:
        self.session.execute(delete(MailboxFolder).where(MailboxFolder.mailbox_id == mailbox_id,
                                                         MailboxFolder.name.not_in(list(keep))))

    def reset_all(self, mailbox_id: int) -> None:
        """Forget where sync stood (another server or account): the next sync reads everything again."""
        self.session.execute(update(MailboxFolder).where(MailboxFolder.mailbox_id == mailbox_id).values(
            uidvalidity=None, last_uid=0, highest_modseq=None, synced_count=0))


class PopSeenRepository(Repository[PopSeen]):
    model = PopSeen

    def seen(self, mailbox_id: int) -> set[str]:
        return set(self.session.scalars(select(PopSeen.uidl).where(PopSeen.mailbox_id == mailbox_id)))

    def add_many(self, mailbox_id: int, pairs: Iterable[tuple[str, int | None]]) -> None:
        self.session.add_all([PopSeen(mailbox_id=mailbox_id, uidl=uidl, email_id=email_id)
                              for uidl, email_id in pairs])
        self.session.flush()

    def forget(self, mailbox_id: int, uidls: Iterable[str] | None = None) -> None:
        """Drop UIDLs the server no longer lists (or all of them, when ``uidls`` is None)."""
        stmt = delete(PopSeen).where(PopSeen.mailbox_id == mailbox_id)
        if uidls is None:
            self.session.execute(stmt)
            return
        for chunk in _chunks(sorted(set(uidls))):
            self.session.execute(stmt.where(PopSeen.uidl.in_(chunk)))


class SyncedMailRepository:
    """Synced mail by its place on the server. Reads only the small columns: never the raw bytes."""

    def __init__(self, session: Session):
        self.session = session

    def flags_by_uid(self, mailbox_id: int, folder: str, uids: Iterable[int] | None = None
                     ) -> dict[int, tuple[int, list[str]]]:
        """uid → (email id, flags) for mail of this folder (all of it when ``uids`` is None)."""
        base = select(Email.uid, Email.id, Email.flags).where(Email.mailbox_id == mailbox_id,
                                                              Email.folder == folder, Email.uid.is_not(None))
        if uids is None:
            return {uid: (eid, flags or []) for uid, eid, flags in self.session.execute(base)}
        found: dict[int, tuple[int, list[str]]] = {}
        for chunk in _chunks(sorted(set(uids))):
            for uid, eid, flags in self.session.execute(base.where(Email.uid.in_(chunk))):
                found[uid] = (eid, flags or [])
        return found

    def set_flags(self, changes: Sequence[tuple[int, list[str]]]) -> None:
        """(email id, flags) pairs, written in one executemany."""
        if not changes:
            return
        stmt = update(Email.__table__).where(Email.__table__.c.id == bindparam("eid")).values(
            flags=bindparam("new_flags"))
        self.session.execute(stmt, [{"eid": eid, "new_flags": flags} for eid, flags in changes])

    def forget_uids(self, mailbox_id: int, folder: str) -> None:
        """After a UIDVALIDITY change the old UIDs name nothing: clear them (the mail stays)."""
        self.session.execute(update(Email).where(Email.mailbox_id == mailbox_id, Email.folder == folder)
                             .values(uid=None).execution_options(synchronize_session=False))

    def counts_by_folder(self, mailbox_id: int) -> dict[str | None, int]:
        query = (select(Email.folder, func.count()).where(Email.mailbox_id == mailbox_id)
                 .group_by(Email.folder))
        return {folder: count for folder, count in self.session.execute(query)}
