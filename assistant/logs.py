"""Structured logging: one line per event, request/job ids from context, secrets redacted.

Message bodies and credentials are never passed to the logger at INFO; as a second line of
defence, values of keys that look secret are masked before a record is written.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import time
from typing import Any

__all__ = ["configure_logging", "request_id_var", "log_event"]

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

_SECRET_WORDS = ("password", "secret", "token", "api_key", "apikey", "authorization", "cookie", "credential")
_STD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


def _redact(key: str, value: Any) -> Any:
    if any(word in key.lower() for word in _SECRET_WORDS):
        return "***"
    return value


class _Formatter(logging.Formatter):
    def __init__(self, fmt: str):
        super().__init__()
        self.fmt = fmt

    def format(self, record: logging.LogRecord) -> str:
        event: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        rid = request_id_var.get()
        if rid:
            event["request_id"] = rid
        for key, value in record.__dict__.items():
            if key not in _STD_ATTRS and not key.startswith("_"):
                event[key] = _redact(key, value)
        if record.exc_info:
            event["exc"] = self.formatException(record.exc_info)
        if self.fmt == "json":
            return json.dumps(event, default=str, ensure_ascii=False)
        extras = " ".join(f"{k}={v}" for k, v in event.items() if k not in {"ts", "level", "logger", "event"})
        return f"{event['ts']} {event['level']:<7} {event['logger']}: {event['event']} {extras}".rstrip()


class _StderrHandler(logging.StreamHandler):
    """Writes to ``sys.stderr`` as it is when a record is emitted, not as it was when logging was set up:
    a test runner swaps it per test and closes the old one, and a record then lost itself in a
    "Logging error" on a closed file."""

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:  # StreamHandler.__init__ assigns it; the current stderr wins
        pass


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    handler = _StderrHandler()
    handler.setFormatter(_Formatter(fmt))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Access logs are replaced by our own request line (with request id and route).
    # Celery's per-task lines repeat task arguments; our own job log lines carry what matters.
    for noisy in ("uvicorn.access", "httpx", "httpcore", "multipart", "celery.app.trace",
                  "celery.worker.strategy"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error", "celery", "kombu"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


def log_event(logger: logging.Logger, event: str, level: int = logging.INFO, **fields: Any) -> None:
    logger.log(level, event, extra=fields)
