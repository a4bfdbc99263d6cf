"""API schemas of sending: what clients send and get back (never a password, never raw bytes)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mailio.smtp.tables import FromAddress, Outbox, SmtpRelay
from nlp.parsing.envelope import read_envelope

__all__ = ["RecipientIn", "AttachmentIn", "SendIn", "OutboxOut", "OutboxPage", "ComposeSettingsIO",
           "ComposeSettingsIn", "RelayIn", "RelayOut", "RelayTestIn", "RelayTestOut", "FromAddressIn",
           "FromAddressOut", "VerifyIn"]


class RecipientIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    address: str = Field(max_length=400)
    name: str = Field("", max_length=400)


class AttachmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    filename: str = Field(max_length=1000)
    content_type: str = Field("application/octet-stream", max_length=1000)
    content_b64: str


class SendIn(BaseModel):
    """A mail to send. Recipients are ``"a@b"``, ``"Name <a@b>"`` or ``{"address", "name"}``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    to: list[str | RecipientIn] = Field(default_factory=list, max_length=500)
    cc: list[str | RecipientIn] = Field(default_factory=list, max_length=500)
    bcc: list[str | RecipientIn] = Field(default_factory=list, max_length=500)
    subject: str | None = Field(None, max_length=5000, description="Omit in a reply/forward for 'Re:'/'Fwd:'.")
    text: str | None = None
    html: str | None = Field(None, description="Sent as written; the text part is made from it if text is absent.")
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=100)
    reply_to_email_id: int | None = None
    reply_all: bool = False
    forward_email_id: int | None = None
    from_: str | None = Field(None, alias="from", description="Your address or a verified from-address.")
    from_name: str | None = Field(None, max_length=400)
    send_at: datetime | None = Field(None, description="Send later at this time (UTC when no zone is given).")
    idempotency_key: str | None = Field(None, max_length=150,
                                        description="A repeat with the same key returns the first result.")
    signature: bool = Field(True, description="Append your signature.")
    quote: bool = Field(True, description="In a reply, quote the original.")


class OutboxOut(BaseModel):
    id: int
    state: Literal["queued", "sending", "sent", "failed"] | str
    subject: str
    message_id: str
    mail_from: str
    recipients: list[str]
    send_at: datetime | None
    attempts: int
    last_error: str | None
    email_id: int | None
    created_at: datetime
    sent_at: datetime | None

    @classmethod
    def of(cls, row: Outbox) -> OutboxOut:
        return cls(id=row.id, state=row.state, subject=read_envelope(row.raw).subject, message_id=row.message_id,
                   mail_from=row.mail_from, recipients=list(row.recipients or []), send_at=row.send_at,
                   attempts=row.attempts, last_error=row.last_error, email_id=row.email_id,
                   created_at=row.created_at, sent_at=row.sent_at)


class OutboxPage(BaseModel):
    items: list[OutboxOut]
    total: int
    offset: int
    limit: int


class ComposeSettingsIO(BaseModel):
    default_from: str
    signature: str
    font: str


class ComposeSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    default_from: str | None = Field(None, max_length=400)
    signature: str | None = Field(None, max_length=5000)
    font: str | None = Field(None, max_length=100)


class RelayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    host: str = Field(max_length=255)
    port: int = 587
    security: Literal["ssl", "starttls", "none"] = "starttls"
    username: str | None = Field(None, max_length=320)
    password: str | None = Field(None, max_length=1000, description="Write-only. Omit to keep, '' to remove.")
    enabled: bool = True


class RelayOut(BaseModel):
    host: str
    port: int
    security: str
    username: str | None
    has_password: bool
    enabled: bool
    updated_at: datetime | None

    @classmethod
    def of(cls, relay: SmtpRelay) -> RelayOut:
        return cls(host=relay.host, port=relay.port, security=relay.security, username=relay.username,
                   has_password=relay.secret is not None, enabled=relay.enabled, updated_at=relay.updated_at)


class RelayTestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: str = Field(max_length=400)


class RelayTestOut(BaseModel):
    ok: bool
    reply: str


class FromAddressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    address: str = Field(max_length=400)
    display_name: str = Field("", max_length=400)
    scope: Literal["org", "user"] = "user"


class FromAddressOut(BaseModel):
    id: int
    address: str
    display_name: str
    scope: str
    owner_id: int | None
    verified: bool
    verified_at: datetime | None
    code_pending: bool
    created_at: datetime

    @classmethod
    def of(cls, row: FromAddress) -> FromAddressOut:
        return cls(id=row.id, address=row.address, display_name=row.display_name, scope=row.scope,
                   owner_id=row.owner_id, verified=row.verified_at is not None, verified_at=row.verified_at,
                   code_pending=row.code_hash is not None, created_at=row.created_at)


class VerifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(max_length=20)
