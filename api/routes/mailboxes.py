"""Mailboxes: a user's own IMAP/POP3 accounts (admins manage anyone's), their folders and sync."""

from __future__ import annotations

from fastapi import Request, Response

from api.deps import DB, CurrentIdentity, get_runtime, protected, require
from api.errors import error_responses
from api.ratelimit import limit
from assistant.jobs.schemas import JobOut
from assistant.jobs.tables import JobRun
from mailio.mailboxes.schemas import (
    ConnectionIn,
    ConnectionResult,
    MailboxIn,
    MailboxOut,
    MailboxStatus,
    MailboxUpdate,
    ServerFolder,
)
from mailio.mailboxes.service import SYNC_JOB, MailboxService, account_of, check_connection

router = protected(prefix="/v1/mailboxes", tags=["mailboxes"], dependencies=[require("mail:read")],
                   responses=error_responses(401, 403))


def _service(request: Request, session) -> MailboxService:
    return MailboxService(session, get_runtime(request).settings)


@router.get("", response_model=list[MailboxOut])
def list_mailboxes(request: Request, who: CurrentIdentity, session: DB) -> list[MailboxOut]:
    """Your mailboxes (an admin sees everyone's)."""
    return [MailboxOut.model_validate(m) for m in _service(request, session).visible(who)]


@router.post("", response_model=MailboxOut, status_code=201, responses=error_responses(422))
def create_mailbox(request: Request, body: MailboxIn, who: CurrentIdentity, session: DB) -> MailboxOut:
    """Add a mailbox; when enabled, its first sync starts at once (follow it on GET /{id}/status)."""
    service = _service(request, session)
    mailbox = service.create(who, body)
    if mailbox.enabled:
        service.start_sync(get_runtime(request), who, mailbox.id)
    return MailboxOut.model_validate(mailbox)


@router.post("/test", response_model=ConnectionResult, responses=error_responses(422))
def test_settings(request: Request, body: ConnectionIn, who: CurrentIdentity) -> ConnectionResult:
    """Try settings before saving them: log in and list the server's folders. Nothing is stored.

    Limited per user: the service connects wherever it is told, so this must not become a port scanner
    or a password-guessing relay."""
    limit(request, "mailbox-test", str(who.user_id), calls=10, per_seconds=60)
    return check_connection(account_of(body))


@router.get("/{mailbox_id}", response_model=MailboxOut, responses=error_responses(404))
def get_mailbox(request: Request, mailbox_id: int, who: CurrentIdentity, session: DB) -> MailboxOut:
    return MailboxOut.model_validate(_service(request, session).get(who, mailbox_id))


@router.patch("/{mailbox_id}", response_model=MailboxOut, responses=error_responses(404, 422))
def update_mailbox(request: Request, mailbox_id: int, body: MailboxUpdate, who: CurrentIdentity,
                   session: DB) -> MailboxOut:
    """Change settings; leave out ``password`` to keep the stored one."""
    return MailboxOut.model_validate(_service(request, session).update(who, mailbox_id, body))


@router.delete("/{mailbox_id}", status_code=204, responses=error_responses(404))
def delete_mailbox(request: Request, mailbox_id: int, who: CurrentIdentity, session: DB) -> Response:
    """Remove the mailbox and its sync state; mail already stored stays."""
    _service(request, session).delete(who, mailbox_id)
    return Response(status_code=204)


@router.post("/{mailbox_id}/test", response_model=ConnectionResult, responses=error_responses(404))
def test_mailbox(request: Request, mailbox_id: int, who: CurrentIdentity, session: DB) -> ConnectionResult:
    """Log in with the stored settings; a failure is reported in the answer (ok=false, code, error)."""
    limit(request, "mailbox-test", str(who.user_id), calls=10, per_seconds=60)
    return _service(request, session).test(who, mailbox_id)


@router.get("/{mailbox_id}/folders", response_model=list[ServerFolder], responses=error_responses(404, 502))
def server_folders(request: Request, mailbox_id: int, who: CurrentIdentity,
                   session: DB) -> list[ServerFolder]:
    """The folders on the server, with the ones chosen for sync marked."""
    return _service(request, session).server_folders(who, mailbox_id)


@router.post("/{mailbox_id}/sync", response_model=JobOut, status_code=202,
             responses=error_responses(404, 422))
def sync_mailbox(request: Request, mailbox_id: int, who: CurrentIdentity, session: DB) -> JobOut:
    """Start a sync now; poll the returned job (or GET /{id}/status) for progress."""
    run_id = _service(request, session).start_sync(get_runtime(request), who, mailbox_id)
    return JobOut.model_validate(session.get(JobRun, run_id))


@router.get("/{mailbox_id}/status", response_model=MailboxStatus, responses=error_responses(404))
def mailbox_status(request: Request, mailbox_id: int, who: CurrentIdentity, session: DB) -> MailboxStatus:
    """Per folder: messages on the server, synced, stored; and the latest sync job's progress."""
    service = _service(request, session)
    mailbox = service.get(who, mailbox_id)
    run = service.mailboxes.latest_runs([mailbox], SYNC_JOB).get(mailbox.id)
    return service.status(who, mailbox_id, job=JobOut.model_validate(run) if run else None)
