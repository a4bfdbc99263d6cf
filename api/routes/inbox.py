"""The rep's prioritised inbox, corrections as feedback, and the admin's preview of tuned weights."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import Query
from pydantic import BaseModel, ValidationError

from api.deps import DB, CurrentIdentity, protected, require
from api.errors import error_responses
from assistant.errors import BadInput
from assistant.inbox.service import InboxService
from assistant.priority.score import DEFAULT_WEIGHTS
from assistant.priority.service import preview
from crm.org.settings import OrgSettings, OrgSettingsModel

router = protected(prefix="/v1", responses=error_responses(401, 403))


class Reason(BaseModel):
    reason: str
    points: float


class InboxItem(BaseModel):
    id: int
    subject: str | None
    from_name: str | None
    from_addr: str | None
    company: str | None
    date: str | None
    summary: str | None
    intents: list[dict[str, Any]]
    emotion: dict[str, Any] | None
    deadline: str | None
    priority: int | None
    reasons: list[Reason]
    folder: str | None
    needs_reply: bool
    analysis_state: str


class InboxPage(BaseModel):
    items: list[InboxItem]
    total: int
    offset: int
    limit: int
    folder: str | None
    counts: dict[str, int]


class FeedbackIn(BaseModel):
    target: Literal["priority", "intent", "emotion", "sentiment"]
    corrected: Any


class FeedbackOut(BaseModel):
    id: int
    email_id: int
    target: str
    predicted: Any
    corrected: Any


class WeightsIn(BaseModel):
    weights: dict[str, float]


@router.get("/inbox", response_model=InboxPage, tags=["inbox"], dependencies=[require("mail:read")],
            responses=error_responses(422))
def inbox(who: CurrentIdentity, session: DB,
          folder: Literal["closing", "deals", "customers", "prospects", "others", "needs_reply"] | None = None,
          offset: int = Query(0, ge=0), limit: int = Query(50, ge=1, le=200)) -> dict:
    """Your received mail, highest priority first, each with the reasons for its score."""
    return InboxService(session, who).page(folder, offset=offset, limit=limit)


@router.post("/emails/{email_id}/feedback", response_model=FeedbackOut, status_code=201, tags=["inbox"],
             dependencies=[require("mail:read")], responses=error_responses(404, 422))
def feedback(email_id: int, body: FeedbackIn, who: CurrentIdentity, session: DB) -> FeedbackOut:
    """Correct a label or the priority (`{"target": "priority", "corrected": "not_important"}`)."""
    entry = InboxService(session, who).feedback(email_id, body.target, body.corrected)
    return FeedbackOut(id=entry.id, email_id=entry.email_id, target=entry.target, predicted=entry.predicted,
                       corrected=entry.corrected)


@router.get("/admin/priority-weights", tags=["admin"], dependencies=[require("admin")])
def weights(session: DB) -> dict[str, dict[str, float]]:
    """The defaults and the organisation's overrides."""
    return {"defaults": DEFAULT_WEIGHTS, "overrides": OrgSettings(session).get().priority_weights}


@router.post("/admin/priority-weights/preview", tags=["admin"], dependencies=[require("admin")],
             responses=error_responses(422))
def preview_weights(body: WeightsIn, who: CurrentIdentity, session: DB) -> list[dict[str, Any]]:
    """How your inbox would re-order with these weights (nothing is saved; PATCH org-settings saves)."""
    try:
        valid = OrgSettingsModel(priority_weights=body.weights).priority_weights
    except ValidationError as exc:
        raise BadInput(f"weights: {exc.errors()[0].get('msg')}", code="bad_setting") from None
    return preview(session, who.user_id, valid)
