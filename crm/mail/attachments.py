"""Attachments kept once by content hash: a file sent to fifty people is stored one time."""

from __future__ import annotations

import hashlib
from email import policy
from email.parser import BytesParser

from sqlalchemy.orm import Session

from crm.mail.repository import AttachmentRepository
from crm.mail.tables import Attachment, Blob, Email
from nlp.parsing.envelope import decode_header_value

__all__ = ["store_attachments", "MAX_PARTS"]

MAX_PARTS = 200  # a hostile message with thousands of parts keeps its first 200 attachments


def store_attachments(session: Session, email: Email) -> int:
    """Extract the attachments and inline files of a stored mail (idempotent); returns how many."""
    repo = AttachmentRepository(session)
    if repo.for_email(email.id):
        return 0
    try:
        message = BytesParser(policy=policy.compat32).parsebytes(email.raw)
    except Exception:  # the raw mail is kept either way; a broken one simply has no attachment rows
        return 0
    count = 0
    for part in message.walk():
        if count >= MAX_PARTS or part.is_multipart():
            continue
        filename = part.get_filename()
        disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        content_id = (part.get("Content-ID") or "").strip("<> ") or None
        if not filename and disposition != "attachment" and not (content_id and part.get_content_maintype() != "text"):
            continue  # a body part, not a file
        payload = part.get_payload(decode=True) or b""
        digest = hashlib.sha256(payload).hexdigest()
        if not repo.blob_exists(digest):
            session.add(Blob(sha256=digest, size=len(payload), data=payload))
            session.flush()
        session.add(Attachment(
            email_id=email.id, sha256=digest, filename=_decoded(filename)[:500], size=len(payload),
            content_type=part.get_content_type()[:200], inline=disposition == "inline" or bool(content_id),
            content_id=content_id[:500] if content_id else None))
        count += 1
    session.flush()
    return count


def _decoded(filename: str | None) -> str:
    return decode_header_value(filename) if filename else ""
