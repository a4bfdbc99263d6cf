"""Mailbox jobs: a sync with progress, a quiet refresh for IDLE and polling, and the poller.

``mail.sync_mailbox`` is what people start (and what a first sync becomes): tracked, with progress
on the Jobs page and in the CLI. ``mail.refresh_mailbox`` is the same sync without a JobRun row, for
the IDLE watcher and the poller, which would otherwise fill the Jobs page with a row per mailbox every
two minutes; when a refresh finds more mail than it can fetch in a minute, it hands over to a tracked
``mail.sync_mailbox`` so a big backlog shows its progress.

Both are idempotent: they resume from the stored UID/UIDL state and store nothing twice.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError, OperationalError

from assistant.jobs.context import JobContext
from assistant.jobs.registry import PermanentError, TransientError, job, periodic
from crm.db import utcnow
from mailio.mailboxes.errors import LoginFailed, MailServerError, TlsFailed
from mailio.mailboxes.repository import MailboxRepository
from mailio.mailboxes.sync import sync_mailbox
from mailio.mailboxes.tables import Mailbox
from mailio.secrets import SecretUnreadable

__all__ = ["SYNC_BUDGET_S", "REFRESH_BUDGET_S", "POLL_EVERY_S", "IDLE_SAFETY_S", "due_for_poll"]

SYNC_BUDGET_S = 300.0  # one run, then it continues in a fresh run (keeps worker threads turning over)
REFRESH_BUDGET_S = 60.0
POLL_EVERY_S = 120.0
IDLE_SAFETY_S = 600.0  # mailboxes watched by IDLE are still polled this often, in case a push was missed
ERROR_RETRY_S = 600.0  # a mailbox in error (wrong password...) is polled this often, not every cycle


class _Progress:
    """Forwards progress to the JobRun (throttled there), and writes the last value for sure at the end."""

    def __init__(self, ctx: JobContext):
        self.ctx = ctx
        self.last: tuple[int, int, str] | None = None

    def __call__(self, done: int, total: int, message: str) -> None:
        self.last = (done, total, message)
        self.ctx.progress(done, total, message)

    def flush(self) -> None:
        if self.last is not None:
            self.ctx.progress(*self.last, force=True)


def _run(ctx: JobContext, mailbox_id: int, *, budget_s: float, batch_size: int | None, track: bool) -> dict:
    progress = _Progress(ctx) if track else None
    try:
        outcome = sync_mailbox(ctx.runtime, mailbox_id, progress=progress, budget_s=budget_s,
                               batch_size=batch_size)
    except (LoginFailed, TlsFailed, SecretUnreadable) as exc:
        raise PermanentError(exc.message) from None  # needs a person to fix the settings
    except MailServerError as exc:
        raise TransientError(exc.message) from None
    except (OperationalError, IntegrityError) as exc:
        # A concurrent sync (another process) committed the same mail first, or SQLite was busy:
        # the retry sees its rows and de-duplicates against them.
        raise TransientError(f"database conflict: {type(exc.orig).__name__}") from None
    if progress is not None:
        progress.flush()
    if outcome.more:
        mailbox = ctx.session.get(Mailbox, mailbox_id)
        options = {"batch_size": batch_size} if batch_size else {}
        owner_id = mailbox.owner_id if mailbox else None
        ctx.enqueue("mail.sync_mailbox", mailbox_id, owner_id=owner_id, **options)
    return outcome.result


@job("mail.sync_mailbox", max_retries=6, backoff_s=5.0, backoff_max_s=600.0)
def sync_mailbox_job(ctx: JobContext, mailbox_id: int, batch_size: int | None = None) -> dict:
    return _run(ctx, mailbox_id, budget_s=SYNC_BUDGET_S, batch_size=batch_size, track=True)


@job("mail.refresh_mailbox", track=False, max_retries=2, backoff_s=10.0)
def refresh_mailbox_job(ctx: JobContext, mailbox_id: int) -> dict:
    return _run(ctx, mailbox_id, budget_s=REFRESH_BUDGET_S, batch_size=None, track=False)


def due_for_poll(mailbox: Mailbox, now=None) -> bool:
    now = now or utcnow()
    age = (now - mailbox.last_sync_at).total_seconds() if mailbox.last_sync_at else None
    if mailbox.state == "error":
        return age is None or age >= ERROR_RETRY_S
    only_inbox = (mailbox.folders or ["INBOX"]) == ["INBOX"]
    idle_covers_it = mailbox.kind == "imap" and mailbox.supports_idle and only_inbox
    if idle_covers_it:
        return age is None or age >= IDLE_SAFETY_S
    return True


@job("mail.poll_mailboxes", track=False, max_retries=0)
def poll_mailboxes(ctx: JobContext) -> dict:
    """Ask for a refresh of every enabled mailbox that is due (see :func:`due_for_poll`)."""
    now = utcnow()
    asked = 0
    for mailbox in MailboxRepository(ctx.session).enabled():
        if due_for_poll(mailbox, now):
            ctx.enqueue("mail.refresh_mailbox", mailbox.id)
            asked += 1
    return {"asked": asked}


periodic("mail.poll_mailboxes", POLL_EVERY_S)
