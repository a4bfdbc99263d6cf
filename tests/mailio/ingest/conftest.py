"""Fixtures of the dropbox tests: the real ingest server on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.runtime import Runtime
from assistant.settings import Settings
from mailio.ingest.server import IngestServer
from tests.conftest import TEST_JOB_MODULES, make_settings
from tests.mailio.smtp.app import make_app
from tests.mailio.smtp.servers import free_port


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data", job_modules=[*TEST_JOB_MODULES, "mailio.smtp.jobs"])


@pytest.fixture
def ingest(runtime: Runtime) -> Iterator[IngestServer]:
    server = IngestServer(runtime, "127.0.0.1", free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def api(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(make_app(runtime, run_worker=False), base_url="http://127.0.0.1:8000") as client:
        yield client
