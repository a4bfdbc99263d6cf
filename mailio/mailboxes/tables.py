from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base, UTCDateTime, utcnow

__all__ = ["Mailbox", "MailboxFolder", "PopSeen"]


class Mailbox(Base):
    """A user's account on a mail server. The password is stored encrypted and never returned."""

    __tablename__ = "mailboxes"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(10))  # imap | pop3
    host: Mapped[str] = mapped_column(String(255))
    port: Mapped[int] = mapped_column()
    security: Mapped[str] = mapped_column(String(10), default="ssl")  # ssl | starttls | none
    username: Mapped[str] = mapped_column(String(320))
    secret: Mapped[bytes] = mapped_column(LargeBinary)  # Fernet token of the password
    folders: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["INBOX"])
    sent_folder: Mapped[str | None] = mapped_column(String(300))
    leave_on_server: Mapped[bool] = mapped_column(default=True)  # POP3
    enabled: Mapped[bool] = mapped_column(default=True)
    state: Mapped[str] = mapped_column(String(20), default="new")  # new | syncing | ok | error
    last_error: Mapped[str | None] = mapped_column(Text)
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    supports_idle: Mapped[bool | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MailboxFolder(Base):
    """Sync state of one IMAP folder: resume from last_uid while UIDVALIDITY stays the same."""

    __tablename__ = "mailbox_folders"
    __table_args__ = (UniqueConstraint("mailbox_id", "name", name="uq_mailbox_folders"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox_id: Mapped[int] = mapped_column(ForeignKey("mailboxes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    highest_modseq: Mapped[int | None] = mapped_column(BigInteger)
    server_count: Mapped[int] = mapped_column(default=0)
    synced_count: Mapped[int] = mapped_column(default=0)
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PopSeen(Base):
    """A POP3 message already stored, by its UIDL, so it is never fetched twice."""

    __tablename__ = "pop_seen"
    __table_args__ = (UniqueConstraint("mailbox_id", "uidl", name="uq_pop_seen"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox_id: Mapped[int] = mapped_column(ForeignKey("mailboxes.id", ondelete="CASCADE"), index=True)
    uidl: Mapped[str] = mapped_column(String(100))
    email_id: Mapped[int | None] = mapped_column(ForeignKey("emails.id", ondelete="SET NULL"))
