"""Talking to an IMAP server with imapclient: connect, log in, and reconnect when the line drops.

Every socket operation has a timeout (the account's ``timeout_s``). :class:`ImapConnection` runs an
operation and, when the connection is lost mid-way, reconnects with exponential backoff and runs the
operation again from its start: operations must therefore be safe to repeat (reads, or writes that
check first).
"""

from __future__ import annotations

import logging
import random
import re
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError

from mailio.mailboxes.account import ServerAccount, tls_context
from mailio.mailboxes.errors import (
    FolderMissing,
    LoginFailed,
    MailServerError,
    ServerUnreachable,
    TlsFailed,
    UidValidityChanged,
)

__all__ = ["connect", "ImapConnection", "FolderInfo", "DROPPED", "fetch_messages", "uid_set"]

log = logging.getLogger("mailio.imap")
T = TypeVar("T")

# What a lost connection looks like from imapclient: socket errors, timeouts, imaplib's "abort", EOF.
DROPPED: tuple[type[BaseException], ...] = (OSError, IMAPClientAbortError, EOFError)


@dataclass(frozen=True)
class FolderInfo:
    """What SELECT/EXAMINE says about a folder."""

    name: str
    uidvalidity: int
    exists: int
    uidnext: int | None
    highest_modseq: int | None


def connect(account: ServerAccount) -> IMAPClient:
    """A logged-in client; raises ServerUnreachable, TlsFailed or LoginFailed."""
    client: IMAPClient | None = None
    try:
        if account.security == "ssl":
            client = IMAPClient(account.host, account.port, ssl=True, ssl_context=tls_context(),
                                timeout=account.timeout_s)
        else:
            client = IMAPClient(account.host, account.port, ssl=False, timeout=account.timeout_s)
            if account.security == "starttls":
                client.starttls(tls_context())
        # imaplib formats every protocol line for its debug hook even when nobody listens: off.
        client._imap.debug = 0
        client.login(account.username, account.password)
        return client
    except LoginError as exc:
        _close(client)
        if isinstance(exc.__context__, DROPPED):
            # imapclient reports a connection lost during LOGIN as a LoginError: it is not the password.
            raise ServerUnreachable(f"connection to {account.address} lost while logging in") from None
        raise LoginFailed(f"{account.address} refused the user name or password for "
                          f"{account.username}") from None
    except ssl.SSLError as exc:
        _close(client)
        raise TlsFailed(f"TLS with {account.address} failed: {exc.reason or exc}") from None
    except DROPPED as exc:
        _close(client)
        raise ServerUnreachable(f"cannot reach {account.address}: {_reason(exc)}") from None
    except IMAPClientError as exc:
        _close(client)
        # e.g. STARTTLS not offered: the settings do not fit this server
        raise MailServerError(f"{account.address}: {_reason(exc)}") from None


_UID = re.compile(rb"\bUID (\d+)")
_FLAGS = re.compile(rb"\bFLAGS \(([^)]*)\)")


def uid_set(uids: list[int]) -> str:
    """A compact UID set: 1,2,3,7 → "1:3,7" (a short command line however many UIDs)."""
    parts: list[str] = []
    ordered = sorted(set(uids))
    if not ordered:
        return ""
    start = prev = ordered[0]
    for uid in ordered[1:] + [None]:
        if uid is not None and uid == prev + 1:
            prev = uid
            continue
        parts.append(str(start) if start == prev else f"{start}:{prev}")
        if uid is not None:
            start = prev = uid
    return ",".join(parts)


def fetch_messages(client: IMAPClient, uids: list[int]) -> dict[int, tuple[bytes, list[bytes]]]:
    """UID → (raw message, flags) with UID FETCH (UID FLAGS BODY.PEEK[]); nothing is marked \\Seen.

    imaplib has already cut each message body out of the response as a literal; imapclient's general
    response parser would then tokenise everything again, which costs more CPU than the rest of a
    fetch loop together (see bench/imap_sync.py). So only the few metadata bytes are read here.
    """
    if not uids:
        return {}
    imap = client._imap  # the imaplib connection imapclient drives; same socket, same selected folder
    typ, data = imap.uid("FETCH", uid_set(uids), "(UID FLAGS BODY.PEEK[])")
    if typ != "OK":
        raise IMAPClientError(f"FETCH failed: {data!r}"[:300])
    wanted = set(uids)
    found: dict[int, tuple[bytes, list[bytes]]] = {}
    for index, item in enumerate(data):
        if not isinstance(item, tuple):
            continue  # a closing ")" or an unsolicited FETCH without a body
        head, body = item
        after = data[index + 1] if index + 1 < len(data) and isinstance(data[index + 1], bytes) else b""
        meta = head + b" " + after  # FLAGS may come before or after the body
        uid_match = _UID.search(meta)
        if uid_match is None:
            continue
        uid = int(uid_match.group(1))
        if uid in wanted:
            flags = _FLAGS.search(meta)
            found[uid] = (body, flags.group(1).split() if flags else [])
    return found


def _reason(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout):
        return "timed out"
    return str(exc) or type(exc).__name__


def _close(client: IMAPClient | None) -> None:
    if client is None:
        return
    try:
        client.shutdown()
    except Exception:  # already closed or broken: nothing more to release
        pass


class ImapConnection:
    """A connection that heals: operations are retried on a fresh connection after a drop."""

    def __init__(self, account: ServerAccount, *, retries: int = 5, backoff_s: float = 0.5,
                 backoff_max_s: float = 30.0, sleep: Callable[[float], None] = time.sleep):
        self.account = account
        self.retries = retries
        self.backoff_s = backoff_s
        self.backoff_max_s = backoff_max_s
        self._sleep = sleep
        self._client: IMAPClient | None = None
        self._selected: FolderInfo | None = None
        self._condstore = False
        self.reconnects = 0

    # --- connection ------------------------------------------------------------------------------
    @property
    def client(self) -> IMAPClient:
        if self._client is None:
            self._client = connect(self.account)
            self._selected = None
            self._condstore = False
        return self._client

    def capabilities(self) -> set[str]:
        return self.run(lambda c: {cap.decode().upper() for cap in c.capabilities()})

    def close(self) -> None:
        client, self._client, self._selected = self._client, None, None
        if client is None:
            return
        try:
            client.socket().settimeout(min(5.0, self.account.timeout_s))
            client.logout()
        except Exception:  # a broken connection cannot log out politely; just drop it
            _close(client)

    def __enter__(self) -> ImapConnection:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def run(self, op: Callable[[IMAPClient], T]) -> T:
        """Run ``op`` on the client; after a dropped connection, reconnect (backoff) and run it again."""
        attempt = 0
        while True:
            try:
                return op(self.client)
            except DROPPED as exc:
                self._drop()
                if attempt >= self.retries:
                    raise ServerUnreachable(f"{self.account.address} keeps dropping the connection: "
                                            f"{_reason(exc)}") from None
            except ServerUnreachable:
                self._drop()
                if attempt >= self.retries:
                    raise
            delay = min(self.backoff_max_s, self.backoff_s * 2 ** attempt) * random.uniform(0.8, 1.2)
            attempt += 1
            self.reconnects += 1
            log.warning("imap connection lost, reconnecting",
                        extra={"server": self.account.address, "attempt": attempt, "in_s": round(delay, 2)})
            self._sleep(delay)

    def _drop(self) -> None:
        client, self._client, self._selected = self._client, None, None
        _close(client)

    # --- folders ---------------------------------------------------------------------------------
    def enable_condstore(self) -> bool:
        """Ask for MODSEQ values (RFC 7162) when offered; True when the server will send them."""
        def op(c: IMAPClient) -> bool:
            if not c.has_capability("CONDSTORE"):
                return False
            if not self._condstore:
                if c.has_capability("ENABLE"):
                    c.enable("CONDSTORE")
                self._condstore = True
            return True

        return self.run(op)

    def examine(self, c: IMAPClient, folder: str, *, expect_uidvalidity: int | None = None) -> FolderInfo:
        """Select ``folder`` read-only (EXAMINE: nothing is marked \\Seen), once per connection."""
        if self._selected is None or self._selected.name != folder:
            try:
                resp = c.select_folder(folder, readonly=True)
            except IMAPClientAbortError:
                raise
            except IMAPClientError as exc:
                raise FolderMissing(f"cannot open folder {folder!r} on {self.account.address}: "
                                    f"{exc}") from None
            modseq = resp.get(b"HIGHESTMODSEQ")
            self._selected = FolderInfo(name=folder, uidvalidity=int(resp[b"UIDVALIDITY"]),
                                        exists=int(resp.get(b"EXISTS", 0)),
                                        uidnext=int(resp[b"UIDNEXT"]) if b"UIDNEXT" in resp else None,
                                        highest_modseq=int(modseq) if modseq is not None else None)
        info = self._selected
        if expect_uidvalidity is not None and info.uidvalidity != expect_uidvalidity:
            raise UidValidityChanged(f"folder {folder!r} was recreated on the server")
        return info

    def refresh(self, c: IMAPClient, folder: str) -> FolderInfo:
        """Select again, so EXISTS/UIDNEXT/HIGHESTMODSEQ are current."""
        self._selected = None
        return self.examine(c, folder)

    def list_folders(self) -> list[tuple[str, list[str]]]:
        """(name, flags) of every folder the user can select."""
        def op(c: IMAPClient) -> list[tuple[str, list[str]]]:
            found = []
            for flags, _delim, name in c.list_folders():
                flags = [f.decode() if isinstance(f, bytes) else str(f) for f in flags]
                if "\\Noselect" in flags or "\\NonExistent" in flags:
                    continue
                found.append((name, flags))
            return found

        return self.run(op)
