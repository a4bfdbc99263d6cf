from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from crm.users.service import SCOPES

__all__ = ["UserOut", "UserCreate", "ApiKeyOut", "ApiKeyCreate", "ApiKeyCreated", "MeOut"]


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    email: str
    name: str
    role: str
    is_active: bool
    created_at: datetime


class UserCreate(BaseModel):
    email: str = Field(max_length=320)
    name: str = Field(default="", max_length=200)
    role: str = "rep"
    password: str = Field(min_length=8, max_length=200)


class MeOut(BaseModel):
    id: int
    email: str
    role: str
    scopes: list[str]
    via: str


class ApiKeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    user_id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreate(BaseModel):
    name: str = Field(default="", max_length=200)
    scopes: list[str] = Field(min_length=1, description=f"Any of: {', '.join(SCOPES)}")


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The key itself. Shown once: store it now, it cannot be read again.")
