"""The organisation's SMTP relay: configured by an admin, its password stored encrypted."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from assistant.errors import BadInput, Conflict
from assistant.settings import Settings
from mailio.compose.headers import check_header_value
from mailio.secrets import decrypt_secret, encrypt_secret
from mailio.smtp.client import SECURITY, RelayConfig
from mailio.smtp.repository import RelayRepository
from mailio.smtp.tables import SmtpRelay

__all__ = ["RelayService", "RelayChange", "NoRelay"]

_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\]")


class NoRelay(Conflict):
    code = "no_relay"


@dataclass(frozen=True)
class RelayChange:
    host: str
    port: int
    security: str = "starttls"
    username: str | None = None
    password: str | None = None  # None keeps the stored one, "" removes it
    enabled: bool = True


class RelayService:
    def __init__(self, session: Session, settings: Settings):
        self.session = session
        self.settings = settings
        self.relays = RelayRepository(session)

    def get(self) -> SmtpRelay | None:
        return self.relays.current()

    def put(self, change: RelayChange) -> SmtpRelay:
        host = check_header_value("host", change.host.strip(), max_length=255)
        if not _HOST.fullmatch(host):
            raise BadInput(f"{host!r} is not a host name or address", code="bad_host", details={"field": "host"})
        if not 0 < change.port < 65536:
            raise BadInput("port must be 1-65535", code="bad_port", details={"field": "port"})
        if change.security not in SECURITY:
            raise BadInput(f"security must be one of {SECURITY}", code="bad_security",
                           details={"field": "security"})
        username = check_header_value("username", (change.username or "").strip(), max_length=320) or None
        relay = self.relays.current() or SmtpRelay()
        relay.host, relay.port, relay.security, relay.username = host, change.port, change.security, username
        relay.enabled = change.enabled
        if change.password is not None:
            relay.secret = encrypt_secret(self.settings, change.password) if change.password else None
        if relay.id is None:
            self.relays.add(relay)
        self.session.flush()
        return relay

    def config(self, *, timeout_s: float = 30.0) -> RelayConfig:
        relay = self.relays.current()
        if relay is None or not relay.enabled:
            raise NoRelay("no SMTP relay is configured: an admin sets it under Mail settings → Relay")
        password = decrypt_secret(self.settings, relay.secret) if relay.secret else None
        return RelayConfig(relay.host, relay.port, relay.security, relay.username, password, timeout_s)
