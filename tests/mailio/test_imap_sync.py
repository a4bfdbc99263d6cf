"""IMAP sync against a real Dovecot: first, incremental, UIDVALIDITY change, flags, resume."""

from __future__ import annotations

import gc
import threading

from sqlalchemy import func, select

from assistant.jobs.tables import JobRun
from crm.mail.tables import Email
from mailio.mailboxes.sync import sync_mailbox
from mailio.mailboxes.tables import Mailbox, MailboxFolder
from models import memory
from tests.conftest import wait_for
from tests.mailio.conftest import message


def emails(runtime, mailbox_id: int) -> list[Email]:
    with runtime.unit() as session:
        return list(session.scalars(select(Email).where(Email.mailbox_id == mailbox_id).order_by(Email.id)))


def folder_state(runtime, mailbox_id: int, name: str = "INBOX") -> MailboxFolder:
    with runtime.unit() as session:
        return session.scalar(select(MailboxFolder).where(MailboxFolder.mailbox_id == mailbox_id,
                                                          MailboxFolder.name == name))


def analysis_asked_for(runtime) -> list[int]:
    """The ids of the mail whose analysis was asked for (mail.analyze jobs take a batch each), sorted."""
    with runtime.unit() as session:
        runs = session.scalars(select(JobRun).where(JobRun.name == "mail.analyze"))
        return sorted(i for run in runs for i in run.args[0])


def test_first_sync_stores_every_message_once_with_its_place_and_flags(runtime, mail_account, make_mailbox):
    uids = mail_account.append([message(i) for i in range(7)])
    mail_account.append([message(100, tag="seen")], flags=(b"\\Seen",))
    box = make_mailbox(mail_account)

    outcome = sync_mailbox(runtime, box, batch_size=3)  # several batches

    stored = emails(runtime, box)
    assert outcome.result["stored"] == 8 and outcome.result["duplicates"] == 0
    assert sorted(e.message_id for e in stored) == sorted(
        [f"<t-{i}@example.test>" for i in range(7)] + ["<seen-100@example.test>"])
    assert {e.uid for e in stored} == set(uids) | {max(uids) + 1}
    assert all(e.folder == "INBOX" and e.source == "imap" and e.thread_id for e in stored)
    by_mid = {e.message_id: e for e in stored}
    assert by_mid["<seen-100@example.test>"].flags == ["\\Seen"]
    assert by_mid["<t-0@example.test>"].flags == []  # \Recent is not stored
    assert by_mid["<t-3@example.test>"].raw == message(3)  # byte for byte
    state = folder_state(runtime, box)
    assert state.last_uid == max(uids) + 1 and state.uidvalidity and state.highest_modseq
    assert (state.server_count, state.synced_count) == (8, 8)
    with runtime.unit() as session:
        mailbox = session.get(Mailbox, box)
        assert (mailbox.state, mailbox.last_error, mailbox.supports_idle) == ("ok", None, True)
        assert mailbox.last_sync_at is not None
    # the analysis of every new mail was asked for, in batches, after the commit
    assert analysis_asked_for(runtime) == sorted(e.id for e in stored)


def test_sync_never_marks_mail_seen_on_the_server(runtime, mail_account, make_mailbox):
    mail_account.append([message(i) for i in range(3)])
    sync_mailbox(runtime, make_mailbox(mail_account))
    with mail_account.imap() as client:
        client.select_folder("INBOX", readonly=True)
        assert client.search("UNSEEN") == client.search("ALL") != []


def test_incremental_sync_fetches_only_new_mail(runtime, mail_account, make_mailbox):
    mail_account.append([message(i) for i in range(5)])
    box = make_mailbox(mail_account)
    sync_mailbox(runtime, box)
    first_ids = {e.id for e in emails(runtime, box)}

    again = sync_mailbox(runtime, box)
    assert again.result["fetched"] == 0  # nothing new: not even a SEARCH result to fetch

    new_uids = mail_account.append([message(i) for i in range(5, 9)])
    later = sync_mailbox(runtime, box)

    stored = emails(runtime, box)
    assert later.result["fetched"] == 4 and later.result["stored"] == 4
    assert len(stored) == 9 and len({e.message_id for e in stored}) == 9
    assert {e.id for e in stored} > first_ids
    assert folder_state(runtime, box).last_uid == max(new_uids)


def test_several_folders_are_synced_and_a_missing_one_is_reported(runtime, mail_account, make_mailbox):
    mail_account.append([message(i) for i in range(3)])
    mail_account.append([message(i, tag="proj") for i in range(2)], folder="Projects")
    box = make_mailbox(mail_account, folders=["INBOX", "Projects", "Gone"])

    outcome = sync_mailbox(runtime, box)

    stored = emails(runtime, box)
    assert sorted((e.folder, e.message_id) for e in stored if e.folder == "Projects") == [
        ("Projects", "<proj-0@example.test>"), ("Projects", "<proj-1@example.test>")]
    assert len(stored) == 5
    assert outcome.result["missing"] == ["Gone"]
    with runtime.unit() as session:
        mailbox = session.get(Mailbox, box)
        assert mailbox.state == "error" and "Gone" in mailbox.last_error


def test_a_uidvalidity_change_resyncs_without_duplicates(runtime, mail_account, make_mailbox):
    mail_account.append([message(i, tag="arch") for i in range(4)], folder="Archive")
    box = make_mailbox(mail_account, folders=["Archive"])
    sync_mailbox(runtime, box)
    before = folder_state(runtime, box, "Archive")
    old_ids = {e.message_id: e.id for e in emails(runtime, box)}

    # The folder is deleted and made again (as a server restore or migration does): new UIDVALIDITY,
    # the same four messages (in another order) plus one new one.
    with mail_account.imap() as client:
        client.delete_folder("Archive")
        client.create_folder("Archive")
    new_uids = mail_account.append([message(i, tag="arch") for i in (3, 1, 0, 2, 4)], folder="Archive")
    if folder_state(runtime, box, "Archive").uidvalidity == mail_account_uidvalidity(mail_account, "Archive"):
        raise AssertionError("Dovecot kept the UIDVALIDITY: the test would prove nothing")

    outcome = sync_mailbox(runtime, box)

    stored = emails(runtime, box)
    assert outcome.result["resets"] == ["Archive"]
    assert outcome.result["stored"] == 1 and outcome.result["duplicates"] == 4
    assert len(stored) == 5 and len({e.message_id for e in stored}) == 5
    assert all(old_ids[e.message_id] == e.id for e in stored if e.message_id in old_ids)  # same rows
    # every row points at its new UID, so flags and later syncs address the right message
    assert {e.message_id: e.uid for e in stored} == {
        f"<arch-{n}@example.test>": uid for n, uid in zip((3, 1, 0, 2, 4), new_uids, strict=True)}
    after = folder_state(runtime, box, "Archive")
    assert after.uidvalidity != before.uidvalidity and after.last_uid == max(new_uids)


def mail_account_uidvalidity(account, folder: str) -> int:
    with account.imap() as client:
        return client.folder_status(folder, ["UIDVALIDITY"])[b"UIDVALIDITY"]


def test_flag_changes_on_the_server_reach_the_stored_mail(runtime, mail_account, make_mailbox):
    uids = mail_account.append([message(i) for i in range(4)])
    box = make_mailbox(mail_account)
    sync_mailbox(runtime, box)

    with mail_account.imap() as client:
        client.select_folder("INBOX")
        client.add_flags([uids[0]], [b"\\Seen"])
        client.add_flags([uids[1]], [b"\\Flagged", b"\\Seen"])
    outcome = sync_mailbox(runtime, box)

    flags = {e.uid: e.flags for e in emails(runtime, box)}
    assert outcome.result["flags_updated"] == 2
    assert flags == {uids[0]: ["\\Seen"], uids[1]: ["\\Flagged", "\\Seen"], uids[2]: [], uids[3]: []}

    with mail_account.imap() as client:
        client.select_folder("INBOX")
        client.remove_flags([uids[1]], [b"\\Flagged"])
    sync_mailbox(runtime, box)
    assert {e.uid: e.flags for e in emails(runtime, box)}[uids[1]] == ["\\Seen"]


def test_flags_are_synced_without_condstore_by_fetching_known_uids(runtime, mail_account, make_mailbox):
    from mailio.imap.sync import ImapSync

    uids = mail_account.append([message(i) for i in range(3)])
    box = make_mailbox(mail_account)
    ImapSync(runtime, box, use_condstore=False).run()
    with mail_account.imap() as client:
        client.select_folder("INBOX")
        client.add_flags([uids[2]], [b"\\Answered"])
    report = ImapSync(runtime, box, use_condstore=False).run()
    assert report.flags_updated == 1
    assert {e.uid: e.flags for e in emails(runtime, box)}[uids[2]] == ["\\Answered"]


def test_a_sync_that_stops_at_its_time_budget_resumes_where_it_stopped(runtime, mail_account, make_mailbox):
    mail_account.append([message(i) for i in range(10)])
    box = make_mailbox(mail_account)
    # A budget that runs out after the first batch.
    first = sync_mailbox(runtime, box, batch_size=4, budget_s=1e-9)
    assert first.more and first.result["stored"] == 4
    with runtime.unit() as session:
        assert session.get(Mailbox, box).state == "syncing"
    second = sync_mailbox(runtime, box, batch_size=4)
    assert not second.more and second.result["stored"] == 6 and second.result["duplicates"] == 0
    with runtime.unit() as session:
        count = session.scalar(select(func.count()).select_from(Email).where(Email.mailbox_id == box))
    assert count == 10


def test_mail_already_stored_from_elsewhere_is_not_stored_again(runtime, mail_account, make_mailbox, rep):
    from crm.mail.service import MailStore

    with runtime.unit() as session:
        imported = MailStore(session).store(message(1), owner_id=rep.id, source="import").email.id
    mail_account.append([message(1), message(2)])
    box = make_mailbox(mail_account)
    outcome = sync_mailbox(runtime, box)
    assert outcome.result["stored"] == 1 and outcome.result["duplicates"] == 1
    with runtime.unit() as session:
        # the imported copy now knows where it lives on the server
        email = session.get(Email, imported)
        assert (email.mailbox_id, email.folder, email.uid) == (box, "INBOX", 1)


def test_a_sync_asked_for_while_one_runs_joins_it_and_nothing_is_stored_twice(runtime, mail_account,
                                                                               make_mailbox, monkeypatch):
    from mailio.imap.sync import ImapSync

    # The first sync holds after its first committed group until the second has been asked for: on a
    # fast machine it could otherwise be over before.
    asked = threading.Event()
    real_store = ImapSync._store

    def store_then_hold(self, *args, **kwargs):
        real_store(self, *args, **kwargs)
        asked.wait(30)

    monkeypatch.setattr(ImapSync, "_store", store_then_hold)
    mail_account.append([message(i) for i in range(600)])
    box = make_mailbox(mail_account)
    first: list = []
    running = threading.Thread(target=lambda: first.append(sync_mailbox(runtime, box, batch_size=20)))
    running.start()
    wait_for(lambda: folder_state(runtime, box) is not None and folder_state(runtime, box).last_uid > 0)
    try:
        second = sync_mailbox(runtime, box)  # as IDLE or the poller would, mid-sync
    finally:
        asked.set()
    running.join(60)
    assert second.joined and "running" in second.result["joined"]
    assert first[0].result["stored"] == 600
    stored = emails(runtime, box)
    assert len(stored) == 600 and len({e.message_id for e in stored}) == 600


def test_a_big_pass_is_fetched_on_a_thread_where_no_child_process_may_start(runtime, mail_account, make_mailbox,
                                                                           monkeypatch):
    from mailio.imap import fetcher

    def refuse(*args, **kwargs):
        raise AssertionError("daemonic processes are not allowed to have children")

    monkeypatch.setattr(fetcher, "FetchProcess", refuse)
    mail_account.append([message(i) for i in range(30)])
    box = make_mailbox(mail_account)
    outcome = sync_mailbox(runtime, box, batch_size=3)  # 10 batches: a child process would fetch them
    assert outcome.result["stored"] == 30
    assert sorted(e.message_id for e in emails(runtime, box)) == sorted(f"<t-{i}@example.test>" for i in range(30))


def test_a_big_pass_asks_the_child_for_a_small_first_batch_and_stores_all_once(runtime, mail_account,
                                                                              make_mailbox, monkeypatch):
    from mailio.imap import fetcher
    from mailio.imap.sync import FIRST_BATCH, ImapSync

    asked_for: list[list[int]] = []
    real = fetcher.FetchProcess

    def recording(*args, **kwargs):
        asked_for.extend(kwargs["batches"])
        return real(*args, **kwargs)

    monkeypatch.setattr(fetcher, "FetchProcess", recording)
    uids = mail_account.append([message(i) for i in range(900)])
    box = make_mailbox(mail_account)
    done: list[int] = []
    young: set[int] = set()

    def progress(stored: int, total: int, message: str) -> None:
        done.append(stored)
        if stored:
            young.add(gc.get_threshold()[0])  # the collector, while the pass stores

    # 9 batches of 100: a child process fetches them, the first one cut in two
    report = ImapSync(runtime, box, batch_size=100, defer_over=None, progress=progress).run()
    assert [len(b) for b in asked_for] == [FIRST_BATCH, 100 - FIRST_BATCH] + [100] * 8
    assert [u for b in asked_for for u in b] == sorted(uids)
    assert done[-1] == 900 and done == sorted(done)
    assert young == {memory.BULK_THRESHOLD} and gc.get_threshold()[0] < memory.BULK_THRESHOLD
    assert report.stored == 900 and report.duplicates == 0
    stored = emails(runtime, box)
    assert sorted(e.message_id for e in stored) == sorted(f"<t-{i}@example.test>" for i in range(900))
    assert analysis_asked_for(runtime) == sorted(e.id for e in stored)


def test_preparing_to_publish_loads_the_job_layer_and_publishing_still_works(runtime, mail_account,
                                                                             make_mailbox):
    runtime.prepare_publishing()
    assert "backend" in runtime.celery._local.__dict__  # loaded now, not at the first commit
    mail_account.append([message(i) for i in range(3)])
    box = make_mailbox(mail_account)
    assert sync_mailbox(runtime, box).result["stored"] == 3
    assert analysis_asked_for(runtime) == [e.id for e in emails(runtime, box)]
