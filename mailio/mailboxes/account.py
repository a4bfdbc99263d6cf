"""A mailbox's connection details with the password decrypted, for the moment of connecting.

The password lives only in this object (``repr`` hides it) and in the encrypted column; it is never
logged, never put in a job's arguments and never returned by the API.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field

from assistant.settings import Settings
from mailio.mailboxes.tables import Mailbox
from mailio.secrets import decrypt_secret

__all__ = ["ServerAccount", "tls_context", "SECURITY_MODES", "KINDS", "DEFAULT_TIMEOUT_S"]

SECURITY_MODES = ("ssl", "starttls", "none")
KINDS = ("imap", "pop3")
DEFAULT_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class ServerAccount:
    kind: str
    host: str
    port: int
    security: str
    username: str
    password: str = field(repr=False)
    timeout_s: float = DEFAULT_TIMEOUT_S

    @classmethod
    def of(cls, mailbox: Mailbox, settings: Settings, *,
           timeout_s: float = DEFAULT_TIMEOUT_S) -> ServerAccount:
        return cls(kind=mailbox.kind, host=mailbox.host, port=mailbox.port, security=mailbox.security,
                   username=mailbox.username, password=decrypt_secret(settings, mailbox.secret),
                   timeout_s=timeout_s)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def tls_context() -> ssl.SSLContext:
    """Certificates are always verified (system CAs; SSL_CERT_FILE points at a private CA)."""
    return ssl.create_default_context()
