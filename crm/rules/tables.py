"""Parsing rules, their versions, the parse log, and the parser's own addresses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base, UTCDateTime, utcnow

__all__ = ["ParsingRule", "RuleVersion", "ParseLog", "RuleAddress", "OUTCOMES"]

# What a rule did with a mail. "unmatched" and "failed" are the mails an admin must look at.
OUTCOMES = ("created", "updated", "skipped", "ambiguous", "unmatched", "failed")


class ParsingRule(Base):
    """The current state of a rule; every change is also kept whole in :class:`RuleVersion`."""

    __tablename__ = "parsing_rules"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=False, index=True)
    priority: Mapped[int] = mapped_column(default=100)
    module: Mapped[str] = mapped_column(String(40))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # nlp.rules RuleDefinition
    version: Mapped[int] = mapped_column(default=1)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # acts as
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Deleting a rule hides it and switches it off; its versions stay, so it can be brought back.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RuleVersion(Base):
    """A rule as it was after one change: who, when, what changed (a diff), and the whole definition."""

    __tablename__ = "parsing_rule_versions"
    __table_args__ = (UniqueConstraint("rule_id", "version", name="uq_parsing_rule_versions_rule_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("parsing_rules.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column()
    definition: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    change: Mapped[str] = mapped_column(String(200))  # created, edited, activated, restored version 2...
    diff: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{"path", "old", "new"}]
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ParseLog(Base):
    """One rule (or no rule) on one mail: the outcome, the record it wrote, and why."""

    __tablename__ = "parse_log"
    __table_args__ = (Index("ix_parse_log_outcome_id", "outcome", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    email_id: Mapped[int] = mapped_column(ForeignKey("emails.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("parsing_rules.id", ondelete="SET NULL"), index=True)
    rule_version: Mapped[int | None] = mapped_column()
    rule_name: Mapped[str | None] = mapped_column(String(200))  # kept when the rule is deleted
    trigger: Mapped[str] = mapped_column(String(20), default="auto")  # auto (arrival) | manual (an admin)
    outcome: Mapped[str] = mapped_column(String(20))
    module: Mapped[str | None] = mapped_column(String(40))
    record_id: Mapped[int | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(Text)
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # value and evidence per field
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RuleAddress(Base):
    """An address of the ingest server whose mail goes to the rules (``rules+<token>@<domain>`` or one the
    admin chooses); the mail is filed under ``owner_id``."""

    __tablename__ = "parsing_rule_addresses"
    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(320), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
