"""Putting mail into conversations: by Message-ID/In-Reply-To/References, then by subject."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from crm.mail.repository import EmailRepository, ThreadRepository
from crm.mail.tables import Email, Thread

__all__ = ["subject_key", "assign_threads"]

# Reply/forward prefixes of common clients and languages, lowercase, without the colon.
_PREFIXES = ("re", "fw", "fwd", "aw", "wg", "sv", "vs", "vb", "tr", "rv", "antw", "odp", "pd", "ynt", "ilt",
             "r", "i", "doorst", "enc", "res", "rif", "答复", "回复", "转发", "返信", "転送", "re2", "re3")
_SUBJECT_WINDOW = timedelta(days=30)


def subject_key(subject: str) -> str:
    """A subject without reply/forward prefixes and list tags, for the fallback match."""
    text = subject.strip().lower()[:300]
    while text:
        if text.startswith("[") and "]" in text[:60]:  # [list-name] tags
            text = text[text.index("]") + 1:].lstrip()
            continue
        head, sep, rest = text.partition(":")
        if not sep:
            head, sep, rest = text.partition("：")  # full-width colon (Japanese/Chinese clients)
        if sep and head.strip() in _PREFIXES:
            text = rest.lstrip()
            continue
        break
    return " ".join(text.split())


def assign_threads(session: Session, owner_id: int | None, emails: list[Email]) -> None:
    """Give each new email a thread; a whole batch costs a handful of queries."""
    repo = EmailRepository(session)
    threads = ThreadRepository(session)
    wanted = {mid for e in emails for mid in [e.in_reply_to, *(e.references or [])] if mid}
    parents = repo.existing_message_ids(owner_id, wanted)
    children = repo.replies_to(owner_id, [e.message_id for e in emails if e.message_id])
    by_subject = threads.recent_by_subject(owner_id, [subject_key(e.subject) for e in emails])
    in_batch: dict[str, Thread] = {}
    for email in sorted(emails, key=lambda e: (e.date is None, e.date or 0, e.id or 0)):
        thread = _find(email, parents, children, in_batch, by_subject)
        key = subject_key(email.subject)
        if thread is None:
            # No flush per new thread: the relationship carries it, and the batch is inserted at once.
            thread = Thread(owner_id=owner_id, subject_key=key, first_date=email.date, last_date=email.date,
                            message_count=0)
            session.add(thread)
            if key:
                by_subject[key] = thread
        email.thread = thread
        thread.message_count += 1
        if email.date and (thread.last_date is None or email.date > thread.last_date):
            thread.last_date = email.date
        if email.date and (thread.first_date is None or email.date < thread.first_date):
            thread.first_date = email.date
        if email.message_id:
            in_batch[email.message_id] = thread


def _find(email: Email, parents, children, in_batch, by_subject) -> Thread | None:
    for mid in [email.in_reply_to, *reversed(email.references or [])]:
        if not mid:
            continue
        if mid in in_batch:
            return in_batch[mid]
        parent = parents.get(mid)
        if parent is not None and parent.thread is not None:
            return parent.thread
    child = children.get(email.message_id or "")
    if child is not None:
        return child.thread
    key = subject_key(email.subject)
    candidate = by_subject.get(key) if key else None
    if candidate is None:
        return None
    # Only a reply ("Re: …", or one with In-Reply-To) falls back to the subject, and only to a recent
    # conversation: two unrelated mails both called "Hello" are not a thread.
    is_reply = key != " ".join(email.subject.strip().lower().split()) or bool(email.in_reply_to)
    recent = email.date is None or candidate.last_date is None or abs(email.date - candidate.last_date) < _SUBJECT_WINDOW
    return candidate if is_reply and recent else None
