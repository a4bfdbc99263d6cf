"""A sent mail copied to the IMAP Sent folder: once, however often the job runs."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assistant.jobs.context import JobContext
from assistant.jobs.registry import PermanentError
from assistant.jobs.tables import JobRun
from crm.mail.service import MailStore
from crm.mail.tables import Email
from mailio.imap.jobs import append_sent
from mailio.imap.sync import normalise_flags
from mailio.mailboxes.sync import sync_mailbox
from tests.conftest import wait_for
from tests.mailio.conftest import message


def sent_mail(runtime, owner_id: int, n: int = 1) -> int:
    raw = message(n, sender="Rep <rep@example.test>", to="kim@client.test", tag="sent")
    with runtime.unit() as session:
        return MailStore(session).store(raw, owner_id=owner_id, source="sent", direction="out").email.id


def run_job(runtime, *args, **kwargs) -> dict:
    with runtime.unit() as session:
        return append_sent(JobContext(runtime, session, "test", 0), *args, **kwargs)


def folder_contents(account, folder: str) -> dict[int, tuple]:
    with account.imap() as client:
        client.select_folder(folder, readonly=True)
        data = client.fetch(client.search("ALL"), ["FLAGS", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
        return {uid: (normalise_flags(item[b"FLAGS"]), item[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].strip())
                for uid, item in data.items()}


def test_a_sent_mail_is_appended_to_the_special_use_sent_folder_once(runtime, rep, mail_account,
                                                                     make_mailbox):
    box = make_mailbox(mail_account)  # no sent_folder set: the server's \Sent folder is used
    email_id = sent_mail(runtime, rep.id)

    first = run_job(runtime, email_id, box)
    again = run_job(runtime, email_id, box)  # a retry after a lost answer, or a duplicate job

    assert first["folder"] == "Sent" and not first["already"]
    assert again == {**first, "already": True}
    on_server = folder_contents(mail_account, "Sent")
    assert list(on_server.values()) == [(["\\Seen"], b"Message-ID: <sent-1@example.test>")]
    with runtime.unit() as session:
        email = session.get(Email, email_id)
        assert (email.mailbox_id, email.folder, email.uid) == (box, "Sent", first["uid"])


def test_through_the_worker_into_a_configured_folder_that_is_created(runtime, worker, rep, mail_account,
                                                                   make_mailbox):
    box = make_mailbox(mail_account, sent_folder="Outgoing/2026", folders=["INBOX", "Outgoing/2026"])
    email_id = sent_mail(runtime, rep.id, 2)
    with runtime.unit() as session:
        run_id = runtime.enqueue(session, "mail.append_sent", email_id, box)
    run = wait_for(lambda: (r := _run(runtime, run_id)).state in ("succeeded", "failed") and r)
    assert run.state == "succeeded", run.error
    assert [mid for _, mid in folder_contents(mail_account, "Outgoing/2026").values()] == [
        b"Message-ID: <sent-2@example.test>"]
    # syncing that folder later finds the same mail: it is not stored a second time
    outcome = sync_mailbox(runtime, box)
    assert outcome.result["stored"] == 0 and outcome.result["duplicates"] == 1
    with runtime.unit() as session:
        assert len(list(session.scalars(select(Email).where(Email.owner_id == rep.id)))) == 1


def _run(runtime, run_id: str) -> JobRun:
    with runtime.unit() as session:
        return session.get(JobRun, run_id)


def test_a_mail_without_message_id_is_refused_rather_than_risking_two_copies(runtime, rep, mail_account,
                                                                             make_mailbox):
    box = make_mailbox(mail_account)
    with runtime.unit() as session:
        email_id = MailStore(session).store(b"From: rep@example.test\r\nSubject: no id\r\n\r\nx\r\n",
                                            owner_id=rep.id, source="sent", direction="out").email.id
    with pytest.raises(PermanentError):
        run_job(runtime, email_id, box)
    assert folder_contents(mail_account, "Sent") == {}
