"""A real Celery worker (and beat) inside the service process, for the Redis-free default.

Only one process per data directory runs it (an exclusive file lock), so several API processes
can share one data directory; the lock holder is also the only one that may recover messages a
crashed predecessor was holding.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
import threading
from typing import IO

from celery import beat
from celery.worker import WorkController
from celery.worker import state as worker_state

from assistant.jobs import transport
from assistant.runtime import Runtime

__all__ = ["EmbeddedWorker"]

log = logging.getLogger("assistant.jobs")


class EmbeddedWorker:
    def __init__(self, runtime: Runtime, *, with_beat: bool = True):
        self.runtime = runtime
        self.with_beat = with_beat
        self._lock_file: IO[str] | None = None
        self._worker: WorkController | None = None
        self._threads: list[threading.Thread] = []
        self._beat: beat.Service | None = None

    @property
    def running(self) -> bool:
        return self._worker is not None

    def _acquire(self) -> bool:
        path = self.runtime.settings.ensure_data_dir() / "worker.lock"
        handle = open(path, "w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock_file = handle
        return True

    def start(self) -> bool:
        """Start worker and beat threads; False when another process of this data dir has them."""
        if not self._acquire():
            log.info("embedded worker runs in another process", extra={"pid": os.getpid()})
            return False
        settings = self.runtime.settings
        queue_path = str(settings.data_dir / "jobs.sqlite")
        recovered = transport.recover(queue_path)
        if recovered:
            log.warning("recovered jobs held by a stopped worker", extra={"count": recovered})
        celery = self.runtime.celery
        celery.finalize()
        # Celery's thread pool looks tasks up on the *current* app; make it ours.
        celery.set_current()
        celery.set_default()
        started = threading.Event()
        worker = WorkController(
            app=celery, hostname=f"embedded@{socket.gethostname()}", pool="threads",
            concurrency=settings.embedded_worker_threads, loglevel=settings.log_level,
            without_heartbeat=True, without_mingle=True, without_gossip=True,
            queues=[celery.conf.task_default_queue], ready_callback=lambda _consumer: started.set(),
        )
        worker_state.should_terminate = None
        self._worker = worker
        self._spawn(worker.start, "embedded-worker")
        started.wait(30)
        if self.with_beat:
            self._beat = beat.Service(celery, schedule_filename=str(settings.data_dir / "beat-schedule"))
            self._spawn(self._beat.start, "embedded-beat")
        log.info("embedded worker started", extra={"threads": settings.embedded_worker_threads})
        return True

    def _spawn(self, target, name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self, timeout: float = 15.0) -> None:
        if self._worker is None:
            return
        if self._beat is not None:
            self._beat.stop()
        # A warm shutdown: running jobs finish, held (unacknowledged) ones go back to the queue.
        self._worker.stop(in_sighandler=False)
        for thread in self._threads:
            thread.join(timeout)
            if thread.is_alive():  # the worker loop also polls this flag
                worker_state.should_terminate = 0
                thread.join(timeout)
        worker_state.should_terminate = None
        self._worker = None
        self._threads.clear()
        if self._lock_file is not None:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None
        log.info("embedded worker stopped")
