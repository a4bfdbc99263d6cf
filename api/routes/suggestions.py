"""Suggestions a rep accepts or rejects in one click, and the organisation settings that steer them."""

from __future__ import annotations

from fastapi import Query, Request

from api.deps import DB, CurrentIdentity, get_runtime, protected, require
from api.errors import error_responses
from assistant.suggestions.schemas import AcceptIn, SuggestionOut
from assistant.suggestions.service import SuggestionService
from crm.org.settings import OrgSettings, OrgSettingsModel

router = protected(prefix="/v1", responses=error_responses(401, 403))


@router.get("/suggestions", response_model=list[SuggestionOut], tags=["suggestions"],
            dependencies=[require("records:read")])
def list_suggestions(who: CurrentIdentity, session: DB, state: str | None = "pending", kind: str | None = None,
                     email_id: int | None = None, module: str | None = None, record_id: int | None = None,
                     limit: int = Query(100, ge=1, le=500)) -> list[SuggestionOut]:
    page = SuggestionService(session).page(who, state=state, kind=kind, email_id=email_id, module=module,
                                           record_id=record_id, limit=limit)
    return [SuggestionOut.model_validate(s) for s in page.items]


@router.post("/suggestions/{suggestion_id}/accept", response_model=SuggestionOut, tags=["suggestions"],
             dependencies=[require("records:write")], responses=error_responses(404, 409, 422))
def accept(suggestion_id: int, who: CurrentIdentity, session: DB, body: AcceptIn | None = None) -> SuggestionOut:
    return SuggestionOut.model_validate(SuggestionService(session).accept(suggestion_id, who,
                                                                          body.edits if body else None))


@router.post("/suggestions/{suggestion_id}/reject", response_model=SuggestionOut, tags=["suggestions"],
             dependencies=[require("records:write")], responses=error_responses(404, 409))
def reject(suggestion_id: int, who: CurrentIdentity, session: DB) -> SuggestionOut:
    return SuggestionOut.model_validate(SuggestionService(session).reject(suggestion_id, who))


@router.get("/admin/org-settings", response_model=OrgSettingsModel, tags=["admin"], dependencies=[require("admin")])
def get_org_settings(session: DB) -> OrgSettingsModel:
    return OrgSettings(session).get()


@router.patch("/admin/org-settings", response_model=OrgSettingsModel, tags=["admin"],
              dependencies=[require("admin")], responses=error_responses(422))
def update_org_settings(body: dict, request: Request, who: CurrentIdentity, session: DB) -> OrgSettingsModel:
    updated = OrgSettings(session).update(body, by=who.user_id)
    if "priority_weights" in body:
        get_runtime(request).enqueue(session, "inbox.rescore")  # the inboxes re-order in the background
    return updated
