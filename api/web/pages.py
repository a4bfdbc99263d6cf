"""Server-rendered pages: sign-in, inbox, a mail, jobs, account and admin.

Pages call the same services as the /v1 API; forms post back here with a CSRF token.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlparse

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from api.deps import DB, SESSION_USER, CurrentIdentity, csrf_token, get_runtime, protected
from api.routes import mail as mail_api
from api.web.render import display_body
from assistant.errors import BadInput, Forbidden, MailassistError
from assistant.inbox.service import FOLDER_TITLES, InboxService, zone_blocks
from assistant.alerts.service import AlertService
from assistant.priority.repository import PriorityRepository
from assistant.threads.service import ThreadSummaryService
from assistant.priority.score import DEFAULT_WEIGHTS
from assistant.priority.service import preview
from nlp.classify.labels import EMOTIONS, INTENTS
from assistant.jobs.runs import JobRunRepository
from assistant.settings import masked_settings
from crm.mail.repository import AttachmentRepository, LinkRepository
from crm.mail.sharing import MailReader, SharingService
from assistant.suggestions.service import SuggestionService
from crm.org.settings import OrgSettings
from crm.records.custom import CustomModuleService
from crm.records.service import RecordService, record_title
from crm.users.service import SCOPES, UserService

__all__ = ["public", "pages", "templates"]

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
public = APIRouter(include_in_schema=False)
pages = protected(include_in_schema=False)


def _failures(request: Request) -> dict[str, tuple[int, float]]:
    """Failed sign-ins per email: a few tries, then a pause that grows (kept per app process)."""
    state = request.app.state
    if not hasattr(state, "login_failures"):
        state.login_failures = {}
    return state.login_failures


def _render(request: Request, name: str, who=None, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, name, {"who": who, "csrf": csrf_token(request), **context})


def _safe_next(target: str | None) -> str:
    parsed = urlparse(target or "/")
    # Only local paths: an open redirect after sign-in is a phishing tool.
    if parsed.scheme or parsed.netloc or not (target or "/").startswith("/") or (target or "").startswith("//"):
        return "/"
    return target or "/"


@public.get("/login")
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return _render(request, "login.html", next=_safe_next(next), error=None)


@public.post("/login")
def login(request: Request, session: DB, email: str = Form(...), password: str = Form(...),
          next: str = Form("/"), csrf_token_: str = Form("", alias="csrf_token")):
    expected = request.session.get("csrf")
    if not expected or csrf_token_ != expected:
        return _render(request, "login.html", next=_safe_next(next), error="Your form expired; try again.")
    key = email.strip().lower()
    failures = _failures(request)
    count, until = failures.get(key, (0, 0.0))
    if until > time.monotonic():
        return _render(request, "login.html", next=_safe_next(next),
                       error="Too many failed attempts; wait a minute and try again.")
    user = UserService(session).authenticate(email, password)
    if user is None:
        count += 1
        failures[key] = (count, time.monotonic() + (min(300, 2 ** (count - 4)) if count >= 5 else 0))
        return _render(request, "login.html", next=_safe_next(next), error="Wrong email or password.")
    failures.pop(key, None)
    request.session.clear()  # a fresh session on sign-in: no fixation
    request.session[SESSION_USER] = user.id
    return RedirectResponse(_safe_next(next), status_code=303)


@pages.post("/logout")
def logout(request: Request, who: CurrentIdentity):
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@pages.get("/")
def home(who: CurrentIdentity):
    return RedirectResponse("/inbox", status_code=303)


@pages.get("/inbox")
def inbox(request: Request, who: CurrentIdentity, session: DB, offset: int = 0, status: str | None = None,
          folder: str | None = None, view: str | None = None):
    if view == "all" or status:  # every mail you may read (yours, sent, shared with you), newest first
        reader = MailReader(session, who)
        page = reader.page(sort="-date", offset=offset, limit=50, status=status or None)
        return _render(request, "inbox_all.html", who, page=page, status=status,
                       levels={e.id: reader.level(e) for e in page.items})
    data = InboxService(session, who).page(folder or None, offset=offset, limit=50)
    return _render(request, "inbox.html", who, inbox=data, folder=folder, folders=FOLDER_TITLES, active="inbox")


@pages.post("/mail/{email_id}/feedback")
async def mail_feedback(request: Request, email_id: int, who: CurrentIdentity, session: DB):
    form = await request.form()
    target = str(form.get("target") or "")
    corrected = form.getlist("corrected") if target == "intent" else str(form.get("corrected") or "")
    InboxService(session, who).feedback(email_id, target, corrected)
    back = _safe_next(str(form.get("next") or f"/mail/{email_id}"))
    return RedirectResponse(back, status_code=303)


@pages.post("/inbox/upload")
async def upload(request: Request, who: CurrentIdentity, session: DB, file: UploadFile = File(...)):
    if not who.has("records:write"):
        raise Forbidden("this needs the 'records:write' scope", code="missing_scope")
    job = await mail_api.import_upload(request, who, session, file)
    return RedirectResponse(f"/jobs#job-{job.id}", status_code=303)


@pages.get("/mail/{email_id}")
def mail_page(request: Request, email_id: int, who: CurrentIdentity, session: DB):
    reader = MailReader(session, who)
    email = reader.get(email_id)
    level = reader.level(email)
    kind, body = display_body(email.raw) if level == "full" else ("text", "")
    links = LinkRepository(session).for_email(email.id) if level == "full" else []
    attachments = AttachmentRepository(session).for_email(email.id) if level == "full" else []
    suggestions = SuggestionService(session).page(who, email_id=email.id).items if level == "full" else []
    result = (PriorityRepository(session).latest_results([email.id]).get(email.id) or {}) if level == "full" else {}
    thread = ThreadSummaryService(session, who).summary(email.thread_id) if level == "full" and email.thread_id else None
    if thread and len(thread["messages"]) + thread["hidden"] < 2:
        thread = None  # a conversation of one: the mail's own summary says it all
    return _render(request, "mail.html", who, email=email, kind=kind, body=body, level=level, thread=thread,
                   links=[(link, _record_label(session, who, link)) for link in links], attachments=attachments,
                   suggestions=suggestions, analysis=result, zones=zone_blocks(result),
                   labels={"intents": INTENTS, "emotions": EMOTIONS})


@pages.post("/suggestions/{suggestion_id}/{decision}")
async def decide_suggestion(request: Request, suggestion_id: int, decision: str, who: CurrentIdentity, session: DB):
    service = SuggestionService(session)
    if decision == "accept":
        form = await request.form()
        edits = {k[5:]: v for k, v in form.items() if k.startswith("edit_") and isinstance(v, str) and v.strip()}
        suggestion = service.accept(suggestion_id, who, edits)
    elif decision == "reject":
        suggestion = service.reject(suggestion_id, who)
    else:
        raise BadInput("decide accept or reject", code="bad_decision")
    back = request.headers.get("referer") or f"/mail/{suggestion.email_id}"
    return RedirectResponse(_safe_next(urlparse(back).path), status_code=303)


def _record_label(session, who, link) -> str:
    try:
        service = RecordService(session, who, link.module)
        return record_title(service.spec, service.get(link.record_id))
    except MailassistError:
        return f"{link.module} #{link.record_id}"  # a record the viewer may not open: named, not shown


@pages.get("/jobs")
def jobs_page(request: Request, who: CurrentIdentity, session: DB):
    filters = {"owner_id": None if who.has("admin") else who.user_id}
    page = JobRunRepository(session).page(sort="-created_at", filters=filters, limit=100)
    return _render(request, "jobs.html", who, jobs=page.items)


@pages.get("/account")
def account(request: Request, who: CurrentIdentity, session: DB, error: str | None = None):
    return _account_page(request, who, session, error)


def _account_page(request: Request, who, session, error: str | None):
    users = UserService(session)
    new_key = request.session.pop("new_key", None)
    return _render(request, "account.html", who, keys=users.keys.for_user(who.user_id),
                   scopes=[s for s in SCOPES if who.has(s)], new_key=new_key, error=error,
                   shares=SharingService(session, who).list(), people=users.users.page(limit=500).items,
                   notify=AlertService(session).preferences(who.user_id))


@pages.post("/account/notifications")
async def account_notifications(request: Request, who: CurrentIdentity, session: DB):
    form = await request.form()
    AlertService(session).set_preferences(who.user_id, {name: form.get(name) == "1"
                                                        for name in ("contact_mail", "lead_mail")})
    return RedirectResponse("/account#notifications", status_code=303)


@pages.post("/account/sharing")
def account_share(request: Request, who: CurrentIdentity, session: DB, grantee: str = Form(...),
                  level: str = Form(...)):
    kind, _, value = grantee.partition(":")
    try:
        SharingService(session, who).share(level=level, user_id=int(value) if kind == "user" else None,
                                           role=value if kind == "role" else None)
    except (MailassistError, ValueError) as exc:
        session.rollback()
        return _account_page(request, who, session, getattr(exc, "message", "choose a person or a role"))
    return RedirectResponse("/account#sharing", status_code=303)


@pages.post("/account/sharing/{share_id}/remove")
def account_unshare(share_id: int, who: CurrentIdentity, session: DB):
    SharingService(session, who).unshare(share_id)
    return RedirectResponse("/account#sharing", status_code=303)


@pages.post("/account/keys")
async def account_create_key(request: Request, who: CurrentIdentity, session: DB, name: str = Form("")):
    form = await request.form()
    scopes = [s for s in form.getlist("scopes") if isinstance(s, str)]
    users = UserService(session)
    try:
        if not all(who.has(s) for s in scopes):
            raise BadInput("you cannot grant a scope you do not have", code="bad_scope")
        _, plaintext = users.create_api_key(users.users.get_or_raise(who.user_id), scopes, name)
    except MailassistError as exc:
        session.rollback()
        return _account_page(request, who, session, exc.message)
    # Shown once, on the next page view, then gone from the session.
    request.session["new_key"] = plaintext
    return RedirectResponse("/account", status_code=303)


@pages.post("/account/keys/{key_id}/revoke")
def account_revoke_key(key_id: int, who: CurrentIdentity, session: DB):
    UserService(session).revoke_api_key(key_id, by=who)
    return RedirectResponse("/account", status_code=303)


def _admin_only(who) -> None:
    if not who.has("admin"):
        raise Forbidden("admins only", code="missing_scope")


@pages.get("/admin")
def admin(request: Request, who: CurrentIdentity, session: DB, error: str | None = None):
    _admin_only(who)
    return _admin_page(request, who, session, error)


def _admin_page(request: Request, who, session, error: str | None, weights_preview=None, overrides=None):
    org = OrgSettings(session).get()
    weights = {"defaults": DEFAULT_WEIGHTS, "overrides": org.priority_weights if overrides is None else overrides}
    return _render(request, "admin.html", who, users=UserService(session).users.page(limit=200).items,
                   settings=masked_settings(get_runtime(request).settings), error=error,
                   custom_modules=CustomModuleService(session).list(), org=org, weights=weights,
                   weights_preview=weights_preview)


@pages.post("/admin/priority-weights")
async def admin_priority_weights(request: Request, who: CurrentIdentity, session: DB):
    _admin_only(who)
    form = await request.form()
    overrides: dict = {}
    for name in DEFAULT_WEIGHTS:
        text = str(form.get(f"w_{name}") or "").strip()
        if text:
            try:
                overrides[name] = float(text)
            except ValueError:
                return _admin_page(request, who, session, f"weight {name!r}: {text!r} is not a number",
                                   overrides=org_overrides(session))
    if form.get("action") == "preview":
        return _admin_page(request, who, session, None, weights_preview=preview(session, who.user_id, overrides),
                           overrides=overrides)
    OrgSettings(session).update({"priority_weights": overrides}, by=who.user_id)
    get_runtime(request).enqueue(session, "inbox.rescore")  # the inboxes re-order in the background
    return RedirectResponse("/admin#priority-weights", status_code=303)


def org_overrides(session) -> dict:
    return OrgSettings(session).get().priority_weights


@pages.post("/admin/org-settings")
async def admin_org_settings(request: Request, who: CurrentIdentity, session: DB):
    _admin_only(who)
    form = await request.form()
    changes = {
        "signature_new_sender": form.get("signature_new_sender", "contact"),
        "signature_autocreate_threshold": _optional_float(form.get("signature_autocreate_threshold")),
        "activity_autocreate_threshold": _optional_float(form.get("activity_autocreate_threshold")),
        "competitors": [c.strip() for c in str(form.get("competitors", "")).split(",") if c.strip()],
    }
    try:
        OrgSettings(session).update(changes, by=who.user_id)
    except MailassistError as exc:
        session.rollback()
        return _admin_page(request, who, session, exc.message)
    return RedirectResponse("/admin#org-settings", status_code=303)


def _optional_float(value) -> float | str | None:
    text = str(value or "").strip()
    try:
        return float(text) if text else None
    except ValueError:
        return text  # rejected with the setting's name by OrgSettings


@pages.post("/admin/users")
def admin_create_user(request: Request, who: CurrentIdentity, session: DB, email: str = Form(...),
                      name: str = Form(""), role: str = Form("rep"), password: str = Form(...)):
    _admin_only(who)
    users = UserService(session)
    try:
        users.create_user(email, password, name=name, role=role)
    except MailassistError as exc:
        session.rollback()
        return _admin_page(request, who, session, exc.message)
    return RedirectResponse("/admin", status_code=303)
