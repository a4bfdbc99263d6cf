"""Does a rule apply to a mail: approved senders, then the conditions combined with all/any."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from nlp.rules.definition import Condition, RuleDefinition
from nlp.rules.mailview import MailView
from nlp.rules.safe_regex import Budget, compile_pattern, search

__all__ = ["Match", "sender_approved", "match_rule", "check_conditions"]


@dataclass
class Match:
    matched: bool
    reasons: list[str] = field(default_factory=list)  # why it matched, or why not


def _norm(text: str, case_sensitive: bool) -> str:
    text = unicodedata.normalize("NFKC", text)
    return text if case_sensitive else text.casefold()


def sender_approved(senders: list[str], address: str) -> bool:
    """An address matches an approved address exactly, or a domain (``site.test`` or ``@site.test``) and
    its subdomains; an empty list approves everyone."""
    if not senders:
        return True
    address = address.strip().lower()
    domain = address.rpartition("@")[2]
    for sender in senders:
        if "@" in sender and not sender.startswith("@"):
            if address == sender:
                return True
            continue
        wanted = sender.lstrip("@")
        if domain == wanted or domain.endswith("." + wanted):
            return True
    return False


def _subjects(condition: Condition, view: MailView) -> list[str]:
    if condition.on == "from":
        return [f"{view.from_name} <{view.from_addr}>"]
    if condition.on == "to":
        return view.to + view.cc
    if condition.on == "subject":
        return [view.subject]
    if condition.on == "header":
        return view.header(condition.header or "")
    return [view.body]


def _test(condition: Condition, texts: list[str], budget: Budget, where: str) -> bool:
    if condition.op == "regex":
        compiled = compile_pattern(condition.value, where, ignore_case=not condition.case_sensitive)
        return any(search(compiled, text, budget, where) is not None for text in texts)
    wanted = _norm(condition.value, condition.case_sensitive).strip()
    values = [_norm(t, condition.case_sensitive) for t in texts]
    if condition.op == "equals":
        return any(v.strip() == wanted for v in values)
    if condition.op == "not_contains":
        return all(wanted not in v for v in values)
    return any(wanted in v for v in values)


def check_conditions(conditions: list[Condition], mode: str, view: MailView, budget: Budget) -> Match:
    if not conditions:
        return Match(True, ["no conditions"])
    reasons: list[str] = []
    results = []
    for index, condition in enumerate(conditions):
        where = f"conditions[{index}]"
        ok = _test(condition, _subjects(condition, view), budget, where)
        target = f"header {condition.header!r}" if condition.on == "header" else condition.on
        reasons.append(f"{target} {condition.op.replace('_', ' ')} {condition.value!r}: {'yes' if ok else 'no'}")
        results.append(ok)
        if mode == "all" and not ok:
            return Match(False, reasons)
        if mode == "any" and ok:
            return Match(True, reasons)
    return Match(all(results) if mode == "all" else any(results), reasons)


def match_rule(rule: RuleDefinition, view: MailView, budget: Budget) -> Match:
    """Whether ``rule`` applies to the mail, with the reasons (a regex that runs too long raises)."""
    if not sender_approved(rule.senders, view.from_addr):
        return Match(False, [f"sender {view.from_addr or '(none)'} is not approved"])
    result = check_conditions(rule.conditions, rule.match, view, budget)
    if rule.senders:
        result.reasons.insert(0, f"sender {view.from_addr} is approved")
    return result
