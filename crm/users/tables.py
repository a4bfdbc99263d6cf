from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base, UTCDateTime, utcnow

__all__ = ["User", "ApiKey", "UserPreferences", "ROLES"]

ROLES = ("admin", "manager", "rep")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20), default="rep")
    password_hash: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(default=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    api_keys: Mapped[list[ApiKey]] = relationship(back_populates="user")


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rate_limit_per_minute: Mapped[int | None] = mapped_column()  # analysis calls; None: the default

    user: Mapped[User] = relationship(back_populates="api_keys")


class UserPreferences(Base):
    """Compose settings, the BCC dropbox address, and notification choices of one user."""

    __tablename__ = "user_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    default_from: Mapped[str | None] = mapped_column(String(320))
    signature: Mapped[str | None] = mapped_column(String(5000))
    font: Mapped[str | None] = mapped_column(String(100))
    dropbox_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    dropbox_creates: Mapped[str] = mapped_column(String(10), default="none")  # none | lead | contact
    notify: Mapped[dict] = mapped_column(JSON, default=dict)
