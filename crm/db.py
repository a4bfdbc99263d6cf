"""Engine, sessions and the unit of work.

One session per request or job, committed once at the end of the unit of work (never inside a
service). Jobs asked for during the unit are published only after the commit succeeds and are
dropped on rollback (see :func:`enqueue_after_commit`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

__all__ = ["Base", "UTCDateTime", "utcnow", "make_engine", "make_session_factory", "unit_of_work",
           "enqueue_after_commit", "background_checkpoints"]

# Stable constraint names so Alembic migrations are identical on SQLite and PostgreSQL.
_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=_NAMING)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


def _sqlite_pragmas(dbapi_conn, record) -> None:
    cur = dbapi_conn.cursor()
    # A new database gets 16 KB pages: a typical mail (median 6 KB raw) then fits on the page of its
    # row instead of running on into a chain of overflow pages, which storing and reading both walk.
    # An existing database keeps its page size (this pragma is a no-op once the file has tables).
    cur.execute(f"PRAGMA page_size={_PAGE_SIZE}")
    # WAL lets the web requests read while a job writes; busy_timeout waits instead of failing.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=15000")
    # A checkpoint (copying the WAL into the database, with an fsync) every 32 MB of WAL instead of
    # SQLite's 4 MB: storing mail writes its raw bytes, and a first sync of a mailbox wrote tens of
    # checkpoints, each waiting on the disk (see bench/imap_sync.py). Counted in the file's own pages.
    pages = _AUTOCHECKPOINT_BYTES // cur.execute("PRAGMA page_size").fetchone()[0]
    cur.execute(f"PRAGMA wal_autocheckpoint={pages}")
    record.info["autocheckpoint"] = record.info["autocheckpoint_pages"] = pages
    # 16 MB of page cache per connection instead of SQLite's 2 MB: a batch of stored mail (up to 1,000
    # messages, see mailio.imap.sync) then stays in the cache until its commit instead of spilling
    # into the WAL halfway, and the indexes it updates are not read from the file again and again.
    cur.execute(f"PRAGMA cache_size=-{_CACHE_KB}")
    cur.close()


_PAGE_SIZE = 16384
_AUTOCHECKPOINT_BYTES = 32 * 2**20
_CACHE_KB = 16384
_CHECKPOINTERS_LOCK = threading.Lock()
log = logging.getLogger("crm.db")


def _sqlite_checkout(engine: Engine):
    """While a :func:`background_checkpoints` block runs, connections taken from the pool leave
    checkpoints to it (``wal_autocheckpoint=0``); otherwise they checkpoint as configured."""

    def checkout(dbapi_conn, record, _proxy) -> None:
        wanted = 0 if engine.info_checkpointers else record.info["autocheckpoint_pages"]
        if record.info["autocheckpoint"] != wanted:
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA wal_autocheckpoint={wanted}")
            cur.close()
            record.info["autocheckpoint"] = wanted

    return checkout


@contextmanager
def background_checkpoints(engine: Engine, every_s: float = 0.25) -> Iterator[None]:
    """Copy the WAL into the database on a thread of its own while the block writes a lot (a first
    mailbox sync stores tens of MB of raw mail).

    Otherwise the writing thread does it inside a commit, whenever the WAL passes 32 MB, and waits for
    it. Here the writer's connections skip their automatic checkpoints, and a PASSIVE checkpoint (which
    never blocks the writer nor readers) runs every ``every_s``; SQLite releases the GIL meanwhile, so
    the copying overlaps the writer's own work on the other core. A checkpoint copies only what no
    reader still needs; the WAL restarts from its beginning at the next write after a complete one.
    Other databases: nothing to do.
    """
    if engine.dialect.name != "sqlite":
        yield
        return
    stop = threading.Event()
    held = [False]  # this block's share of engine.info_checkpointers, given back once

    def release() -> None:
        with _CHECKPOINTERS_LOCK:  # two syncs may start or end at once: the count must stay exact
            if held[0]:
                held[0] = False
                engine.info_checkpointers -= 1

    def run() -> None:
        try:
            connection = engine.raw_connection()
            try:
                while not stop.wait(every_s):
                    connection.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            finally:
                connection.close()
        except Exception:
            # The writers checkpoint for themselves again: the WAL must not grow unchecked.
            log.exception("background WAL checkpoints stopped")
            release()

    try:
        with _CHECKPOINTERS_LOCK:
            engine.info_checkpointers += 1
            held[0] = True
        thread = threading.Thread(target=run, name="wal-checkpoint", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
    finally:
        release()


def make_engine(url: str, **kwargs) -> Engine:
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 15})
        engine = create_engine(url, **kwargs)
        engine.info_checkpointers = 0  # open background_checkpoints blocks
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "checkout", _sqlite_checkout(engine))
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def enqueue_after_commit(session: Session, publish: Callable[[], None]) -> None:
    """Run ``publish`` once the session's transaction commits; forget it on rollback."""
    session.info.setdefault("after_commit", []).append(publish)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    pending = session.info.pop("after_commit", [])
    for publish in pending:
        publish()


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop("after_commit", None)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session committed once if the block succeeds, rolled back if it raises."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
