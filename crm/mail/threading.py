"""Putting mail into conversations: by Message-ID/In-Reply-To/References, then by subject."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from crm.mail.repository import EmailRepository, ThreadRepository

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


@dataclass(slots=True)
class _Conversation:
    """A thread as threading needs it: plain values, changed in place, written back in one statement.
    ``id`` is None for a conversation the batch starts (inserted with the batch, once its counts are
    final)."""

    subject_key: str
    first_date: datetime | None
    last_date: datetime | None
    message_count: int = 0
    id: int | None = None
    changed: bool = False


def assign_threads(session: Session, owner_id: int | None, rows: list[dict[str, Any]], *,
                   parents: dict[str, int | None] | None = None) -> set[int]:
    """Give each new mail a thread before it is inserted: sets ``row["thread_id"]``; returns the ids of
    the threads the batch started.

    ``rows`` are the column values of mail about to be stored (``message_id``, ``in_reply_to``,
    ``references``, ``subject``, ``date`` are read). ``parents``: Message-ID → thread id of the
    stored mail the rows refer to, when the caller looked them up already. A whole batch costs a
    handful of queries that read ids and thread values, never whole mail rows nor ORM objects (loading
    and flushing those cost more than the rest of threading). Mail is joined in date order, so a
    reply in the same batch as its parent lands in the parent's thread. The threads the batch starts
    are inserted in one statement; the stored threads it joins are updated in one more.
    """
    if not rows:
        return set()
    repo = EmailRepository(session)
    threads = ThreadRepository(session)
    keys = [subject_key(row["subject"]) for row in rows]
    if parents is None:
        wanted = {mid for row in rows for mid in [row["in_reply_to"], *(row["references"] or [])] if mid}
        parents = {mid: thread_id for mid, (_, thread_id) in repo.by_message_id(owner_id, wanted).items()}
    children = repo.reply_threads(owner_id, [row["message_id"] for row in rows if row["message_id"]])
    known: dict[int, _Conversation] = {}
    by_subject: dict[str, _Conversation] = {}
    for values in threads.recent_values_by_subject(owner_id, keys):
        conversation = known.setdefault(values[0], _Conversation(*values[1:], id=values[0]))
        by_subject.setdefault(conversation.subject_key, conversation)  # newest first
    wanted_ids = {*parents.values(), *children.values()} - known.keys()
    for values in threads.values_by_ids(wanted_ids):
        known[values[0]] = _Conversation(*values[1:], id=values[0])
    in_batch: dict[str, _Conversation] = {}
    started: list[_Conversation] = []
    chosen: list[tuple[dict[str, Any], _Conversation]] = []
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["date"] is None, rows[i]["date"] or 0))
    for index in order:
        row, key = rows[index], keys[index]
        date = row["date"]
        thread = _find(row, key, parents, children, known, in_batch, by_subject)
        if thread is None:
            thread = _Conversation(subject_key=key, first_date=date, last_date=date)
            started.append(thread)
            if key:
                by_subject[key] = thread
        chosen.append((row, thread))
        thread.message_count += 1
        thread.changed = True
        if date and (thread.last_date is None or date > thread.last_date):
            thread.last_date = date
        if date and (thread.first_date is None or date < thread.first_date):
            thread.first_date = date
        if row["message_id"]:
            in_batch[row["message_id"]] = thread
    threads.update_counts([(t.id, t.first_date, t.last_date, t.message_count)
                           for t in known.values() if t.changed])
    ids = threads.insert_rows([{"owner_id": owner_id, "subject_key": t.subject_key, "first_date": t.first_date,
                                "last_date": t.last_date, "message_count": t.message_count} for t in started])
    for thread, thread_id in zip(started, ids):
        thread.id = thread_id
    for row, thread in chosen:
        row["thread_id"] = thread.id
    return set(ids)


def _find(row: dict[str, Any], key: str, parents: dict[str, int | None], children: dict[str, int],
          known: dict[int, _Conversation], in_batch: dict[str, _Conversation],
          by_subject: dict[str, _Conversation]) -> _Conversation | None:
    for mid in [row["in_reply_to"], *reversed(row["references"] or [])]:
        if not mid:
            continue
        if mid in in_batch:
            return in_batch[mid]
        thread_id = parents.get(mid)
        if thread_id is not None and thread_id in known:
            return known[thread_id]
    thread_id = children.get(row["message_id"] or "")
    if thread_id is not None and thread_id in known:
        return known[thread_id]
    candidate = by_subject.get(key) if key else None
    if candidate is None:
        return None
    # Only a reply ("Re: …", or one with In-Reply-To) falls back to the subject, and only to a recent
    # conversation: two unrelated mails both called "Hello" are not a thread.
    subject, date = row["subject"], row["date"]
    is_reply = key != " ".join(subject.strip().lower().split()) or bool(row["in_reply_to"])
    recent = date is None or candidate.last_date is None or abs(date - candidate.last_date) < _SUBJECT_WINDOW
    return candidate if is_reply and recent else None
