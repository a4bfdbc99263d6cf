"""Mailbox pages: the list with sync state and progress, adding one (connect, then pick folders), sync now.

Adding is two steps so the password never travels back to the browser: the connection is tested and
the mailbox saved (disabled) when the server accepts it; then the user picks folders from the server's
list, which enables it and starts the first sync.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from api.deps import DB, CurrentIdentity, csrf_token, get_runtime, protected
from assistant.errors import Forbidden
from mailio.mailboxes.errors import MailServerError
from mailio.mailboxes.schemas import MailboxIn, MailboxUpdate
from api.ratelimit import limit
from assistant.errors import RateLimited
from mailio.mailboxes.service import SYNC_JOB, MailboxService, account_of, check_connection

__all__ = ["pages"]

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
pages = protected(include_in_schema=False)
_ACTIVE_JOB = ("queued", "running", "retrying")


def _render(request: Request, name: str, who, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"who": who, "csrf": csrf_token(request),
                                                      "active": "mailboxes", **context})


def _service(request: Request, who, session) -> MailboxService:
    if not who.has("mail:read"):
        raise Forbidden("this needs the 'mail:read' scope", code="missing_scope")
    return MailboxService(session, get_runtime(request).settings)


def _list(request: Request, who, session, *, error: str | None = None,
          form: dict | None = None) -> HTMLResponse:
    service = _service(request, who, session)
    boxes = service.visible(who)
    runs = service.mailboxes.latest_runs(boxes, SYNC_JOB)
    statuses = {b.id: service.status(who, b.id) for b in boxes}
    busy = any(b.state == "syncing" or (b.id in runs and runs[b.id].state in _ACTIVE_JOB) for b in boxes)
    return _render(request, "mailboxes.html", who, mailboxes=boxes, runs=runs, statuses=statuses, busy=busy,
                   error=error, form=form or {})


@pages.get("/mailboxes")
def mailboxes_page(request: Request, who: CurrentIdentity, session: DB):
    return _list(request, who, session)


@pages.post("/mailboxes")
def mailbox_add(request: Request, who: CurrentIdentity, session: DB, kind: str = Form("imap"),
                host: str = Form(...), port: str = Form(""), security: str = Form("ssl"),
                username: str = Form(...), password: str = Form(...), name: str = Form(""),
                leave_on_server: bool = Form(False)):
    service = _service(request, who, session)
    # Everything but the password goes back into the form when something is wrong.
    form = {"kind": kind, "host": host, "port": port, "security": security, "username": username,
            "name": name}
    try:
        data = MailboxIn(kind=kind, host=host, port=int(port) if port.strip() else None, security=security,
                         username=username, password=password, name=name, leave_on_server=leave_on_server,
                         enabled=kind == "pop3")  # IMAP: enabled once folders are chosen
    except (ValidationError, ValueError) as exc:
        problems = exc.errors() if isinstance(exc, ValidationError) else [{"loc": ["port"], "msg": str(exc)}]
        detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in problems)
        return _list(request, who, session, error=f"Please check the settings ({detail}).", form=form)
    try:
        limit(request, "mailbox-test", str(who.user_id), calls=10, per_seconds=60)
    except RateLimited as exc:
        return _list(request, who, session, error=exc.message, form=form)
    result = check_connection(account_of(data))
    if not result.ok:
        return _list(request, who, session, error=f"Could not connect: {result.error}", form=form)
    mailbox = service.create(who, data)
    if mailbox.kind == "pop3":
        service.start_sync(get_runtime(request), who, mailbox.id)
        return RedirectResponse("/mailboxes", status_code=303)
    return RedirectResponse(f"/mailboxes/{mailbox.id}/folders", status_code=303)


@pages.get("/mailboxes/{mailbox_id}/folders")
def mailbox_folders(request: Request, mailbox_id: int, who: CurrentIdentity, session: DB):
    service = _service(request, who, session)
    mailbox = service.get(who, mailbox_id)
    try:
        folders, error = service.server_folders(who, mailbox_id), None
    except MailServerError as exc:
        folders, error = [], exc.message
    sent = mailbox.sent_folder or next((f.name for f in folders if "\\Sent" in f.flags), None)
    return _render(request, "mailbox_folders.html", who, mailbox=mailbox, folders=folders, sent=sent,
                   error=error)


@pages.post("/mailboxes/{mailbox_id}/folders")
def mailbox_folders_save(request: Request, mailbox_id: int, who: CurrentIdentity, session: DB,
                         folders: Annotated[list[str] | None, Form()] = None, sent_folder: str = Form("")):
    service = _service(request, who, session)
    if not folders:
        mailbox = service.get(who, mailbox_id)
        return _render(request, "mailbox_folders.html", who, mailbox=mailbox,
                       folders=service.server_folders(who, mailbox_id), sent=sent_folder or None,
                       error="Choose at least one folder.")
    chosen = MailboxUpdate(folders=folders, sent_folder=sent_folder or None, enabled=True)
    service.update(who, mailbox_id, chosen)
    service.start_sync(get_runtime(request), who, mailbox_id)
    return RedirectResponse("/mailboxes", status_code=303)


@pages.post("/mailboxes/{mailbox_id}/sync")
def mailbox_sync(request: Request, mailbox_id: int, who: CurrentIdentity, session: DB):
    _service(request, who, session).start_sync(get_runtime(request), who, mailbox_id)
    return RedirectResponse("/mailboxes", status_code=303)


@pages.post("/mailboxes/{mailbox_id}/enabled")
def mailbox_enable(request: Request, mailbox_id: int, who: CurrentIdentity, session: DB,
                   enabled: bool = Form(...)):
    _service(request, who, session).update(who, mailbox_id, MailboxUpdate(enabled=enabled))
    return RedirectResponse("/mailboxes", status_code=303)


@pages.post("/mailboxes/{mailbox_id}/delete")
def mailbox_delete(request: Request, mailbox_id: int, who: CurrentIdentity, session: DB):
    _service(request, who, session).delete(who, mailbox_id)
    return RedirectResponse("/mailboxes", status_code=303)
