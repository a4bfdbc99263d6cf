"""Syncing one mailbox, whatever its kind: the state the UI shows, and one sync at a time.

The mailbox's ``state`` (syncing → ok | error), ``last_error`` and ``last_sync_at`` are written in
their own short transactions so the UI sees them while the sync runs, and an error is recorded even
though the job's own unit of work rolls back.

Two syncs of the same mailbox in one process would fetch the same mail twice over: the second one
asks the running one to do another pass instead (syncs are asked for by IDLE, polling and people,
often at once). Across processes, de-duplication and the unique (owner, hash) constraint keep the
mail single; the loser of such a race retries its batch.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from crm.db import utcnow
from mailio.imap.sync import DEFAULT_BATCH, ImapSync
from mailio.mailboxes.errors import MailServerError
from mailio.mailboxes.tables import Mailbox
from mailio.pop.sync import DEFAULT_POP_BATCH, PopSync
from mailio.secrets import SecretUnreadable

__all__ = ["sync_mailbox", "SyncOutcome", "record_state"]

log = logging.getLogger("mailio.sync")

_MAX_EXTRA_PASSES = 3


@dataclass
class SyncOutcome:
    result: dict = field(default_factory=dict)
    more: bool = False  # stopped at the time budget: the caller continues later
    joined: bool = False  # another sync of this mailbox was running here and will do the work


class _InFlight:
    """Mailboxes being synced in this process, and whether someone asked for another pass."""

    def __init__(self):
        self._lock = threading.Lock()
        self._again: dict[int, bool] = {}

    def enter(self, mailbox_id: int) -> bool:
        with self._lock:
            if mailbox_id in self._again:
                self._again[mailbox_id] = True
                return False
            self._again[mailbox_id] = False
            return True

    def again(self, mailbox_id: int) -> bool:
        with self._lock:
            wanted = self._again.get(mailbox_id, False)
            self._again[mailbox_id] = False
            return wanted

    def leave(self, mailbox_id: int) -> None:
        with self._lock:
            self._again.pop(mailbox_id, None)


_in_flight = _InFlight()


def record_state(runtime, mailbox_id: int, state: str, *, error: str | None = None, finished: bool = False,
                 supports_idle: bool | None = None) -> None:
    with runtime.unit() as session:
        mailbox = session.get(Mailbox, mailbox_id)
        if mailbox is None:
            return
        mailbox.state = state
        if state != "syncing":
            mailbox.last_error = error[:2000] if error else None
        if finished:
            mailbox.last_sync_at = utcnow()
        if supports_idle is not None:
            mailbox.supports_idle = supports_idle


def sync_mailbox(runtime, mailbox_id: int, *, progress: Callable[[int, int, str], None] | None = None,
                 budget_s: float | None = None, batch_size: int | None = None) -> SyncOutcome:
    """Sync until caught up (or out of ``budget_s``). Raises MailServerError subclasses on failure."""
    with runtime.unit() as session:
        mailbox = session.get(Mailbox, mailbox_id)
        if mailbox is None:
            return SyncOutcome({"skipped": "no such mailbox"})
        if not mailbox.enabled:
            return SyncOutcome({"skipped": "mailbox disabled"})
        kind = mailbox.kind
    if not _in_flight.enter(mailbox_id):
        return SyncOutcome({"joined": "a sync of this mailbox is running; it will pass again"}, joined=True)
    try:
        record_state(runtime, mailbox_id, "syncing")
        totals: dict = {}
        for _ in range(1 + _MAX_EXTRA_PASSES):
            result, more, supports_idle = _one_pass(runtime, mailbox_id, kind, progress, budget_s, batch_size)
            for key, value in result.items():
                add = isinstance(value, int) and not isinstance(value, bool)
                totals[key] = totals.get(key, 0) + value if add else value
            if more or not _in_flight.again(mailbox_id):
                break
        missing = totals.get("missing") or []
        state = "syncing" if more else ("error" if missing else "ok")
        error = f"folders not found on the server: {', '.join(missing)}" if missing else None
        record_state(runtime, mailbox_id, state, error=error, finished=not more, supports_idle=supports_idle)
        return SyncOutcome(totals, more=more)
    except (MailServerError, SecretUnreadable) as exc:
        record_state(runtime, mailbox_id, "error", error=exc.message)
        raise
    finally:
        _in_flight.leave(mailbox_id)


def _one_pass(runtime, mailbox_id: int, kind: str, progress, budget_s, batch_size
              ) -> tuple[dict, bool, bool | None]:
    if kind == "pop3":
        pop = PopSync(runtime, mailbox_id, batch_size=batch_size or DEFAULT_POP_BATCH, progress=progress,
                      budget_s=budget_s).run()
        return pop.as_dict(), pop.more, None
    imap = ImapSync(runtime, mailbox_id, batch_size=batch_size or DEFAULT_BATCH, progress=progress,
                    budget_s=budget_s).run()
    return imap.as_dict(), imap.more, imap.supports_idle
