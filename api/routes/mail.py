"""Stored mail: list, read, store one raw message, import a file, sharing, links and analysis.

Every read goes through MailReader, which applies the sharing rules (private, metadata, full).
"""

from __future__ import annotations

import re
import uuid

from fastapi import File, Query, Request, UploadFile
from fastapi.responses import Response

from api.deps import DB, CurrentIdentity, get_runtime, protected, require
from api.errors import error_responses
from assistant.analysis import request_analysis
from assistant.errors import BadInput, NotFound, TooLarge
from assistant.jobs.schemas import JobOut
from assistant.jobs.tables import JobRun
from assistant.threads.service import ThreadSummaryService
from crm.mail.repository import AttachmentRepository, EmailRepository, LinkRepository
from crm.mail.schemas import (AnalysisOut, AttachmentOut, EmailOut, EmailPage, LinkOut, ShareIn, ShareOut, StoredOut,
                              ThreadSummaryOut, email_out)
from crm.mail.service import MailStore
from crm.mail.sharing import MailReader, SharingService

router = protected(prefix="/v1", tags=["mail"], responses=error_responses(401, 403))


@router.get("/emails", response_model=EmailPage, dependencies=[require("mail:read")],
            responses=error_responses(422))
def list_emails(who: CurrentIdentity, session: DB, status: str | None = None, source: str | None = None,
                thread_id: int | None = None, mailbox_id: int | None = None,
                sort: str = Query("-date", description="a column, '-' for descending"),
                offset: int = Query(0, ge=0), limit: int = Query(50, ge=1, le=500)) -> EmailPage:
    reader = MailReader(session, who)
    page = reader.page(sort=sort, offset=offset, limit=limit, status=status, source=source, thread_id=thread_id,
                       mailbox_id=mailbox_id)
    return EmailPage(items=[email_out(e, reader.level(e)) for e in page.items], total=page.total,
                     offset=page.offset, limit=page.limit)


@router.get("/emails/{email_id}", response_model=EmailOut, dependencies=[require("mail:read")],
            responses=error_responses(404))
def get_email(email_id: int, who: CurrentIdentity, session: DB) -> EmailOut:
    reader = MailReader(session, who)
    email = reader.get(email_id)
    return email_out(email, reader.level(email))


@router.get("/emails/{email_id}/raw", dependencies=[require("mail:read")], responses=error_responses(404),
            response_class=Response)
def get_raw(email_id: int, who: CurrentIdentity, session: DB) -> Response:
    email = MailReader(session, who).get(email_id, need="full")
    return Response(email.raw, media_type="message/rfc822",
                    headers={"Content-Disposition": f'attachment; filename="email-{email.id}.eml"'})


@router.get("/emails/{email_id}/links", response_model=list[LinkOut], dependencies=[require("mail:read")],
            responses=error_responses(404))
def get_links(email_id: int, who: CurrentIdentity, session: DB) -> list[LinkOut]:
    MailReader(session, who).get(email_id, need="full")
    return [LinkOut.model_validate(link) for link in LinkRepository(session).for_email(email_id)]


@router.get("/emails/{email_id}/attachments", response_model=list[AttachmentOut],
            dependencies=[require("mail:read")], responses=error_responses(404))
def list_attachments(email_id: int, who: CurrentIdentity, session: DB) -> list[AttachmentOut]:
    MailReader(session, who).get(email_id, need="full")
    return [AttachmentOut.model_validate(a) for a in AttachmentRepository(session).for_email(email_id)]


@router.get("/emails/{email_id}/attachments/{attachment_id}", dependencies=[require("mail:read")],
            responses=error_responses(404), response_class=Response)
def download_attachment(email_id: int, attachment_id: int, who: CurrentIdentity, session: DB) -> Response:
    MailReader(session, who).get(email_id, need="full")
    repo = AttachmentRepository(session)
    attachment = repo.get(attachment_id)
    if attachment is None or attachment.email_id != email_id:
        raise NotFound(f"attachment {attachment_id} not found")
    blob = repo.blob(attachment.sha256)
    # Always a download, never rendered: an HTML "attachment" must not run script on our origin.
    safe_name = re.sub(r'[^A-Za-z0-9._ -]+', "_", attachment.filename or "attachment")[:120]
    return Response(blob.data if blob else b"", media_type="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{safe_name}"',
                             "X-Content-Type-Options": "nosniff"})


@router.get("/emails/{email_id}/analysis", response_model=AnalysisOut, dependencies=[require("mail:read")],
            responses=error_responses(404))
def get_analysis(email_id: int, who: CurrentIdentity, session: DB) -> AnalysisOut:
    MailReader(session, who).get(email_id, need="full")
    row = EmailRepository(session).latest_analysis(email_id)
    if row is None:
        raise NotFound(f"email {email_id} has not been analysed yet", code="not_analysed")
    return AnalysisOut(email_id=email_id, pipeline_version=row.pipeline_version, state=row.state,
                       created_at=row.created_at, result=row.result)


@router.get("/threads/{thread_id}/summary", response_model=ThreadSummaryOut, dependencies=[require("mail:read")],
            responses=error_responses(404))
def get_thread_summary(thread_id: int, who: CurrentIdentity, session: DB) -> dict:
    """The conversation in one view: its TL;DR, who took part, the asks still open, how the mood moved.
    Built from the stored analyses of the thread's mail that the caller may read in full."""
    return ThreadSummaryService(session, who).summary(thread_id)


@router.post("/emails", response_model=StoredOut, status_code=201, dependencies=[require("records:write")],
             responses=error_responses(413, 422),
             openapi_extra={"requestBody": {"content": {"message/rfc822": {"schema": {"type": "string"}}},
                                            "required": True}})
async def store_email(request: Request, who: CurrentIdentity, session: DB) -> StoredOut:
    """Store one raw RFC 822 message (the request body). A malformed one is stored and marked."""
    runtime = get_runtime(request)
    limit = runtime.settings.max_message_bytes
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            raise TooLarge(f"a message may have at most {limit} bytes")
    if not raw:
        raise BadInput("the request body is empty; send the raw message", code="empty_body")
    result = MailStore(session).store(bytes(raw), owner_id=who.user_id, source="api")
    if result.created:
        request_analysis(runtime, session, [result.email.id])
    return StoredOut(email=email_out(result.email, "full"), created=result.created)


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


# --- sharing ----------------------------------------------------------------------------------------
@router.get("/mail-sharing", response_model=list[ShareOut], tags=["sharing"])
def list_shares(who: CurrentIdentity, session: DB, owner_id: int | None = None) -> list[ShareOut]:
    return [ShareOut.model_validate(s) for s in SharingService(session, who).list(owner_id)]


@router.post("/mail-sharing", response_model=ShareOut, status_code=201, tags=["sharing"],
             responses=error_responses(422))
def share(body: ShareIn, who: CurrentIdentity, session: DB) -> ShareOut:
    return ShareOut.model_validate(SharingService(session, who).share(
        level=body.level, user_id=body.user_id, role=body.role, owner_id=body.owner_id))


@router.delete("/mail-sharing/{share_id}", status_code=204, tags=["sharing"], responses=error_responses(404))
def unshare(share_id: int, who: CurrentIdentity, session: DB) -> None:
    SharingService(session, who).unshare(share_id)
