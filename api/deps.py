"""Request dependencies: the runtime, one session per request, and who is asking.

The identity check lives here and only here: every router except the public ones is built with
:func:`protected` so no endpoint can forget it (a test walks all routes to prove it).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from assistant.errors import Forbidden, NotAuthenticated
from assistant.runtime import Runtime
from crm.users.service import Identity, UserService

__all__ = ["get_runtime", "db", "DB", "identity", "CurrentIdentity", "require", "protected", "csrf_token",
           "SESSION_USER", "SESSION_CSRF"]

SESSION_USER = "uid"
SESSION_CSRF = "csrf"
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def db(request: Request) -> Iterator[Session]:
    """The request's unit of work: committed once after the endpoint returns, before the response."""
    with get_runtime(request).unit() as session:
        yield session


DB = Annotated[Session, Depends(db, scope="function")]


def csrf_token(request: Request) -> str:
    token = request.session.get(SESSION_CSRF)
    if not token:
        token = request.session[SESSION_CSRF] = secrets.token_urlsafe(24)
    return token


async def _check_csrf(request: Request) -> None:
    expected = request.session.get(SESSION_CSRF)
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = (await request.form()).get("csrf_token")
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(expected, sent):
        raise Forbidden("missing or wrong CSRF token", code="csrf_failed")


# Declared so the OpenAPI document shows the scheme (and /docs has an "Authorize" button);
# the header itself is parsed below, where a malformed one gets a precise error.
_bearer = HTTPBearer(auto_error=False, scheme_name="api_key", description="Authorization: Bearer <api key>")


async def identity(request: Request, session: DB,
                   _declared: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)] = None) -> Identity:
    cached = getattr(request.state, "identity", None)
    if cached is not None:
        return cached
    users = UserService(session)
    auth = request.headers.get("authorization", "")
    found: Identity | None = None
    if auth:
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise NotAuthenticated("use 'Authorization: Bearer <api key>'", code="bad_authorization")
        found = users.resolve_api_key(token)
        if found is None:
            raise NotAuthenticated("invalid or revoked API key", code="bad_api_key")
    elif (uid := request.session.get(SESSION_USER)) is not None:
        user = users.users.get(uid)
        if user is not None and user.is_active:
            found = users.identity_for(user)
            # Cookies ride along on cross-site requests; API keys do not, so only sessions need CSRF.
            if request.method not in _SAFE_METHODS:
                await _check_csrf(request)
        else:
            request.session.clear()
    if found is None:
        raise NotAuthenticated("sign in or send an API key")
    request.state.identity = found
    return found


CurrentIdentity = Annotated[Identity, Depends(identity)]


def require(scope: str):
    """A dependency that refuses identities without ``scope``."""

    async def check(who: CurrentIdentity) -> Identity:
        if not who.has(scope):
            raise Forbidden(f"this needs the '{scope}' scope", code="missing_scope", details={"scope": scope})
        return who

    return Depends(check)


def protected(**kwargs) -> APIRouter:
    """A router whose every route requires an identity."""
    deps = list(kwargs.pop("dependencies", []))
    return APIRouter(dependencies=[Depends(identity), *deps], **kwargs)
