"""Real-time mail alerts: a Server-Sent Events stream, the list, and the quick actions."""

from __future__ import annotations

import asyncio
import json

from fastapi import Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from api.deps import DB, CurrentIdentity, get_runtime, protected, require
from api.errors import error_responses
from assistant.alerts.repository import NotificationRepository
from assistant.alerts.service import AlertService, as_event

router = protected(prefix="/v1", tags=["alerts"], responses=error_responses(401, 403))
_POLL_S = 1.0
_HEARTBEAT_S = 15.0


class ReadIn(BaseModel):
    ids: list[int]


class AlertSettings(BaseModel):
    contact_mail: bool = True
    lead_mail: bool = True


@router.get("/notifications", dependencies=[require("mail:read")])
def list_notifications(who: CurrentIdentity, session: DB, unread: bool = False) -> list[dict]:
    return [as_event(n) | {"read": n.read_at is not None}
            for n in NotificationRepository(session).recent(who.user_id, unread_only=unread)]


@router.post("/notifications/read", dependencies=[require("mail:read")])
def mark_read(body: ReadIn, who: CurrentIdentity, session: DB) -> dict:
    return {"marked": NotificationRepository(session).mark_read(who.user_id, body.ids)}


@router.post("/notifications/{notification_id}/follow-up", status_code=201,
             dependencies=[require("records:write")], responses=error_responses(404))
def follow_up(notification_id: int, who: CurrentIdentity, session: DB) -> dict:
    """Quick action: a follow-up task due tomorrow on the sender's record."""
    return {"task_id": AlertService(session).follow_up(notification_id, who)}


@router.get("/me/notification-settings", response_model=AlertSettings)
def get_settings(who: CurrentIdentity, session: DB) -> AlertSettings:
    return AlertSettings(**AlertService(session).preferences(who.user_id))


@router.put("/me/notification-settings", response_model=AlertSettings)
def put_settings(body: AlertSettings, who: CurrentIdentity, session: DB) -> AlertSettings:
    return AlertSettings(**AlertService(session).set_preferences(who.user_id, body.model_dump()))


@router.get("/notifications/stream", dependencies=[require("mail:read")],
            responses={200: {"content": {"text/event-stream": {}}}})
async def stream(request: Request, who: CurrentIdentity, since: int | None = None) -> StreamingResponse:
    """New notifications as Server-Sent Events (`event: notification`, JSON data), as they are made.

    Starts after the newest existing one (or after `since`, or the Last-Event-ID a browser resends
    when it reconnects), so nothing is shown twice and nothing is missed across reconnects."""
    runtime = get_runtime(request)
    resume = request.headers.get("last-event-id") or since

    def latest() -> int:
        with runtime.unit() as session:
            return NotificationRepository(session).latest_id(who.user_id)

    def newer(last: int) -> list[dict]:
        with runtime.unit() as session:
            return [as_event(n) for n in NotificationRepository(session).after(who.user_id, last)]

    last = int(resume) if str(resume or "").isdigit() else await asyncio.to_thread(latest)

    async def events():
        nonlocal last
        quiet = 0.0
        yield "retry: 3000\n\n"
        while not await request.is_disconnected():
            found = await asyncio.to_thread(newer, last)
            for event in found:
                last = event["id"]
                yield f"id: {last}\nevent: notification\ndata: {json.dumps(event, ensure_ascii=False)}\n\n"
            quiet = 0.0 if found else quiet + _POLL_S
            if quiet >= _HEARTBEAT_S:
                quiet = 0.0
                yield ": keep-alive\n\n"  # proxies close idle connections
            await asyncio.sleep(_POLL_S)

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
