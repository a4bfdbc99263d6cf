"""The database layer on SQLite (the default) and PostgreSQL (selected by URL alone)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.app import create_app
from assistant.runtime import Runtime
from crm.mail.service import MailStore
from crm.migrate import upgrade
from crm.schema import metadata
from crm.users.service import UserService
from tests.conftest import bearer, wait_for


@pytest.fixture
def any_runtime(any_db_settings):
    runtime = Runtime(any_db_settings)
    upgrade(runtime.engine)
    yield runtime
    runtime.dispose()


def test_migrations_create_exactly_the_tables_the_code_declares(any_runtime):
    with any_runtime.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diffs == [], "the ORM tables and the migrations disagree: run `mailassist db revision -m ...`"


def test_migrating_twice_changes_nothing(any_runtime):
    upgrade(any_runtime.engine)
    with any_runtime.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1


def test_datetimes_come_back_in_utc(any_runtime):
    sent = datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=9)))
    raw = b"From: a@example.test\nDate: Mon, 23 Nov 2026 09:00:00 +0900\nMessage-ID: <tz@x>\n\nhi"
    with any_runtime.unit() as session:
        email_id = MailStore(session).store(raw, owner_id=None, source="test").email.id
    with any_runtime.unit() as session:
        stored = MailStore(session).emails.get(email_id).date
    assert stored == sent and stored.utcoffset() == timedelta(0)


def test_a_unit_of_work_is_all_or_nothing(any_runtime):
    with pytest.raises(RuntimeError):
        with any_runtime.unit() as session:
            UserService(session).create_user("gone@example.test", "password123")
            raise RuntimeError("boom")
    with any_runtime.unit() as session:
        assert UserService(session).users.by_email("gone@example.test") is None


def test_the_api_works_on_either_database(any_runtime):
    with any_runtime.unit() as session:
        users = UserService(session)
        _, key = users.create_api_key(users.create_user("u@example.test", "password123"), ["mail:read",
                                                                                              "records:write"])
    with TestClient(create_app(any_runtime, run_worker=False)) as client:
        raw = b"From: Ann <ann@example.test>\nSubject: Both\nMessage-ID: <b@x>\n\nhello"
        assert client.post("/v1/emails", content=raw, headers=bearer(key)).status_code == 201
        page = client.get("/v1/emails?sort=-date", headers=bearer(key)).json()
    assert [e["subject"] for e in page["items"]] == ["Both"]


def test_sqlite_runs_in_wal_mode(runtime):
    with runtime.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_new_database_gets_16_kb_pages_and_an_existing_one_keeps_its_own(tmp_path):
    import sqlite3

    from crm.db import make_engine

    old = tmp_path / "old.sqlite"
    with sqlite3.connect(old) as conn:  # made by an earlier version, with SQLite's default pages
        conn.execute("CREATE TABLE t (x)")
    for path, page_size, checkpoint_pages in ((tmp_path / "new.sqlite", 16384, 2048), (old, 4096, 8192)):
        engine = make_engine(f"sqlite:///{path}")
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS u (x)")
            assert conn.exec_driver_sql("PRAGMA page_size").scalar() == page_size
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == checkpoint_pages  # 32 MB
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -16384  # 16 MB
        engine.dispose()


def test_background_checkpoints_take_over_the_writers_checkpoints_and_hand_them_back(runtime):
    from crm.db import background_checkpoints

    def autocheckpoint() -> int:
        with runtime.engine.connect() as conn:
            return conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()

    assert autocheckpoint() == 2048  # 32 MB of 16 KB pages
    with background_checkpoints(runtime.engine, every_s=0.05), background_checkpoints(runtime.engine, every_s=0.05):
        assert autocheckpoint() == 0  # the writer leaves checkpoints to the thread
        with runtime.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE filler (data BLOB)")
            conn.exec_driver_sql("INSERT INTO filler VALUES (zeroblob(2000000))")

        def copied() -> bool:
            with runtime.engine.connect() as conn:
                busy, frames, done = conn.exec_driver_sql("PRAGMA wal_checkpoint(NOOP)").one()
            return frames > 0 and done == frames

        wait_for(copied, timeout=10)  # the thread copied every frame of the WAL into the database
    assert runtime.engine.info_checkpointers == 0
    assert autocheckpoint() == 2048
