from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from crm.mail.sharing import METADATA_FIELDS
from crm.mail.tables import Email

__all__ = ["EmailOut", "EmailPage", "StoredOut", "email_out", "ShareIn", "ShareOut", "AnalysisOut", "LinkOut", "AttachmentOut"]


class EmailOut(BaseModel):
    id: int
    access: Literal["full", "metadata"] = Field(description="metadata: only sender, subject and date are shared")
    owner_id: int | None
    subject: str
    from_name: str
    from_addr: str
    date: datetime | None
    thread_id: int | None
    source: str | None = None
    direction: str | None = None
    message_id: str | None = None
    to_addrs: list[str] | None = None
    cc_addrs: list[str] | None = None
    size: int | None = None
    status: str | None = None
    problem: str | None = None
    mailbox_id: int | None = None
    folder: str | None = None
    flags: list[str] | None = None
    analysis_state: str | None = None
    created_at: datetime | None = None


def email_out(email: Email, access: str) -> EmailOut:
    names = METADATA_FIELDS if access == "metadata" else EmailOut.model_fields.keys()
    values: dict[str, Any] = {n: getattr(email, n) for n in names if n != "access"}
    return EmailOut(access=access, **values)


class EmailPage(BaseModel):
    items: list[EmailOut]
    total: int
    offset: int
    limit: int


class StoredOut(BaseModel):
    email: EmailOut
    created: bool


class ShareIn(BaseModel):
    level: Literal["metadata", "full"]
    user_id: int | None = None
    role: Literal["admin", "manager", "rep"] | None = None
    owner_id: int | None = Field(default=None, description="Admins may share on behalf of another user")


class ShareOut(BaseModel):
    id: int
    owner_id: int
    grantee_user_id: int | None
    grantee_role: str | None
    level: str

    model_config = {"from_attributes": True}


class LinkOut(BaseModel):
    module: str
    record_id: int
    reason: str

    model_config = {"from_attributes": True}


class AttachmentOut(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    inline: bool
    content_id: str | None

    model_config = {"from_attributes": True}


class ThreadMessageOut(BaseModel):
    id: int
    sender: str | None = Field(None, alias="from")
    date: str | None
    tldr: str | None

    model_config = {"populate_by_name": True}


class OpenRequestOut(BaseModel):
    id: int
    sender: str | None = Field(None, alias="from")
    date: str | None
    text: str
    confidence: float

    model_config = {"populate_by_name": True}


class ThreadSummaryOut(BaseModel):
    """A conversation summarised from its messages' analyses (only mail the caller may read in full)."""

    thread_id: int
    subject: str
    tldr: str = Field(description="the first ask and the latest message, with the number of open requests")
    messages: list[ThreadMessageOut]
    participants: list[str]
    open_requests: list[OpenRequestOut] = Field(description="asks nobody else answered after")
    sentiment_trend: list[float | None]
    sentiment: str | None = Field(description="the mood of the latest message")
    intents: dict[str, int] = Field(description="how many messages carry each intent")
    analysed: int
    not_analysed: int = Field(description="readable messages without a usable analysis (not run yet, or failed)")
    hidden: int = Field(description="messages shared with the caller as metadata only: not summarised")


class AnalysisOut(BaseModel):
    email_id: int
    pipeline_version: str
    state: str
    created_at: datetime
    result: dict[str, Any]
