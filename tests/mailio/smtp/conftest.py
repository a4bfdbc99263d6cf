"""Fixtures of the sending tests: the sending jobs loaded, a real relay, the API with our routers."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.jobs.registry import JOBS
from assistant.runtime import Runtime
from assistant.settings import Settings
from mailio.smtp.relay import RelayChange, RelayService
from tests.conftest import TEST_JOB_MODULES, make_settings
from tests.mailio.smtp.app import make_app
from tests.mailio.smtp.servers import RecordingRelay

SENDING_JOB_MODULES = [*TEST_JOB_MODULES, "mailio.smtp.jobs"]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data", job_modules=SENDING_JOB_MODULES)


@pytest.fixture
def fast_retries(runtime: Runtime, monkeypatch) -> None:
    """Retry after ~0.4 s, 0.8 s, … instead of minutes: the backoff shape is the product's, scaled down."""
    for name in ("mail.send", "mail.send_batch", "mail.from_address_code"):
        monkeypatch.setitem(JOBS, name, dataclasses.replace(JOBS[name], backoff_s=0.4, backoff_max_s=3.0))


@pytest.fixture
def api(runtime: Runtime) -> Iterator[TestClient]:
    """Our routes without a worker: jobs asked for stay queued."""
    with TestClient(make_app(runtime, run_worker=False), base_url="http://127.0.0.1:8000") as client:
        yield client


@pytest.fixture
def worker_api(runtime: Runtime, fast_retries) -> Iterator[TestClient]:
    """Our routes with the embedded worker running the jobs (as `mailassist serve` does)."""
    with TestClient(make_app(runtime, run_worker=True), base_url="http://127.0.0.1:8000") as client:
        yield client


@pytest.fixture
def relay_factory() -> Iterator[Callable[..., RecordingRelay]]:
    started: list[RecordingRelay] = []

    def start(**script) -> RecordingRelay:
        relay = RecordingRelay(**script).start()
        started.append(relay)
        return relay

    yield start
    for relay in started:
        relay.stop()


@pytest.fixture
def use_relay(runtime: Runtime) -> Callable[[RecordingRelay], None]:
    """Point the organisation's relay setting at a test server."""

    def configure(relay: RecordingRelay) -> None:
        with runtime.unit() as session:
            RelayService(session, runtime.settings).put(RelayChange(host="127.0.0.1", port=relay.port,
                                                                    security="none"))

    return configure


@pytest.fixture
def relay(relay_factory, use_relay) -> RecordingRelay:
    server = relay_factory()
    use_relay(server)
    return server
