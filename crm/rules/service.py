"""Managing parsing rules: save (validated, versioned with a diff), activate, restore, dry run, the parse
log, and the parser's own addresses. Admins only; services flush, the unit of work commits."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy.orm import Session

from assistant.errors import BadInput, Conflict, Forbidden, NotFound
from crm.db import utcnow
from crm.mail.sharing import MailReader
from crm.repository import Page
from crm.rules.repository import ParseLogRepository, RuleAddressRepository, RuleRepository, RuleVersionRepository
from crm.rules.runner import Plan, RuleRunner, view_of_email
from crm.rules.tables import ParseLog, ParsingRule, RuleAddress, RuleVersion
from crm.rules.validation import check_rule
from crm.rules.versions import diff
from crm.users.repository import UserRepository
from crm.users.service import Identity
from nlp.rules.engine import Evaluation
from nlp.rules.mailview import view_from_text

__all__ = ["RuleService", "RULES_LOCAL_PART"]

RULES_LOCAL_PART = "rules"


class RuleService:
    def __init__(self, session: Session, who: Identity):
        if not who.has("admin"):
            raise Forbidden("parsing rules are managed by admins", code="missing_scope", details={"scope": "admin"})
        self.session = session
        self.who = who
        self.rules = RuleRepository(session)
        self.versions = RuleVersionRepository(session)
        self.logs = ParseLogRepository(session)
        self.addresses = RuleAddressRepository(session)

    # --- rules ---------------------------------------------------------------------------------------
    def list(self) -> list[ParsingRule]:
        return self.rules.all()

    def get(self, rule_id: int) -> ParsingRule:
        rule = self.rules.get(rule_id)
        if rule is None:
            raise NotFound(f"rule {rule_id} not found", code="rule_not_found")
        return rule

    def create(self, data: dict[str, Any]) -> ParsingRule:
        definition, _ = check_rule(self.session, data)
        stored = definition.model_dump(mode="json")
        rule = ParsingRule(name=definition.name, active=definition.active, priority=definition.priority,
                           module=definition.module, definition=stored, version=1, owner_id=self.who.user_id)
        self.rules.add(rule)
        self._version(rule, "created", diff({}, stored))
        return rule

    def update(self, rule_id: int, data: dict[str, Any], *, change: str = "edited") -> ParsingRule:
        rule = self.get(rule_id)
        definition, _ = check_rule(self.session, data)
        stored = definition.model_dump(mode="json")
        changes = diff(rule.definition, stored)
        if not changes:
            return rule
        rule.definition, rule.name, rule.active = stored, definition.name, definition.active
        rule.priority, rule.module = definition.priority, definition.module
        rule.owner_id = self.who.user_id  # the admin who saved it last is the one it acts as
        rule.version += 1
        self._version(rule, change, changes)
        return rule

    def set_active(self, rule_id: int, active: bool) -> ParsingRule:
        rule = self.get(rule_id)
        if rule.active == active:
            return rule
        return self.update(rule_id, {**rule.definition, "active": active},
                           change="activated" if active else "deactivated")

    def delete(self, rule_id: int) -> None:
        """Switched off and hidden; its versions and log lines stay, and :meth:`undelete` brings it back."""
        rule = self.get(rule_id)
        rule.deleted_at, rule.active = utcnow(), False
        rule.definition = {**rule.definition, "active": False}
        rule.version += 1
        self._version(rule, "deleted", [])

    def deleted(self) -> list[ParsingRule]:
        return self.rules.deleted()

    def undelete(self, rule_id: int) -> ParsingRule:
        """A deleted rule back, inactive (an admin switches it on after checking it)."""
        rule = self.rules.deleted_one(rule_id)
        if rule is None:
            raise NotFound(f"no deleted rule {rule_id}", code="rule_not_found")
        rule.deleted_at = None
        rule.definition = {**rule.definition, "active": False}
        rule.version += 1
        self._version(rule, "undeleted", [])
        return rule

    def _version(self, rule: ParsingRule, change: str, changes: list[dict]) -> None:
        self.session.add(RuleVersion(rule_id=rule.id, version=rule.version, definition=rule.definition,
                                     change=change, diff=changes, changed_by=self.who.user_id))
        self.session.flush()

    # --- versions ------------------------------------------------------------------------------------
    def history(self, rule_id: int) -> list[RuleVersion]:
        self.get(rule_id)
        return self.versions.of_rule(rule_id)

    def restore(self, rule_id: int, version: int) -> ParsingRule:
        """The definition of ``version`` becomes the rule's again, as a new version (whether the rule is
        active does not change: restoring never switches a rule on or off by surprise)."""
        rule = self.get(rule_id)
        old = self.versions.one(rule_id, version)
        if old is None:
            raise NotFound(f"rule {rule_id} has no version {version}", code="version_not_found")
        if version == rule.version:
            raise Conflict(f"version {version} is the current one", code="current_version")
        return self.update(rule_id, {**old.definition, "active": rule.active}, change=f"restored version {version}")

    # --- trying rules on stored mail -----------------------------------------------------------------
    def dry_run(self, email_id: int | None = None, *, raw: str | None = None, rule_id: int | None = None,
                definition: dict[str, Any] | None = None) -> list[Plan]:
        """What a rule (saved, or a draft) — or, with neither, every rule — would do with a stored mail (or a
        pasted one). Nothing is written."""
        if email_id is not None:
            email = MailReader(self.session, self.who).get(email_id, need="full")
            view = view_of_email(self.session, email)
        elif raw and raw.strip():
            view = view_from_text(raw.replace("\r\n", "\n"))
        else:
            raise BadInput("choose a stored mail or paste one to try the rule on", code="no_sample",
                           details={"field": "email_id"})
        runner = RuleRunner(self.session, self.who)
        if definition is not None:
            return [runner.plan(view, definition=definition)]
        rules = [self.get(rule_id)] if rule_id is not None else self.rules.all()
        plans = []
        for rule in rules:
            try:
                plans.append(runner.plan(view, rule=rule))
            except BadInput as exc:
                plan = Plan(rule.id, rule.name, rule.version, Evaluation(False), "failed", rule.module,
                            reason=f"the rule is not valid any more: {exc.message}")
                plans.append(plan)
        return plans

    def apply(self, rule_id: int, email_ids: list[int]) -> list[ParseLog]:
        """Run a rule on stored mail now (a mail it already created a record from is skipped)."""
        rule = self.get(rule_id)
        reader = MailReader(self.session, self.who)
        runner = RuleRunner(self.session, self.who)
        entries: list[ParseLog] = []
        for email_id in email_ids:
            email = reader.get(email_id, need="full")
            entries += runner.run_mail(email, view_of_email(self.session, email), trigger="manual", rules=[rule])
        return entries

    # --- the parse log -------------------------------------------------------------------------------
    def log(self, *, outcome: str | None = None, rule_id: int | None = None, email_id: int | None = None,
            failures: bool = False, offset: int = 0, limit: int = 50) -> Page[ParseLog]:
        if failures:
            return self.logs.failures(offset=offset, limit=limit)
        filters = {"outcome": outcome, "rule_id": rule_id, "email_id": email_id}
        return self.logs.page(sort="-id", filters=filters, offset=offset, limit=limit)

    # --- the parser's own addresses --------------------------------------------------------------------
    def list_addresses(self) -> list[RuleAddress]:
        return self.addresses.all()

    def add_address(self, domain: str, address: str | None = None, owner_id: int | None = None) -> RuleAddress:
        """``rules+<random>@<domain>``, or an address the admin chose (its domain's MX must reach the ingest
        server). Mail to it is filed under ``owner_id`` (default: the admin)."""
        if address:
            address = address.strip().lower()
            local, at, host = address.rpartition("@")
            if not at or not local or "." not in host or " " in address or len(address) > 320:
                raise BadInput(f"{address!r} is not an email address", code="bad_address",
                               details={"field": "address"})
            if local.startswith("dropbox+"):
                raise BadInput("dropbox+ addresses belong to the BCC dropbox", code="bad_address",
                               details={"field": "address"})
        else:
            address = f"{RULES_LOCAL_PART}+{secrets.token_hex(12)}@{domain.lower()}"
        if self.addresses.by_address(address) is not None:
            raise Conflict(f"{address} is already a parser address", code="address_exists")
        owner = owner_id or self.who.user_id
        if UserRepository(self.session).get(owner) is None:
            raise BadInput(f"no user {owner}", code="bad_owner", details={"field": "owner_id"})
        return self.addresses.add(RuleAddress(address=address, owner_id=owner))

    def remove_address(self, address_id: int) -> None:
        found = self.addresses.get(address_id)
        if found is None:
            raise NotFound(f"parser address {address_id} not found")
        self.addresses.delete(found)
