"""Faults: the connection cut mid-sync, the worker process killed mid-sync: nothing lost, nothing twice."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from assistant.jobs.registry import JOBS
from assistant.jobs.tables import JobRun
from crm.mail.tables import Email
from mailio.imap import sync as imap_sync
from mailio.imap.sync import ImapSync
from mailio.mailboxes.tables import Mailbox, MailboxFolder
from tests.conftest import REPO, wait_for
from tests.mailio.conftest import MAIL_JOB_MODULES, message
from tests.mailio.proxy import CuttingProxy


def fill(account, count: int, *, body_bytes: int = 3000, tag: str = "t") -> None:
    """Put ``count`` messages into INBOX with a few MULTIAPPENDs (fast, as a migration tool would)."""
    with account.imap() as client:
        for start in range(0, count, 500):
            client.multiappend("INBOX", [message(i, body_bytes=body_bytes, tag=tag)
                                         for i in range(start, min(count, start + 500))])


def assert_exactly_once(runtime, account, box: int, expected: int) -> None:
    server = account.server_message_ids()
    with runtime.unit() as session:
        rows = session.execute(select(Email.message_id, Email.uid).where(Email.mailbox_id == box)).all()
    assert len(server) == expected
    assert len(rows) == expected, f"{len(rows)} stored, {expected} on the server"
    assert sorted(mid for mid, _ in rows) == sorted(server)  # every one, none twice
    assert len({uid for _, uid in rows}) == expected


@pytest.mark.parametrize("batch_size", [40, 20], ids=["fetched-on-a-thread", "fetched-by-a-child-process"])
def test_a_connection_cut_mid_fetch_is_healed_and_every_message_stored_once(runtime, mail_account,
                                                                             make_mailbox, batch_size):
    # 8 batches are fetched on a thread; 15 by a forked child (mailio.imap.fetcher), which heals its
    # own connection and reports its reconnects back.
    assert (300 // batch_size > imap_sync._PROCESS_OVER) == (batch_size == 20)
    fill(mail_account, 300, body_bytes=4000)
    # Cut the first connections at different depths: in the login, mid-batch, just after a batch...
    cuts = [900, 250_000, 40_000, 610_000, 5_000]
    if batch_size == 20:
        # The parent's second connection only plans (EXAMINE, SEARCH) and is closed before the child
        # logs in on its own: it is left whole, and the child's connections are cut instead.
        cuts = [900, 10**9, 250_000, 40_000, 610_000, 5_000]
    with CuttingProxy(mail_account.server.host, mail_account.server.imap_port, cut_after=cuts) as proxy:
        box = make_mailbox(mail_account, port=proxy.port)
        report = ImapSync(runtime, box, batch_size=batch_size, backoff_s=0.01).run()
    expected = len([cut for cut in cuts if cut < 10**9])
    assert proxy.cuts == expected and report.reconnects == expected
    assert report.stored == 300
    assert_exactly_once(runtime, mail_account, box, 300)


@pytest.fixture
def quick_retries(runtime, monkeypatch) -> None:
    """One reconnect per pass and job retries after ~0.2, 0.4, 0.8 s: the product's shape, scaled down.

    Requested before ``worker``: the worker's tasks read the job's retry settings when they are built.
    """
    monkeypatch.setattr(imap_sync, "RECONNECT_RETRIES", 1)
    monkeypatch.setattr(imap_sync, "RECONNECT_BACKOFF_S", 0.01)
    quick = dataclasses.replace(JOBS["mail.sync_mailbox"], backoff_s=0.2)
    monkeypatch.setitem(JOBS, "mail.sync_mailbox", quick)


@pytest.mark.parametrize("batch_size", [25, 10], ids=["fetched-on-a-thread", "fetched-by-a-child-process"])
def test_when_reconnects_run_out_the_job_is_retried_and_resumes(runtime, quick_retries, worker, mail_account,
                                                                make_mailbox, batch_size):
    fill(mail_account, 200, body_bytes=4000)
    # A connection dies mid-batch and the one made to replace it dies while logging in: more than the
    # pass's one reconnect, so the pass fails and the job layer retries it, three times over.
    cuts = [70_000, 300] * 3
    if 200 // batch_size > imap_sync._PROCESS_OVER:
        # Each pass plans on a connection of its own (left whole), then the child fetches on another;
        # the child's failure comes back to the pass as the same error.
        cuts = [10**9, 70_000, 300] * 3
    with CuttingProxy(mail_account.server.host, mail_account.server.imap_port, cut_after=cuts) as proxy:
        box = make_mailbox(mail_account, port=proxy.port)
        with runtime.unit() as session:
            run_id = runtime.enqueue(session, "mail.sync_mailbox", box, batch_size=batch_size)
        run = _wait_finished(runtime, run_id, timeout=60)
    assert (run.state, run.attempts) == ("succeeded", 4), run.error
    assert proxy.cuts == 6
    assert_exactly_once(runtime, mail_account, box, 200)


def _run(runtime, run_id: str) -> JobRun:
    with runtime.unit() as session:
        return session.get(JobRun, run_id)


def _wait_finished(runtime, run_id: str, timeout: float) -> JobRun:
    return wait_for(lambda: (r := _run(runtime, run_id)).state in ("succeeded", "failed") and r,
                    timeout=timeout)


def _worker_env(settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update(MAILASSIST_DATA_DIR=str(settings.data_dir),
               MAILASSIST_JOB_MODULES=json.dumps(MAIL_JOB_MODULES),
               MAILASSIST_LOG_FORMAT="text", MAILASSIST_EMBEDDED_WORKER_THREADS="2", PYTHONPATH=str(REPO))
    env.pop("MAILASSIST_BROKER_URL", None)  # embedded mode: the SQLite queue in the data directory
    return env


def _start_worker(settings) -> subprocess.Popen:
    log = open(settings.data_dir / "worker.log", "ab")
    return subprocess.Popen([sys.executable, "-m", "assistant.cli", "worker", "--no-beat"],
                            env=_worker_env(settings), stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def _stored(runtime, box: int) -> int:
    with runtime.unit() as session:
        return session.scalar(select(func.count()).select_from(Email).where(Email.mailbox_id == box))


def _last_uid(runtime, box: int) -> int:
    with runtime.unit() as session:
        return session.scalar(select(MailboxFolder.last_uid).where(MailboxFolder.mailbox_id == box)) or 0


def test_a_worker_killed_mid_sync_loses_nothing_and_duplicates_nothing(runtime, settings, mail_account,
                                                                       make_mailbox):
    total = 3000
    fill(mail_account, total, body_bytes=2500)
    box = make_mailbox(mail_account)
    with runtime.unit() as session:
        run_id = runtime.enqueue(session, "mail.sync_mailbox", box, batch_size=100,
                                 owner_id=session.get(Mailbox, box).owner_id)
    worker = _start_worker(settings)
    try:
        # Killed once a few batches are committed and while more are on their way.
        # Polled often: a fast machine stores the 3,000 in about a second.
        wait_for(lambda: _last_uid(runtime, box) >= 300 or worker.poll() is not None, timeout=120, interval=0.02)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
        at_kill = _stored(runtime, box)
        if at_kill >= total:
            pytest.fail("the sync finished before the worker was killed: this test proved nothing")
        assert at_kill >= 300
        killed = _run(runtime, run_id)
        assert killed.state == "running"  # it died holding the job

        worker = _start_worker(settings)  # the queue hands the unfinished job to the new worker
        run = _wait_finished(runtime, run_id, timeout=180)
        assert run.state == "succeeded", run.error
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
    assert run.started_at > killed.started_at  # run again from the queue, by the new worker
    assert_exactly_once(runtime, mail_account, box, total)
    with runtime.unit() as session:
        assert session.get(Mailbox, box).state == "ok"
        assert session.scalar(select(MailboxFolder.last_uid).where(MailboxFolder.mailbox_id == box)) == total


def _hang(pipe, *args) -> None:
    import time

    time.sleep(600)  # a child stuck where no socket timeout reaches


def test_a_fetching_child_that_hangs_is_given_up_and_killed(monkeypatch, mail_account):
    from mailio.imap import fetcher
    from mailio.mailboxes.account import ServerAccount
    from mailio.mailboxes.errors import MailServerError

    monkeypatch.setattr(fetcher, "_child", _hang)
    account = ServerAccount(kind="imap", host=mail_account.server.host, port=mail_account.server.imap_port, security="none",
                            username="nobody", password="x")
    process = fetcher.FetchProcess(account, mailbox_id=1, folder="INBOX", uidvalidity=1, batches=[[1], [2]],
                                   retries=0, backoff_s=0.01)
    process._wait_s = 0.5
    with pytest.raises(MailServerError, match="no batch from the fetching process"):
        with process:
            next(iter(process))
    assert not process._process.is_alive()  # killed, not left behind
