"""What the API accepts and returns for mailboxes. No output model has a password field."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from assistant.jobs.schemas import JobOut

__all__ = ["MailboxIn", "MailboxUpdate", "ConnectionIn", "MailboxOut", "ServerFolder", "ConnectionResult",
           "FolderStatus", "MailboxStatus", "default_port"]

_HOST = re.compile(r"^[A-Za-z0-9._:\[\]-]{1,255}$")  # a name, IPv4 or [IPv6]; nothing to smuggle


def default_port(kind: str, security: str) -> int:
    if kind == "pop3":
        return 995 if security == "ssl" else 110
    return 993 if security == "ssl" else 143


def _clean_folders(folders: list[str] | None) -> list[str] | None:
    if folders is None:
        return None
    seen: list[str] = []
    for name in folders:
        name = name.strip()
        if not name or len(name) > 300 or any(ord(ch) < 32 for ch in name):
            raise ValueError(f"not a folder name: {name!r}")
        if name not in seen:
            seen.append(name)
    return seen


class ConnectionIn(BaseModel):
    """Where and how to connect; enough to test a connection before saving anything."""

    kind: Literal["imap", "pop3"] = "imap"
    host: str = Field(min_length=1, max_length=255)
    port: int | None = Field(default=None, ge=1, le=65535, description="default: by kind and security")
    security: Literal["ssl", "starttls", "none"] = "ssl"
    username: str = Field(min_length=1, max_length=320)
    password: SecretStr = Field(min_length=1, max_length=1000, description="stored encrypted; never returned")

    @field_validator("host")
    @classmethod
    def _host(cls, value: str) -> str:
        value = value.strip()
        if not _HOST.match(value):
            raise ValueError("not a host name or address")
        return value

    @property
    def effective_port(self) -> int:
        return self.port or default_port(self.kind, self.security)


class MailboxIn(ConnectionIn):
    name: str = Field(default="", max_length=200)
    folders: list[str] = Field(default_factory=lambda: ["INBOX"], max_length=200,
                               description="IMAP folders to sync (POP3 has only its maildrop)")
    sent_folder: str | None = Field(default=None, max_length=300,
                                    description="where sent mail is copied (IMAP)")
    leave_on_server: bool = Field(default=True, description="POP3: keep messages on the server after storing")
    enabled: bool = True
    owner_id: int | None = Field(default=None, description="admins only: create it for another user")

    @field_validator("folders")
    @classmethod
    def _folders(cls, value: list[str]) -> list[str]:
        return _clean_folders(value) or ["INBOX"]


class MailboxUpdate(BaseModel):
    """Only the fields given change; leave ``password`` out to keep the stored one."""

    name: str | None = Field(default=None, max_length=200)
    host: str | None = Field(default=None, min_length=1, max_length=255)
    port: int | None = Field(default=None, ge=1, le=65535)
    security: Literal["ssl", "starttls", "none"] | None = None
    username: str | None = Field(default=None, min_length=1, max_length=320)
    password: SecretStr | None = Field(default=None, min_length=1, max_length=1000)
    folders: list[str] | None = Field(default=None, max_length=200)
    sent_folder: str | None = Field(default=None, max_length=300)
    leave_on_server: bool | None = None
    enabled: bool | None = None

    @field_validator("folders")
    @classmethod
    def _folders(cls, value: list[str] | None) -> list[str] | None:
        return _clean_folders(value)

    @field_validator("host")
    @classmethod
    def _host(cls, value: str | None) -> str | None:
        return None if value is None else ConnectionIn._host(value)


class MailboxOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    owner_id: int
    name: str
    kind: str
    host: str
    port: int
    security: str
    username: str
    folders: list[str]
    sent_folder: str | None
    leave_on_server: bool
    enabled: bool
    state: str
    last_error: str | None
    last_sync_at: datetime | None
    supports_idle: bool | None
    created_at: datetime


class ServerFolder(BaseModel):
    name: str
    flags: list[str] = Field(default_factory=list)
    chosen: bool = False


class ConnectionResult(BaseModel):
    ok: bool
    error: str | None = None
    code: str | None = None
    folders: list[ServerFolder] = Field(default_factory=list)
    supports_idle: bool | None = None


class FolderStatus(BaseModel):
    name: str
    server_count: int
    synced_count: int
    stored_count: int
    last_uid: int
    uidvalidity: int | None
    last_sync_at: datetime | None


class MailboxStatus(BaseModel):
    id: int
    state: str
    last_error: str | None
    last_sync_at: datetime | None
    folders: list[FolderStatus]
    job: JobOut | None = Field(default=None, description="the latest sync job, with its progress")
