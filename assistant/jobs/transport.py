"""A durable kombu transport on one SQLite file, for the embedded (Redis-free) mode.

Why not kombu's own SQLAlchemy transport: it never deletes a delivered message and cannot tell
an acknowledged one from one a crashed worker was holding, so a restart either loses or repeats
work. Here a message row stays until it is acknowledged; a row taken by a worker that died is
made visible again by :func:`recover` when the embedded worker starts (it holds an exclusive
lock, so nothing else can be holding rows at that moment).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from queue import Empty

from kombu.transport import virtual

__all__ = ["Transport", "recover", "pending_count", "holds_task"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    queue TEXT NOT NULL,
    tag TEXT,
    payload TEXT NOT NULL,
    taken_at REAL
);
CREATE INDEX IF NOT EXISTS ix_messages_ready ON messages(queue, taken_at, id);
CREATE INDEX IF NOT EXISTS ix_messages_tag ON messages(tag);
"""


def _connect(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(_SCHEMA)
    return db


def recover(path: str) -> int:
    """Make every taken-but-unacknowledged message visible again; returns how many."""
    db = _connect(path)
    try:
        return db.execute("UPDATE messages SET taken_at = NULL WHERE taken_at IS NOT NULL").rowcount
    finally:
        db.close()


def pending_count(path: str) -> int:
    db = _connect(path)
    try:
        return db.execute("SELECT count(*) FROM messages").fetchone()[0]
    finally:
        db.close()


class Channel(virtual.Channel):
    def __init__(self, connection, **kwargs):
        super().__init__(connection, **kwargs)
        self._path = connection.client.transport_options["path"]
        self._db = _connect(self._path)
        self._lock = threading.Lock()

    # --- kombu's virtual channel hooks ------------------------------------------------------
    def _put(self, queue, message, **kwargs):
        tag = message.get("properties", {}).get("delivery_tag")
        with self._lock:
            self._db.execute("INSERT INTO messages(queue, tag, payload) VALUES (?, ?, ?)",
                             (queue, tag, json.dumps(message)))

    def _get(self, queue, timeout=None):
        with self._lock:
            # A plain read first: an idle poll must not take the write lock.
            row = self._db.execute(
                "SELECT id FROM messages WHERE queue = ? AND taken_at IS NULL ORDER BY id LIMIT 1", (queue,)
            ).fetchone()
            if row is None:
                raise Empty()
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute(
                    "SELECT id, payload FROM messages WHERE queue = ? AND taken_at IS NULL ORDER BY id LIMIT 1",
                    (queue,),
                ).fetchone()
                if row is not None:
                    self._db.execute("UPDATE messages SET taken_at = ? WHERE id = ?", (time.time(), row[0]))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        if row is None:
            raise Empty()
        return json.loads(row[1])

    def _size(self, queue):
        with self._lock:
            return self._db.execute(
                "SELECT count(*) FROM messages WHERE queue = ? AND taken_at IS NULL", (queue,)
            ).fetchone()[0]

    def _purge(self, queue):
        with self._lock:
            return self._db.execute("DELETE FROM messages WHERE queue = ? AND taken_at IS NULL", (queue,)).rowcount

    def _delete(self, queue, *args, **kwargs):
        self._purge(queue)

    def _has_queue(self, queue, **kwargs):
        return True

    def _forget(self, tag):
        with self._lock:
            self._db.execute("DELETE FROM messages WHERE tag = ?", (tag,))

    def basic_ack(self, delivery_tag, multiple=False):
        super().basic_ack(delivery_tag, multiple)
        self._forget(delivery_tag)

    def basic_reject(self, delivery_tag, requeue=False):
        super().basic_reject(delivery_tag, requeue=requeue)
        if not requeue:
            self._forget(delivery_tag)

    def _restore(self, message):
        # Put the same row back in line instead of inserting a copy.
        tag = message.delivery_tag
        with self._lock:
            updated = self._db.execute("UPDATE messages SET taken_at = NULL WHERE tag = ?", (tag,)).rowcount
        if not updated:
            super()._restore(message)

    def close(self):
        super().close()
        with self._lock:
            self._db.close()


class Transport(virtual.Transport):
    Channel = Channel
    polling_interval = 0.2
    driver_type = "sqlite"
    driver_name = "sqlite3"

    def driver_version(self):
        return sqlite3.sqlite_version


def holds_task(path: str, task_id: str) -> bool:
    """Whether a message for this Celery task id is in the queue (waiting or being worked on)."""
    db = _connect(path)
    try:
        pattern = f'%"id": "{task_id}"%'
        return db.execute("SELECT 1 FROM messages WHERE payload LIKE ? LIMIT 1", (pattern,)).fetchone() is not None
    finally:
        db.close()
