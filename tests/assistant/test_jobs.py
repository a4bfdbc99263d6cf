"""The job layer, run the same way against both brokers.

embedded: the SQLite queue and a worker thread inside this process (the default service mode).
redis: a real Redis and a separate `mailassist worker` process, as in a scaled-out deployment.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.jobs.embedded import EmbeddedWorker
from assistant.jobs.tables import JobRun
from assistant.runtime import Runtime
from crm.migrate import upgrade
from tests.conftest import REPO, make_settings, redis_url, wait_for


def _env(settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update(MAILASSIST_DATA_DIR=str(settings.data_dir), MAILASSIST_JOB_MODULES='["tests.assistant.jobs_for_tests"]',
               MAILASSIST_LOG_FORMAT="text", PYTHONPATH=str(REPO))
    if settings.broker_url:
        env["MAILASSIST_BROKER_URL"] = settings.broker_url.get_secret_value()
        env["MAILASSIST_BROKER_VISIBILITY_TIMEOUT_S"] = str(settings.broker_visibility_timeout_s)
    return env


class Mode:
    """Starts and stops whatever consumes jobs in one mode."""

    def __init__(self, name: str, tmp_path: Path):
        self.name = name
        extra = {}
        if name == "redis":
            url = redis_url()
            if not url:
                pytest.skip("no Redis: run the suite with `make test`, which starts one")
            # Short, so the crash test need not wait an hour for Redis to hand the job out again.
            extra.update(broker_url=url, broker_visibility_timeout_s=3)
        self.settings = make_settings(tmp_path / "data", **extra)
        self.runtime = Runtime(self.settings)
        upgrade(self.runtime.engine)
        if name == "redis":
            # Leftovers of an earlier test in the same Redis would be consumed by this worker.
            with self.runtime.celery.connection_for_write() as conn:
                conn.default_channel.client.flushdb()
        self.embedded: EmbeddedWorker | None = None
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Embedded: a worker thread in this process. Redis: a `mailassist worker` process."""
        if self.name == "embedded":
            self.embedded = EmbeddedWorker(self.runtime)
            assert self.embedded.start()
        else:
            self.start_process()

    def start_process(self) -> None:
        log = open(self.settings.data_dir / "worker.log", "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "worker", "--concurrency=1"],
            env=_env(self.settings), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def worker_holds_a_job(self) -> bool:
        """The worker took the message and keeps it unacknowledged until the job is due."""
        if self.name == "embedded":
            db = sqlite3.connect(self.settings.data_dir / "jobs.sqlite")
            try:
                return db.execute("SELECT count(*) FROM messages WHERE taken_at IS NOT NULL").fetchone()[0] > 0
            finally:
                db.close()
        with self.runtime.celery.connection_for_write() as conn:
            return conn.default_channel.client.hlen("unacked") > 0

    def kill(self) -> None:
        """Kill the worker process abruptly, as a crash or a power cut would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None

    def stop_consumer(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process = None
        if self.embedded is not None:
            self.embedded.stop()
            self.embedded = None

    def stop(self) -> None:
        self.stop_consumer()
        self.runtime.dispose()

    def run_state(self, run_id: str) -> JobRun | None:
        with self.runtime.unit() as session:
            return session.get(JobRun, run_id)

    def wait_state(self, run_id: str, state: str, timeout: float = 30.0) -> JobRun:
        return wait_for(lambda: (r := self.run_state(run_id)) is not None and r.state == state and r, timeout)


@pytest.fixture(params=["embedded", "redis"])
def mode(request, tmp_path):
    m = Mode(request.param, tmp_path)
    m.start()
    yield m
    m.stop()


def test_a_job_runs_and_reports_progress(mode, tmp_path):
    target = tmp_path / "out.txt"
    with mode.runtime.unit() as session:
        run_id = mode.runtime.enqueue(session, "tests.touch", str(target), "hello")
    run = mode.wait_state(run_id, "succeeded")
    assert target.read_text() == "hello"
    assert (run.done, run.total, run.message) == (1, 1, "touched")
    assert run.attempts == 1 and run.finished_at is not None


def test_a_job_is_not_published_when_the_transaction_rolls_back(mode, tmp_path):
    target = tmp_path / "never.txt"
    with pytest.raises(RuntimeError):
        with mode.runtime.unit() as session:
            run_id = mode.runtime.enqueue(session, "tests.touch", str(target))
            raise RuntimeError("the unit of work fails after asking for the job")
    # A later job runs, so the worker is alive; the first one must never have been published.
    with mode.runtime.unit() as session:
        later = mode.runtime.enqueue(session, "tests.touch", str(tmp_path / "later.txt"))
    mode.wait_state(later, "succeeded")
    assert not target.exists()
    assert mode.run_state(run_id) is None


def test_transient_failures_are_retried_with_growing_delays(mode, tmp_path):
    counter = tmp_path / "counter"
    with mode.runtime.unit() as session:
        run_id = mode.runtime.enqueue(session, "tests.flaky", str(counter), 3)
    run = mode.wait_state(run_id, "succeeded", timeout=40)
    assert run.attempts == 4 and run.result == {"attempts": 4}
    times = [float(t) for t in counter.with_suffix(".times").read_text().split()]
    gaps = [b - a for a, b in zip(times, times[1:])]
    # backoff 0.3 s doubling (±20 % jitter): about 0.3, 0.6, 1.2 s
    assert gaps[0] >= 0.2 and gaps[2] >= 0.9, gaps
    assert gaps[2] > gaps[0], gaps


def test_a_permanent_error_fails_without_retrying(mode):
    with mode.runtime.unit() as session:
        run_id = mode.runtime.enqueue(session, "tests.bad_input")
    run = mode.wait_state(run_id, "failed")
    assert run.attempts == 1 and "never work" in (run.error or "")


def test_a_delayed_job_waits_for_its_time(mode, tmp_path):
    target = tmp_path / "delayed.txt"
    start = time.time()
    with mode.runtime.unit() as session:
        run_id = mode.runtime.enqueue(session, "tests.touch", str(target), countdown=2.5)
    mode.wait_state(run_id, "succeeded", timeout=30)
    assert target.stat().st_mtime - start >= 2.3


def test_a_delayed_job_survives_a_crash_of_its_worker(mode, tmp_path):
    """A worker process is killed (SIGKILL) while it holds a delayed job; the next one runs it."""
    mode.stop_consumer()
    mode.start_process()
    target = tmp_path / "survivor.txt"
    with mode.runtime.unit() as session:
        run_id = mode.runtime.enqueue(session, "tests.touch", str(target), countdown=6)
    wait_for(lambda: mode.worker_holds_a_job(), timeout=30)
    mode.kill()
    assert not target.exists()
    mode.start_process()
    mode.wait_state(run_id, "succeeded", timeout=60)
    assert target.exists()


def test_beat_runs_periodic_jobs(mode):
    ticks = mode.settings.data_dir / "ticks"
    wait_for(lambda: ticks.exists() and len(ticks.read_text().split()) >= 2, timeout=30)
