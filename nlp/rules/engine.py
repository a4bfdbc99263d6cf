"""Running one rule on one mail: does it match, and what does each mapping extract (with evidence)?

Pure: no database. What to do with the values (create, update, which record) is decided in
``crm.rules``. A rule that errs (a regex cut off by its time limit, a value no transform can read)
gives an :class:`Evaluation` saying so, field by field; it never raises for the mail's sake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from nlp.rules.conditions import match_rule
from nlp.rules.definition import RuleDefinition, RuleError
from nlp.rules.extractors import extract
from nlp.rules.mailview import MailView
from nlp.rules.safe_regex import Budget
from nlp.rules.transforms import apply_transforms

__all__ = ["FieldResult", "Evaluation", "evaluate", "extract_mapping", "plain_value"]


def plain_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


@dataclass
class FieldResult:
    field: str
    value: Any = None  # after transforms (str, Decimal, datetime...)
    raw: str | None = None  # as extracted, before transforms
    evidence: str | None = None
    error: str | None = None
    code: str | None = None  # regex_timeout, transform_failed, missing, ...
    mapping: int = 0  # which mapping of the rule produced it

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "value": plain_value(self.value), "raw": self.raw, "evidence": self.evidence,
                "error": self.error, "code": self.code, "mapping": self.mapping}


@dataclass
class Evaluation:
    matched: bool
    reasons: list[str] = field(default_factory=list)
    fields: list[FieldResult] = field(default_factory=list)
    error: str | None = None  # the rule could not be tested (a condition's regex ran too long)
    code: str | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None or any(f.error for f in self.fields)

    def problems(self) -> list[str]:
        out = [self.error] if self.error else []
        return out + [f"field {f.field!r}: {f.error}" for f in self.fields if f.error]

    def values(self) -> dict[str, Any]:
        return {f.field: f.value for f in self.fields if f.value is not None and f.value != "" and not f.error}

    def to_json(self) -> dict[str, Any]:
        return {"matched": self.matched, "reasons": self.reasons, "error": self.error, "code": self.code,
                "fields": [f.to_json() for f in self.fields]}


def extract_mapping(mapping: Any, view: MailView, budget: Budget, index: int = 0) -> FieldResult:
    where = f"mappings[{index}]"
    result = FieldResult(mapping.field, mapping=index)
    try:
        found = extract(mapping.extractor, view, budget, f"{where}.extractor")
        if found is not None:
            result.raw, result.evidence = found.value, found.evidence
        result.value = apply_transforms(mapping.transforms, found.value if found else None, budget, where)
    except RuleError as exc:
        result.error, result.code = exc.message, exc.code
        return result
    if (result.value is None or result.value == "") and mapping.required:
        result.error, result.code = "is required but the mail has no value for it", "missing"
    return result


def evaluate(rule: RuleDefinition, view: MailView, *, budget: Budget | None = None,
             check_match: bool = True) -> Evaluation:
    """Match ``rule`` against the mail and, when it matches (or ``check_match`` is off), extract every field.

    A field mapped twice takes the first mapping that finds a value (a fallback chain).
    """
    budget = budget or Budget()
    if check_match:
        try:
            match = match_rule(rule, view, budget)
        except RuleError as exc:
            return Evaluation(False, [], [], exc.message, exc.code)
        if not match.matched:
            return Evaluation(False, match.reasons)
        evaluation = Evaluation(True, match.reasons)
    else:
        evaluation = Evaluation(True, ["not checked"])
    chosen: dict[str, FieldResult] = {}
    order: list[str] = []
    for index, mapping in enumerate(rule.mappings):
        previous = chosen.get(mapping.field)
        if previous is not None and previous.value not in (None, "") and not previous.error:
            continue
        result = extract_mapping(mapping, view, budget, index)
        if previous is not None and previous.error is None and result.error and result.code == "missing":
            result.error = result.code = None  # an earlier mapping of the same field was not required
        if mapping.field not in chosen:
            order.append(mapping.field)
        if previous is None or result.value not in (None, "") or result.error:
            chosen[mapping.field] = result
    evaluation.fields = [chosen[name] for name in order]
    return evaluation
