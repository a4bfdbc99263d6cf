from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

__all__ = ["EmailOut", "EmailPage", "StoredOut"]


class EmailOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    owner_id: int | None
    source: str
    direction: str
    message_id: str | None
    subject: str
    from_name: str
    from_addr: str
    date: datetime | None
    size: int
    status: str
    problem: str | None
    created_at: datetime


class EmailPage(BaseModel):
    items: list[EmailOut]
    total: int
    offset: int
    limit: int


class StoredOut(BaseModel):
    email: EmailOut
    created: bool
