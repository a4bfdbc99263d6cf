"""One error hierarchy for the whole service.

Each error has a stable ``code`` (clients match on it) and an HTTP ``status``; the API edge turns
them into JSON with one handler. ``BadInput`` is the sender's or caller's fault (logged at INFO,
data kept, marked); anything that is not a ``MailassistError`` is our bug (logged with traceback).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "MailassistError",
    "BadInput",
    "NotAuthenticated",
    "Forbidden",
    "NotFound",
    "Conflict",
    "TooLarge",
    "RateLimited",
    "Unavailable",
]


class MailassistError(Exception):
    status: int = 500
    code: str = "internal_error"

    def __init__(self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details or {}

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return body


class BadInput(MailassistError):
    status = 422
    code = "bad_input"


class NotAuthenticated(MailassistError):
    status = 401
    code = "not_authenticated"


class Forbidden(MailassistError):
    status = 403
    code = "forbidden"


class NotFound(MailassistError):
    status = 404
    code = "not_found"


class Conflict(MailassistError):
    status = 409
    code = "conflict"


class TooLarge(MailassistError):
    status = 413
    code = "too_large"


class RateLimited(MailassistError):
    status = 429
    code = "rate_limited"


class Unavailable(MailassistError):
    status = 503
    code = "unavailable"
