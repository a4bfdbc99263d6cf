"""IMAP IDLE: new mail is synced when the server announces it, not at the next poll.

:class:`IdleWatcher` is a supervisor thread that keeps one thread per enabled IMAP mailbox (whose
server has not said it lacks IDLE) idling on INBOX. When the server sends EXISTS, the mailbox's
``mail.refresh_mailbox`` job is asked for (coalesced: a burst of arrivals asks once). IDLE is renewed
before the 29 minutes after which servers may drop an idle client (RFC 2177), and a lost connection
is re-made with exponential backoff, asking for a refresh so nothing that arrived meanwhile waits for
the poller. Mailboxes that are added, changed, disabled or deleted are picked up at the next rescan.

Run one watcher per deployment, in the process that runs the embedded worker or beat
(``watcher = IdleWatcher(runtime); watcher.start()`` ... ``watcher.stop()``): two watchers would only
ask for the same refreshes twice.
"""

from __future__ import annotations

import hashlib
import logging
import random
import threading
import time

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from mailio.imap.client import DROPPED, connect
from mailio.mailboxes.account import ServerAccount
from mailio.mailboxes.errors import LoginFailed, MailServerError, TlsFailed
from mailio.mailboxes.repository import MailboxRepository
from mailio.mailboxes.tables import Mailbox

__all__ = ["IdleWatcher"]

log = logging.getLogger("mailio.imap.watcher")

IDLE_RENEW_S = 25 * 60.0  # < 29 min (RFC 2177)
FOLDER = "INBOX"


def _fingerprint(mailbox: Mailbox) -> str:
    """Changes whenever a setting the connection depends on changes (the thread is then restarted)."""
    parts = [mailbox.host, str(mailbox.port), mailbox.security, mailbox.username]
    return hashlib.sha256("\0".join(parts).encode() + bytes(mailbox.secret or b"")).hexdigest()


class IdleWatcher:
    def __init__(self, runtime, *, rescan_s: float = 30.0, renew_s: float = IDLE_RENEW_S,
                 check_s: float = 1.0, backoff_s: float = 1.0, backoff_max_s: float = 300.0,
                 debounce_s: float = 0.5, job: str = "mail.refresh_mailbox"):
        self.runtime = runtime
        self.rescan_s = rescan_s
        self.renew_s = renew_s
        self.check_s = check_s
        self.backoff_s = backoff_s
        self.backoff_max_s = backoff_max_s
        self.debounce_s = debounce_s
        self.job = job
        self._stop = threading.Event()
        self._supervisor: threading.Thread | None = None
        self._watches: dict[int, _Watch] = {}

    # --- public ------------------------------------------------------------------------------------
    def start(self) -> None:
        """Start watching in background threads; returns at once."""
        if self._supervisor is not None:
            return
        self._stop.clear()
        self._supervisor = threading.Thread(target=self._supervise, name="imap-idle-supervisor", daemon=True)
        self._supervisor.start()
        log.info("imap idle watcher started")

    def stop(self, timeout: float = 10.0) -> None:
        """Stop every IDLE (DONE, LOGOUT) and join the threads; bounded by ``timeout`` each."""
        if self._supervisor is None:
            return
        self._stop.set()
        self._supervisor.join(timeout)
        self._supervisor = None
        for watch in list(self._watches.values()):
            watch.stop()
        for watch in list(self._watches.values()):
            watch.join(timeout)
        self._watches.clear()
        log.info("imap idle watcher stopped")

    def idling(self) -> set[int]:
        """Mailbox ids whose IDLE is established right now."""
        return {mid for mid, watch in list(self._watches.items()) if watch.idling.is_set()}

    def rescan(self) -> None:
        """Start, restart or stop per-mailbox threads to match the mailboxes now enabled."""
        with self.runtime.unit() as session:
            wanted = {mb.id: _fingerprint(mb) for mb in MailboxRepository(session).enabled(kind="imap")
                      if mb.supports_idle is not False}
        for mailbox_id, watch in list(self._watches.items()):
            if wanted.get(mailbox_id) != watch.fingerprint or not watch.is_alive():
                watch.stop()
                del self._watches[mailbox_id]
        for mailbox_id, fingerprint in wanted.items():
            if mailbox_id not in self._watches and not self._stop.is_set():
                watch = _Watch(self, mailbox_id, fingerprint)
                self._watches[mailbox_id] = watch
                watch.start()

    # --- internals ---------------------------------------------------------------------------------
    def _supervise(self) -> None:
        while not self._stop.is_set():
            try:
                self.rescan()
            except Exception:  # a database hiccup must not end watching; try again next round
                log.exception("imap idle rescan failed")
            self._stop.wait(self.rescan_s)

    def ask_refresh(self, mailbox_id: int) -> None:
        with self.runtime.unit() as session:
            self.runtime.enqueue(session, self.job, mailbox_id)


class _Watch(threading.Thread):
    """IDLE on one mailbox's INBOX, for as long as it is wanted."""

    def __init__(self, watcher: IdleWatcher, mailbox_id: int, fingerprint: str):
        super().__init__(name=f"imap-idle-{mailbox_id}", daemon=True)
        self.watcher = watcher
        self.mailbox_id = mailbox_id
        self.fingerprint = fingerprint
        self._stop_event = threading.Event()
        self.idling = threading.Event()

    def stop(self) -> None:
        self._stop_event.set()

    @property
    def stopping(self) -> bool:
        return self._stop_event.is_set() or self.watcher._stop.is_set()

    def run(self) -> None:
        failures = 0
        while not self.stopping:
            try:
                if self._session() is False:
                    return  # the server has no IDLE: the poller looks after this mailbox
                failures = 0
            except (LoginFailed, TlsFailed) as exc:
                # The sync records and shows this; keep trying, slowly, in case it gets fixed.
                log.warning("imap idle cannot log in",
                            extra={"mailbox_id": self.mailbox_id, "error": exc.message})
                failures = max(failures, 8)
            except (MailServerError, IMAPClientError, *DROPPED) as exc:
                log.info("imap idle connection lost", extra={"mailbox_id": self.mailbox_id,
                                                             "error": str(exc)[:200] or type(exc).__name__})
            except Exception:  # never let one mailbox's surprise end its watch for good
                log.exception("imap idle failed", extra={"mailbox_id": self.mailbox_id})
            finally:
                self.idling.clear()
            if self.stopping:
                return
            delay = min(self.watcher.backoff_max_s, self.watcher.backoff_s * 2 ** failures)
            failures += 1
            self._stop_event.wait(delay * random.uniform(0.8, 1.2))

    def _account(self) -> ServerAccount | None:
        with self.watcher.runtime.unit() as session:
            mailbox = session.get(Mailbox, self.mailbox_id)
            if mailbox is None or not mailbox.enabled:
                return None
            return ServerAccount.of(mailbox, self.watcher.runtime.settings)

    def _no_idle(self) -> None:
        with self.watcher.runtime.unit() as session:
            mailbox = session.get(Mailbox, self.mailbox_id)
            if mailbox is not None:
                mailbox.supports_idle = False

    def _session(self) -> bool | None:
        account = self._account()
        if account is None:
            self._stop_event.set()
            return None
        client = connect(account)
        try:
            if not client.has_capability("IDLE"):
                self._no_idle()
                return False
            client.select_folder(FOLDER, readonly=True)
            # Whatever arrived while we were away, or between the mailbox's last sync and this IDLE:
            # IDLE only announces mail that comes after it starts.
            self.watcher.ask_refresh(self.mailbox_id)
            self._idle_loop(client)
            return True
        finally:
            _logout(client)

    def _idle_loop(self, client: IMAPClient) -> None:
        w = self.watcher
        client.idle()
        self.idling.set()
        renew_at = time.monotonic() + w.renew_s
        pending_since: float | None = None
        woken_empty = 0
        while not self.stopping:
            started = time.monotonic()
            responses = client.idle_check(timeout=w.check_s)
            # imapclient swallows EOF: a closed connection looks like "readable, nothing read", at once
            # and again and again. A live one is readable only when a line (or part of one) arrives.
            early = not responses and time.monotonic() - started < w.check_s / 2
            woken_empty = woken_empty + 1 if early else 0
            if woken_empty >= 5:
                raise ConnectionResetError("server closed the connection")
            for response in responses:
                if len(response) > 1 and response[1] == b"EXISTS":
                    pending_since = pending_since or time.monotonic()
                elif response and response[0] == b"BYE":
                    raise ConnectionResetError("server said BYE")
            if pending_since is not None and time.monotonic() - pending_since >= w.debounce_s:
                w.ask_refresh(self.mailbox_id)
                pending_since = None
            if time.monotonic() >= renew_at:
                client.idle_done()
                client.idle()
                renew_at = time.monotonic() + w.renew_s
        if pending_since is not None:
            w.ask_refresh(self.mailbox_id)
        client.idle_done()


def _logout(client: IMAPClient) -> None:
    try:
        client.socket().settimeout(5.0)
        client.logout()
    except Exception:  # the connection is already gone: nothing to say goodbye to
        try:
            client.shutdown()
        except Exception:
            pass
