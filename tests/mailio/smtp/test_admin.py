"""The relay an admin configures (password write-only and encrypted), its test mail, and
from-addresses verified end to end by the code the relay delivers."""

from __future__ import annotations

import logging
import re

import pytest

from mailio.smtp.tables import SmtpRelay
from tests.conftest import bearer, wait_for
from tests.mailio.smtp.helpers import parse


@pytest.fixture
def admin_key(admin, make_key):
    return make_key(admin, "admin", "mail:send", "mail:read")


@pytest.fixture
def rep(make_user):
    return make_user("rep@example.test")


@pytest.fixture
def rep_key(rep, make_key):
    return make_key(rep, "mail:send", "mail:read")


def test_the_relay_password_is_write_only_and_stored_encrypted(runtime, api, admin_key, rep_key, caplog):
    caplog.set_level(logging.DEBUG)
    body = {"host": "smtp.example.test", "port": 587, "security": "starttls", "username": "relay-user",
            "password": "S3cret-relay-pw"}
    res = api.put("/v1/admin/smtp-relay", json=body, headers=bearer(admin_key))
    assert res.status_code == 200, res.text
    assert res.json()["has_password"] is True and "S3cret" not in res.text
    got = api.get("/v1/admin/smtp-relay", headers=bearer(admin_key))
    assert "password" not in got.json() and "S3cret" not in got.text
    # Omitting the password keeps it; "" removes it.
    api.put("/v1/admin/smtp-relay", json={**body, "password": None, "port": 2525}, headers=bearer(admin_key))
    with runtime.unit() as session:
        relay = session.query(SmtpRelay).one()
        assert relay.port == 2525 and relay.secret and b"S3cret" not in relay.secret
    assert api.put("/v1/admin/smtp-relay", json={**body, "password": ""},
                   headers=bearer(admin_key)).json()["has_password"] is False
    assert "S3cret-relay-pw" not in caplog.text
    assert api.get("/v1/admin/smtp-relay", headers=bearer(rep_key)).status_code == 403
    bad = api.put("/v1/admin/smtp-relay", json={**body, "host": "smtp.example.test\r\nX: y"},
                  headers=bearer(admin_key))
    assert bad.status_code == 422 and bad.json()["error"]["details"]["field"] == "host"


def test_the_relay_test_mail_reports_the_relays_answer(api, relay_factory, use_relay, admin_key):
    ok = relay_factory()
    use_relay(ok)
    res = api.post("/v1/admin/smtp-relay/test", json={"to": "it@example.test"}, headers=bearer(admin_key))
    assert res.json() == {"ok": True, "reply": "250 2.0.0 OK: queued"}
    [got] = ok.messages()
    assert got.rcpt_tos == ["it@example.test"] and parse(got.data)["Subject"] == "mailassist relay test"
    refusing = relay_factory(refuse_reply="550 5.7.1 not allowed")
    use_relay(refusing)
    res = api.post("/v1/admin/smtp-relay/test", json={"to": "it@example.test"}, headers=bearer(admin_key))
    assert res.json() == {"ok": False, "reply": "550 5.7.1 not allowed"}


def _code_for(relay, address: str) -> str:
    msg = wait_for(lambda: next((m for m in relay.messages() if address in m.rcpt_tos), None))
    return re.search(r"\b(\d{6})\b", parse(msg.data).get_body(("plain",)).get_content()).group(1)


def test_an_org_address_is_verified_by_the_mailed_code_then_anyone_may_send_from_it(
        runtime, worker_api, relay, admin_key, rep_key):
    res = worker_api.post("/v1/from-addresses", json={"address": "Sales <sales@example.test>", "scope": "org"},
                          headers=bearer(admin_key))
    assert res.status_code == 201, res.text
    row = res.json()
    assert row["verified"] is False and row["display_name"] == "Sales"
    code = _code_for(relay, "sales@example.test")
    sent = parse(relay.messages()[0].data)
    assert sent["From"] == "Ada <admin@example.test>"
    # Not usable before it is verified.
    res = worker_api.post("/v1/send", json={"to": ["x@example.test"], "text": "x", "from": "sales@example.test"},
                          headers=bearer(rep_key))
    assert res.json()["error"]["code"] == "from_not_allowed"
    wrong = "000000" if code != "000000" else "111111"
    res = worker_api.post(f"/v1/from-addresses/{row['id']}/verify", json={"code": wrong}, headers=bearer(admin_key))
    assert res.status_code == 422 and res.json()["error"]["code"] == "wrong_code"
    # A rep cannot verify (or even manage) an org address.
    res = worker_api.post(f"/v1/from-addresses/{row['id']}/verify", json={"code": code}, headers=bearer(rep_key))
    assert res.status_code == 403
    res = worker_api.post(f"/v1/from-addresses/{row['id']}/verify", json={"code": code}, headers=bearer(admin_key))
    assert res.status_code == 200 and res.json()["verified"] is True
    res = worker_api.post("/v1/send", json={"to": ["x@example.test"], "text": "x", "from": "sales@example.test"},
                          headers=bearer(rep_key))
    assert res.status_code == 202 and res.json()["mail_from"] == "sales@example.test"
    listed = worker_api.get("/v1/from-addresses", headers=bearer(rep_key)).json()
    assert [a["address"] for a in listed] == ["sales@example.test"] and "code" not in listed[0]


def test_a_users_own_address_is_theirs_alone(runtime, worker_api, relay, rep_key, make_user, make_key):
    res = worker_api.post("/v1/from-addresses", json={"address": "rep.private@example.test"},
                          headers=bearer(rep_key))
    assert res.status_code == 201 and res.json()["scope"] == "user"
    address_id = res.json()["id"]
    code = _code_for(relay, "rep.private@example.test")
    assert worker_api.post(f"/v1/from-addresses/{address_id}/verify", json={"code": code},
                           headers=bearer(rep_key)).json()["verified"] is True
    assert worker_api.put("/v1/me/compose-settings", json={"default_from": "rep.private@example.test"},
                          headers=bearer(rep_key)).status_code == 200
    sent = worker_api.post("/v1/send", json={"to": ["x@example.test"], "text": "x"}, headers=bearer(rep_key))
    assert sent.json()["mail_from"] == "rep.private@example.test"  # the default from-address
    other_key = make_key(make_user("other@example.test"), "mail:send")
    res = worker_api.post("/v1/send", json={"to": ["x@example.test"], "text": "x",
                                            "from": "rep.private@example.test"}, headers=bearer(other_key))
    assert res.json()["error"]["code"] == "from_not_allowed"
    assert worker_api.post(f"/v1/from-addresses/{address_id}/verify", json={"code": "1"},
                           headers=bearer(other_key)).status_code == 404  # not even its existence shows
    assert worker_api.delete(f"/v1/from-addresses/{address_id}", headers=bearer(other_key)).status_code == 404
    assert worker_api.post("/v1/from-addresses", json={"address": "x@example.test", "scope": "org"},
                           headers=bearer(other_key)).status_code == 403


def test_five_wrong_codes_kill_the_code_and_a_new_one_works(runtime, worker_api, relay, admin_key):
    row = worker_api.post("/v1/from-addresses", json={"address": "ops@example.test", "scope": "org"},
                          headers=bearer(admin_key)).json()
    code = _code_for(relay, "ops@example.test")
    wrong = "000000" if code != "000000" else "111111"
    verify = f"/v1/from-addresses/{row['id']}/verify"
    codes = [worker_api.post(verify, json={"code": wrong}, headers=bearer(admin_key)).json()["error"]["code"]
             for _ in range(5)]
    assert codes == ["wrong_code"] * 5
    res = worker_api.post(verify, json={"code": code}, headers=bearer(admin_key))
    assert res.status_code == 422 and res.json()["error"]["code"] == "code_expired"
    assert worker_api.post(f"/v1/from-addresses/{row['id']}/resend", headers=bearer(admin_key)).status_code == 202
    new_code = wait_for(lambda: len(relay.messages()) == 2 and re.search(
        r"\b(\d{6})\b", parse(relay.messages()[1].data).get_body(("plain",)).get_content()).group(1))
    assert worker_api.post(verify, json={"code": new_code}, headers=bearer(admin_key)).json()["verified"] is True
    assert worker_api.delete(f"/v1/from-addresses/{row['id']}", headers=bearer(admin_key)).status_code == 204
