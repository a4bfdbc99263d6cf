"""POP3 sync: UIDL tells which messages are new; leave-on-server or delete after storing.

Each batch is stored together with its UIDLs (PopSeen) in one unit of work, so a message is fetched
once however often the sync is interrupted. Without leave-on-server, a message is deleted (DELE, applied
at QUIT) only once its batch is committed; one whose deletion was lost is deleted on the next pass.
"""

from __future__ import annotations

import logging
import poplib
import time
from collections.abc import Callable
from dataclasses import dataclass

from assistant.analysis import request_analysis
from crm.db import utcnow
from crm.mail.service import Incoming, MailStore
from mailio.mailboxes.account import ServerAccount
from mailio.mailboxes.errors import MailServerError, ServerUnreachable
from mailio.mailboxes.repository import FolderRepository, PopSeenRepository
from mailio.mailboxes.tables import Mailbox, MailboxFolder
from mailio.pop.client import close, connect, retrieve, uidl_listing

__all__ = ["PopSync", "PopReport", "POP_FOLDER", "DEFAULT_POP_BATCH"]

log = logging.getLogger("mailio.pop")

POP_FOLDER = "INBOX"  # POP3 has one maildrop; its sync state is kept as the folder "INBOX"
DEFAULT_POP_BATCH = 100


@dataclass
class PopReport:
    fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    deleted: int = 0
    more: bool = False

    def as_dict(self) -> dict:
        return {"fetched": self.fetched, "stored": self.stored, "duplicates": self.duplicates,
                "deleted": self.deleted, "more": self.more}


class PopSync:
    def __init__(self, runtime, mailbox_id: int, *, batch_size: int = DEFAULT_POP_BATCH,
                 progress: Callable[[int, int, str], None] | None = None, budget_s: float | None = None):
        self.runtime = runtime
        self.mailbox_id = mailbox_id
        self.batch_size = max(1, batch_size)
        self.progress = progress or (lambda done, total, message: None)
        self.deadline = time.monotonic() + budget_s if budget_s else None
        self.report = PopReport()

    def run(self) -> PopReport:
        with self.runtime.unit() as session:
            mailbox = session.get(Mailbox, self.mailbox_id)
            account = ServerAccount.of(mailbox, self.runtime.settings)
            owner_id, leave = mailbox.owner_id, mailbox.leave_on_server
            state_id = FolderRepository(session).get_or_add(self.mailbox_id, POP_FOLDER).id
        pop = connect(account)
        try:
            listing = uidl_listing(pop)
            with self.runtime.unit() as session:
                seen_repo = PopSeenRepository(session)
                seen = seen_repo.seen(self.mailbox_id)
                # UIDLs the server no longer lists were deleted there: forget them, the table stays small.
                seen_repo.forget(self.mailbox_id, seen - set(listing.values()))
            todo = [(number, uidl) for number, uidl in sorted(listing.items()) if uidl not in seen]
            total, done = len(listing), len(listing) - len(todo)
            self.progress(done, total, "checking the maildrop")
            for start in range(0, len(todo), self.batch_size):
                batch = todo[start:start + self.batch_size]
                items = [Incoming(raw=retrieve(pop, number), mailbox_id=self.mailbox_id)
                         for number, _ in batch]
                with self.runtime.unit() as session:
                    results = MailStore(session).store_batch(items, owner_id=owner_id, source="pop")
                    seen_now = [(uidl, r.email.id) for (_, uidl), r in zip(batch, results, strict=True)]
                    PopSeenRepository(session).add_many(self.mailbox_id, seen_now)
                    state = session.get(MailboxFolder, state_id)
                    done += len(batch)
                    state.server_count, state.synced_count, state.last_sync_at = total, done, utcnow()
                    new_ids = [r.email.id for r in results if r.created]
                    request_analysis(self.runtime, session, new_ids)
                seen.update(uidl for _, uidl in batch)
                self.report.fetched += len(batch)
                self.report.stored += len(new_ids)
                self.report.duplicates += len(batch) - len(new_ids)
                self.progress(done, total, f"{done}/{total} messages")
                more_left = start + self.batch_size < len(todo)
                if more_left and self.deadline is not None and time.monotonic() > self.deadline:
                    self.report.more = True
                    break
            if not todo:
                with self.runtime.unit() as session:
                    state = session.get(MailboxFolder, state_id)
                    state.server_count, state.synced_count, state.last_sync_at = total, total, utcnow()
            if not leave:
                # Only what is committed above (or in an earlier pass) is deleted.
                for number, uidl in sorted(listing.items()):
                    if uidl in seen:
                        pop.dele(number)
                        self.report.deleted += 1
            pop.quit()  # DELE takes effect here, in the server's UPDATE state
            pop = None
        except (OSError, EOFError) as exc:
            reason = str(exc) or type(exc).__name__
            raise ServerUnreachable(f"{account.address}: connection lost ({reason})") from None
        except poplib.error_proto as exc:
            raise MailServerError(f"{account.address}: {exc}") from None
        finally:
            close(pop)
        if not leave and self.report.deleted:
            with self.runtime.unit() as session:
                # Deleted on the server: the maildrop is empty of what we have.
                state = session.get(MailboxFolder, state_id)
                state.server_count = max(0, total - self.report.deleted)
                state.synced_count = state.server_count
        return self.report
