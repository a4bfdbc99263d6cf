"""The SMTP ingest server (aiosmtpd): mail for BCC dropbox addresses and for the parsing rules' addresses.

RCPT is answered from the database: 550 for an address no kind knows, or when the MAIL FROM
may not write to it. DATA is checked again (the From header) and handed to each target's kind.
Database work runs in a worker thread so a slow commit never stalls the SMTP event loop. A bug
while storing answers 451, so the sending server keeps the mail and tries again.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import Sequence
from weakref import WeakKeyDictionary

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import Envelope, Session

from mailio.ingest.kinds import DropboxKind, RecipientKind, Refusal, RulesKind, Target

__all__ = ["IngestHandler", "IngestServer", "DEFAULT_KINDS", "serve"]

log = logging.getLogger("mailio.ingest")

DEFAULT_KINDS: tuple[RecipientKind, ...] = (DropboxKind(), RulesKind())
_MAX_RECIPIENTS = 50


class IngestHandler:
    def __init__(self, runtime, kinds: Sequence[RecipientKind] = DEFAULT_KINDS):
        self.runtime = runtime
        self.kinds = {kind.name: kind for kind in kinds}
        self._targets: WeakKeyDictionary[Envelope, list[Target]] = WeakKeyDictionary()

    # --- SMTP hooks (aiosmtpd calls these on its event loop) -------------------------------------
    async def handle_RCPT(self, server: SMTPServer, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        targets = self._targets.setdefault(envelope, [])
        if len(targets) >= _MAX_RECIPIENTS:
            return "452 4.5.3 too many recipients"
        try:
            target = await asyncio.to_thread(self._resolve, address, envelope.mail_from or "")
        except Refusal as refusal:
            return refusal.reply
        except Exception:
            log.exception("ingest: RCPT check failed")
            return "451 4.3.0 temporary failure, try again later"
        targets.append(target)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        targets = self._targets.get(envelope, [])
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        try:
            await asyncio.to_thread(self._deliver, targets, raw)
        except Refusal as refusal:
            return refusal.reply
        except Exception:
            log.exception("ingest: storing a message failed")
            return "451 4.3.0 temporary failure, try again later"
        log.info("ingest: message stored", extra={"recipients": len(targets), "size": len(raw)})
        return "250 2.0.0 OK: stored"

    # --- the database side (in a worker thread) --------------------------------------------------
    def _resolve(self, address: str, mail_from: str) -> Target:
        with self.runtime.unit() as session:
            for kind in self.kinds.values():
                target = kind.resolve(session, self.runtime.settings, address)
                if target is not None:
                    kind.check_sender(session, target, mail_from)
                    return target
        raise Refusal("550 5.1.1 no such address here")

    def _deliver(self, targets: list[Target], raw: bytes) -> None:
        # One unit for all targets: a refusal for one refuses the message for all, so nothing is
        # half-stored while the sender is told it failed.
        with self.runtime.unit() as session:
            for target in targets:
                self.kinds[target.kind].deliver(self.runtime, session, target, raw)


class IngestServer:
    """The handler on a TCP port, in its own thread (aiosmtpd's Controller)."""

    def __init__(self, runtime, host: str = "127.0.0.1", port: int = 2525,
                 kinds: Sequence[RecipientKind] = DEFAULT_KINDS, *, server_hostname: str | None = None):
        settings = runtime.settings
        self.handler = IngestHandler(runtime, kinds)
        self.controller = Controller(
            self.handler, hostname=host, port=port, server_hostname=server_hostname,
            decode_data=False, data_size_limit=settings.max_message_bytes,
            timeout=120,  # an idle client is dropped after this; a stuck one cannot hold a slot forever
            ident="mailassist ingest", ready_timeout=10.0,
        )

    @property
    def address(self) -> tuple[str, int]:
        return self.controller.hostname, self.controller.port

    def start(self) -> None:
        self.controller.start()
        log.info("ingest server listening", extra={"host": self.controller.hostname, "port": self.controller.port})

    def stop(self) -> None:
        self.controller.stop()


def serve(runtime, host: str, port: int, kinds: Sequence[RecipientKind] = DEFAULT_KINDS) -> None:
    """Run until SIGINT/SIGTERM (for the `mailassist ingest` command)."""
    server = IngestServer(runtime, host, port, kinds)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    server.start()
    try:
        stop.wait()
    finally:
        server.stop()
