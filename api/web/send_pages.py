"""Pages for sending: compose (new, reply, forward), the outbox, mail settings, and the admin's relay
and org-wide from-addresses. They call the same services as /v1; forms carry the CSRF token.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.datastructures import UploadFile

from api.deps import DB, CurrentIdentity, csrf_token, get_runtime, protected
from api.routes.sending import send_test_mail
from assistant.errors import BadInput, Forbidden, MailassistError, TooLarge
from crm.users.service import Identity
from mailio.compose.headers import split_mailboxes
from mailio.compose.message import AttachmentData
from mailio.ingest.dropbox import CREATES, DropboxService
from mailio.smtp.addresses import FromAddressService, WrongCode
from mailio.smtp.jobs import CODE_JOB
from mailio.smtp.preferences import ComposeSettingsService
from mailio.smtp.relay import RelayChange, RelayService
from mailio.smtp.repository import OutboxRepository
from mailio.smtp.schemas import OutboxOut
from mailio.smtp.sending import ComposeRequest, Recipient, SendService

__all__ = ["pages"]

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
pages = protected(include_in_schema=False)
_FLASH = "mail_flash"
_BACK = ("/settings/mail", "/admin/mail")


def _render(request: Request, name: str, who: Identity, *, status_code: int = 200, **context) -> HTMLResponse:
    flash = request.session.pop(_FLASH, None)
    return templates.TemplateResponse(request, name, {"who": who, "csrf": csrf_token(request), "flash": flash,
                                                      **context}, status_code=status_code)


def _done(request: Request, target: str, message: str) -> RedirectResponse:
    request.session[_FLASH] = message
    return RedirectResponse(target, status_code=303)


def _back(target: str) -> str:
    return target if target in _BACK else "/settings/mail"


def _need(who: Identity, scope: str) -> None:
    if not who.has(scope):
        raise Forbidden(f"this needs the '{scope}' scope", code="missing_scope", details={"scope": scope})


# --- compose ----------------------------------------------------------------------------------------
def _compose_page(request: Request, who: Identity, session, form: dict, *, error: MailassistError | None = None):
    runtime = get_runtime(request)
    senders = FromAddressService(session, runtime.settings).senders(who)
    default_from = ComposeSettingsService(session, runtime.settings, who).get().default_from
    return _render(request, "compose.html", who, form=form, senders=senders,
                   default_from=form.get("from") or default_from,
                   error=error.message if error else None,
                   error_field=(error.details or {}).get("field") if error else None,
                   status_code=error.status if error else 200)


@pages.get("/compose")
def compose(request: Request, who: CurrentIdentity, session: DB, reply_to: int | None = None,
            forward: int | None = None, all: bool = False):
    _need(who, "mail:send")
    form: dict = {"idempotency_key": uuid.uuid4().hex, "reply_to": reply_to or "", "forward": forward or "",
                  "reply_all": "1" if all else ""}
    service = SendService(get_runtime(request), session, who)
    if reply_to is not None:
        to, cc, subject = service.reply_defaults(reply_to, reply_all=all)
        form.update(to=", ".join(_show(b) for b in to), cc=", ".join(_show(b) for b in cc), subject=subject)
    elif forward is not None:
        form.update(subject=service.forward_subject(forward))
    return _compose_page(request, who, session, form)


def _show(box) -> str:
    return f'"{box.name}" <{box.address}>' if box.name else box.address


def _recipients(field: str, value: str) -> list[Recipient]:
    return [Recipient(b.address, b.name) for b in split_mailboxes(field, value)] if value.strip() else []


@pages.post("/compose")
async def compose_send(request: Request, who: CurrentIdentity, session: DB):
    _need(who, "mail:send")
    data = await request.form()
    form = {k: v for k, v in data.items() if isinstance(v, str) and k != "csrf_token"}
    runtime = get_runtime(request)
    try:
        attachments, total = [], 0
        for upload in data.getlist("attachments"):
            if not isinstance(upload, UploadFile) or not upload.filename:
                continue
            content = await upload.read()
            total += len(content)
            if total > runtime.settings.max_message_bytes:
                raise TooLarge(f"attachments may have at most {runtime.settings.max_message_bytes} bytes in all")
            attachments.append(AttachmentData(upload.filename, upload.content_type or "application/octet-stream",
                                              content))
        send_at = None
        if form.get("send_at", "").strip():
            try:
                send_at = datetime.fromisoformat(form["send_at"].strip())
            except ValueError:
                raise BadInput("send at: not a date and time", code="bad_send_at",
                               details={"field": "send_at"}) from None
        html = form.get("html", "")
        request_ = ComposeRequest(
            to=_recipients("to", form.get("to", "")), cc=_recipients("cc", form.get("cc", "")),
            bcc=_recipients("bcc", form.get("bcc", "")), subject=form.get("subject", ""),
            text=form.get("body", ""), html=html if html.strip() else None, attachments=attachments,
            reply_to_email_id=int(form["reply_to"]) if form.get("reply_to", "").isdigit() else None,
            forward_email_id=int(form["forward"]) if form.get("forward", "").isdigit() else None,
            reply_all=form.get("reply_all") == "1", sender=form.get("from") or None, send_at=send_at,
            idempotency_key=form.get("idempotency_key") or None)
        row, _ = SendService(runtime, session, who).submit(request_)
    except MailassistError as exc:
        session.rollback()
        return _compose_page(request, who, session, form, error=exc)
    when = "at " + row.send_at.strftime("%Y-%m-%d %H:%M UTC") if row.send_at and row.state == "queued" else "now"
    return _done(request, f"/outbox#outbox-{row.id}", f"Your mail is queued and will be sent {when}.")


@pages.get("/outbox")
def outbox_page(request: Request, who: CurrentIdentity, session: DB, offset: int = 0):
    _need(who, "mail:read")
    repo = OutboxRepository(session)
    page = repo.page(repo.for_owner(who.user_id), sort="-id", offset=max(0, offset), limit=50)
    items = [OutboxOut.of(r) for r in page.items]
    busy = any(i.state in ("queued", "sending") for i in items)
    return _render(request, "compose_outbox.html", who, items=items, total=page.total, offset=page.offset,
                   busy=busy)


# --- the user's mail settings -----------------------------------------------------------------------
def _settings_page(request: Request, who: Identity, session, *, error: str | None = None, status_code: int = 200):
    runtime = get_runtime(request)
    addresses = FromAddressService(session, runtime.settings)
    dropbox = DropboxService(session, runtime.settings, who)
    return _render(request, "settings_mail.html", who, compose=ComposeSettingsService(session, runtime.settings,
                                                                                    who).get(),
                   senders=addresses.senders(who),
                   own=[a for a in addresses.listed(who) if a.scope == "user" and a.owner_id == who.user_id],
                   dropbox=dropbox.address(), creates=dropbox.creates(), creates_choices=CREATES, error=error,
                   status_code=status_code)


@pages.get("/settings/mail")
def mail_settings(request: Request, who: CurrentIdentity, session: DB):
    return _settings_page(request, who, session)


@pages.post("/settings/mail/compose")
def mail_settings_compose(request: Request, who: CurrentIdentity, session: DB, default_from: str = Form(""),
                          signature: str = Form(""), font: str = Form("")):
    try:
        ComposeSettingsService(session, get_runtime(request).settings, who).put(
            default_from=default_from, signature=signature, font=font)
    except MailassistError as exc:
        session.rollback()
        return _settings_page(request, who, session, error=exc.message, status_code=exc.status)
    return _done(request, "/settings/mail", "Compose settings saved.")


@pages.post("/settings/mail/dropbox")
def mail_settings_dropbox(request: Request, who: CurrentIdentity, session: DB, creates: str = Form(...)):
    try:
        DropboxService(session, get_runtime(request).settings, who).set_creates(creates)
    except MailassistError as exc:
        session.rollback()
        return _settings_page(request, who, session, error=exc.message, status_code=exc.status)
    return _done(request, "/settings/mail#dropbox", "Dropbox setting saved.")


@pages.post("/settings/mail/dropbox/regenerate")
def mail_settings_dropbox_regenerate(request: Request, who: CurrentIdentity, session: DB):
    DropboxService(session, get_runtime(request).settings, who).regenerate()
    return _done(request, "/settings/mail#dropbox",
                 "A new dropbox address was made; mail to the old one is now refused. Update your contacts.")


# --- from-addresses (a user's own, and the admin's org-wide ones) ------------------------------------
@pages.post("/settings/mail/from-addresses")
def from_address_add(request: Request, who: CurrentIdentity, session: DB, address: str = Form(...),
                     display_name: str = Form(""), scope: str = Form("user")):
    runtime = get_runtime(request)
    back = "/admin/mail" if scope == "org" else "/settings/mail"
    try:
        row = FromAddressService(session, runtime.settings).add(who, address, display_name=display_name,
                                                                scope=scope)
    except MailassistError as exc:
        session.rollback()
        if scope == "org":
            return _admin_page(request, who, session, error=exc.message, status_code=exc.status)
        return _settings_page(request, who, session, error=exc.message, status_code=exc.status)
    runtime.enqueue(session, CODE_JOB, row.id, owner_id=who.user_id)
    return _done(request, back, f"A 6-digit code is on its way to {row.address}; enter it here to verify.")


@pages.post("/settings/mail/from-addresses/{address_id}/verify")
def from_address_verify(request: Request, address_id: int, who: CurrentIdentity, session: DB,
                        code: str = Form(""), back: str = Form("/settings/mail")):
    try:
        row = FromAddressService(session, get_runtime(request).settings).verify(who, address_id, code)
    except WrongCode as exc:
        session.commit()  # the wrong try must count even though the page shows an error
        return _done(request, _back(back), f"That code is wrong: {exc.message}.")
    except MailassistError as exc:
        session.rollback()
        return _done(request, _back(back), exc.message)
    return _done(request, _back(back), f"{row.address} is verified and can be used as a from-address.")


@pages.post("/settings/mail/from-addresses/{address_id}/resend")
def from_address_resend(request: Request, address_id: int, who: CurrentIdentity, session: DB,
                        back: str = Form("/settings/mail")):
    runtime = get_runtime(request)
    row = FromAddressService(session, runtime.settings).can_resend(who, address_id)
    runtime.enqueue(session, CODE_JOB, row.id, owner_id=who.user_id)
    return _done(request, _back(back), f"A new code is on its way to {row.address}.")


@pages.post("/settings/mail/from-addresses/{address_id}/delete")
def from_address_delete(request: Request, address_id: int, who: CurrentIdentity, session: DB,
                        back: str = Form("/settings/mail")):
    FromAddressService(session, get_runtime(request).settings).delete(who, address_id)
    return _done(request, _back(back), "From-address removed.")


# --- the admin's relay and org-wide addresses --------------------------------------------------------
def _admin_page(request: Request, who: Identity, session, *, error: str | None = None, test: dict | None = None,
                status_code: int = 200):
    _need(who, "admin")
    runtime = get_runtime(request)
    org = [a for a in FromAddressService(session, runtime.settings).listed(who) if a.scope == "org"]
    return _render(request, "settings_mail_admin.html", who, relay=RelayService(session, runtime.settings).get(),
                   org=org, error=error, test=test, status_code=status_code)


@pages.get("/admin/mail")
def admin_mail(request: Request, who: CurrentIdentity, session: DB):
    return _admin_page(request, who, session)


@pages.post("/admin/mail/relay")
def admin_mail_relay(request: Request, who: CurrentIdentity, session: DB, host: str = Form(...),
                     port: int = Form(587), security: str = Form("starttls"), username: str = Form(""),
                     password: str = Form(""), clear_password: str = Form(""), enabled: str = Form("")):
    _need(who, "admin")
    # An empty password field keeps the stored one: the page never shows it, so it cannot be re-sent.
    change = RelayChange(host=host, port=port, security=security, username=username or None,
                         password="" if clear_password else (password or None), enabled=bool(enabled))
    try:
        RelayService(session, get_runtime(request).settings).put(change)
    except MailassistError as exc:
        session.rollback()
        return _admin_page(request, who, session, error=exc.message, status_code=exc.status)
    return _done(request, "/admin/mail", "Relay saved.")


@pages.post("/admin/mail/relay/test")
def admin_mail_relay_test(request: Request, who: CurrentIdentity, session: DB, to: str = Form(...)):
    _need(who, "admin")
    try:
        result = send_test_mail(get_runtime(request), session, who, to)
    except MailassistError as exc:
        return _admin_page(request, who, session, error=exc.message, status_code=exc.status)
    return _admin_page(request, who, session, test={"ok": result.ok, "reply": result.reply, "to": to})


