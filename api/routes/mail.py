"""Stored mail: list, read, store one raw message, import a file in the background."""

from __future__ import annotations

import re
import uuid

from fastapi import File, Query, Request, UploadFile
from fastapi.responses import Response

from api.deps import DB, CurrentIdentity, get_runtime, protected, require
from api.errors import error_responses
from assistant.errors import BadInput, NotFound, TooLarge
from assistant.jobs.schemas import JobOut
from assistant.jobs.tables import JobRun
from crm.mail.repository import EmailRepository, visible_query
from crm.mail.schemas import EmailOut, EmailPage, StoredOut
from crm.mail.service import MailStore, visible_owner_ids
from crm.mail.tables import Email

router = protected(prefix="/v1", tags=["mail"], responses=error_responses(401, 403))


def _visible_email(session, who, email_id: int) -> Email:
    email = EmailRepository(session).get(email_id)
    owners = visible_owner_ids(who)
    if email is None or (owners is not None and email.owner_id not in owners):
        raise NotFound(f"email {email_id} not found")  # never reveal that someone else's mail exists
    return email


@router.get("/emails", response_model=EmailPage, dependencies=[require("mail:read")],
            responses=error_responses(422))
def list_emails(who: CurrentIdentity, session: DB, status: str | None = None, source: str | None = None,
                sort: str = Query("-date", description="a column, '-' for descending"),
                offset: int = Query(0, ge=0), limit: int = Query(50, ge=1, le=500)) -> EmailPage:
    repo = EmailRepository(session)
    page = repo.page(visible_query(visible_owner_ids(who)), sort=sort, offset=offset, limit=limit,
                     filters={"status": status, "source": source})
    return EmailPage(items=[EmailOut.model_validate(e) for e in page.items], total=page.total,
                     offset=page.offset, limit=page.limit)


@router.get("/emails/{email_id}", response_model=EmailOut, dependencies=[require("mail:read")],
            responses=error_responses(404))
def get_email(email_id: int, who: CurrentIdentity, session: DB) -> EmailOut:
    return EmailOut.model_validate(_visible_email(session, who, email_id))


@router.get("/emails/{email_id}/raw", dependencies=[require("mail:read")], responses=error_responses(404),
            response_class=Response)
def get_raw(email_id: int, who: CurrentIdentity, session: DB) -> Response:
    email = _visible_email(session, who, email_id)
    return Response(email.raw, media_type="message/rfc822",
                    headers={"Content-Disposition": f'attachment; filename="email-{email.id}.eml"'})


@router.post("/emails", response_model=StoredOut, status_code=201, dependencies=[require("records:write")],
             responses=error_responses(413, 422),
             openapi_extra={"requestBody": {"content": {"message/rfc822": {"schema": {"type": "string"}}},
                                            "required": True}})
async def store_email(request: Request, who: CurrentIdentity, session: DB) -> StoredOut:
    """Store one raw RFC 822 message (the request body). A malformed one is stored and marked."""
    limit = get_runtime(request).settings.max_message_bytes
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            raise TooLarge(f"a message may have at most {limit} bytes")
    if not raw:
        raise BadInput("the request body is empty; send the raw message", code="empty_body")
    result = MailStore(session).store(bytes(raw), owner_id=who.user_id, source="api")
    return StoredOut(email=EmailOut.model_validate(result.email), created=result.created)


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@router.post("/imports", response_model=JobOut, status_code=202, dependencies=[require("records:write")],
             responses=error_responses(413, 422))
async def import_upload(request: Request, who: CurrentIdentity, session: DB,
                        file: UploadFile = File(description="an .eml or .mbox file")) -> JobOut:
    """Import an uploaded .eml or .mbox in the background; poll the returned job for progress."""
    runtime = get_runtime(request)
    limit = runtime.settings.max_upload_bytes
    folder = runtime.settings.ensure_data_dir() / "uploads"
    folder.mkdir(exist_ok=True)
    name = _SAFE_NAME.sub("_", file.filename or "upload")[-80:] or "upload"
    target = folder / f"{uuid.uuid4().hex}-{name}"
    size = 0
    with target.open("wb") as out:
        while chunk := await file.read(1 << 20):
            size += len(chunk)
            if size > limit:
                out.close()
                target.unlink(missing_ok=True)
                raise TooLarge(f"an upload may have at most {limit} bytes")
            out.write(chunk)
    if size == 0:
        target.unlink(missing_ok=True)
        raise BadInput("the uploaded file is empty", code="empty_upload")
    run_id = runtime.enqueue(session, "mail.import_upload", str(target), who.user_id, file.filename or name,
                             owner_id=who.user_id)
    session.flush()
    return JobOut.model_validate(session.get(JobRun, run_id))
