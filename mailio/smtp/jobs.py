"""Jobs of sending: one mail, a batch on one connection, and a from-address verification code."""

from __future__ import annotations

from assistant.jobs.context import JobContext
from assistant.jobs.registry import JOBS, PermanentError, TransientError, job
from crm.users.tables import User
from mailio.compose.headers import Mailbox, stored_name
from mailio.compose.message import Draft, build_message
from mailio.smtp.addresses import CODE_TTL, FromAddressService
from mailio.smtp.client import Envelope, deliver_sync
from mailio.smtp.delivery import deliver_outbox
from mailio.smtp.relay import NoRelay, RelayService
from mailio.smtp.tables import FromAddress

__all__ = ["send_one", "send_batch", "send_code", "CODE_JOB"]

CODE_JOB = "mail.from_address_code"
# Greylisting relays ask to come back in minutes; these retries span about 90 minutes in all.
_RETRY = dict(max_retries=8, backoff_s=30.0, backoff_max_s=1800.0)


def _last_attempt(ctx: JobContext, name: str) -> bool:
    return ctx.attempt >= JOBS[name].max_retries


def _run(ctx: JobContext, name: str, ids: list[int]) -> dict:
    report = deliver_outbox(ctx.runtime, ids, job_name=name, last_attempt=_last_attempt(ctx, name))
    if report.retry:
        raise TransientError(f"{len(report.retry)} mail(s) not accepted yet: {report.retry_reason}")
    return report.as_dict()


@job("mail.send", **_RETRY)
def send_one(ctx: JobContext, outbox_id: int) -> dict:
    return _run(ctx, "mail.send", [outbox_id])


@job("mail.send_batch", **_RETRY)
def send_batch(ctx: JobContext, outbox_ids: list[int]) -> dict:
    """Many mails over one SMTP connection, stored in one transaction (mass mail, the benchmark)."""
    return _run(ctx, "mail.send_batch", list(outbox_ids))


@job(CODE_JOB, max_retries=5, backoff_s=10.0, backoff_max_s=600.0)
def send_code(ctx: JobContext, from_address_id: int) -> dict:
    """Mail a fresh code to an unverified from-address (from the address of whoever added it)."""
    runtime = ctx.runtime
    with runtime.unit() as session:
        row = session.get(FromAddress, from_address_id)
        if row is None or row.verified_at is not None:
            return {"sent": False}
        adder = session.get(User, row.added_by) if row.added_by else None
        try:
            config = RelayService(session, runtime.settings).config()
        except NoRelay as exc:
            raise PermanentError(exc.message) from None
        # Stored before it is mailed, so the code works the moment the mail arrives.
        code = FromAddressService(session, runtime.settings).issue_code(row)
        sender = Mailbox(stored_name(adder.name) if adder else "mailassist",
                         adder.email if adder else runtime.settings.admin_email)
        target = Mailbox(stored_name(row.display_name), row.address)
    minutes = int(CODE_TTL.total_seconds() // 60)
    text = (f"Your verification code for sending as {target.address} from mailassist is:\n\n    {code}\n\n"
            f"It expires in {minutes} minutes. If you did not expect this, ignore this mail.\n")
    built = build_message(Draft(sender=sender, to=[target], subject=f"Verification code: {code}", text=text),
                          max_bytes=runtime.settings.max_message_bytes)
    outcome = deliver_sync(config, [Envelope(built.mail_from, built.recipients, built.raw)])[0]
    if outcome.status == "temporary":
        raise TransientError(outcome.reply)
    if outcome.status == "permanent":
        raise PermanentError(f"the relay refused the verification mail: {outcome.reply}")
    return {"sent": True}
