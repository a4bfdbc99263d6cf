"""Delivering outbox rows through the relay: at most once per mail, recorded as soon as it is known.

The order of events per batch, each step its own committed transaction:

1. **claim**: queued rows move to ``sending`` with one conditional UPDATE. A row already
   ``sending`` when a job starts was being sent by a worker that died; it is *not* sent again
   but marked failed, saying the outcome is unknown (see the window below).
2. **deliver**: one SMTP connection for the whole batch, in its own thread, handing back each
   mail's outcome as soon as the relay has answered.
3. **record**, every ``CHUNK`` outcomes: accepted rows become ``sent``; 5xx replies ``failed``
   with the server's words; temporary failures go back to ``queued`` for the job's retry (or
   ``failed`` on the last try).
4. **store** that chunk: the sent mails are stored (``source="sent"``, ``direction="out"``),
   threaded and linked; analysis and the IMAP Sent append are asked for. A sent row left
   unstored by a failure here is stored by the job's next run.

Steps 3-4 of one chunk run while step 2 goes on with the next mails, so the relay's round trips
and our database work overlap.

The remaining window: if the process dies after the relay said 250 to DATA and before step 3
commits, the row stays ``sending``. The next run cannot know whether the relay has the mail, so
it marks the row failed ("outcome unknown") instead of risking a second copy. The window is at
most one chunk of round trips long; closing it would need the relay to be asked about a
Message-ID, which SMTP does not offer. If the sending thread dies of a bug, the mails it had
not reported on are marked the same way.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from assistant.analysis import request_analysis
from assistant.jobs.registry import JOBS
from crm.db import utcnow
from crm.mail.service import Incoming, MailStore
from mailio.smtp.client import Envelope, Outcome, deliver_stream
from mailio.smtp.relay import NoRelay, RelayService
from mailio.smtp.repository import OutboxRepository, PreferencesRepository

__all__ = ["deliver_outbox", "DeliveryReport", "APPEND_SENT_JOB", "INTERRUPTED"]

log = logging.getLogger("mailio.smtp")

APPEND_SENT_JOB = "mail.append_sent"
CHUNK = 50  # mails recorded and stored per transaction while the next ones are being sent
INTERRUPTED = ("interrupted while sending: the relay may or may not have accepted this mail, so it was "
               "not sent again; check the recipient's copy or your Sent folder before sending it again")


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    retry: list[int] = field(default_factory=list)
    later: list[int] = field(default_factory=list)
    stored: list[int] = field(default_factory=list)  # email ids
    retry_reason: str = ""

    def as_dict(self) -> dict:
        return {"sent": len(self.sent), "failed": len(self.failed), "retrying": len(self.retry),
                "later": len(self.later)}


def deliver_outbox(runtime, ids: list[int], *, job_name: str, last_attempt: bool) -> DeliveryReport:
    """Send the due, queued rows among ``ids``; what could not be sent yet is in ``report.retry``."""
    report = DeliveryReport()
    now = utcnow()
    with runtime.unit() as session:
        repo = OutboxRepository(session)
        rows = repo.by_ids(ids)
        interrupted = [r.id for r in rows if r.state == "sending"]
        repo.fail(interrupted, INTERRUPTED)
        report.failed += interrupted
        early = [r for r in rows if r.state == "queued" and r.send_at and r.send_at > now + timedelta(seconds=1)]
        for row in early:  # published without its due time (e.g. republished after a crash): wait for it
            runtime.enqueue(session, job_name, row.id if job_name == "mail.send" else [row.id], eta=row.send_at,
                            owner_id=row.owner_id)
        report.later += [r.id for r in early]
        due = [r.id for r in rows if r.state == "queued" and r not in early]
        claimed = set(repo.claim(due))
        try:
            config = RelayService(session, runtime.settings).config()
        except NoRelay as exc:
            repo.fail(claimed, exc.message)
            report.failed += sorted(claimed)
            return report
        work = [r for r in rows if r.id in claimed]
        envelopes = [Envelope(r.mail_from, list(r.recipients), r.raw) for r in work]
        # Sent, but the storing step failed last time: store them now (storing is idempotent).
        unstored = [r for r in rows if r.state == "sent" and r.email_id is None]
    if unstored:
        _store(runtime, unstored, report)
    if not work:
        return report
    # Record and store each chunk while the relay takes the next one: the SMTP round trips and
    # our database work overlap, and a sent mail is recorded a chunk after it was accepted.
    decided = 0
    chunk: list[tuple[object, Outcome]] = []
    for item, outcome in zip(work, deliver_stream(config, envelopes)):
        chunk.append((item, outcome))
        decided += 1
        if len(chunk) >= CHUNK:
            _settle(runtime, chunk, report, last_attempt=last_attempt)
            chunk = []
    if chunk:
        _settle(runtime, chunk, report, last_attempt=last_attempt)
    if decided < len(work):  # the sending thread died of a bug: these may or may not have been accepted
        undecided = [item.id for item in work[decided:]]
        with runtime.unit() as session:
            OutboxRepository(session).fail(undecided, INTERRUPTED)
        report.failed += undecided
        log.error("smtp delivery stopped early", extra={"undecided": len(undecided)})
    if report.failed or report.retry:
        log.warning("mail not sent", extra={"failed": len(report.failed), "retrying": len(report.retry),
                                            "reply": report.retry_reason[:200]})
    return report


def _settle(runtime, chunk, report: DeliveryReport, *, last_attempt: bool) -> None:
    sent = _record(runtime, chunk, report, last_attempt=last_attempt)
    if sent:
        _store(runtime, sent, report)


def _record(runtime, chunk, report: DeliveryReport, *, last_attempt: bool) -> list:
    """What the relay decided, in a few UPDATEs; returns the outbox rows that were sent."""
    sent, refusals, failed = [], {}, {}
    release: dict[str, list[int]] = defaultdict(list)
    for item, outcome in chunk:
        if outcome.status == "sent":
            sent.append(item)
            if outcome.refused:
                refused = "; ".join(f"{a}: {r}" for a, r in outcome.refused.items())
                refusals[item.id] = f"refused by the relay: {refused}"
        elif outcome.status == "permanent" or last_attempt:
            failed[item.id] = outcome.reply
        else:
            release[outcome.reply].append(item.id)
            report.retry_reason = outcome.reply
    with runtime.unit() as session:
        repo = OutboxRepository(session)
        repo.mark_sent([item.id for item in sent], refusals)
        repo.fail_each(failed)
        for reason, ids in release.items():
            repo.release(ids, reason)
    report.sent += [item.id for item in sent]
    report.failed += list(failed)
    report.retry += [i for ids in release.values() for i in ids]
    return sent


def _store(runtime, sent: list, report: DeliveryReport) -> None:
    """The sent mails into the mail store, linked; then analysis and the Sent-folder copy.

    ``sent`` are the outbox rows as claimed (their bytes already in memory: nothing is reloaded).
    """
    with runtime.unit() as session:
        prefs = PreferencesRepository(session)
        by_owner = defaultdict(list)
        for row in sent:
            by_owner[row.owner_id].append(row)
        store = MailStore(session)
        new_ids: list[int] = []
        links: dict[int, tuple[int, int | None]] = {}
        for owner_id, rows in by_owner.items():
            results = store.store_batch([Incoming(r.raw) for r in rows], owner_id=owner_id, source="sent",
                                        direction="out")
            mailbox = prefs.sent_mailbox(owner_id) if APPEND_SENT_JOB in JOBS else None
            for row, result in zip(rows, results):
                links[row.id] = (result.email.id, mailbox.id if mailbox else None)
                if result.created:
                    new_ids.append(result.email.id)
                if mailbox is not None:
                    runtime.enqueue(session, APPEND_SENT_JOB, result.email.id, mailbox.id, owner_id=owner_id)
        OutboxRepository(session).set_stored(links)
        if new_ids:
            request_analysis(runtime, session, new_ids)
        report.stored += [email_id for email_id, _ in links.values()]
