from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, String, bindparam, cast, func, insert, or_, select, union_all, update
from sqlalchemy.orm import Session, class_mapper, make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from crm.mail.tables import Attachment, Blob, Email, EmailAnalysis, EmailLink, Thread
from crm.records.tables import Contact, Deal, Lead
from crm.repository import Repository
from crm.users.tables import User
from mailio.mailboxes.tables import Mailbox
from mailio.smtp.tables import FromAddress

__all__ = ["EmailRepository", "ThreadRepository", "LinkRepository", "AttachmentRepository"]

# SQLite's limit on the parameters of one statement (SQLITE_MAX_VARIABLE_NUMBER, 32766 since 3.32).
_SQLITE_MAX_PARAMS = 32_000


def _empty_list_first(proc):
    """A JSON column's processor that writes the commonest value (no Cc, no flags) without the encoder."""
    return lambda value: "[]" if value == [] else proc(value)


def _insert_returning(session: Session, table, rows: list[dict[str, Any]], returning: list[str]) -> list[tuple]:
    """Insert rows given as column values (the same keys in each) and return the ``returning`` columns
    of each inserted row as the database has them, in no promised order.

    On SQLite, the statement is written out and handed to the driver as is: multi-row ``VALUES``
    lists with ``RETURNING``, the values passed through the columns' own bind processors (JSON,
    UTC dates, booleans) and the columns the rows leave out given their Python-side defaults. That is
    what SQLAlchemy's insertmanyvalues does too, less its per-row bookkeeping, which cost more than
    SQLite's own work for a batch of mail. Other databases go through a Core INSERT, with the returned
    values processed as usual.
    """
    if not rows:
        return []
    dialect = session.get_bind().dialect
    if dialect.name != "sqlite":
        statement = insert(table).returning(*(table.c[name] for name in returning))
        return [tuple(row) for row in session.execute(statement, rows)]
    keys = list(rows[0])
    defaults = []
    for column in table.columns:
        if column.key in rows[0] or column.primary_key or column.default is None:
            continue
        default = column.default
        if default.is_scalar:
            defaults.append((column, lambda arg=default.arg: arg))
        elif default.is_callable:
            defaults.append((column, lambda arg=default.arg: arg(None)))
    columns = [table.c[key] for key in keys] + [column for column, _ in defaults]
    # (position, processor) of the values that need one, as SQLAlchemy would call it (None included)
    processors = [(index, _empty_list_first(proc) if isinstance(column.type, JSON) else proc)
                  for index, column in enumerate(columns)
                  if (proc := column.type._cached_bind_processor(dialect)) is not None]
    values_of = itemgetter(*keys) if len(keys) > 1 else (lambda row: (row[keys[0]],))
    per_row = len(columns)
    head = (f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
            f"({', '.join(dialect.identifier_preparer.format_column(c) for c in columns)}) VALUES ")
    tail = " RETURNING " + ", ".join(dialect.identifier_preparer.format_column(table.c[n]) for n in returning)
    one = "(" + ", ".join("?" * per_row) + ")"
    step = max(1, _SQLITE_MAX_PARAMS // per_row)
    connection = session.connection()
    out: list[tuple] = []
    for start in range(0, len(rows), step):
        chunk = rows[start:start + step]
        params: list[Any] = []
        for row in chunk:
            values = [*values_of(row), *(make() for _, make in defaults)]
            for index, proc in processors:
                values[index] = proc(values[index])
            params.extend(values)
        statement = head + ", ".join([one] * len(chunk)) + tail
        out.extend(tuple(row) for row in connection.exec_driver_sql(statement, tuple(params)))
    return out


class EmailRepository(Repository[Email]):
    model = Email
    sortable = ("id", "date", "created_at", "subject", "from_addr", "size")
    filterable = ("status", "source", "direction", "from_addr", "owner_id", "thread_id", "mailbox_id",
                  "analysis_state")

    def ids_by_hash(self, owner_id: int | None, hashes: Iterable[str]) -> dict[str, int]:
        """content hash → id of the owner's stored mail with those bytes."""
        hashes = list(set(hashes))
        if not hashes:
            return {}
        query = select(Email.content_hash, Email.id).where(Email.content_hash.in_(hashes), _owner_is(owner_id))
        return dict(self.session.execute(query).all())

    def by_message_id(self, owner_id: int | None, ids: Iterable[str]) -> dict[str, tuple[int, int | None]]:
        """Message-ID → (id, thread id) of the owner's stored mail with it."""
        ids = [i for i in set(ids) if i]
        if not ids:
            return {}
        # The owner is checked here, not in SQL: with "owner_id = ?" in the query SQLite's planner
        # prefers the (owner_id, date) index and reads every mail of the owner, once per batch.
        # The Message-ID index finds the few rows (one per owner that has the mail) directly.
        query = select(Email.message_id, Email.id, Email.thread_id, Email.owner_id).where(Email.message_id.in_(ids))
        return {mid: (email_id, thread_id) for mid, email_id, thread_id, owner in self.session.execute(query)
                if owner == owner_id}

    def reply_threads(self, owner_id: int | None, ids: Iterable[str]) -> dict[str, int]:
        """Message-ID → thread id of stored, threaded mail that answers it (a reply that came first)."""
        ids = [i for i in set(ids) if i]
        if not ids:
            return {}
        # As in by_message_id, the owner is checked here so that the In-Reply-To index is used.
        query = select(Email.in_reply_to, Email.thread_id, Email.owner_id).where(
            Email.in_reply_to.in_(ids), Email.thread_id.is_not(None))
        return {mid: thread_id for mid, thread_id, owner in self.session.execute(query) if owner == owner_id}

    def insert_ids(self, rows: list[dict[str, Any]]) -> list[int]:
        """Insert new mail given as column values (the same columns in each dict, content hashes
        distinct); returns their ids in the order given, and makes no objects (a sync needs only
        the ids). The content hash is unique per owner: it maps the returned ids back."""
        returned = dict(_insert_returning(self.session, Email.__table__, rows, ["content_hash", "id"]))
        return [returned[row["content_hash"]] for row in rows]

    def insert_rows(self, rows: list[dict[str, Any]]) -> list[Email]:
        """Insert new mail given as column values (the same columns in each dict, content hashes
        distinct); returns them as Email objects of this session, as if flushed.

        One Core INSERT of plain dicts (insertmanyvalues: multi-row statements with RETURNING, on
        SQLite and PostgreSQL alike) instead of one ORM object per row through the unit of work, which
        cost more than everything else in storing a batch. The content hash is unique per owner, so it
        maps the returned ids back without relying on the order of RETURNING. The objects are then made
        from the same values and attached as persistent and clean: nothing is read back (the raw bytes
        least of all) and nothing is written again at the next flush. Columns the rows leave out get
        their defaults (or NULL) from the INSERT and come back with the ids, so every attribute is
        loaded, as after a flush.
        """
        if not rows:
            return []
        table = Email.__table__
        mapper = class_mapper(Email)  # (configures the mappers if nothing has yet)
        omitted = [column for column in table.columns if column.key not in rows[0] and column is not table.c.id]
        statement = insert(table).returning(table.c.content_hash, table.c.id, *omitted)
        returned = {row[0]: row[1:] for row in self.session.execute(statement, rows)}
        names = [mapper.get_property_by_column(column).key for column in (table.c.id, *omitted)]
        renamed = {column.key: mapper.get_property_by_column(column).key for column in table.columns}
        renamed = {key: name for key, name in renamed.items() if key != name}
        new_instance = mapper.class_manager.new_instance
        emails = []
        for row in rows:
            email = new_instance()
            values = email.__dict__  # the instance's attribute dict: set without change events
            values.update(row if not renamed else {renamed.get(key, key): value for key, value in row.items()})
            values.update(zip(names, returned[row["content_hash"]]))
            make_transient_to_detached(email)  # an identity key, every value counted as loaded
            emails.append(email)
        self.session.add_all(emails)  # detached → persistent: in the identity map, nothing to flush
        return emails

    def by_ids(self, ids: Iterable[int]) -> list[Email]:
        return list(self.session.scalars(select(Email).where(Email.id.in_(list(ids))).order_by(Email.id)))

    def involving(self, address: str, limit: int = 5000) -> list[Email]:
        """Mail from, to or cc an address (to/cc are JSON lists: matched as quoted text)."""
        address = address.lower()
        quoted = f'%"{address}"%'
        query = select(Email).where(or_(Email.from_addr == address, cast(Email.to_addrs, String).like(quoted),
                                        cast(Email.cc_addrs, String).like(quoted))).limit(limit)
        return list(self.session.scalars(query))

    def latest_analysis(self, email_id: int) -> EmailAnalysis | None:
        return self.session.scalar(select(EmailAnalysis).where(EmailAnalysis.email_id == email_id)
                                   .order_by(EmailAnalysis.id.desc()).limit(1))

    def analyses(self, email_ids: Iterable[int], version: str) -> dict[int, EmailAnalysis]:
        query = select(EmailAnalysis).where(EmailAnalysis.email_id.in_(list(email_ids)),
                                            EmailAnalysis.pipeline_version == version)
        return {a.email_id: a for a in self.session.scalars(query)}


def _owner_is(owner_id: int | None):
    return Email.owner_id.is_(None) if owner_id is None else Email.owner_id == owner_id


class ThreadRepository(Repository[Thread]):
    model = Thread
    sortable = ("id", "last_date")

    _VALUES = (Thread.id, Thread.subject_key, Thread.first_date, Thread.last_date, Thread.message_count)

    def values_by_ids(self, ids: Iterable[int]) -> list[tuple]:
        """(id, subject key, first date, last date, message count) of these threads."""
        ids = [i for i in set(ids) if i is not None]
        if not ids:
            return []
        return [tuple(row) for row in self.session.execute(select(*self._VALUES).where(Thread.id.in_(ids)))]

    def update_counts(self, changes: list[tuple[int, datetime | None, datetime | None, int]]) -> None:
        """Write (id, first date, last date, message count) of threads that mail joined, in one statement;
        a Thread object this session holds for one of them is expired, so it reads the new values."""
        if not changes:
            return
        table = Thread.__table__
        statement = (update(table).where(table.c.id == bindparam("thread_id"))
                     .values(first_date=bindparam("first"), last_date=bindparam("last"),
                             message_count=bindparam("count")).execution_options(synchronize_session=False))
        self.session.execute(statement, [{"thread_id": i, "first": first, "last": last, "count": count}
                                         for i, first, last, count in changes])
        for thread_id, *_ in changes:
            held = self.session.identity_map.get(identity_key(Thread, thread_id))
            if held is not None:
                self.session.expire(held)

    def insert_rows(self, rows: list[dict[str, Any]]) -> list[int]:
        """Insert threads given as column values in one statement; their ids, in the order given.

        SQLite cannot promise the order of RETURNING rows, so each row is recognised by its values;
        rows with equal values are interchangeable, and take the ids of their group in turn.
        """
        if not rows:
            return []
        table = Thread.__table__
        columns = ("owner_id", "subject_key", "first_date", "last_date", "message_count")
        rows = [{c: row[c] for c in columns} for row in rows]
        returned = _insert_returning(self.session, table, rows, ["id", *columns])
        ids: dict[tuple, list[int]] = {}
        for thread_id, *values in returned:
            ids.setdefault(tuple(values), []).append(thread_id)
        for group in ids.values():
            group.sort(reverse=True)  # popped from the end: lowest id first, as rows were given
        # The values come back as the database stores them: compare them with the rows' stored form.
        dialect = self.session.get_bind().dialect
        stored = [(table.c[c].type._cached_bind_processor(dialect) if dialect.name == "sqlite" else None)
                  for c in columns]
        return [ids[tuple(row[c] if proc is None else proc(row[c]) for c, proc in zip(columns, stored))].pop()
                for row in rows]

    def recent_values_by_subject(self, owner_id: int | None, keys: Iterable[str]) -> list[tuple]:
        """The owner's threads with these subject keys as :meth:`values_by_ids` gives them, newest first."""
        keys = [k for k in set(keys) if k]
        if not keys:
            return []
        query = (select(*self._VALUES).where(Thread.subject_key.in_(keys),
                                             Thread.owner_id.is_(None) if owner_id is None else Thread.owner_id == owner_id)
                 .order_by(Thread.last_date.desc().nulls_last()))
        return [tuple(row) for row in self.session.execute(query)]


class LinkRepository:
    def __init__(self, session: Session):
        self.session = session

    def own_addresses(self, owner_id: int | None) -> set[str]:
        """The owner's own addresses: a rep is not linked to their own mail as a 'contact'."""
        if owner_id is None:
            return set()
        # One round trip: linking asks for these once per stored batch.
        query = union_all(
            select(User.email.label("address")).where(User.id == owner_id),
            select(Mailbox.username).where(Mailbox.owner_id == owner_id),
            select(FromAddress.address).where(FromAddress.owner_id == owner_id, FromAddress.verified_at.is_not(None)))
        return {a.lower() for a in self.session.scalars(query) if a and "@" in a}

    def people_by_address(self, addresses: Iterable[str]) -> tuple[list[Contact], list[Lead]]:
        addresses = [a for a in set(addresses) if a]
        if not addresses:
            return [], []
        contacts = list(self.session.scalars(select(Contact).where(func.lower(Contact.email).in_(addresses))))
        leads = list(self.session.scalars(select(Lead).where(func.lower(Lead.email).in_(addresses))))
        return contacts, leads

    def people_ids_by_address(self, addresses: Iterable[str]) -> tuple[list[tuple[int, str, int | None]],
                                                                         list[tuple[int, str]]]:
        """What linking needs of the people with these (lower-case) addresses: contacts as (id, email,
        account id), leads as (id, email); not whole records."""
        addresses = [a for a in set(addresses) if a]
        if not addresses:
            return [], []
        # People's addresses are stored lower-cased (the ``email`` field type; migration 0008 for
        # older rows), so the plain column is compared and its index used.
        contacts = self.session.execute(select(Contact.id, Contact.email, Contact.account_id).where(
            Contact.email.in_(addresses))).all()
        leads = self.session.execute(select(Lead.id, Lead.email).where(Lead.email.in_(addresses))).all()
        return [tuple(c) for c in contacts], [tuple(lead) for lead in leads]

    def open_deal_ids(self, contact_ids: Iterable[int], account_ids: Iterable[int | None],
                      stages: tuple[str, ...]) -> list[tuple[int, int | None, int | None]]:
        """(id, contact id, account id) of the open deals of these contacts or accounts."""
        contact_ids, account_ids = list(set(contact_ids)), [a for a in set(account_ids) if a]
        if not contact_ids and not account_ids:
            return []
        who = []
        if contact_ids:
            who.append(Deal.contact_id.in_(contact_ids))
        if account_ids:
            who.append(Deal.account_id.in_(account_ids))
        query = select(Deal.id, Deal.contact_id, Deal.account_id).where(or_(*who), Deal.stage.in_(stages))
        return [tuple(d) for d in self.session.execute(query)]

    def thread_deals(self, thread_ids: Iterable[int]) -> dict[int, int]:
        """The deal each thread is already linked to (the deal 'named in the thread')."""
        thread_ids = [t for t in set(thread_ids) if t]
        if not thread_ids:
            return {}
        # ``module || ''`` keeps SQLite from starting at the (module, record_id) index, which scans
        # every deal link ever made; from the threads' mail to their links is a few index look-ups.
        query = (select(Email.thread_id, EmailLink.record_id).join(EmailLink, EmailLink.email_id == Email.id)
                 .where(Email.thread_id.in_(thread_ids), (EmailLink.module + "") == "deals"))
        return {thread_id: deal_id for thread_id, deal_id in self.session.execute(query)}

    def add_links(self, rows: list[tuple[int, str, int, str]]) -> None:
        """Insert links given as (email id, module, record id, reason), in one statement (no objects:
        nobody reads them back)."""
        if not rows:
            return
        if self.session.get_bind().dialect.name == "sqlite":
            # Plain columns (ints and text): the driver's executemany takes them as they are, without
            # SQLAlchemy's per-row parameter handling, which cost more than SQLite's own work here.
            self.session.connection().exec_driver_sql(
                "INSERT INTO email_links (email_id, module, record_id, reason) VALUES (?, ?, ?, ?)", rows)
            return
        self.session.execute(insert(EmailLink.__table__), [
            {"email_id": email_id, "module": module, "record_id": record_id, "reason": reason}
            for email_id, module, record_id, reason in rows])

    def existing(self, email_ids: Iterable[int]) -> set[tuple[int, str, int]]:
        email_ids = list(set(email_ids))
        if not email_ids:
            return set()
        query = select(EmailLink.email_id, EmailLink.module, EmailLink.record_id).where(
            EmailLink.email_id.in_(email_ids))
        return {tuple(row) for row in self.session.execute(query)}

    def for_email(self, email_id: int) -> list[EmailLink]:
        return list(self.session.scalars(select(EmailLink).where(EmailLink.email_id == email_id)
                                         .order_by(EmailLink.id)))

    def for_record(self, module: str, record_id: int) -> list[EmailLink]:
        query = select(EmailLink).where(EmailLink.module == module, EmailLink.record_id == record_id)
        return list(self.session.scalars(query))


class AttachmentRepository:
    def __init__(self, session: Session):
        self.session = session

    def for_email(self, email_id: int) -> list[Attachment]:
        return list(self.session.scalars(select(Attachment).where(Attachment.email_id == email_id)
                                         .order_by(Attachment.id)))

    def get(self, attachment_id: int) -> Attachment | None:
        return self.session.get(Attachment, attachment_id)

    def blob_exists(self, sha256: str) -> bool:
        return self.session.get(Blob, sha256) is not None

    def blob(self, sha256: str) -> Blob | None:
        return self.session.get(Blob, sha256)
