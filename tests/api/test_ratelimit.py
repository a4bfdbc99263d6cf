from __future__ import annotations

import pytest

from api.ratelimit import RateLimiter
from assistant.errors import RateLimited
from tests.conftest import bearer


def test_a_window_of_calls_then_429_with_retry_after():
    limiter = RateLimiter(3, 60)
    for _ in range(3):
        limiter.check("u1")
    with pytest.raises(RateLimited) as refused:
        limiter.check("u1")
    assert refused.value.status == 429 and refused.value.details["retry_after_s"] >= 1
    limiter.check("u2")  # others are not affected


def test_connection_tests_of_mailbox_settings_are_limited_per_user(client, make_user, make_key):
    key = make_key(make_user("prober@example.test"), "mail:read")
    body = {"kind": "imap", "host": "127.0.0.1", "port": 1, "security": "none", "username": "x", "password": "y"}
    codes = [client.post("/v1/mailboxes/test", json=body, headers=bearer(key)).status_code for _ in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 429
