"""Real SMTP servers for the sending tests: an aiosmtpd relay that records what it accepts,
and can answer 4xx for a first few tries or 5xx always, like a greylisting or refusing server."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller

__all__ = ["Received", "RecordingRelay", "free_port"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    at: float
    peer: tuple = ()  # the client's (host, port): one value per SMTP connection


@dataclass
class _Script:
    temporary_failures: int = 0
    temporary_reply: str = "451 4.7.1 greylisted, try again later"
    refuse_reply: str | None = None
    attempts: list[float] = field(default_factory=list)


class _Handler:
    def __init__(self, relay: RecordingRelay):
        self.relay = relay

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):  # a mailbox the relay knows does not exist
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        script = self.relay.script
        with self.relay.lock:
            script.attempts.append(time.monotonic())
            if script.refuse_reply:
                return script.refuse_reply
            if len(script.attempts) <= script.temporary_failures:
                return script.temporary_reply
            self.relay.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                                envelope.original_content or envelope.content, time.monotonic(),
                                                tuple(session.peer)))
        return "250 2.0.0 OK: queued"


class RecordingRelay:
    """An SMTP server on a free loopback port; ``received`` holds every accepted message."""

    def __init__(self, *, temporary_failures: int = 0, refuse_reply: str | None = None):
        self.lock = threading.Lock()
        self.received: list[Received] = []
        self.script = _Script(temporary_failures=temporary_failures, refuse_reply=refuse_reply)
        self.port = free_port()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port, ready_timeout=10)

    def start(self) -> RecordingRelay:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def attempts(self) -> list[float]:
        with self.lock:
            return list(self.script.attempts)

    def messages(self) -> list[Received]:
        with self.lock:
            return list(self.received)
