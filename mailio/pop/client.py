"""Talking to a POP3 server with poplib: connect (TLS, STLS or plain), log in, read raw messages."""

from __future__ import annotations

import poplib
import socket
import ssl

from mailio.mailboxes.account import ServerAccount, tls_context
from mailio.mailboxes.errors import LoginFailed, MailServerError, ServerUnreachable, TlsFailed

__all__ = ["connect", "retrieve", "uidl_listing", "close"]

# poplib refuses lines over 2,048 bytes, but real mail (HTML on one line) has longer ones.
_MAX_LINE = 1 << 20


class _LongLines:
    def _getline(self):
        line = self.file.readline(_MAX_LINE + 1)
        if len(line) > _MAX_LINE:
            raise poplib.error_proto("line too long")
        if not line:
            raise poplib.error_proto("-ERR EOF")
        octets = len(line)
        if line[-2:] == b"\r\n":
            return line[:-2], octets
        if line[:1] == b"\r":
            return line[1:-1], octets
        return line[:-1], octets


class _POP3(_LongLines, poplib.POP3):
    pass


class _POP3SSL(_LongLines, poplib.POP3_SSL):
    pass


def connect(account: ServerAccount) -> poplib.POP3:
    """A logged-in POP3 session; raises ServerUnreachable, TlsFailed or LoginFailed."""
    pop: poplib.POP3 | None = None
    try:
        if account.security == "ssl":
            pop = _POP3SSL(account.host, account.port, timeout=account.timeout_s, context=tls_context())
        else:
            pop = _POP3(account.host, account.port, timeout=account.timeout_s)
            if account.security == "starttls":
                pop.stls(context=tls_context())
    except ssl.SSLError as exc:
        close(pop)
        raise TlsFailed(f"TLS with {account.address} failed: {exc.reason or exc}") from None
    except (OSError, EOFError) as exc:
        close(pop)
        raise ServerUnreachable(f"cannot reach {account.address}: {_reason(exc)}") from None
    except poplib.error_proto as exc:
        close(pop)
        raise MailServerError(f"{account.address}: {_text(exc)}") from None
    try:
        pop.user(account.username)
        pop.pass_(account.password)
    except poplib.error_proto as exc:
        close(pop)
        text = _text(exc)
        if "[IN-USE]" in text or "[SYS/TEMP]" in text:
            # Another session holds the maildrop lock: try again later.
            raise ServerUnreachable(f"{account.address}: mailbox busy ({text})") from None
        raise LoginFailed(f"{account.address} refused the user name or password for "
                          f"{account.username}") from None
    except (OSError, EOFError) as exc:
        close(pop)
        raise ServerUnreachable(f"cannot reach {account.address}: {_reason(exc)}") from None
    return pop


def uidl_listing(pop: poplib.POP3) -> dict[int, str]:
    """Message number → UIDL (the server's stable id of the message)."""
    _resp, lines, _octets = pop.uidl()
    found: dict[int, str] = {}
    for line in lines:
        number, _, uidl = line.decode("ascii", "replace").partition(" ")
        if number.isdigit() and uidl.strip():
            found[int(number)] = uidl.strip()
    return found


def retrieve(pop: poplib.POP3, number: int) -> bytes:
    """The raw message (poplib already undid the dot-stuffing)."""
    _resp, lines, _octets = pop.retr(number)
    return b"\r\n".join(lines) + b"\r\n"


def close(pop: poplib.POP3 | None) -> None:
    """Drop the connection without QUIT: deletions marked in this session are not applied."""
    if pop is None:
        return
    try:
        pop.close()
    except OSError:
        pass


def _reason(exc: BaseException) -> str:
    return "timed out" if isinstance(exc, socket.timeout) else (str(exc) or type(exc).__name__)


def _text(exc: poplib.error_proto) -> str:
    arg = exc.args[0] if exc.args else b""
    return arg.decode("utf-8", "replace") if isinstance(arg, bytes) else str(arg)
