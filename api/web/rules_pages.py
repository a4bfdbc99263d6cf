"""Admin pages of the parsing rules: list, the editor (learn from a sample, dry run), history, parse log.

The editor is a plain form (senders and conditions one per line, the mappings as JSON) that works without
JavaScript; ``static/rules.js`` adds the highlighting: select a value in the sample, click a field, and the
learned mapping is added, with what it gives on the sample and on other recent mails.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, RedirectResponse

from api.deps import DB, CurrentIdentity, get_runtime, protected
from api.routes.rules import enqueue_apply
from api.web.pages import _render
from assistant.errors import BadInput, Forbidden, MailassistError
from crm.mail.repository import EmailRepository
from crm.mail.sharing import MailReader
from crm.records.custom import CustomModuleService
from crm.records.modules import MODULES
from crm.records.service import module_spec
from crm.rules.learning import LearnService
from crm.rules.repository import RuleMailRepository
from crm.rules.service import RuleService
from crm.users.repository import UserRepository
from mailio.ingest.dropbox import dropbox_domain
from nlp.rules.definition import ACTIONS, ON_MANY

__all__ = ["pages", "parse_conditions", "format_conditions"]

pages = protected(include_in_schema=False)
_TARGETS = ("from", "to", "subject", "header", "body")
_OPS = ("contains", "equals", "regex", "not_contains")
# Modules a rule may write to (activities and notes come from mail in other ways).
_RULE_MODULES = ("leads", "contacts", "accounts", "deals", "vendors")


def _admin(who) -> None:
    if not who.has("admin"):
        raise Forbidden("admins only", code="missing_scope")


def parse_conditions(text: str) -> list[dict[str, Any]]:
    """One condition per line: ``subject contains New order``, ``header:X-Form equals 12``, ``body regex ...``."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        parts = line.split(None, 2)
        target, _, header = parts[0].partition(":")
        if target not in _TARGETS or len(parts) < 3 or parts[1] not in _OPS:
            raise BadInput(f"condition line {number}: write '<{'|'.join(_TARGETS)}> <{'|'.join(_OPS)}> <value>' "
                           f"(a header as header:Name), not {line!r}", code="bad_rule",
                           details={"where": f"conditions[{number - 1}]"})
        condition: dict[str, Any] = {"on": target, "op": parts[1], "value": parts[2]}
        if target == "header":
            condition["header"] = header
        out.append(condition)
    return out


def format_conditions(conditions: list[dict[str, Any]]) -> str:
    lines = []
    for c in conditions:
        target = f"header:{c.get('header')}" if c.get("on") == "header" else c.get("on")
        lines.append(f"{target} {c.get('op', 'contains')} {c.get('value', '')}")
    return "\n".join(lines)


def _modules(session) -> list[tuple[str, str]]:
    out = [(name, MODULES[name].label) for name in _RULE_MODULES]
    return out + [(m.name, m.label) for m in CustomModuleService(session).list()]


def _definition_from_form(form) -> dict[str, Any]:
    try:
        mappings = json.loads(str(form.get("mappings") or "[]"))
    except ValueError as exc:
        raise BadInput(f"mappings: not valid JSON ({exc})", code="bad_rule", details={"where": "mappings"}) from None
    senders = [s.strip() for s in str(form.get("senders") or "").replace(",", "\n").splitlines() if s.strip()]
    return {
        "name": str(form.get("name") or "").strip(), "active": form.get("active") == "on",
        "priority": str(form.get("priority") or "100").strip(),  # checked (and named) by the definition
        "senders": senders, "match": form.get("match") or "all",
        "conditions": parse_conditions(str(form.get("conditions") or "")),
        "module": str(form.get("module") or "leads"), "action": form.get("action") or "create",
        "key_field": (str(form.get("key_field") or "").strip() or None),
        "on_many": form.get("on_many") or "first", "mappings": mappings, "stop": form.get("stop") == "on",
    }


def _editor(request: Request, who, session, *, rule=None, definition: dict | None = None, sample=None,
            sample_error: str | None = None, error: str | None = None, email_id: int | None = None,
            raw: str | None = None, module: str | None = None, plans: list | None = None):
    learn = LearnService(session, who)
    if sample is None and (email_id or raw):
        try:
            sample = learn.sample(email_id=email_id, raw=raw)
        except MailassistError as exc:
            sample_error = exc.message
    described = learn.describe(sample) if sample is not None else None
    if definition is None:
        definition = dict(rule.definition) if rule is not None else {}
        if not definition and described:
            definition = {**described["suggestion"], "module": module or "leads", "action": "upsert",
                          "key_field": "email", "mappings": []}
    definition.setdefault("module", module or "leads")
    try:
        spec, _ = module_spec(session, definition["module"])
        fields = [f for f in spec.fields if f.type not in ("ref", "user")]
    except MailassistError:
        fields = []
    senders = definition.get("senders") or []
    recent = RuleMailRepository(session).recent(senders=senders, limit=30) if senders else \
        EmailRepository(session).page(sort="-date", filters={"direction": "in"}, limit=30).items
    return _render(request, "rules_edit.html", who, rule=rule, d=definition, sample=described,
                   sample_error=sample_error, error=error, fields=fields, modules=_modules(session),
                   actions=ACTIONS, on_many=ON_MANY, recent=recent, raw=raw or "",
                   conditions_text=format_conditions(definition.get("conditions") or []),
                   mappings_json=json.dumps(definition.get("mappings") or [], ensure_ascii=False, indent=1),
                   plans=plans, active="rules")


@pages.get("/admin/rules")
def rules_list(request: Request, who: CurrentIdentity, session: DB, error: str | None = None):
    _admin(who)
    service = RuleService(session, who)
    failures = service.log(failures=True, limit=1).total
    return _render(request, "rules_list.html", who, rules=service.list(), addresses=service.list_addresses(),
                   failures=failures, error=error, domain=dropbox_domain(get_runtime(request).settings),
                   deleted=service.deleted(), active="rules")


@pages.post("/admin/rules/addresses")
async def add_address(request: Request, who: CurrentIdentity, session: DB):
    _admin(who)
    form = await request.form()
    try:
        RuleService(session, who).add_address(dropbox_domain(get_runtime(request).settings),
                                              str(form.get("address") or "").strip() or None)
    except MailassistError as exc:
        session.rollback()
        return rules_list(request, who, session, error=exc.message)
    return RedirectResponse("/admin/rules#addresses", status_code=303)


@pages.post("/admin/rules/addresses/{address_id}/remove")
def remove_address(address_id: int, who: CurrentIdentity, session: DB):
    RuleService(session, who).remove_address(address_id)
    return RedirectResponse("/admin/rules#addresses", status_code=303)


@pages.get("/admin/rules/new")
def rule_new(request: Request, who: CurrentIdentity, session: DB, email_id: int | None = None,
             module: str | None = None):
    _admin(who)
    return _editor(request, who, session, email_id=email_id, module=module)


@pages.post("/admin/rules/sample")
async def rule_sample(request: Request, who: CurrentIdentity, session: DB):
    """A pasted sample (the editor without JavaScript posts it here)."""
    _admin(who)
    form = await request.form()
    return _editor(request, who, session, raw=str(form.get("raw") or ""), module=str(form.get("module") or "leads"))


@pages.post("/admin/rules")
async def rule_create(request: Request, who: CurrentIdentity, session: DB):
    _admin(who)
    form = await request.form()
    email_id = int(form["email_id"]) if str(form.get("email_id") or "").isdigit() else None
    definition: dict[str, Any] = {}
    try:
        definition = _definition_from_form(form)
        rule = RuleService(session, who).create(definition)
    except MailassistError as exc:
        session.rollback()
        return _editor(request, who, session, definition=definition or None, error=exc.message, email_id=email_id,
                       raw=str(form.get("raw") or "") or None)
    suffix = f"?email_id={email_id}" if email_id else ""
    return RedirectResponse(f"/admin/rules/{rule.id}{suffix}", status_code=303)


def _sample_args(form) -> dict[str, Any]:
    email_id = str(form.get("email_id") or "")
    raw = str(form.get("raw") or "")
    return {"email_id": int(email_id) if email_id.isdigit() else None, "raw": raw or None}


@pages.post("/admin/rules/dry-run")
async def rule_dry_run(request: Request, who: CurrentIdentity, session: DB):
    """The editor's form, tried on its sample without saving: a fragment for the script, else the editor."""
    _admin(who)
    form = await request.form()
    sample = _sample_args(form)
    rule_id = str(form.get("rule_id") or "")
    rule = RuleService(session, who).get(int(rule_id)) if rule_id.isdigit() else None
    definition: dict[str, Any] = {}
    plans, error = None, None
    try:
        definition = _definition_from_form(form)
        plans = RuleService(session, who).dry_run(sample["email_id"], raw=sample["raw"], definition=definition)
    except MailassistError as exc:
        error = exc.message
    if request.headers.get("x-fragment"):
        if error:
            return _render(request, "_rules_error.html", who, error=error)
        return _render(request, "_rules_dry_run.html", who, plans=[p.to_json() for p in plans or []])
    return _editor(request, who, session, rule=rule, definition=definition or None, error=error,
                   plans=[p.to_json() for p in plans] if plans is not None else None, **sample)


@pages.post("/admin/rules/learn")
async def rule_learn(request: Request, who: CurrentIdentity, session: DB):
    """A highlighted value and the field it fills → the learned mapping (JSON, for the editor's script)."""
    _admin(who)
    form = await request.form()
    service = LearnService(session, who)
    try:
        conditions = parse_conditions(str(form.get("conditions") or ""))
    except BadInput:
        conditions = []  # a half-written condition does not stop learning
    draft = {"senders": [s.strip() for s in str(form.get("senders") or "").replace(",", "\n").splitlines()
                         if s.strip()], "match": form.get("match") or "all", "conditions": conditions}
    start = str(form.get("start") or "")
    try:
        sample = service.sample(**_sample_args(form))
        learned = service.learn(sample, module=str(form.get("module") or ""), field=str(form.get("field") or ""),
                                selection=str(form.get("selection") or ""),
                                start=int(start) if start.isdigit() else None,
                                source=str(form.get("source") or "body"), draft=draft)
    except MailassistError as exc:
        session.rollback()
        return JSONResponse({"error": exc.to_dict()}, status_code=exc.status)
    return JSONResponse(jsonable_encoder(learned))


@pages.get("/admin/rules/log")
def parse_log(request: Request, who: CurrentIdentity, session: DB, failures: bool = False,
              rule_id: int | None = None, offset: int = 0):
    _admin(who)
    page = RuleService(session, who).log(failures=failures, rule_id=rule_id, offset=offset, limit=100)
    subjects = {e.id: e.subject for e in EmailRepository(session).by_ids({x.email_id for x in page.items})}
    return _render(request, "rules_log.html", who, page=page, subjects=subjects, failures=failures,
                   rule_id=rule_id, active="rules")


@pages.get("/admin/rules/try")
def try_every_rule(request: Request, who: CurrentIdentity, session: DB, email_id: int | None = None):
    """The dry run of every rule (active or not) on one stored mail: what each would do, field by field."""
    _admin(who)
    plans, error, email = None, None, None
    if email_id is not None:
        try:
            email = MailReader(session, who).get(email_id)
            plans = [p.to_json() for p in RuleService(session, who).dry_run(email_id)]
        except MailassistError as exc:
            error = exc.message
    return _render(request, "rules_try.html", who, email_id=email_id, email=email, plans=plans, error=error,
                   active="rules")


@pages.get("/admin/rules/{rule_id}")
def rule_edit(request: Request, rule_id: int, who: CurrentIdentity, session: DB, email_id: int | None = None):
    _admin(who)
    rule = RuleService(session, who).get(rule_id)
    if email_id is None:
        found = RuleMailRepository(session).recent_ids(senders=rule.definition.get("senders") or [], limit=1)
        email_id = found[0] if found else None
    return _editor(request, who, session, rule=rule, email_id=email_id)


@pages.post("/admin/rules/{rule_id}")
async def rule_update(request: Request, rule_id: int, who: CurrentIdentity, session: DB):
    _admin(who)
    service = RuleService(session, who)
    rule = service.get(rule_id)
    form = await request.form()
    email_id = int(form["email_id"]) if str(form.get("email_id") or "").isdigit() else None
    definition: dict[str, Any] = {}
    try:
        definition = _definition_from_form(form)
        definition["active"] = rule.active  # switched on and off with its own buttons
        service.update(rule_id, definition)
    except MailassistError as exc:
        session.rollback()
        return _editor(request, who, session, rule=service.get(rule_id), definition=definition or None,
                       error=exc.message, email_id=email_id)
    suffix = f"?email_id={email_id}" if email_id else ""
    return RedirectResponse(f"/admin/rules/{rule_id}{suffix}", status_code=303)


@pages.post("/admin/rules/{rule_id}/{action}")
async def rule_action(request: Request, rule_id: int, action: str, who: CurrentIdentity, session: DB):
    _admin(who)
    service = RuleService(session, who)
    if action in ("activate", "deactivate"):
        service.set_active(rule_id, action == "activate")
        return RedirectResponse(f"/admin/rules/{rule_id}", status_code=303)
    if action == "delete":
        service.delete(rule_id)
        return RedirectResponse("/admin/rules", status_code=303)
    if action == "undelete":
        service.undelete(rule_id)
        return RedirectResponse(f"/admin/rules/{rule_id}", status_code=303)
    if action == "apply":
        job = enqueue_apply(request, session, who, rule_id, None, 200)
        return RedirectResponse(f"/jobs#job-{job['job_id']}", status_code=303)
    raise BadInput(f"unknown action {action!r}", code="bad_action")


@pages.get("/admin/rules/{rule_id}/history")
def rule_history(request: Request, rule_id: int, who: CurrentIdentity, session: DB):
    _admin(who)
    service = RuleService(session, who)
    versions = service.history(rule_id)
    users = UserRepository(session)
    people = {}  # who made each change, by address (the user may since have been removed)
    for user_id in {v.changed_by for v in versions if v.changed_by is not None}:
        user = users.get(user_id)
        people[user_id] = user.email if user is not None else f"user {user_id}"
    return _render(request, "rules_history.html", who, rule=service.get(rule_id), versions=versions,
                   people=people, active="rules")


@pages.post("/admin/rules/{rule_id}/history/{version}/restore")
def rule_restore(rule_id: int, version: int, who: CurrentIdentity, session: DB):
    _admin(who)
    RuleService(session, who).restore(rule_id, version)
    return RedirectResponse(f"/admin/rules/{rule_id}/history", status_code=303)
