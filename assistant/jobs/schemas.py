from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

__all__ = ["JobOut", "JobPage"]


class JobOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    name: str
    state: str
    attempts: int
    done: int
    total: int | None
    message: str
    error: str | None
    result: dict | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class JobPage(BaseModel):
    items: list[JobOut]
    total: int
    offset: int
    limit: int
