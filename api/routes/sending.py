"""Sending mail: compose into the outbox, the outbox, compose settings, the relay, from-addresses."""

from __future__ import annotations

import base64
import binascii

from fastapi import Header, Query, Request, Response
from pydantic import BaseModel

from api.deps import DB, CurrentIdentity, get_runtime, protected, require
from api.errors import error_responses
from assistant.errors import BadInput, NotFound
from mailio.compose.headers import parse_mailbox
from mailio.compose.message import AttachmentData, Draft, build_message
from mailio.smtp.addresses import FromAddressService, WrongCode
from mailio.smtp.client import Envelope, deliver_sync
from mailio.smtp.jobs import CODE_JOB
from mailio.smtp.preferences import ComposeSettingsService
from mailio.smtp.relay import RelayChange, RelayService
from mailio.smtp.repository import OutboxRepository
from mailio.smtp.schemas import (ComposeSettingsIn, ComposeSettingsIO, FromAddressIn, FromAddressOut, OutboxOut,
                                 OutboxPage, RecipientIn, RelayIn, RelayOut, RelayTestIn, RelayTestOut, SendIn,
                                 VerifyIn)
from mailio.smtp.sending import ComposeRequest, Recipient, SendService

__all__ = ["router", "compose_request"]

router = protected(prefix="/v1", tags=["sending"], responses=error_responses(401, 403))


def _recipients(items: list[str | RecipientIn]) -> list[Recipient]:
    return [Recipient(i, "") if isinstance(i, str) else Recipient(i.address, i.name) for i in items]


def _attachments(body: SendIn) -> list[AttachmentData]:
    out = []
    for i, item in enumerate(body.attachments):
        try:
            data = base64.b64decode(item.content_b64, validate=True)
        except (binascii.Error, ValueError):
            raise BadInput(f"field 'attachments[{i}].content_b64' is not base64", code="bad_base64",
                           details={"field": f"attachments[{i}].content_b64"}) from None
        out.append(AttachmentData(item.filename, item.content_type, data))
    return out


def compose_request(body: SendIn, key: str | None = None) -> ComposeRequest:
    return ComposeRequest(
        to=_recipients(body.to), cc=_recipients(body.cc), bcc=_recipients(body.bcc), subject=body.subject,
        text=body.text, html=body.html, attachments=_attachments(body), reply_to_email_id=body.reply_to_email_id,
        reply_all=body.reply_all, forward_email_id=body.forward_email_id, sender=body.from_,
        sender_name=body.from_name, send_at=body.send_at, idempotency_key=body.idempotency_key or key,
        signature=body.signature, quote=body.quote)


# --- sending ----------------------------------------------------------------------------------------
@router.post("/send", response_model=OutboxOut, status_code=202, dependencies=[require("mail:send")],
             responses={**error_responses(404, 409, 413, 422), 200: {"model": OutboxOut,
                                                                      "description": "A repeat of a key"}})
def send(body: SendIn, request: Request, response: Response, who: CurrentIdentity, session: DB,
         idempotency_key: str | None = Header(None, max_length=150)) -> OutboxOut:
    """Queue a mail (now, or at ``send_at``). Header injection in any field is refused with 422."""
    row, created = SendService(get_runtime(request), session, who).submit(compose_request(body, idempotency_key))
    if not created:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    return OutboxOut.of(row)


@router.get("/outbox", response_model=OutboxPage, dependencies=[require("mail:read")],
            responses=error_responses(422))
def outbox(who: CurrentIdentity, session: DB, state: str | None = None, offset: int = Query(0, ge=0),
           limit: int = Query(50, ge=1, le=500)) -> OutboxPage:
    repo = OutboxRepository(session)
    page = repo.page(repo.for_owner(who.user_id), sort="-id", filters={"state": state}, offset=offset, limit=limit)
    return OutboxPage(items=[OutboxOut.of(r) for r in page.items], total=page.total, offset=page.offset,
                      limit=page.limit)


@router.get("/outbox/{outbox_id}", response_model=OutboxOut, dependencies=[require("mail:read")],
            responses=error_responses(404))
def outbox_item(outbox_id: int, who: CurrentIdentity, session: DB) -> OutboxOut:
    row = OutboxRepository(session).get(outbox_id)
    if row is None or row.owner_id != who.user_id:
        raise NotFound(f"outbox item {outbox_id} not found")
    return OutboxOut.of(row)


# --- compose settings -------------------------------------------------------------------------------
@router.get("/me/compose-settings", response_model=ComposeSettingsIO)
def get_compose_settings(request: Request, who: CurrentIdentity, session: DB) -> ComposeSettingsIO:
    found = ComposeSettingsService(session, get_runtime(request).settings, who).get()
    return ComposeSettingsIO(default_from=found.default_from, signature=found.signature, font=found.font)


@router.put("/me/compose-settings", response_model=ComposeSettingsIO, responses=error_responses(422))
def put_compose_settings(body: ComposeSettingsIn, request: Request, who: CurrentIdentity,
                         session: DB) -> ComposeSettingsIO:
    found = ComposeSettingsService(session, get_runtime(request).settings, who).put(
        default_from=body.default_from, signature=body.signature, font=body.font)
    return ComposeSettingsIO(default_from=found.default_from, signature=found.signature, font=found.font)


# --- the relay (admins) -----------------------------------------------------------------------------
@router.get("/admin/smtp-relay", response_model=RelayOut | None, dependencies=[require("admin")])
def get_relay(request: Request, session: DB) -> RelayOut | None:
    relay = RelayService(session, get_runtime(request).settings).get()
    return RelayOut.of(relay) if relay else None


@router.put("/admin/smtp-relay", response_model=RelayOut, dependencies=[require("admin")],
            responses=error_responses(422))
def put_relay(body: RelayIn, request: Request, session: DB) -> RelayOut:
    relay = RelayService(session, get_runtime(request).settings).put(RelayChange(
        host=body.host, port=body.port, security=body.security, username=body.username, password=body.password,
        enabled=body.enabled))
    return RelayOut.of(relay)


def send_test_mail(runtime, session, who, to: str) -> RelayTestOut:
    """A short mail through the saved relay, answered at once with the relay's reply."""
    config = RelayService(session, runtime.settings).config(timeout_s=15.0)
    sender = FromAddressService(session, runtime.settings).senders(who)[0]
    built = build_message(Draft(sender=sender, to=[parse_mailbox("to", to)], subject="mailassist relay test",
                                text="This is a test mail from mailassist: the SMTP relay works.\n"),
                          max_bytes=runtime.settings.max_message_bytes)
    outcome = deliver_sync(config, [Envelope(built.mail_from, built.recipients, built.raw)])[0]
    return RelayTestOut(ok=outcome.status == "sent", reply=outcome.reply)


@router.post("/admin/smtp-relay/test", response_model=RelayTestOut, dependencies=[require("admin")],
             responses=error_responses(409, 422))
def test_relay(body: RelayTestIn, request: Request, who: CurrentIdentity, session: DB) -> RelayTestOut:
    return send_test_mail(get_runtime(request), session, who, body.to)


# --- from-addresses ---------------------------------------------------------------------------------
@router.get("/from-addresses", response_model=list[FromAddressOut])
def list_from_addresses(request: Request, who: CurrentIdentity, session: DB) -> list[FromAddressOut]:
    rows = FromAddressService(session, get_runtime(request).settings).listed(who)
    return [FromAddressOut.of(r) for r in rows]


@router.post("/from-addresses", response_model=FromAddressOut, status_code=201,
             responses=error_responses(409, 422))
def add_from_address(body: FromAddressIn, request: Request, who: CurrentIdentity, session: DB) -> FromAddressOut:
    """Add an address; a code is mailed to it through the relay, to be entered with /verify."""
    runtime = get_runtime(request)
    row = FromAddressService(session, runtime.settings).add(who, body.address, display_name=body.display_name,
                                                            scope=body.scope)
    runtime.enqueue(session, CODE_JOB, row.id, owner_id=who.user_id)
    return FromAddressOut.of(row)


@router.post("/from-addresses/{address_id}/verify", response_model=FromAddressOut,
             responses=error_responses(404, 422))
def verify_from_address(address_id: int, body: VerifyIn, request: Request, who: CurrentIdentity,
                        session: DB) -> FromAddressOut:
    try:
        row = FromAddressService(session, get_runtime(request).settings).verify(who, address_id, body.code)
    except WrongCode:
        session.commit()  # the error rolls the request back, but the wrong try must count
        raise
    return FromAddressOut.of(row)


class ResendOut(BaseModel):
    queued: bool


@router.post("/from-addresses/{address_id}/resend", response_model=ResendOut, status_code=202,
             responses=error_responses(404, 409))
def resend_code(address_id: int, request: Request, who: CurrentIdentity, session: DB) -> ResendOut:
    runtime = get_runtime(request)
    row = FromAddressService(session, runtime.settings).can_resend(who, address_id)
    runtime.enqueue(session, CODE_JOB, row.id, owner_id=who.user_id)
    return ResendOut(queued=True)


@router.delete("/from-addresses/{address_id}", status_code=204, responses=error_responses(404))
def delete_from_address(address_id: int, request: Request, who: CurrentIdentity, session: DB) -> Response:
    FromAddressService(session, get_runtime(request).settings).delete(who, address_id)
    return Response(status_code=204)
