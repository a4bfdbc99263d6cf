"""A big first sync stores mail raw and de-duplicated; ``mail.process_stored`` threads, links and asks for
its analysis afterwards, batch by batch, resuming after an interruption."""

from __future__ import annotations

from datetime import timedelta
from email.utils import format_datetime

import pytest
from sqlalchemy import func, select

from assistant.analysis import request_analysis
from assistant.jobs.context import JobContext
from assistant.jobs.registry import JOBS, TransientError
from assistant.jobs.tables import JobRun
from crm.mail import processing
from crm.mail.processing import process_stored
from crm.mail.tables import Email, EmailLink, Thread
from crm.records.service import RecordService
from mailio.imap.sync import ImapSync
from tests.mailio.conftest import _BASE_DATE, identity_of, message


def reply(n: int, parent: int, *, tag: str = "t") -> bytes:
    """A reply (``<tag-n@…>``) to ``message(parent, tag=tag)``, by In-Reply-To and References."""
    date = format_datetime(_BASE_DATE + timedelta(minutes=n))
    return (f"From: Kim Lee <kim@client.test>\r\nTo: rep@example.test\r\n"
            f"Subject: Re: Message {parent} ({tag})\r\nDate: {date}\r\nMessage-ID: <{tag}-{n}@example.test>\r\n"
            f"In-Reply-To: <{tag}-{parent}@example.test>\r\nReferences: <{tag}-{parent}@example.test>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThanks, noted.\r\n").encode()


def mailbox_content() -> list[bytes]:
    """Ten first messages, and five replies to some of them (two to message 0)."""
    return [message(i) for i in range(10)] + [reply(10, 0), reply(11, 0), reply(12, 3), reply(13, 7),
                                              reply(14, 9)]


@pytest.fixture
def kim(runtime, rep):
    """Kim as a contact of an account with one open deal: her mail links to all three."""
    who = identity_of(runtime, rep)
    with runtime.unit() as session:
        account = RecordService(session, who, "accounts").create({"name": "Client"}).id
        deal = RecordService(session, who, "deals").create({"name": "Renewal", "stage": "proposal",
                                                            "account_id": account}).id
        contact = RecordService(session, who, "contacts").create(
            {"first_name": "Kim", "last_name": "Lee", "email": "kim@client.test", "account_id": account}).id
    return {"contacts": contact, "accounts": account, "deals": deal}


def stored(runtime, box: int) -> list[Email]:
    with runtime.unit() as session:
        return list(session.scalars(select(Email).where(Email.mailbox_id == box).order_by(Email.id)))


def links(runtime) -> list[tuple[int, str, int]]:
    with runtime.unit() as session:
        return sorted(session.execute(select(EmailLink.email_id, EmailLink.module, EmailLink.record_id)).all())


def asked(runtime, name: str) -> list[JobRun]:
    with runtime.unit() as session:
        return list(session.scalars(select(JobRun).where(JobRun.name == name)))


def run_processing(runtime, owner_id: int) -> dict:
    """What the worker does with a queued ``mail.process_stored``: the job's function, in its unit of work."""
    run = next(r for r in asked(runtime, "mail.process_stored") if r.state == "queued")
    with runtime.unit() as session:
        result = JOBS["mail.process_stored"].fn(JobContext(runtime, session, run.id, 0), owner_id)
    runtime.job_runs.finish(run.id, "succeeded", result=result)
    return result


def analysed_ids(runtime) -> list[int]:
    return sorted(i for run in asked(runtime, "mail.analyze") for i in run.args[0])


def check_processed(runtime, box: int, kim: dict) -> None:
    mail = stored(runtime, box)
    by_mid = {e.message_id: e for e in mail}
    assert len(mail) == 15 and all(e.processed and e.thread_id for e in mail)
    thread = {n: by_mid[f"<t-{n}@example.test>"].thread_id for n in range(15)}
    assert thread[10] == thread[11] == thread[0] and thread[12] == thread[3]
    assert thread[13] == thread[7] and thread[14] == thread[9]
    assert len(set(thread.values())) == 10
    with runtime.unit() as session:
        counts = dict(session.execute(select(Thread.id, Thread.message_count)).all())
    assert counts[thread[0]] == 3 and sum(counts.values()) == 15
    # every mail on Kim, her account and its one open deal, once each
    assert links(runtime) == sorted((e.id, module, record) for e in mail for module, record in kim.items())
    # and its analysis asked for, once, after it was threaded and linked
    assert analysed_ids(runtime) == sorted(e.id for e in mail)


def test_a_big_first_sync_stores_first_and_the_processing_job_threads_links_and_analyses(
        runtime, mail_account, make_mailbox, rep, kim):
    mail_account.append(mailbox_content())
    box = make_mailbox(mail_account)

    report = ImapSync(runtime, box, batch_size=4, defer_over=5).run()

    mail = stored(runtime, box)
    assert report.stored == 15 and report.processing_asked
    assert len(mail) == 15 and not any(e.processed or e.thread_id for e in mail)
    assert links(runtime) == [] and asked(runtime, "mail.analyze") == []
    assert len(asked(runtime, "mail.process_stored")) == 1

    result = run_processing(runtime, rep.id)

    assert result == {"processed": 15}
    check_processed(runtime, box, kim)
    # New mail after that (a small sync) is threaded and linked at once, as before.
    mail_account.append([reply(15, 0)])
    later = ImapSync(runtime, box, batch_size=4, defer_over=5).run()
    new = {e.message_id: e for e in stored(runtime, box)}["<t-15@example.test>"]
    assert later.stored == 1 and not later.processing_asked
    assert new.processed and new.thread_id == {e.message_id: e for e in stored(runtime, box)}[
        "<t-0@example.test>"].thread_id
    assert (new.id, "deals", kim["deals"]) in links(runtime)
    assert new.id in analysed_ids(runtime)


def test_processing_interrupted_mid_way_resumes_and_does_nothing_twice(
        runtime, mail_account, make_mailbox, rep, kim, monkeypatch):
    mail_account.append(mailbox_content())
    box = make_mailbox(mail_account)
    ImapSync(runtime, box, batch_size=4, defer_over=5).run()
    monkeypatch.setattr(processing, "PROCESS_BATCH", 4)
    real_link = processing.link_emails
    calls = []

    def crash_on_the_third_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("worker killed")
        return real_link(*args, **kwargs)

    monkeypatch.setattr(processing, "link_emails", crash_on_the_third_batch)
    with pytest.raises(RuntimeError, match="worker killed"):
        run_processing(runtime, rep.id)

    mail = stored(runtime, box)
    done = [e for e in mail if e.processed]
    assert len(done) == 8 and all(e.thread_id for e in done)  # two whole batches, the oldest mail
    assert not any(e.thread_id for e in mail if not e.processed)  # the third one rolled back whole
    assert sorted(e.date for e in done) == sorted(e.date for e in mail)[:8]
    assert analysed_ids(runtime) == sorted(e.id for e in done)

    # The job layer runs it again (a retry, or the next sync asking): it goes on from there.
    monkeypatch.setattr(processing, "link_emails", real_link)
    result = run_processing(runtime, rep.id)

    assert result == {"processed": 7}
    check_processed(runtime, box, kim)


def test_an_interrupted_first_sync_resumes_and_its_mail_is_processed_after_the_next_pass(
        runtime, mail_account, make_mailbox, rep, kim, monkeypatch):
    mail_account.append(mailbox_content())
    box = make_mailbox(mail_account)
    sync = ImapSync(runtime, box, batch_size=4, defer_over=5)
    real_store = sync._store

    def die_on_the_third_batch(*args, **kwargs):
        if sync.report.fetched >= 8:
            raise KeyboardInterrupt("process killed")
        return real_store(*args, **kwargs)

    monkeypatch.setattr(sync, "_store", die_on_the_third_batch)
    with pytest.raises(KeyboardInterrupt):
        sync.run()
    assert len(stored(runtime, box)) == 8 and asked(runtime, "mail.process_stored") == []

    # The next pass has only 7 left (under defer_over: stored inline) and hands the 8 waiting ones on.
    report = ImapSync(runtime, box, batch_size=4, defer_over=5).run()
    assert report.stored == 7 and report.processing_asked
    run_processing(runtime, rep.id)

    mail = stored(runtime, box)
    assert len(mail) == 15 and len({e.content_hash for e in mail}) == 15
    check_processed(runtime, box, kim)


def test_a_batch_another_run_took_meanwhile_is_not_processed_twice(runtime, mail_account, make_mailbox, rep,
                                                                   kim, monkeypatch):
    mail_account.append(mailbox_content())
    box = make_mailbox(mail_account)
    ImapSync(runtime, box, batch_size=4, defer_over=5).run()
    monkeypatch.setattr(processing, "PROCESS_BATCH", 4)
    real_pending = processing._pending_ids

    def another_run_is_faster(session, owner_id, limit):
        ids = real_pending(session, owner_id, limit)
        monkeypatch.setattr(processing, "_pending_ids", real_pending)
        with runtime.unit() as other:  # another worker processes the same batch and commits first
            assert process_stored(other, owner_id, limit=limit) == ids
            request_analysis(runtime, other, ids)
        return ids

    monkeypatch.setattr(processing, "_pending_ids", another_run_is_faster)
    with pytest.raises(TransientError):  # the job layer retries it later
        run_processing(runtime, rep.id)

    with runtime.unit() as session:
        assert session.scalar(select(func.count()).select_from(Email).where(Email.processed.is_(True))) == 4
    assert len(links(runtime)) == 4 * 3  # the other run's links only, once
    run_processing(runtime, rep.id)
    check_processed(runtime, box, kim)
