"""Threading and linking mail that was stored without (the first sync of a big mailbox).

A first sync of tens of thousands of messages stores each one raw, with its envelope, de-duplicated,
and leaves ``processed`` False (see ``MailStore.store_batch_with_envelopes(process=False)``); the
``mail.process_stored`` job then threads and links that mail here, oldest first, a batch per unit of
work, and asks for its analysis (alerts and priorities read the links, so analysis comes after).

Every batch is claimed, threaded, linked and marked processed in one transaction: an interrupted run
leaves whole batches done and the rest still unprocessed, and the next run goes on from there. Two
runs for the same owner cannot both take a batch: the claim (``processed`` False → True) must change
every row it selected, or the unit rolls back.
"""

from __future__ import annotations

from sqlalchemy import bindparam, false, func, select, update
from sqlalchemy.orm import Session

from crm.mail.linking import link_emails
from crm.mail.service import NewMail
from crm.mail.tables import Email
from crm.mail.threading import assign_threads

__all__ = ["process_stored", "unprocessed_count", "has_unprocessed", "PROCESS_BATCH", "ProcessConflict"]

PROCESS_BATCH = 500  # messages threaded and linked per transaction


class ProcessConflict(RuntimeError):
    """Another run processed some of this batch first; the unit must roll back and be retried."""


def _owner_is(owner_id: int | None):
    return Email.owner_id.is_(None) if owner_id is None else Email.owner_id == owner_id


def has_unprocessed(session: Session, owner_id: int | None) -> bool:
    query = select(Email.id).where(_owner_is(owner_id), Email.processed == false()).limit(1)
    return session.scalar(query) is not None


def unprocessed_count(session: Session, owner_id: int | None) -> int:
    return session.scalar(select(func.count()).select_from(Email).where(
        _owner_is(owner_id), Email.processed == false())) or 0


def _pending_ids(session: Session, owner_id: int | None, limit: int) -> list[int]:
    """The oldest unprocessed mail: the (owner, processed, date) index gives the ids in date order
    without reading the mail rows."""
    return list(session.scalars(select(Email.id).where(_owner_is(owner_id), Email.processed == false())
                                .order_by(Email.date, Email.id).limit(limit)))


def process_stored(session: Session, owner_id: int | None, limit: int = PROCESS_BATCH) -> list[int]:
    """Thread and link up to ``limit`` of the owner's unprocessed mail, oldest first; returns their ids.

    The caller commits (and asks for the analysis of the ids in the same unit of work).
    """
    ids = _pending_ids(session, owner_id, limit)
    if not ids:
        return []
    table = Email.__table__
    claimed = session.execute(update(table).where(table.c.id.in_(ids), table.c.processed == false())
                              .values(processed=True).execution_options(synchronize_session=False)).rowcount
    if claimed != len(ids):
        raise ProcessConflict(f"{len(ids) - claimed} of {len(ids)} messages were processed by another run")
    columns = (table.c.id, table.c.message_id, table.c.in_reply_to, table.c.references, table.c.subject,
               table.c.date, table.c.from_addr, table.c.to_addrs, table.c.cc_addrs, table.c.mailbox_id,
               table.c.folder, table.c.uid, table.c.flags, table.c.status)
    rows = [dict(row._mapping) for row in session.execute(select(*columns).where(table.c.id.in_(ids)))]
    order = {email_id: index for index, email_id in enumerate(ids)}
    rows.sort(key=lambda row: order[row["id"]])
    for row in rows:
        row["subject"] = row["subject"] or ""
        row["references"] = row["references"] or []
    started = assign_threads(session, owner_id, rows)  # sets each row's thread_id
    set_thread = (update(table).where(table.c.id == bindparam("email_id"))
                  .values(thread_id=bindparam("thread")).execution_options(synchronize_session=False))
    session.execute(set_thread, [{"email_id": row["id"], "thread": row["thread_id"]} for row in rows])
    mail = [NewMail(id=row["id"], owner_id=owner_id, thread_id=row["thread_id"],
                    from_addr=row["from_addr"] or "", to_addrs=row["to_addrs"] or [],
                    cc_addrs=row["cc_addrs"] or [], mailbox_id=row["mailbox_id"], folder=row["folder"],
                    uid=row["uid"], flags=row["flags"] or [], status=row["status"])
            for row in rows]
    # Not "fresh": a person added meanwhile may have linked some of this mail already (link_existing_mail).
    link_emails(session, owner_id, mail, new_threads=started)
    return [row["id"] for row in rows]
