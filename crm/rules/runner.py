"""Rules on mail: plan what a rule would do with a mail (the dry run), then do it and log it.

A plan is worked out without writing anything: the rule matches or not, each field's value and evidence,
the values checked against the module's field types, the record found by the key (and what would change
on it). Applying a plan writes through :class:`RecordService` (history source "rule", with the mail and
the rule version), links the mail to the record, and writes one :class:`ParseLog` row.

As mail arrives, :func:`apply_rules` runs every active rule once per mail (the job layer calls it after
the pipeline). A mail no rule takes that was sent to the parser's address, or by a sender a rule
approves, is logged as "unmatched" with the reasons: nothing is lost silently.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from assistant.errors import BadInput, MailassistError
from crm.mail.tables import Email
from crm.records.fields import validate_value
from crm.records.modules import ModuleSpec
from crm.records.service import Change, RecordService, plain
from crm.rules.repository import ParseLogRepository, RuleAddressRepository, RuleMailRepository, RuleRepository
from crm.rules.tables import ParseLog, ParsingRule
from crm.rules.validation import check_rule, coerce
from crm.users.repository import UserRepository
from crm.users.service import Identity, UserService
from nlp.rules.conditions import sender_approved
from nlp.rules.definition import RuleDefinition
from nlp.rules.engine import Evaluation, evaluate
from nlp.rules.mailview import MailView, view_from_raw, view_of

__all__ = ["Plan", "RuleRunner", "apply_rules", "view_of_email"]

log = logging.getLogger("crm.rules")
# Per unit of work (a job's batch): the active rules and the parser's addresses, read once.
_CACHE_KEY = "crm.rules.active"
_ADDRESSES_KEY = "crm.rules.addresses"


@dataclass
class Plan:
    """What one rule does (or would do) with one mail."""

    rule_id: int | None
    rule_name: str
    rule_version: int | None
    evaluation: Evaluation
    outcome: str  # created | updated | unchanged | skipped | ambiguous | unmatched | failed
    module: str
    action: str | None = None  # create | update | None
    values: dict[str, Any] = field(default_factory=dict)  # checked, typed values to write
    targets: list[int] = field(default_factory=list)  # records an update writes to
    changes: list[dict[str, Any]] = field(default_factory=list)  # [{"record_id", "field", "old", "new"}]
    reason: str | None = None
    record_id: int | None = None  # the record written (after apply)

    def to_json(self) -> dict[str, Any]:
        return {"rule_id": self.rule_id, "rule_name": self.rule_name, "rule_version": self.rule_version,
                "matched": self.evaluation.matched, "reasons": self.evaluation.reasons, "outcome": self.outcome,
                "module": self.module, "action": self.action, "reason": self.reason, "record_id": self.record_id,
                "targets": self.targets, "values": {k: plain(v) for k, v in self.values.items()},
                "changes": self.changes, "fields": [f.to_json() for f in self.evaluation.fields]}


def view_of_email(session: Session, email: Email, *, message=None, signature: dict | None = None) -> MailView:
    """The rules' view of a stored mail: from the pipeline's parse when there is one, else from its raw bytes,
    with the signature of its latest analysis."""
    if signature is None:
        result = RuleMailRepository(session).latest_result(email.id) or {}
        signature = result.get("signature")
    if message is not None:
        return view_of(message, signature)
    return view_from_raw(email.raw, signature)


class RuleRunner:
    def __init__(self, session: Session, who: Identity | None = None):
        """``who`` looks records up for drafts (rules not saved yet); saved rules act as their owner."""
        self.session = session
        self.who = who
        self.rules = RuleRepository(session)
        self.logs = ParseLogRepository(session)
        self.mail = RuleMailRepository(session)
        self._identities: dict[int, Identity | None] = {}

    # --- planning (no writes) ------------------------------------------------------------------------
    def plan(self, view: MailView, *, rule: ParsingRule | None = None, definition: RuleDefinition | dict | None = None,
             check_match: bool = True) -> Plan:
        """What ``rule`` (stored) or ``definition`` (a draft) would do with the mail."""
        if rule is not None:
            definition = definition or rule.definition
        checked, module = check_rule(self.session, definition)
        evaluation = evaluate(checked, view, check_match=check_match)
        plan = Plan(rule.id if rule else None, checked.name, rule.version if rule else None, evaluation,
                    "unmatched", checked.module)
        if evaluation.error:
            plan.outcome, plan.reason = "failed", evaluation.error
            return plan
        if not evaluation.matched:
            plan.reason = "; ".join(evaluation.reasons)
            return plan
        values, problems = self._checked_values(module, evaluation)
        plan.values = values
        if problems or evaluation.failed:
            plan.outcome = "failed"
            plan.reason = "; ".join(evaluation.problems() + problems)
            return plan
        owner = self._acting(rule, checked)
        if owner is None:
            plan.outcome, plan.reason = "failed", "the rule has no active owner to act as: edit and save it again"
            return plan
        if checked.action == "create":
            plan.outcome, plan.action = "created", "create"
            return plan
        key = checked.key_field or ""
        key_value = values.get(key)
        if key_value is None:
            plan.outcome, plan.reason = "failed", f"the key field {key!r} has no value in this mail"
            return plan
        records = RecordService(self.session, owner, checked.module)
        found = records.list(filters={key: plain(key_value)}, sort="id", limit=50).items
        if not found:
            if checked.action == "upsert":
                plan.outcome, plan.action = "created", "create"
            else:
                plan.outcome, plan.reason = "skipped", f"no {checked.module} record has {key} = {plain(key_value)!r}"
            return plan
        if len(found) > 1 and checked.on_many == "skip":
            plan.outcome = "ambiguous"
            plan.reason = (f"{len(found)} {checked.module} records have {key} = {plain(key_value)!r} "
                           f"(#{', #'.join(str(r.id) for r in found[:10])}); the rule skips such mail")
            return plan
        if checked.on_many == "newest":
            found = [max(found, key=lambda r: (r.updated_at, r.id))]
        elif checked.on_many == "first" or len(found) == 1:
            found = [found[0]]
        plan.action, plan.targets = "update", [r.id for r in found]
        for record in found:
            current = records.values(record)
            for name, value in values.items():
                if plain(current.get(name)) != plain(value):
                    plan.changes.append({"record_id": record.id, "field": name, "old": plain(current.get(name)),
                                         "new": plain(value)})
        plan.outcome = "updated" if plan.changes else "unchanged"
        if not plan.changes:
            plan.reason = "the record already holds these values"
        return plan

    def _checked_values(self, module: ModuleSpec, evaluation: Evaluation) -> tuple[dict[str, Any], list[str]]:
        values: dict[str, Any] = {}
        problems: list[str] = []
        for result in evaluation.fields:
            spec = module.field(result.field)
            if spec is None or result.error or result.value in (None, ""):
                continue
            try:
                values[result.field] = validate_value(spec, coerce(spec, result.value))
            except BadInput as exc:
                result.error, result.code = exc.message, "bad_value"
                problems.append(exc.message)
        return values, problems

    def _acting(self, rule: ParsingRule | None, definition: RuleDefinition) -> Identity | None:
        """Who the rule writes as: its owner (an admin who saved it)."""
        user_id = rule.owner_id if rule is not None else None
        if user_id is None:
            return self.who if rule is None else None
        if user_id not in self._identities:
            user = UserRepository(self.session).get(user_id)
            self._identities[user_id] = (UserService(self.session).identity_for(user)
                                         if user is not None and user.is_active else None)
        return self._identities[user_id]

    # --- doing ---------------------------------------------------------------------------------------
    def apply(self, plan: Plan, rule: ParsingRule, email: Email, *, trigger: str) -> ParseLog:
        """Write the plan's record and its log line (one unit of work with the caller)."""
        definition = RuleDefinition.model_validate(rule.definition)
        change = Change(source="rule", email_id=email.id,
                        detail=f"rule #{rule.id} v{rule.version} {rule.name!r}")
        who = self._acting(rule, definition)
        if plan.action is not None and who is not None:
            records = RecordService(self.session, who, plan.module)
            try:
                if plan.action == "create":
                    owner = definition.record_owner_id or rule.owner_id
                    record = records.create({**{k: plain(v) for k, v in plan.values.items()}, "owner_id": owner},
                                            change)
                    plan.record_id = record.id
                    self.mail.link(email.id, plan.module, record.id)
                else:
                    for target in plan.targets:
                        fields = {c["field"]: plan.values[c["field"]] for c in plan.changes if c["record_id"] == target}
                        if fields:
                            records.update(target, {k: plain(v) for k, v in fields.items()}, change)
                        self.mail.link(email.id, plan.module, target)
                    plan.record_id = plan.targets[0] if plan.targets else None
            except MailassistError as exc:
                plan.outcome, plan.reason = "failed", exc.message
        elif plan.outcome == "unchanged":
            plan.record_id = plan.targets[0] if plan.targets else None
        entry = ParseLog(email_id=email.id, rule_id=rule.id, rule_version=rule.version, rule_name=rule.name,
                         trigger=trigger, outcome=plan.outcome, module=plan.module, record_id=plan.record_id,
                         reason=(plan.reason or None) and plan.reason[:4000],
                         fields=[f.to_json() for f in plan.evaluation.fields])
        self.session.add(entry)
        self.session.flush()
        return entry

    def _active(self) -> list[tuple[ParsingRule, RuleDefinition]]:
        cached = self.session.info.get(_CACHE_KEY)
        if cached is None:
            cached = []
            for rule in self.rules.active():
                try:
                    cached.append((rule, RuleDefinition.model_validate(rule.definition)))
                except ValueError:
                    log.error("stored rule does not load", extra={"rule_id": rule.id})
            self.session.info[_CACHE_KEY] = cached
        return cached

    def run_mail(self, email: Email, view: MailView, *, trigger: str = "auto",
                 rules: list[ParsingRule] | None = None) -> list[ParseLog]:
        """Run the given rules (default: every active one, by priority) on a mail and log each outcome."""
        chosen = [(r, RuleDefinition.model_validate(r.definition)) for r in rules] if rules is not None \
            else self._active()
        entries: list[ParseLog] = []
        near: list[str] = []  # why rules whose sender matched did not take the mail
        for rule, definition in chosen:
            if trigger == "manual" and self._already_created(email.id, rule.id):
                continue
            try:
                plan = self.plan(view, rule=rule, definition=definition)
            except BadInput as exc:  # the rule no longer fits the CRM (a field was removed)
                plan = Plan(rule.id, rule.name, rule.version, Evaluation(False), "failed", rule.module,
                            reason=f"the rule is not valid any more: {exc.message}")
            if plan.outcome == "unmatched":
                if sender_approved(definition.senders, view.from_addr) and definition.senders:
                    near.append(f"rule {rule.name!r}: {plan.reason}")
                if trigger == "manual":
                    entries.append(self._log_only(plan, rule, email, trigger))
                continue
            entries.append(self.apply(plan, rule, email, trigger=trigger))
            if definition.stop:
                break
        if not entries and trigger == "auto" and (near or self._sent_to_parser(email)):
            reason = "; ".join(near) if near else "no active rule matches this mail"
            entries.append(self._log_unmatched(email, reason, trigger))
        return entries

    def _already_created(self, email_id: int, rule_id: int) -> bool:
        return any(e.rule_id == rule_id and e.outcome == "created" for e in self.logs.for_email(email_id))

    def _sent_to_parser(self, email: Email) -> bool:
        if email.source == "rules":
            return True
        addresses = self.session.info.get(_ADDRESSES_KEY)
        if addresses is None:
            addresses = {a.address for a in RuleAddressRepository(self.session).all() if a.active}
            self.session.info[_ADDRESSES_KEY] = addresses
        recipients = {a.lower() for a in [*(email.to_addrs or []), *(email.cc_addrs or [])]}
        return bool(addresses & recipients)

    def _log_only(self, plan: Plan, rule: ParsingRule, email: Email, trigger: str) -> ParseLog:
        entry = ParseLog(email_id=email.id, rule_id=rule.id, rule_version=rule.version, rule_name=rule.name,
                         trigger=trigger, outcome=plan.outcome, module=plan.module, reason=plan.reason,
                         fields=[f.to_json() for f in plan.evaluation.fields])
        self.session.add(entry)
        self.session.flush()
        return entry

    def _log_unmatched(self, email: Email, reason: str, trigger: str) -> ParseLog:
        entry = ParseLog(email_id=email.id, trigger=trigger, outcome="unmatched", reason=reason[:4000], fields=[])
        self.session.add(entry)
        self.session.flush()
        return entry

    def on_arrival(self, email: Email, *, message=None, signature: dict | None = None) -> list[ParseLog]:
        """Once per mail: the active rules on a mail that just arrived (and was analysed)."""
        if email.direction != "in":
            return []
        if not self._active() and not self._sent_to_parser(email):
            return []  # nothing to do: no query per mail while no rule is active
        if self.logs.seen(email.id):
            return []
        view = view_of_email(self.session, email, message=message, signature=signature)
        return self.run_mail(email, view, trigger="auto")


def apply_rules(session: Session, email: Email, doc=None) -> list[ParseLog]:
    """The job layer's hook, called once the pipeline has analysed ``email`` (``doc`` its document).

    A bug here is logged for the alert and the mail marked "failed" in the parse log; it never loses the
    analysis of the mails analysed with it. Database errors propagate (the job retries).
    """
    message = doc.get("message") if doc is not None else None
    signature = doc.out.get("signature") if doc is not None else None
    try:
        return RuleRunner(session).on_arrival(email, message=message, signature=signature)
    except SQLAlchemyError:
        raise
    except Exception as exc:
        log.exception("parsing rules failed on a mail", extra={"email_id": email.id})
        entry = ParseLog(email_id=email.id, trigger="auto", outcome="failed", fields=[],
                         reason=f"internal error while running the rules ({type(exc).__name__}); it was logged")
        session.add(entry)
        session.flush()
        return [entry]
