"""Storing mail: every message is kept raw, once; threaded and linked as it is stored.

What we cannot read is stored raw and marked, never dropped. Storing is batch-first: a sync batch of
hundreds of messages costs a handful of queries, not a handful per message. The first sync of a big
mailbox stores without threading and linking (``process=False``); :mod:`crm.mail.processing` does
both afterwards, in the job layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from crm.db import utcnow
from crm.mail.linking import link_emails
from crm.mail.repository import EmailRepository
from crm.mail.tables import Email
from crm.mail.threading import assign_threads
from nlp.parsing.envelope import Envelope, read_envelope

__all__ = ["MailStore", "StoreResult", "Incoming", "NewMail"]


@dataclass
class Incoming:
    """A message to store, with where it was found on a server (if it was)."""

    raw: bytes
    mailbox_id: int | None = None
    folder: str | None = None
    uid: int | None = None
    flags: list[str] = field(default_factory=list)


@dataclass(slots=True)
class NewMail:
    """Mail a sync has just inserted, as the few values the sync and linking read (no ORM object:
    building one per message cost more than inserting it). Load the Email by ``id`` for more."""

    id: int
    owner_id: int | None
    thread_id: int | None
    from_addr: str
    to_addrs: list[str]
    cc_addrs: list[str]
    mailbox_id: int | None
    folder: str | None
    uid: int | None
    flags: list[str]
    status: str


@dataclass(frozen=True)
class StoreResult:
    email: Email | NewMail  # NewMail only for new mail stored with ``objects=False``
    created: bool

    @property
    def malformed(self) -> bool:
        return self.email.status == "malformed"


class MailStore:
    def __init__(self, session: Session):
        self.session = session
        self.emails = EmailRepository(session)

    def store(self, raw: bytes, *, owner_id: int | None, source: str, direction: str = "in") -> StoreResult:
        return self.store_batch([Incoming(raw)], owner_id=owner_id, source=source, direction=direction)[0]

    @staticmethod
    def envelopes(items: Sequence[Incoming]) -> list[Envelope]:
        """What storing reads from each message (hash, headers). Needs no session: a sync computes it on
        its fetching thread, while the previous batch is written (see ``store_batch_with_envelopes``)."""
        return [read_envelope(item.raw) for item in items]

    def store_batch(self, items: Sequence[Incoming], *, owner_id: int | None, source: str,
                    direction: str = "in") -> list[StoreResult]:
        """Store each message once per owner (same bytes, or same Message-ID), then thread and link."""
        return self.store_batch_with_envelopes(items, self.envelopes(items), owner_id=owner_id, source=source,
                                               direction=direction)

    def store_batch_with_envelopes(self, items: Sequence[Incoming], envelopes: Sequence[Envelope], *,
                                   owner_id: int | None, source: str, direction: str = "in",
                                   objects: bool = True, process: bool = True) -> list[StoreResult]:
        """``store_batch`` for messages whose envelopes were read already (``MailStore.envelopes(items)``).

        The batch is worked out on plain values first (which message is new, which one repeats a stored
        or an earlier one, which thread each joins), then each new mail is inserted once, with its
        thread, in one multi-row INSERT. Lookups read ids, never whole rows with their raw bytes.
        ``objects=False``: new mail comes back as :class:`NewMail` values instead of Email objects
        (what a mailbox sync wants: it needs the ids only). ``process=False``: new mail is stored
        (raw, envelope, de-duplicated) but neither threaded nor linked: ``processed`` stays False
        until :func:`crm.mail.processing.process_stored` does both (the first sync of a big mailbox).
        """
        if len(envelopes) != len(items):
            raise ValueError("one envelope per message is needed")
        # A message is known by its bytes first, then by its Message-ID. A key maps to the id of a
        # stored mail (int) or to the row of a new one earlier in this batch (dict).
        by_hash: dict[str, int | dict] = dict(self.emails.ids_by_hash(owner_id, [e.content_hash for e in envelopes]))
        # One look-up serves both de-duplication (the batch's own Message-IDs) and threading (the
        # Message-IDs its mail answers or refers to).
        own = {e.message_id for e in envelopes if e.message_id}
        referred = {mid for e in envelopes for mid in [e.in_reply_to, *e.references] if mid}
        stored_mids = self.emails.by_message_id(owner_id, own | referred if process else own)
        by_mid: dict[str, int | dict] = {mid: stored_mids[mid][0] for mid in own if mid in stored_mids}
        now = utcnow()
        rows: list[dict] = []
        found: list[int | dict] = []
        created: list[bool] = []
        for item, env in zip(items, envelopes):
            existing = by_hash.get(env.content_hash) or (by_mid.get(env.message_id) if env.message_id else None)
            if existing is not None:
                if isinstance(existing, dict) and existing["mailbox_id"] is None and item.mailbox_id is not None:
                    existing.update(mailbox_id=item.mailbox_id, folder=item.folder, uid=item.uid)
                found.append(existing)
                created.append(False)
                continue
            row = {
                "owner_id": owner_id, "source": source, "direction": direction, "message_id": env.message_id,
                "content_hash": env.content_hash, "size": env.size, "raw": item.raw,
                "subject": env.subject[:2000], "from_name": env.from_name[:300], "from_addr": env.from_addr[:320],
                "date": env.date, "in_reply_to": env.in_reply_to, "references": env.references,
                "to_addrs": env.to[:200], "cc_addrs": env.cc[:200],
                "status": "malformed" if env.problem else "ok", "problem": env.problem, "created_at": now,
                "thread_id": None, "mailbox_id": item.mailbox_id, "folder": item.folder, "uid": item.uid,
                "flags": list(item.flags),
                "processed": process,  # threaded and linked below, in this same transaction (or later)
                "analysis_state": "pending",
            }
            rows.append(row)
            by_hash[env.content_hash] = row
            if env.message_id:
                by_mid[env.message_id] = row
            found.append(row)
            created.append(True)
        known_ids = {f for f in found if isinstance(f, int)}
        stored = {e.id: e for e in self.emails.by_ids(known_ids)} if known_ids else {}
        for item, target in zip(items, found):
            existing = stored.get(target) if isinstance(target, int) else None
            if existing is not None and existing.mailbox_id is None and item.mailbox_id is not None:
                # e.g. a mail we sent, now seen in the server's Sent folder: remember where it lives
                existing.mailbox_id, existing.folder, existing.uid = item.mailbox_id, item.folder, item.uid
        new: list[Email] | list[NewMail] = []
        if rows:
            parents = {mid: thread_id for mid, (_, thread_id) in stored_mids.items()}
            started = assign_threads(self.session, owner_id, rows, parents=parents) if process else set()
            if objects:
                new = self.emails.insert_rows(rows)
            else:
                new = [NewMail(id=email_id, owner_id=owner_id, thread_id=row["thread_id"], from_addr=row["from_addr"],
                               to_addrs=row["to_addrs"], cc_addrs=row["cc_addrs"], mailbox_id=row["mailbox_id"],
                               folder=row["folder"], uid=row["uid"], flags=row["flags"], status=row["status"])
                       for row, email_id in zip(rows, self.emails.insert_ids(rows))]
            if process:
                link_emails(self.session, owner_id, new, fresh=True, new_threads=started)
        emails = {id(row): email for row, email in zip(rows, new)}
        return [StoreResult(stored[target] if isinstance(target, int) else emails[id(target)], created=made)
                for target, made in zip(found, created)]
