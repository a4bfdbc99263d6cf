from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base, UTCDateTime, utcnow

__all__ = ["Email", "Thread", "EmailLink", "Blob", "Attachment", "EmailAnalysis", "MailShare"]


class Thread(Base):
    """A conversation: messages joined by Message-ID/In-Reply-To/References, or by subject."""

    __tablename__ = "threads"
    # Threading looks a batch's subjects up among one owner's conversations, newest first. The same
    # index serves every look-up by owner (its first column): no index of its own (migration 0009).
    __table_args__ = (Index("ix_threads_owner_subject", "owner_id", "subject_key", "last_date"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject_key: Mapped[str] = mapped_column(String(300), default="")
    first_date: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_date: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_count: Mapped[int] = mapped_column(default=0)


class Email(Base):
    """One stored message, raw bytes kept exactly as received (the source of truth)."""

    __tablename__ = "emails"
    __table_args__ = (
        UniqueConstraint("owner_id", "content_hash", name="uq_emails_owner_hash"),
        Index("ix_emails_owner_date", "owner_id", "date"),
        # Mail stored but not yet threaded and linked, oldest first (see crm.mail.processing).
        Index("ix_emails_owner_processed", "owner_id", "processed", "date"),
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
    in_reply_to: Mapped[str | None] = mapped_column(String(998), index=True)
    references: Mapped[list[str]] = mapped_column(JSON, default=list)
    to_addrs: Mapped[list[str]] = mapped_column(JSON, default=list)
    cc_addrs: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="ok")  # ok | malformed
    problem: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="SET NULL"), index=True)
    # Where it came from on a mail server (None for imported, sent or dropbox mail).
    mailbox_id: Mapped[int | None] = mapped_column(ForeignKey("mailboxes.id", ondelete="SET NULL"), index=True)
    folder: Mapped[str | None] = mapped_column(String(300))
    uid: Mapped[int | None] = mapped_column()
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    processed: Mapped[bool] = mapped_column(default=False)  # threaded and linked
    analysis_state: Mapped[str] = mapped_column(String(20), default="pending")  # pending|done|failed
    # The owner's priority inbox: a 0-100 score with its reasons, the folder, and whether it awaits an answer.
    priority: Mapped[int | None] = mapped_column(index=True)
    priority_reasons: Mapped[list[dict] | None] = mapped_column(JSON)
    inbox_folder: Mapped[str | None] = mapped_column(String(20))
    needs_reply: Mapped[bool] = mapped_column(default=False)
    priority_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    thread: Mapped[Thread | None] = relationship()


class EmailLink(Base):
    """A mail shown on a record's timeline, and why it is there."""

    __tablename__ = "email_links"
    # The unique constraint's index starts with email_id: it serves look-ups by mail too.
    __table_args__ = (UniqueConstraint("email_id", "module", "record_id", name="uq_email_links"),
                      Index("ix_email_links_record", "module", "record_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    email_id: Mapped[int] = mapped_column(ForeignKey("emails.id", ondelete="CASCADE"))
    module: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(String(40))  # from, to, cc, account, deal-single-open, deal-thread, manual


class Blob(Base):
    """Attachment content, stored once however many mails carry it."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column()
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Attachment(Base):
    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    email_id: Mapped[int] = mapped_column(ForeignKey("emails.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    filename: Mapped[str] = mapped_column(String(500), default="")
    content_type: Mapped[str] = mapped_column(String(200), default="application/octet-stream")
    size: Mapped[int] = mapped_column(default=0)
    inline: Mapped[bool] = mapped_column(default=False)
    content_id: Mapped[str | None] = mapped_column(String(500))


class EmailAnalysis(Base):
    """The pipeline's result for one mail and one pipeline version (re-running it is a no-op)."""

    __tablename__ = "email_analyses"
    __table_args__ = (UniqueConstraint("email_id", "pipeline_version", name="uq_email_analyses_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    email_id: Mapped[int] = mapped_column(ForeignKey("emails.id", ondelete="CASCADE"), index=True)
    pipeline_version: Mapped[str] = mapped_column(String(60))
    components: Mapped[list[str]] = mapped_column(JSON, default=list)
    result: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(20), default="done")  # done | partial (a stage failed)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MailShare(Base):
    """An owner shares their mail with a user or with everyone of a role: metadata only, or in full."""

    __tablename__ = "mail_shares"
    __table_args__ = (UniqueConstraint("owner_id", "grantee_user_id", "grantee_role", name="uq_mail_shares"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    grantee_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    grantee_role: Mapped[str | None] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(20))  # metadata | full
