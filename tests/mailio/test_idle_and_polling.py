"""New mail pushed by IMAP IDLE, the poller for the rest, and the watcher's reconnects."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from assistant.jobs.tables import JobRun
from crm.db import utcnow
from crm.mail.tables import Email
from mailio.imap.watcher import IdleWatcher
from mailio.mailboxes.jobs import due_for_poll
from mailio.mailboxes.sync import sync_mailbox
from mailio.mailboxes.tables import Mailbox
from tests.conftest import wait_for
from tests.mailio.conftest import message
from tests.mailio.proxy import CuttingProxy


def stored(runtime, box: int) -> int:
    with runtime.unit() as session:
        return session.scalar(select(func.count()).select_from(Email).where(Email.mailbox_id == box))


def quick_watcher(runtime, **options) -> IdleWatcher:
    return IdleWatcher(runtime, **{"rescan_s": 0.2, "check_s": 0.2, "backoff_s": 0.05, "debounce_s": 0.1,
                                   **options})


def test_mail_appended_on_the_server_is_synced_through_idle(runtime, worker, mail_account, make_mailbox):
    box = make_mailbox(mail_account)
    sync_mailbox(runtime, box)
    watcher = quick_watcher(runtime)
    watcher.start()
    try:
        wait_for(lambda: box in watcher.idling())
        mail_account.append([message(1), message(2)])
        wait_for(lambda: stored(runtime, box) == 2, timeout=20)
        mail_account.append([message(3)])
        wait_for(lambda: stored(runtime, box) == 3, timeout=20)
    finally:
        watcher.stop()
    assert not watcher.idling()
    with runtime.unit() as session:
        # pushes are quiet refreshes: they do not fill the Jobs page
        assert session.scalar(select(func.count()).select_from(JobRun).where(
            JobRun.name.in_(["mail.refresh_mailbox", "mail.sync_mailbox"]))) == 0


def test_idle_is_renewed_and_the_watch_survives_a_dropped_connection(runtime, worker, mail_account,
                                                                     make_mailbox):
    with CuttingProxy(mail_account.server.host, mail_account.server.imap_port) as proxy:
        box = make_mailbox(mail_account, port=proxy.port)
        sync_mailbox(runtime, box)
        watcher = quick_watcher(runtime, renew_s=0.3)  # DONE + IDLE again every 0.3 s
        watcher.start()
        try:
            wait_for(lambda: box in watcher.idling())
            wait_for(lambda: proxy.from_clients.count(b"DONE\r\n") >= 2)  # renewed, twice
            first = proxy.connections
            assert proxy.drop_all() >= 1  # the line goes dead under the watcher
            wait_for(lambda: proxy.connections > first and box in watcher.idling(), timeout=20)
            mail_account.append([message(7)])  # straight to Dovecot: only the push can tell us
            wait_for(lambda: stored(runtime, box) == 1, timeout=20)
        finally:
            watcher.stop()


def test_the_watcher_follows_mailboxes_being_disabled_and_added(runtime, mail_account, make_mailbox):
    first = make_mailbox(mail_account)
    watcher = quick_watcher(runtime)
    watcher.start()
    try:
        wait_for(lambda: watcher.idling() == {first})
        second = make_mailbox(mail_account)
        wait_for(lambda: watcher.idling() == {first, second})
        with runtime.unit() as session:
            session.get(Mailbox, first).enabled = False
        wait_for(lambda: watcher.idling() == {second})
    finally:
        watcher.stop()


def test_the_poller_asks_a_refresh_of_mailboxes_that_are_due(runtime, mail_account, make_mailbox):
    from assistant.jobs.context import JobContext
    from mailio.mailboxes.jobs import poll_mailboxes

    idle_inbox = make_mailbox(mail_account)
    idle_more = make_mailbox(mail_account, folders=["INBOX", "Sent"])
    no_idle = make_mailbox(mail_account)
    off = make_mailbox(mail_account, enabled=False)
    now = utcnow()
    with runtime.unit() as session:
        for box_id, idle in ((idle_inbox, True), (idle_more, True), (no_idle, False)):
            box = session.get(Mailbox, box_id)
            box.supports_idle, box.last_sync_at, box.state = idle, now - timedelta(seconds=30), "ok"
    with runtime.unit() as session:
        boxes = {b.id: b for b in session.scalars(select(Mailbox))}
    # IDLE covers an INBOX-only mailbox; other folders, and servers without IDLE, are polled
    assert [due_for_poll(boxes[b], now) for b in (idle_inbox, idle_more, no_idle)] == [False, True, True]
    assert due_for_poll(boxes[idle_inbox], now + timedelta(minutes=11))  # the safety net
    assert not boxes[off].enabled
    with runtime.unit() as session:
        result = poll_mailboxes(JobContext(runtime, session, "poll", 0))
    assert result == {"asked": 2}
    with runtime.unit() as session:
        # quiet refreshes (no JobRun rows), asked for the two that are due
        assert session.scalar(select(func.count()).select_from(JobRun)) == 0
