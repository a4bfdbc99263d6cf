"""The fetching child of a big sync, and how its batches are joined for storing."""

from __future__ import annotations

import gc
import os
import time

import pytest

from mailio.imap import fetcher
from mailio.imap.sync import _joined
from mailio.mailboxes.account import ServerAccount
from mailio.mailboxes.errors import MailServerError
from tests.conftest import wait_for
from tests.mailio.conftest import message


def _batches(sizes: list[int], fail_at: int | None = None):
    start = 0
    for index, size in enumerate(sizes):
        if index == fail_at:
            raise MailServerError("the server went away")
        uids = list(range(start, start + size))
        start += size
        yield uids, [f"item {u}" for u in uids], [f"envelope {u}" for u in uids]


def test_batches_that_have_arrived_are_joined_up_to_the_limit():
    joined = list(_joined(_batches([250] * 9 + [100]), lambda: True, 1000))
    assert [len(uids) for uids, _, _ in joined] == [1000, 1000, 350]
    assert [u for uids, _, _ in joined for u in uids] == list(range(2350))  # in order, none twice
    for uids, items, envelopes in joined:
        assert items == [f"item {u}" for u in uids] and envelopes == [f"envelope {u}" for u in uids]


def test_a_batch_that_has_not_arrived_is_not_waited_for():
    arrived = iter([True, False, True, True, False, False])
    joined = list(_joined(_batches([10] * 6), lambda: next(arrived), 1000))
    assert [len(uids) for uids, _, _ in joined] == [20, 30, 10]


def test_an_error_met_while_joining_comes_after_the_batches_before_it():
    groups = _joined(_batches([10, 10, 10], fail_at=2), lambda: True, 1000)
    uids, _, _ = next(groups)
    assert uids == list(range(20))  # handed on to be stored first
    with pytest.raises(MailServerError, match="went away"):
        next(groups)


def _process(mail_account, batches: list[list[int]], ahead: int = 4) -> fetcher.FetchProcess:
    server = mail_account.server
    account = ServerAccount(kind="imap", host=server.host, port=server.imap_port, security="none",
                            username=mail_account.username, password=mail_account.password)
    with mail_account.imap() as client:
        uidvalidity = client.select_folder("INBOX")[b"UIDVALIDITY"]
    return fetcher.FetchProcess(account, mailbox_id=1, folder="INBOX", uidvalidity=uidvalidity, batches=batches,
                                retries=0, backoff_s=0.01, ahead=ahead)


def test_the_fetching_child_runs_ahead_by_at_most_its_allowance(mail_account):
    with mail_account.imap() as client:
        client.multiappend("INBOX", [message(i, tag="f") for i in range(12)])
    batches = [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12]]
    with _process(mail_account, batches, ahead=3) as process:
        taken = iter(process)
        first = next(taken)
        assert first[0] == [1, 2] and [i.uid for i in first[1]] == [1, 2]
        assert first[2][0].message_id == "<f-0@example.test>"
        # Three more are allowed on their way: they arrive while nothing is taken, and no fourth.
        wait_for(lambda: process._arrived.qsize() == 3)
        time.sleep(0.3)
        assert process._arrived.qsize() == 3 and process.waiting()
        rest = list(taken)
    assert [uids for uids, _, _ in rest] == batches[1:]
    assert [e.message_id for _, _, envelopes in rest for e in envelopes] == [f"<f-{i}@example.test>"
                                                                           for i in range(2, 12)]
    assert not process._process.is_alive()


def test_a_pass_stopped_early_stops_the_child_and_its_receiver(mail_account):
    with mail_account.imap() as client:
        client.multiappend("INBOX", [message(i, tag="s") for i in range(6)])
    process = _process(mail_account, [[1, 2], [3, 4], [5, 6]], ahead=1)
    with process:
        assert next(iter(process))[0] == [1, 2]  # then the storing stops (a time budget, an error)
    assert not process._process.is_alive()
    assert not process._receiver.is_alive()


def test_the_child_leaves_the_parents_objects_alone_and_the_parent_stays_frozen(mail_account, tmp_path):
    finalised = tmp_path / "finalised"

    class Cyclic:
        def __del__(self):
            with open(finalised, "a") as out:
                out.write(f"{os.getpid()}\n")

    with mail_account.imap() as client:
        client.multiappend("INBOX", [message(i, tag="g") for i in range(4)])
    was_frozen = gc.get_freeze_count()
    gc.collect()
    gc.freeze()  # as models.memory.settle does after the pipeline is loaded
    frozen = gc.get_freeze_count()
    gc.disable()  # so that the garbage below is still there at the fork
    try:
        garbage = Cyclic()
        garbage.me = garbage
        del garbage  # unreachable: only a collection frees it, and that must not happen in the child
        alive = [[] for _ in range(2 * gc.get_threshold()[0])]  # a young collection is due at once
        with _process(mail_account, [[1, 2], [3, 4]]) as process:
            assert [uids for uids, _, _ in process] == [[1, 2], [3, 4]]
        assert not gc.isenabled()  # the parent's setting is kept
        del alive
        # What the parent froze stays frozen (unfreezing would make it 0); a few frozen objects may have
        # been freed by reference counting meanwhile.
        assert gc.get_freeze_count() > 0.9 * frozen
    finally:
        gc.enable()
        if not was_frozen:
            gc.unfreeze()
    gc.collect()
    assert finalised.read_text().split() == [str(os.getpid())]  # finalised once, by the parent
