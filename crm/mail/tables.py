from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base, UTCDateTime, utcnow

__all__ = ["Email"]


class Email(Base):
    """One stored message, raw bytes kept exactly as received (the source of truth)."""

    __tablename__ = "emails"
    __table_args__ = (
        UniqueConstraint("owner_id", "content_hash", name="uq_emails_owner_hash"),
        Index("ix_emails_owner_date", "owner_id", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(20), default="import")  # import, demo, imap, pop, sent, dropbox
    direction: Mapped[str] = mapped_column(String(10), default="in")  # in | out
    message_id: Mapped[str | None] = mapped_column(String(998), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(default=0)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    subject: Mapped[str] = mapped_column(Text, default="")
    from_name: Mapped[str] = mapped_column(String(300), default="")
    from_addr: Mapped[str] = mapped_column(String(320), default="", index=True)
    date: Mapped[datetime | None] = mapped_column(UTCDateTime)
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    status: Mapped[str] = mapped_column(String(20), default="ok")  # ok | malformed
    problem: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
