"""Who is asking is checked for every endpoint, in one place."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from api.app import PUBLIC_PATHS
from tests.conftest import bearer


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _walk(routes, prefix: str = ""):
    """Every endpoint with its full path (FastAPI keeps included routers as nested nodes)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "original_router"):
            yield from _walk(route.original_router.routes, prefix + route.include_context.prefix)


def test_every_route_but_the_public_ones_refuses_an_anonymous_caller(client):
    checked = 0
    for path, route in _walk(client.app.routes):
        if path in PUBLIC_PATHS:
            continue
        for method in route.methods - {"HEAD", "OPTIONS"}:
            response = client.request(method, _concrete(path), headers={"accept": "application/json"})
            assert response.status_code == 401, f"{method} {path} answered {response.status_code}"
            assert response.json()["error"]["code"] == "not_authenticated"
            checked += 1
    assert checked >= 15  # the walk really covered the app


def test_a_browser_is_sent_to_sign_in(client):
    response = client.get("/inbox", headers={"accept": "text/html"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/inbox"


def test_public_endpoints_need_no_identity(client):
    assert client.get("/health").json()["status"] == "ok"
    assert client.get("/openapi.json").json()["info"]["title"] == "mailassist"
    assert client.get("/docs").status_code == 200
    assert client.get("/login").status_code == 200


def test_api_key_scopes_are_enforced(client, admin, make_key):
    read_only = make_key(admin, "mail:read")
    assert client.get("/v1/emails", headers=bearer(read_only)).status_code == 200
    refused = client.post("/v1/emails", content=b"From: a@b.c\n\nx", headers=bearer(read_only))
    assert refused.status_code == 403
    assert refused.json()["error"] == {"code": "missing_scope", "message": "this needs the 'records:write' scope",
                                       "details": {"scope": "records:write"},
                                       "request_id": refused.headers["x-request-id"]}
    assert client.post("/v1/analyze", json={"raw": "Subject: x\n\nhi"}, headers=bearer(read_only)).status_code == 403


def test_a_non_admin_cannot_reach_admin_endpoints(client, make_user, make_key):
    rep = make_user("rep@example.test")
    key = make_key(rep, "mail:read", "records:write")
    assert client.get("/v1/users", headers=bearer(key)).status_code == 403


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer mak_000000000000_wrong", "Basic abc", "Bearer"])
def test_bad_credentials_are_refused(client, header):
    response = client.get("/v1/me", headers={"Authorization": header})
    assert response.status_code == 401


def test_a_revoked_key_stops_working(client, admin, make_key):
    key = make_key(admin, "mail:read")
    me = client.get("/v1/me", headers=bearer(key)).json()
    assert me["via"] == "api_key" and me["scopes"] == ["mail:read"]
    key_id = client.get("/v1/api-keys", headers=bearer(key)).json()[0]["id"]
    assert client.delete(f"/v1/api-keys/{key_id}", headers=bearer(key)).status_code == 200
    assert client.get("/v1/me", headers=bearer(key)).status_code == 401


def test_created_keys_are_shown_once_and_stored_hashed(client, runtime, admin, make_key):
    key = make_key(admin, "admin")
    created = client.post("/v1/api-keys", json={"name": "ci", "scopes": ["analyze"]}, headers=bearer(key)).json()
    assert created["key"].startswith("mak_")
    listed = client.get("/v1/api-keys", headers=bearer(key)).json()
    assert all("key" not in item for item in listed)
    from sqlalchemy import text

    with runtime.engine.connect() as conn:
        stored = [row[0] for row in conn.execute(text("SELECT secret_hash FROM api_keys"))]
    assert created["key"].split("_", 2)[2] not in stored and all(len(h) == 64 for h in stored)


def test_unknown_scopes_are_rejected_with_the_allowed_list(client, admin, make_key):
    key = make_key(admin, "admin")
    response = client.post("/v1/api-keys", json={"scopes": ["everything"]}, headers=bearer(key))
    assert response.status_code == 422
    assert "analyze" in response.json()["error"]["details"]["allowed"]


def _sign_in(client, email, password):
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token, "next": "/inbox"},
                       follow_redirects=False), token


def test_sign_in_sets_a_session_and_forms_need_the_csrf_token(client, admin):
    response, token = _sign_in(client, "admin@example.test", "admin-password")
    assert response.status_code == 303 and response.headers["location"] == "/inbox"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert client.get("/v1/me").json()["via"] == "session"
    # Without the token a cookie-authenticated POST is refused (a cross-site form could send the cookie).
    without = client.post("/v1/api-keys", json={"scopes": ["analyze"]})
    assert without.status_code == 403 and without.json()["error"]["code"] == "csrf_failed"
    page = client.get("/inbox")
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    with_token = client.post("/v1/api-keys", json={"scopes": ["analyze"]}, headers={"X-CSRF-Token": token})
    assert with_token.status_code == 201


def test_a_wrong_password_is_refused_and_repeated_failures_slow_down(client, admin):
    for _ in range(5):
        response, _ = _sign_in(client, "admin@example.test", "wrong-password")
        assert "Wrong email or password" in response.text
    response, _ = _sign_in(client, "admin@example.test", "admin-password")
    assert "Too many failed attempts" in response.text


def test_sign_in_never_redirects_off_site(client, admin):
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post("/login", data={"email": "admin@example.test", "password": "admin-password",
                                           "csrf_token": token, "next": "//evil.example/x"}, follow_redirects=False)
    assert response.headers["location"] == "/"
