"""Every query of the rules tables, and the mail queries rules need (recent mail, record lookups by key)."""

from __future__ import annotations

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from crm.mail.tables import Email, EmailAnalysis, EmailLink
from crm.repository import Page, Repository
from crm.rules.tables import ParseLog, ParsingRule, RuleAddress, RuleVersion

__all__ = ["FAILURES", "RuleRepository", "RuleVersionRepository", "ParseLogRepository", "RuleAddressRepository",
           "RuleMailRepository"]

FAILURES = ("failed", "unmatched", "ambiguous")  # outcomes a person should look at


class RuleRepository(Repository[ParsingRule]):
    model = ParsingRule
    sortable = ("id", "name", "priority", "updated_at")
    filterable = ("active", "module")

    def base_query(self):
        return select(ParsingRule).where(ParsingRule.deleted_at.is_(None))

    def get(self, rule_id: int) -> ParsingRule | None:
        rule = self.session.get(ParsingRule, rule_id)
        return rule if rule is not None and rule.deleted_at is None else None

    def active(self) -> list[ParsingRule]:
        query = self.base_query().where(ParsingRule.active.is_(True)).order_by(ParsingRule.priority, ParsingRule.id)
        return list(self.session.scalars(query))

    def all(self) -> list[ParsingRule]:
        return list(self.session.scalars(self.base_query().order_by(ParsingRule.priority, ParsingRule.id)))

    def deleted(self) -> list[ParsingRule]:
        query = select(ParsingRule).where(ParsingRule.deleted_at.is_not(None)).order_by(ParsingRule.deleted_at.desc())
        return list(self.session.scalars(query))

    def deleted_one(self, rule_id: int) -> ParsingRule | None:
        rule = self.session.get(ParsingRule, rule_id)
        return rule if rule is not None and rule.deleted_at is not None else None


class RuleVersionRepository(Repository[RuleVersion]):
    model = RuleVersion

    def of_rule(self, rule_id: int) -> list[RuleVersion]:
        query = select(RuleVersion).where(RuleVersion.rule_id == rule_id).order_by(RuleVersion.version.desc())
        return list(self.session.scalars(query))

    def one(self, rule_id: int, version: int) -> RuleVersion | None:
        return self.session.scalar(select(RuleVersion).where(RuleVersion.rule_id == rule_id,
                                                             RuleVersion.version == version))


class ParseLogRepository(Repository[ParseLog]):
    model = ParseLog
    sortable = ("id", "at")
    filterable = ("outcome", "rule_id", "email_id", "trigger", "module")

    def seen(self, email_id: int) -> bool:
        """Did the rules already run on this mail as it arrived (once per mail)?"""
        return bool(self.session.scalar(select(exists().where(ParseLog.email_id == email_id,
                                                              ParseLog.trigger == "auto"))))

    def failures(self, *, offset: int = 0, limit: int = 50) -> Page[ParseLog]:
        """Mail that needs a person: no rule took it, a rule failed on it, or its key was ambiguous."""
        query = select(ParseLog).where(ParseLog.outcome.in_(FAILURES))
        return self.page(query, sort="-id", offset=offset, limit=limit)

    def for_email(self, email_id: int) -> list[ParseLog]:
        return list(self.session.scalars(select(ParseLog).where(ParseLog.email_id == email_id)
                                         .order_by(ParseLog.id)))


class RuleAddressRepository(Repository[RuleAddress]):
    model = RuleAddress

    def by_address(self, address: str) -> RuleAddress | None:
        return self.session.scalar(select(RuleAddress).where(RuleAddress.address == address.strip().lower()))

    def all(self) -> list[RuleAddress]:
        return list(self.session.scalars(select(RuleAddress).order_by(RuleAddress.id)))


class RuleMailRepository:
    """The stored mail rules look at: recent mail from approved senders, a mail's latest analysis."""

    def __init__(self, session: Session):
        self.session = session

    def _recent(self, what, senders: list[str], limit: int, exclude: int | None):
        query = select(what).where(Email.direction == "in")
        if exclude is not None:
            query = query.where(Email.id != exclude)
        conditions = []
        for sender in senders:
            if "@" in sender and not sender.startswith("@"):
                conditions.append(Email.from_addr == sender)
            else:
                domain = sender.lstrip("@")
                conditions += [Email.from_addr.like(f"%@{domain}"), Email.from_addr.like(f"%.{domain}")]
        if conditions:
            query = query.where(or_(*conditions))
        return query.order_by(Email.date.desc().nulls_last(), Email.id.desc()).limit(limit)

    def recent(self, *, senders: list[str], limit: int = 50, exclude: int | None = None) -> list[Email]:
        """Recent incoming mail from the approved senders (any sender when none are given)."""
        return list(self.session.scalars(self._recent(Email, senders, limit, exclude)))

    def recent_ids(self, *, senders: list[str], limit: int = 200) -> list[int]:
        return list(self.session.scalars(self._recent(Email.id, senders, limit, None)))

    def latest_result(self, email_id: int) -> dict | None:
        row = self.session.scalar(select(EmailAnalysis).where(EmailAnalysis.email_id == email_id)
                                  .order_by(EmailAnalysis.id.desc()).limit(1))
        return row.result if row is not None else None

    def link(self, email_id: int, module: str, record_id: int) -> None:
        found = self.session.scalar(select(EmailLink).where(EmailLink.email_id == email_id,
                                                            EmailLink.module == module,
                                                            EmailLink.record_id == record_id))
        if found is None:
            self.session.add(EmailLink(email_id=email_id, module=module, record_id=record_id, reason="rule"))
