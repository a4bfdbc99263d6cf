from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base, UTCDateTime, utcnow

__all__ = ["Feedback"]


class Feedback(Base):
    """A rep's correction of what the assistant said about a mail: a label, or its priority."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    email_id: Mapped[int] = mapped_column(ForeignKey("emails.id", ondelete="CASCADE"), index=True)
    target: Mapped[str] = mapped_column(String(30))  # intent | emotion | sentiment | priority
    predicted: Mapped[Any] = mapped_column(JSON)
    corrected: Mapped[Any] = mapped_column(JSON)
    pipeline_version: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
