"""Tables of the built-in CRM modules and of admin-defined custom modules, and record history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from crm.db import Base, UTCDateTime, utcnow

__all__ = ["RecordMixin", "Lead", "Contact", "Account", "Deal", "Vendor", "Task", "Event", "Call", "Note",
           "CustomModule", "CustomRecord", "RecordHistory"]


class RecordMixin:
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @declared_attr
    def owner_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)


class _Person:
    first_name: Mapped[str | None] = mapped_column(String(120))
    last_name: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(320), index=True)  # stored lowercased
    phone: Mapped[str | None] = mapped_column(String(40))
    mobile: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(500))
    street: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(120))
    postal_code: Mapped[str | None] = mapped_column(String(40))
    country: Mapped[str | None] = mapped_column(String(120))


class Lead(RecordMixin, _Person, Base):
    __tablename__ = "leads"
    company: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(30), default="new")
    lead_source: Mapped[str | None] = mapped_column(String(100))


class Account(RecordMixin, Base):
    __tablename__ = "accounts"
    name: Mapped[str] = mapped_column(String(300))
    domain: Mapped[str | None] = mapped_column(String(255), index=True)
    website: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(40))
    industry: Mapped[str | None] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(30), default="prospect")
    city: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(120))


class Contact(RecordMixin, _Person, Base):
    __tablename__ = "contacts"
    department: Mapped[str | None] = mapped_column(String(200))
    fax: Mapped[str | None] = mapped_column(String(40))
    linkedin: Mapped[str | None] = mapped_column(String(500))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), index=True)


class Deal(RecordMixin, Base):
    __tablename__ = "deals"
    name: Mapped[str] = mapped_column(String(300))
    stage: Mapped[str] = mapped_column(String(40), default="qualification")
    amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    close_date: Mapped[date | None] = mapped_column()
    probability: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"), index=True)


class Vendor(RecordMixin, Base):
    __tablename__ = "vendors"
    name: Mapped[str] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(500))
    category: Mapped[str | None] = mapped_column(String(120))


class _Related:
    """Activities hang off a contact and/or deal/account, and remember the mail they came from."""

    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"), index=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id", ondelete="SET NULL"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id", ondelete="SET NULL"), index=True)
    email_id: Mapped[int | None] = mapped_column(ForeignKey("emails.id", ondelete="SET NULL"))


class Task(RecordMixin, _Related, Base):
    __tablename__ = "tasks"
    subject: Mapped[str] = mapped_column(String(500))
    due_date: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(30), default="open")
    priority: Mapped[str] = mapped_column(String(20), default="normal")
    description: Mapped[str | None] = mapped_column(Text)


class Event(RecordMixin, _Related, Base):
    __tablename__ = "events"
    title: Mapped[str] = mapped_column(String(500))
    start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    timezone: Mapped[str | None] = mapped_column(String(64))
    location: Mapped[str | None] = mapped_column(String(500))
    video_link: Mapped[str | None] = mapped_column(String(1000))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="confirmed")  # tentative | confirmed | cancelled
    ical_uid: Mapped[str | None] = mapped_column(String(500), index=True)  # from a calendar invite


class Call(RecordMixin, _Related, Base):
    __tablename__ = "calls"
    subject: Mapped[str] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(40))
    direction: Mapped[str] = mapped_column(String(10), default="outbound")
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duration_s: Mapped[int | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default="planned")
    description: Mapped[str | None] = mapped_column(Text)


class Note(RecordMixin, Base):
    __tablename__ = "notes"
    body: Mapped[str] = mapped_column(Text)
    parent_module: Mapped[str | None] = mapped_column(String(40))
    parent_id: Mapped[int | None] = mapped_column()
    __table_args__ = (Index("ix_notes_parent", "parent_module", "parent_id"),)


class CustomModule(Base):
    """An admin-defined module: its fields are data, validated like built-in ones."""

    __tablename__ = "custom_modules"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)  # api name, e.g. "projects"
    label: Mapped[str] = mapped_column(String(120))
    fields: Mapped[list[dict]] = mapped_column(JSON, default=list)
    title_field: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CustomRecord(RecordMixin, Base):
    __tablename__ = "custom_records"
    module_id: Mapped[int] = mapped_column(ForeignKey("custom_modules.id", ondelete="CASCADE"), index=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)


class RecordHistory(Base):
    """Who changed what, when, and from which source (UI, API, a mail's signature line, a rule...)."""

    __tablename__ = "record_history"
    __table_args__ = (Index("ix_record_history_record", "module", "record_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    module: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column()
    action: Mapped[str] = mapped_column(String(20))  # create | update | delete
    field: Mapped[str | None] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(30), default="api")
    source_email_id: Mapped[int | None] = mapped_column()
    source_detail: Mapped[str | None] = mapped_column(Text)  # e.g. the signature line it came from
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


