from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base, UTCDateTime, utcnow

__all__ = ["Suggestion", "KINDS", "STATES"]

KINDS = ("contact_update", "new_record", "activity")
STATES = ("pending", "accepted", "rejected", "auto")


class Suggestion(Base):
    """Something the pipeline read in a mail that a rep can apply in one click (or that was applied for them).

    The dedupe key makes a suggestion unique per owner: analysing the same mail again adds nothing,
    and a rejected suggestion is not made again for the same value.
    """

    __tablename__ = "suggestions"
    __table_args__ = (UniqueConstraint("owner_id", "dedupe_key", name="uq_suggestions_owner_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    email_id: Mapped[int] = mapped_column(ForeignKey("emails.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    module: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int | None] = mapped_column()
    field: Mapped[str | None] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[Any] = mapped_column(JSON)
    confidence: Mapped[float] = mapped_column(default=0.0)
    evidence: Mapped[str | None] = mapped_column(Text)
    dedupe_key: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    created_record_id: Mapped[int | None] = mapped_column()
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
