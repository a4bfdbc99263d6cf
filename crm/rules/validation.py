"""A rule checked when it is saved: its module and fields exist, values fit the fields' types, patterns compile.

Every error is a :class:`BadInput` whose message names the mapping's field (or the part of the rule) and
whose details carry ``where`` (e.g. ``mappings[2].extractor.pattern``) and ``field``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Any

from sqlalchemy.orm import Session

from assistant.errors import BadInput, NotFound
from crm.records.fields import FieldSpec, validate_value
from crm.records.modules import ModuleSpec
from crm.records.service import module_spec
from crm.users.repository import UserRepository
from nlp.rules.definition import RuleDefinition, RuleError, parse_definition
from nlp.rules.engine import plain_value
from nlp.rules.extractors import parse_json_path
from nlp.rules.safe_regex import compile_pattern
from nlp.rules.transforms import OUTPUT_KIND

__all__ = ["check_rule", "coerce", "bad_rule"]

# Field types a transform's output may go into.
_FITS = {"phone": {"phone", "text", "longtext"}, "date": {"date", "datetime", "text", "longtext"},
         "number": {"number", "money", "text", "longtext"}}


def bad_rule(exc: RuleError, field: str | None = None) -> BadInput:
    details: dict[str, Any] = {"where": exc.where}
    if field:
        details["field"] = field
    return BadInput(exc.message, code=exc.code if exc.code != "bad_rule" else "bad_rule", details=details)


def coerce(spec: FieldSpec, value: Any) -> Any:
    """An extracted value in the shape the field's validation expects."""
    if value is None or value == "":
        return None
    if spec.type == "date" and isinstance(value, datetime):
        return value.date()
    if spec.type == "datetime" and isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time(), tzinfo=timezone.utc)
    if spec.type in ("text", "longtext", "email", "phone", "url", "choice") and not isinstance(value, str):
        return str(plain_value(value))
    return value


def _fail(message: str, where: str, field: str | None = None, **details: Any) -> BadInput:
    body: dict[str, Any] = {"where": where, **details}
    if field:
        body["field"] = field
    return BadInput(message, code="bad_rule", details=body)


def _check_value(spec: FieldSpec, value: Any, where: str, what: str) -> None:
    try:
        validate_value(FieldSpec(spec.name, spec.type, choices=spec.choices, max_length=spec.max_length),
                       coerce(spec, value))
    except BadInput as exc:
        raise _fail(f"mapping of field {spec.name!r}: {what} {value!r} does not fit the field ({exc.message})",
                    where, spec.name) from None


def check_rule(session: Session, data: dict[str, Any] | RuleDefinition) -> tuple[RuleDefinition, ModuleSpec]:
    """The definition, parsed and checked against the CRM; BadInput naming the field otherwise."""
    try:
        rule = parse_definition(data)
    except RuleError as exc:
        raise bad_rule(exc) from None
    try:
        module, _ = module_spec(session, rule.module)
    except NotFound:
        raise _fail(f"module: there is no module {rule.module!r}", "module") from None
    fields = {f.name: f for f in module.fields}
    allowed = sorted(fields)
    if not rule.senders and not rule.conditions:
        raise _fail("a rule needs approved senders or at least one condition, or it would claim every mail",
                    "senders")
    if not rule.mappings:
        raise _fail("a rule needs at least one field mapping", "mappings")
    for index, condition in enumerate(rule.conditions):
        where = f"conditions[{index}]"
        if condition.on == "header" and not (condition.header or "").strip():
            raise _fail(f"{where}: name the header to test", f"{where}.header")
        if condition.op == "regex":
            try:
                compile_pattern(condition.value, f"{where}.value")
            except RuleError as exc:
                raise bad_rule(exc) from None
    for index, mapping in enumerate(rule.mappings):
        where = f"mappings[{index}]"
        spec = fields.get(mapping.field)
        if spec is None:
            raise _fail(f"mapping {index + 1}: {module.name} has no field {mapping.field!r}", f"{where}.field",
                        mapping.field, allowed=allowed)
        if spec.type in ("ref", "user"):
            raise _fail(f"mapping of field {spec.name!r}: a link to another record cannot be filled from mail",
                        f"{where}.field", spec.name)
        extractor = mapping.extractor
        try:
            if extractor.type == "regex":
                compile_pattern(extractor.pattern, f"{where}.extractor.pattern", group=extractor.group)
            elif extractor.type == "json":
                parse_json_path(extractor.path, f"{where}.extractor.path")
            for t_index, transform in enumerate(mapping.transforms):
                if transform.type == "replace":
                    compile_pattern(transform.pattern, f"{where}.transforms[{t_index}].pattern")
        except RuleError as exc:
            raise _fail(f"mapping of field {spec.name!r}: {exc.message}", exc.where, spec.name) from None
        kinds = [OUTPUT_KIND[t.type] for t in mapping.transforms if t.type in ("phone", "date", "number")]
        if kinds and spec.type not in _FITS[kinds[-1]]:
            raise _fail(f"mapping of field {spec.name!r}: a {kinds[-1]} transform gives a {kinds[-1]}, but the "
                        f"field is of type {spec.type}", f"{where}.transforms", spec.name)
        for t_index, transform in enumerate(mapping.transforms):
            t_where = f"{where}.transforms[{t_index}]"
            later = [t.type for t in mapping.transforms[t_index + 1:]]
            if transform.type == "default" and not any(k in later for k in ("phone", "date", "number")):
                _check_value(spec, transform.value, t_where, "the default")
            if transform.type == "map" and not later:
                for value in [*transform.table.values(), *([transform.default] if transform.default else [])]:
                    _check_value(spec, value, t_where, "the mapped value")
    filled = {m.field for m in rule.mappings}
    if rule.action in ("update", "upsert"):
        if not rule.key_field:
            raise _fail(f"an {rule.action} rule needs a key field (the field that finds the record)", "key_field")
        if rule.key_field not in fields:
            raise _fail(f"key_field: {module.name} has no field {rule.key_field!r}", "key_field", rule.key_field,
                        allowed=allowed)
        if rule.key_field not in filled:
            raise _fail(f"key_field: no mapping fills the key field {rule.key_field!r}", "key_field",
                        rule.key_field)
    if rule.action in ("create", "upsert"):
        missing = [f.name for f in module.fields if f.required and f.name not in filled]
        if missing:
            raise _fail(f"field {missing[0]!r} is required by {module.name} but no mapping fills it", "mappings",
                        missing[0])
    if rule.record_owner_id is not None and UserRepository(session).get(rule.record_owner_id) is None:
        raise _fail(f"record_owner_id: no user {rule.record_owner_id}", "record_owner_id")
    return rule, module
