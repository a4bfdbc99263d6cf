"""CRM records: one set of endpoints per built-in module (typed schemas), and custom modules."""

# No `from __future__ import annotations`: the per-module body models are local classes FastAPI must see.

from typing import Any

from fastapi import APIRouter, Query, Request

from api.deps import DB, CurrentIdentity, protected, require
from api.errors import error_responses
from crm.mail.timeline import timeline
from crm.records.custom import CustomModuleService
from crm.records.modules import MODULES, ModuleSpec
from crm.records.schemas import (CustomModuleIn, CustomModuleOut, GenericRecordIn, GenericRecordOut, HistoryOut,
                                 RecordPage, TimelineItem, input_model, output_model)
from crm.records.service import Change, RecordService

__all__ = ["router"]

router = protected(prefix="/v1", responses=error_responses(401, 403))
_RESERVED_QUERY = {"q", "sort", "offset", "limit"}


def _filters(request: Request) -> dict[str, Any]:
    return {k: v for k, v in request.query_params.items() if k not in _RESERVED_QUERY}


def _source(who) -> Change:
    return Change(source="api" if who.via == "api_key" else "ui")


def _module_routes(spec: ModuleSpec) -> APIRouter:
    In, Out = input_model(spec), output_model(spec)
    sub = APIRouter(prefix=f"/{spec.name}", tags=[f"records: {spec.name}"])
    read, write = require("records:read"), require("records:write")

    @sub.get("", response_model=RecordPage, dependencies=[read], responses=error_responses(422),
             summary=f"List {spec.label.lower()}",
             description="Filter with `?field=value` on any field, search text fields with `q`, "
                         "sort with `sort=field` or `sort=-field`.")
    def list_records(request: Request, who: CurrentIdentity, session: DB, q: str | None = None,
                     sort: str | None = None, offset: int = Query(0, ge=0), limit: int = Query(50, ge=1, le=500)):
        service = RecordService(session, who, spec.name)
        page = service.list(filters=_filters(request), sort=sort, q=q, offset=offset, limit=limit)
        return RecordPage(items=[service.values(r) for r in page.items], total=page.total, offset=page.offset,
                          limit=page.limit)

    @sub.post("", response_model=Out, status_code=201, dependencies=[write], responses=error_responses(422))
    def create_record(body: In, who: CurrentIdentity, session: DB):  # type: ignore[valid-type]
        service = RecordService(session, who, spec.name)
        return service.values(service.create(body.model_dump(exclude_unset=True), _source(who)))

    @sub.get("/{record_id}", response_model=Out, dependencies=[read], responses=error_responses(404))
    def get_record(record_id: int, who: CurrentIdentity, session: DB):
        service = RecordService(session, who, spec.name)
        return service.values(service.get(record_id))

    @sub.patch("/{record_id}", response_model=Out, dependencies=[write], responses=error_responses(404, 422))
    def update_record(record_id: int, body: In, who: CurrentIdentity, session: DB):  # type: ignore[valid-type]
        service = RecordService(session, who, spec.name)
        return service.values(service.update(record_id, body.model_dump(exclude_unset=True), _source(who)))

    @sub.delete("/{record_id}", status_code=204, dependencies=[write], responses=error_responses(404))
    def delete_record(record_id: int, who: CurrentIdentity, session: DB) -> None:
        RecordService(session, who, spec.name).delete(record_id, _source(who))

    @sub.get("/{record_id}/history", response_model=list[HistoryOut], dependencies=[read],
             responses=error_responses(404))
    def record_history(record_id: int, who: CurrentIdentity, session: DB):
        return [HistoryOut.model_validate(h) for h in RecordService(session, who, spec.name).history(record_id)]

    @sub.get("/{record_id}/timeline", response_model=list[TimelineItem], dependencies=[read, require("mail:read")],
             responses=error_responses(404))
    def record_timeline(record_id: int, who: CurrentIdentity, session: DB):
        RecordService(session, who, spec.name).get(record_id)
        return timeline(session, who, spec.name, record_id)

    return sub


for _spec in MODULES.values():
    router.include_router(_module_routes(_spec))


# --- custom modules -------------------------------------------------------------------------------
@router.get("/custom-modules", response_model=list[CustomModuleOut], tags=["custom modules"],
            dependencies=[require("records:read")])
def list_custom_modules(session: DB):
    return [CustomModuleOut.model_validate(m) for m in CustomModuleService(session).list()]


@router.post("/custom-modules", response_model=CustomModuleOut, status_code=201, tags=["custom modules"],
             dependencies=[require("admin")], responses=error_responses(409, 422))
def create_custom_module(body: CustomModuleIn, session: DB):
    module = CustomModuleService(session).create(body.name, body.label, [f.model_dump() for f in body.fields],
                                                 body.title_field)
    return CustomModuleOut.model_validate(module)


@router.delete("/custom-modules/{name}", status_code=204, tags=["custom modules"],
               dependencies=[require("admin")], responses=error_responses(404))
def delete_custom_module(name: str, session: DB) -> None:
    CustomModuleService(session).delete(name)


@router.get("/custom/{module}", response_model=RecordPage, tags=["custom modules"],
            dependencies=[require("records:read")], responses=error_responses(404, 422))
def list_custom(module: str, request: Request, who: CurrentIdentity, session: DB, q: str | None = None,
                sort: str | None = None, offset: int = Query(0, ge=0), limit: int = Query(50, ge=1, le=500)):
    service = RecordService(session, who, module)
    page = service.list(filters=_filters(request), sort=sort, q=q, offset=offset, limit=limit)
    return RecordPage(items=[service.values(r) for r in page.items], total=page.total, offset=page.offset,
                      limit=page.limit)


@router.post("/custom/{module}", response_model=GenericRecordOut, status_code=201, tags=["custom modules"],
             dependencies=[require("records:write")], responses=error_responses(404, 422))
def create_custom(module: str, body: GenericRecordIn, who: CurrentIdentity, session: DB):
    service = RecordService(session, who, module)
    return service.values(service.create(body.model_dump(exclude_unset=True), _source(who)))


@router.get("/custom/{module}/{record_id}", response_model=GenericRecordOut, tags=["custom modules"],
            dependencies=[require("records:read")], responses=error_responses(404))
def get_custom(module: str, record_id: int, who: CurrentIdentity, session: DB):
    service = RecordService(session, who, module)
    return service.values(service.get(record_id))


@router.patch("/custom/{module}/{record_id}", response_model=GenericRecordOut, tags=["custom modules"],
              dependencies=[require("records:write")], responses=error_responses(404, 422))
def update_custom(module: str, record_id: int, body: GenericRecordIn, who: CurrentIdentity, session: DB):
    service = RecordService(session, who, module)
    return service.values(service.update(record_id, body.model_dump(exclude_unset=True), _source(who)))


@router.delete("/custom/{module}/{record_id}", status_code=204, tags=["custom modules"],
               dependencies=[require("records:write")], responses=error_responses(404))
def delete_custom(module: str, record_id: int, who: CurrentIdentity, session: DB) -> None:
    RecordService(session, who, module).delete(record_id, _source(who))
