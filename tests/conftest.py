"""Shared fixtures: a real SQLite database per test, a real app with its embedded worker."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.runtime import Runtime
from assistant.settings import Settings
from crm.migrate import upgrade
from crm.users.service import UserService

TEST_JOB_MODULES = ["tests.assistant.jobs_for_tests"]
REPO = Path(__file__).resolve().parent.parent


def make_settings(data_dir: Path, **overrides) -> Settings:
    values = dict(data_dir=data_dir, job_modules=TEST_JOB_MODULES, log_format="text", metrics="loopback")
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    rt = Runtime(settings)
    upgrade(rt.engine)
    yield rt
    rt.dispose()


@pytest.fixture
def admin(runtime: Runtime):
    with runtime.unit() as session:
        return UserService(session).create_user("admin@example.test", "admin-password", name="Ada", role="admin")


@pytest.fixture
def make_user(runtime: Runtime) -> Callable:
    def make(email: str, role: str = "rep", password: str = "rep-password"):
        with runtime.unit() as session:
            return UserService(session).create_user(email, password, role=role)

    return make


@pytest.fixture
def make_key(runtime: Runtime) -> Callable[..., str]:
    def make(user, *scopes: str) -> str:
        with runtime.unit() as session:
            service = UserService(session)
            _, plaintext = service.create_api_key(service.users.get_or_raise(user.id), list(scopes))
        return plaintext

    return make


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    """The app without its job worker: jobs asked for stay queued (most tests need none)."""
    with TestClient(create_app(runtime, run_worker=False), base_url="http://127.0.0.1:8000") as test_client:
        yield test_client


@pytest.fixture
def worker_client(runtime: Runtime) -> Iterator[TestClient]:
    """The app as `mailassist serve` runs it: with the embedded worker running the jobs."""
    with TestClient(create_app(runtime), base_url="http://127.0.0.1:8000") as test_client:
        yield test_client


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def wait_for(predicate: Callable[[], object], timeout: float = 20.0, interval: float = 0.1):
    """Poll until ``predicate`` returns something truthy; fail with a clear message otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


def redis_url() -> str | None:
    return os.environ.get("MAILASSIST_TEST_REDIS_URL")


def postgres_url() -> str | None:
    return os.environ.get("MAILASSIST_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_settings(request, tmp_path: Path) -> Iterator[Settings]:
    """Settings for a fresh database on each backend the product supports."""
    if request.param == "sqlite":
        yield make_settings(tmp_path / "data")
        return
    url = postgres_url()
    if not url:
        pytest.skip("no PostgreSQL: run the suite with `make test`, which starts one")
    from sqlalchemy import create_engine, text

    name = f"t_{os.getpid()}_{int(time.time() * 1000) % 10**9}"
    admin_engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_settings(tmp_path / "data", database_url=url.rsplit("/", 1)[0] + f"/{name}")
    with admin_engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin_engine.dispose()
