"""Fixtures for the parsing rules: the real app (its routes and job catalog include the rules), an admin key,
stored form mail."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.runtime import Runtime
from crm.mail.service import MailStore
from crm.migrate import upgrade
from crm.users.service import UserService
from nlp.pipeline import Pipeline
from tests.conftest import TEST_JOB_MODULES, bearer, make_settings
from tests.rules.forms import build

# The parse stage alone: rules need the parsed message, not the models of the later stages.
PARSE_ONLY = """
[pipeline]
version = "rules-test"
modules = ["nlp.parsing.component"]
components = ["parse"]
[components.parse]
factory = "parse"
"""
ADMIN_EMAIL = "admin@example.test"


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory) -> Path:
    """A database migrated to head with an admin in it, made once: each test starts from a copy (migrating
    and hashing a password per test would cost more than the tests themselves)."""
    data = tmp_path_factory.mktemp("template") / "data"
    rt = Runtime(make_settings(data))
    upgrade(rt.engine)
    with rt.unit() as session:
        UserService(session).create_user(ADMIN_EMAIL, "admin-password", name="Ada", role="admin")
    rt.dispose()  # the last connection checkpoints the WAL into the file
    return data / "mailassist.sqlite"


@pytest.fixture
def runtime(tmp_path: Path, migrated_db: Path) -> Iterator[Runtime]:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(migrated_db, data / "mailassist.sqlite")
    rt = Runtime(make_settings(data, job_modules=TEST_JOB_MODULES))
    yield rt
    rt.dispose()


@pytest.fixture
def admin_user(runtime):
    with runtime.unit() as session:
        return UserService(session).users.by_email(ADMIN_EMAIL)


@pytest.fixture
def who(runtime, admin_user):
    with runtime.unit() as session:
        users = UserService(session)
        return users.identity_for(users.users.get_or_raise(admin_user.id))


@pytest.fixture
def admin_key(runtime, admin_user) -> dict[str, str]:
    with runtime.unit() as session:
        service = UserService(session)
        _, key = service.create_api_key(service.users.get_or_raise(admin_user.id),
                                        ["admin", "records:read", "records:write", "mail:read"])
    return bearer(key)


@pytest.fixture(scope="session")
def rules_app(tmp_path_factory, migrated_db: Path):
    """The app without its worker, built once: building FastAPI's routes costs seconds, and a request finds
    its runtime (database, settings) on ``app.state`` — each test puts its own there."""
    data = tmp_path_factory.mktemp("app") / "data"
    data.mkdir()
    shutil.copyfile(migrated_db, data / "mailassist.sqlite")
    first = Runtime(make_settings(data, job_modules=TEST_JOB_MODULES))
    yield create_app(first, run_worker=False)
    first.dispose()


@pytest.fixture
def api(runtime, rules_app) -> Iterator[TestClient]:
    """The app (jobs asked for stay queued) on this test's database."""
    rules_app.state.runtime = runtime
    with TestClient(rules_app, base_url="http://127.0.0.1:8000") as client:
        yield client


@pytest.fixture
def store(runtime, admin_user):
    """Store form mail as if synced into the admin's mailbox; returns the new mails' ids."""

    def put(form: str, *indexes: int, source: str = "imap") -> list[int]:
        with runtime.unit() as session:
            mail = MailStore(session)
            return [mail.store(build(form, i), owner_id=admin_user.id, source=source).email.id for i in indexes]

    return put


@pytest.fixture(scope="session")
def pipeline(tmp_path_factory) -> Pipeline:
    path = tmp_path_factory.mktemp("pipeline") / "parse_only.toml"
    path.write_text(PARSE_ONLY)
    return Pipeline.from_config(path)
