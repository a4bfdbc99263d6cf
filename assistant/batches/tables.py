from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base, UTCDateTime, utcnow

__all__ = ["AnalysisBatch", "AnalysisBatchItem"]


class AnalysisBatch(Base):
    """A batch of up to 1,000 messages an app asked to have analysed, and its completion webhook."""

    __tablename__ = "analysis_batches"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="queued")  # queued | running | done | failed
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    webhook_url: Mapped[str | None] = mapped_column(String(2000))
    webhook_secret: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted; signs the callback
    webhook_state: Mapped[str | None] = mapped_column(String(20))  # pending | delivered | failed
    webhook_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AnalysisBatchItem(Base):
    __tablename__ = "analysis_batch_items"
    __table_args__ = (UniqueConstraint("batch_id", "position", name="uq_analysis_batch_items_position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("analysis_batches.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column()
    input: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # dropped once the result is stored
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
