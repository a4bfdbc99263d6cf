"""IMAP jobs: a sent mail copied into the mailbox's Sent folder (enqueued by the sending side)."""

from __future__ import annotations

from assistant.jobs.context import JobContext
from assistant.jobs.registry import PermanentError, TransientError, job
from crm.mail.tables import Email
from mailio.imap.append import append_to_folder
from mailio.mailboxes.account import ServerAccount
from mailio.mailboxes.errors import LoginFailed, MailServerError, ServerUnreachable, TlsFailed
from mailio.mailboxes.tables import Mailbox
from mailio.secrets import SecretUnreadable
from mailio.smtp.tables import Outbox

__all__ = ["append_sent"]


@job("mail.append_sent", max_retries=8, backoff_s=10.0, backoff_max_s=1800.0)
def append_sent(ctx: JobContext, email_id: int | None, mailbox_id: int, outbox_id: int | None = None) -> dict:
    """Copy a sent mail to the mailbox's Sent folder once; safe to run again.

    Called as ``("mail.append_sent", email_id, mailbox_id)``, or with ``email_id=None`` and
    ``outbox_id=`` for an outbox entry that has no stored Email yet.
    """
    session = ctx.session
    mailbox = session.get(Mailbox, mailbox_id)
    if mailbox is None or mailbox.kind != "imap":
        return {"skipped": "no IMAP mailbox to append to"}
    outbox = session.get(Outbox, outbox_id) if outbox_id is not None else None
    email_ref = email_id if email_id is not None else (outbox.email_id if outbox is not None else None)
    email = session.get(Email, email_ref) if email_ref is not None else None
    raw = outbox.raw if outbox is not None else (email.raw if email is not None else None)
    source = outbox if outbox is not None else email
    message_id = source.message_id if source is not None else None
    if raw is None:
        raise PermanentError("nothing to append: neither the email nor the outbox entry exists")
    try:
        result = append_to_folder(ServerAccount.of(mailbox, ctx.settings), mailbox.sent_folder, raw,
                                  message_id=message_id)
    except (LoginFailed, TlsFailed, SecretUnreadable) as exc:
        raise PermanentError(exc.message) from None
    except ServerUnreachable as exc:
        raise TransientError(exc.message) from None
    except MailServerError as exc:
        if exc.code == "no_message_id":
            raise PermanentError(exc.message) from None
        raise TransientError(exc.message) from None
    if email is not None and email.mailbox_id is None:
        # Remember where the copy lives, so a later sync of Sent recognises it instead of re-linking.
        email.mailbox_id, email.folder, email.uid = mailbox.id, result.folder, result.uid
    return {"folder": result.folder, "uid": result.uid, "already": result.already}
