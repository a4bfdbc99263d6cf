"""Record pages: module overview, lists with search/sort/paging, detail with timeline and history."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse

from api.deps import DB, CurrentIdentity, protected
from api.web.pages import _render
from assistant.errors import BadInput, Forbidden, MailassistError
from assistant.suggestions.service import SuggestionService
from crm.mail.timeline import timeline
from crm.records.custom import CustomModuleService
from crm.records.modules import MODULES
from crm.records.service import Change, RecordService, record_title

__all__ = ["pages"]

pages = protected(include_in_schema=False)


def _form_values(form, spec) -> dict:
    values = {}
    for field in spec.fields:
        if field.type == "bool":
            values[field.name] = field.name in form
        elif field.name in form:
            raw = form.get(field.name)
            values[field.name] = raw.strip() if isinstance(raw, str) else raw
    return values


@pages.get("/records")
def overview(request: Request, who: CurrentIdentity, session: DB):
    modules = []
    for name, spec in MODULES.items():
        modules.append((name, spec.label, RecordService(session, who, name).list(limit=1).total))
    customs = [(m.name, m.label, RecordService(session, who, m.name).list(limit=1).total)
               for m in CustomModuleService(session).list()]
    return _render(request, "records.html", who, modules=modules, customs=customs, active="records")


@pages.get("/records/{module}")
def record_list(request: Request, module: str, who: CurrentIdentity, session: DB, q: str | None = None,
                sort: str | None = None, offset: int = 0):
    service = RecordService(session, who, module)
    try:
        page = service.list(q=q or None, sort=sort or None, offset=offset, limit=50)
    except BadInput as exc:
        return _render(request, "record_list.html", who, spec=service.spec, rows=[], page=None, q=q, sort=sort,
                       error=exc.message, active="records")
    columns = [f for f in service.spec.fields if f.listed] or list(service.spec.fields[:4])
    rows = [(r, service.values(r)) for r in page.items]
    return _render(request, "record_list.html", who, spec=service.spec, columns=columns, rows=rows, page=page,
                   q=q, sort=sort, error=None, active="records")


@pages.get("/records/{module}/new")
def record_new(request: Request, module: str, who: CurrentIdentity, session: DB):
    service = RecordService(session, who, module)
    return _render(request, "record_form.html", who, spec=service.spec, values={}, record=None, error=None,
                   active="records")


@pages.post("/records/{module}")
async def record_create(request: Request, module: str, who: CurrentIdentity, session: DB):
    service = RecordService(session, who, module)
    values = _form_values(await request.form(), service.spec)
    try:
        record = service.create(values, Change(source="ui"))
    except MailassistError as exc:
        session.rollback()
        return _render(request, "record_form.html", who, spec=service.spec, values=values, record=None,
                       error=exc.message, active="records")
    return RedirectResponse(f"/records/{module}/{record.id}", status_code=303)


@pages.get("/records/{module}/{record_id}")
def record_detail(request: Request, module: str, record_id: int, who: CurrentIdentity, session: DB,
                  error: str | None = None):
    service = RecordService(session, who, module)
    record = service.get(record_id)
    items = timeline(session, who, module, record_id) if who.has("mail:read") else []
    suggestions = SuggestionService(session).page(who, module=module, record_id=record_id).items
    return _render(request, "record_detail.html", who, spec=service.spec, record=record,
                   values=service.values(record), title=record_title(service.spec, record),
                   timeline=items, history=service.history(record_id), error=error, active="records",
                   suggestions=suggestions)


@pages.post("/records/{module}/{record_id}")
async def record_update(request: Request, module: str, record_id: int, who: CurrentIdentity, session: DB):
    service = RecordService(session, who, module)
    values = _form_values(await request.form(), service.spec)
    try:
        service.update(record_id, values, Change(source="ui"))
    except MailassistError as exc:
        session.rollback()
        return record_detail(request, module, record_id, who, session, error=exc.message)
    return RedirectResponse(f"/records/{module}/{record_id}", status_code=303)


@pages.post("/records/{module}/{record_id}/delete")
def record_delete(module: str, record_id: int, who: CurrentIdentity, session: DB):
    RecordService(session, who, module).delete(record_id, Change(source="ui"))
    return RedirectResponse(f"/records/{module}", status_code=303)


@pages.post("/admin/custom-modules")
async def custom_module_create(request: Request, who: CurrentIdentity, session: DB):
    """Fields are typed one per line as `name:type` or `name:choice:a|b|c` (a `*` marks required)."""
    if not who.has("admin"):
        raise Forbidden("admins only", code="missing_scope")
    form = await request.form()
    fields = []
    for line in str(form.get("fields", "")).splitlines():
        parts = [p.strip() for p in line.split(":")]
        if not parts[0]:
            continue
        name, required = parts[0].rstrip("*"), parts[0].endswith("*")
        field = {"name": name, "type": parts[1] if len(parts) > 1 and parts[1] else "text", "required": required}
        if field["type"] == "choice" and len(parts) > 2:
            field["choices"] = [c.strip() for c in parts[2].split("|") if c.strip()]
        if field["type"] == "ref" and len(parts) > 2:
            field["ref"] = parts[2]
        fields.append(field)
    try:
        CustomModuleService(session).create(str(form.get("name", "")).strip(), str(form.get("label", "")).strip(),
                                            fields, fields[0]["name"] if fields else "")
    except MailassistError as exc:
        session.rollback()
        return RedirectResponse(f"/admin?error={exc.message}", status_code=303)
    return RedirectResponse("/records", status_code=303)
