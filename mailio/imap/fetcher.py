"""Fetching a folder's new mail in a child process, while the parent stores what came before.

A big first sync spends its time in two places: reading the server's answer and each message's
envelope (hash, headers), and storing the batch in the database. In one process the two take turns
on the GIL, so a 2-core machine runs them one after the other. Here a forked child connects on its
own (:class:`~mailio.imap.client.ImapConnection`: reconnect with backoff, as in the parent), fetches
the batches and reads their envelopes, and hands ``(uids, messages, envelopes)`` over a pipe; the
parent only stores. A thread of the parent receives the batches as they come, so that the storing can
take every batch that has arrived in one transaction (:meth:`FetchProcess.waiting`). At most ``ahead``
batches are on their way or waiting to be stored, so memory stays bounded however big the folder is.

The child is forked, not spawned: it starts in milliseconds with everything already imported and the
account (password included) in memory, so no secret crosses a pipe or a command line. It touches
neither the database nor files (a reconnect is logged, to the inherited stderr), never collects the
parent's objects as garbage (they are frozen at the fork: nothing the parent owns, such as a database
connection, may be finalised in the child) and leaves with ``os._exit``.
An error in the child (the folder recreated, the server gone after the retries) comes back as the
same exception, raised in the parent where the batch would have been. Where ``fork`` does not exist,
:func:`available` is False and the sync fetches on a thread instead.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import pickle
import queue
import signal
import threading
from collections.abc import Iterator

from crm.mail.service import Incoming
from mailio.imap.client import ImapConnection, fetch_messages
from mailio.mailboxes.account import ServerAccount
from mailio.mailboxes.errors import MailServerError
from nlp.parsing.envelope import Envelope, read_envelope

__all__ = ["FetchProcess", "available"]

log = logging.getLogger("mailio.imap")

Batch = tuple[list[int], list[Incoming], list[Envelope]]

_FORKING = threading.Lock()  # held while the collector is off for a fork (see FetchProcess)


def available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class FetchProcess:
    """Iterate over ``(uids, items, envelopes)`` of each batch, fetched by a child process, in order."""

    def __init__(self, account: ServerAccount, *, mailbox_id: int, folder: str, uidvalidity: int,
                 batches: list[list[int]], retries: int, backoff_s: float, ahead: int = 4):
        self.mailbox_id = mailbox_id
        self.folder = folder
        self.batches = batches
        self.reconnects = 0
        # Longer than the child can take for one batch: every try's socket timeout and backoff.
        self._wait_s = account.timeout_s * (retries + 2) + 60.0
        self._arrived: queue.SimpleQueue = queue.SimpleQueue()  # ("batch", payload) or ("error", exception)
        self._receiver: threading.Thread | None = None
        context = multiprocessing.get_context("fork")
        self._pipe, child_end = context.Pipe()
        self._process = context.Process(
            target=_child, name=f"imap-fetch-{mailbox_id}", daemon=True,
            args=(child_end, self._pipe, account, folder, uidvalidity, batches, retries, backoff_s, max(1, ahead)))
        # A collection in the child must never finalise a parent object (a database connection it
        # shares, say): the child starts with the collector off and freezes everything it inherited
        # before switching it on (_child). Freezing here instead would mean unfreezing here after, and
        # that would also thaw what the process froze on purpose (models.memory.settle).
        with _FORKING:  # two syncs starting on two threads: neither turns the collector on under the other
            enabled = gc.isenabled()
            gc.disable()
            try:
                self._process.start()
            finally:
                if enabled:
                    gc.enable()
        child_end.close()

    def __iter__(self) -> Iterator[Batch]:
        if self._receiver is None:
            self._receiver = threading.Thread(target=self._receive, name=f"imap-receive-{self.mailbox_id}",
                                              daemon=True)
            self._receiver.start()
        for uids in self.batches:
            kind, payload = self._arrived.get()
            if kind == "error":
                raise payload
            try:
                self._pipe.send(1)  # taken: room for one more batch
            except (BrokenPipeError, ConnectionResetError):
                pass  # the child sent its last batch and left; had it died, the receiver says so
            messages, envelopes, self.reconnects = payload
            items = [Incoming(raw=raw, mailbox_id=self.mailbox_id, folder=self.folder, uid=uid, flags=flags)
                     for uid, raw, flags in messages]
            yield uids, items, envelopes

    def waiting(self) -> bool:
        """Whether the next batch (or the error that ends them) has arrived already."""
        return not self._arrived.empty()

    def _receive(self) -> None:
        """On a thread: each batch as it arrives, until the last one or an error."""
        try:
            for _ in self.batches:
                if not self._pipe.poll(self._wait_s):
                    # A child stuck where no socket timeout reaches (a lock held by another thread at the
                    # fork): give up on it; the job layer runs the pass again.
                    raise MailServerError(f"no batch from the fetching process for {self.folder!r} "
                                          f"in {self._wait_s:.0f} s")
                try:
                    kind, payload = self._pipe.recv()
                except EOFError:
                    self._process.join(timeout=5)
                    raise MailServerError(f"the fetching process for {self.folder!r} ended "
                                          f"(exit code {self._process.exitcode})") from None
                if kind == "error":
                    raise pickle.loads(payload)
                self._arrived.put(("batch", payload))
        except BaseException as exc:  # noqa: BLE001 - raised by __iter__, where the batch would have been
            self._arrived.put(("error", exc))

    def close(self) -> None:
        """Stop the child (early, at a time budget or an error, or after the last batch)."""
        try:
            if self._receiver is not None and self._receiver.is_alive():
                # Stopped early: the receiver waits on the pipe, and the child's end closing wakes it.
                # Only then is the pipe closed, never under a thread that is reading it.
                self._process.kill()
                self._receiver.join()
            self._pipe.close()
        finally:
            self._process.join(timeout=1)  # a healthy child leaves at once: its pipe is closed
            if self._process.is_alive():
                self._process.kill()
                self._process.join()

    def __enter__(self) -> FetchProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _child(pipe, parent_end, account: ServerAccount, folder: str, uidvalidity: int, batches: list[list[int]],
           retries: int, backoff_s: float, ahead: int) -> None:
    gc.freeze()  # the parent's objects, first of all (see FetchProcess): only the child's own are collected
    gc.enable()
    # The parent's end of the pipe came along with the fork: closed here, so that the parent closing
    # its own ends the child's reads and writes at once.
    parent_end.close()
    # The parent's signal handlers (a web server's, a worker's) came along too: this child just stops.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    from mailio.imap.sync import normalise_flags  # imported in the parent already: no import runs here

    credit = ahead
    try:
        with ImapConnection(account, retries=retries, backoff_s=backoff_s) as conn:
            for uids in batches:
                if credit == 0:
                    pipe.recv()  # the parent took a batch
                    credit += 1
                fetched = conn.run(lambda c, uids=uids: (conn.examine(c, folder, expect_uidvalidity=uidvalidity),
                                                          fetch_messages(c, uids))[1])
                # expunged between SEARCH and FETCH: nothing to store
                messages = [(uid, fetched[uid][0], normalise_flags(fetched[uid][1])) for uid in uids if uid in fetched]
                envelopes = [read_envelope(raw) for _, raw, _ in messages]
                pipe.send(("batch", (messages, envelopes, conn.reconnects)))
                credit -= 1
    except (EOFError, BrokenPipeError, OSError) as exc:
        if isinstance(exc, (EOFError, BrokenPipeError)):
            return  # the parent stopped reading: it is done with us
        _send_error(pipe, exc)
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent, which raises it
        _send_error(pipe, exc)


def _send_error(pipe, exc: BaseException) -> None:
    try:
        payload = pickle.dumps(exc)
    except Exception:  # an exception that cannot be pickled still says what happened
        payload = pickle.dumps(MailServerError(f"{type(exc).__name__}: {exc}"))
    try:
        pipe.send(("error", payload))
    except (BrokenPipeError, OSError):
        pass
