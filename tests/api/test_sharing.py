"""Mail sharing, enforced on every endpoint that can show mail: private, metadata only, full."""

from __future__ import annotations

import re

import pytest

from tests.conftest import bearer

RAW = (b"From: Sarah <sarah@northwind.example>\r\nTo: alice@example.test\r\nSubject: Private pricing\r\n"
       b"Message-ID: <share1@x>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\nOur budget is 40k.\r\n")


@pytest.fixture
def setup(client, make_user, make_key):
    alice, bob = make_user("alice@example.test"), make_user("bob@example.test")
    alice_key = make_key(alice, "mail:read", "records:write", "records:read")
    bob_key = make_key(bob, "mail:read", "records:read", "records:write")
    email_id = client.post("/v1/emails", content=RAW, headers=bearer(alice_key)).json()["email"]["id"]
    contact = client.post("/v1/contacts", json={"first_name": "Sarah", "email": "sarah@northwind.example"},
                          headers=bearer(bob_key)).json()
    # Alice's mail predates Bob's contact: creating the contact linked it (checked in test_mail_linking).
    return {"alice": alice, "bob": bob, "alice_key": alice_key, "bob_key": bob_key, "email_id": email_id,
            "contact_id": contact["id"]}


def _bob_sees(client, s) -> dict:
    h, eid = bearer(s["bob_key"]), s["email_id"]
    listed = client.get("/v1/emails", headers=h).json()["items"]
    timeline = client.get(f"/v1/contacts/{s['contact_id']}/timeline", headers=h).json()
    return {
        "list": [(e["subject"], e.get("to_addrs")) for e in listed],
        "get": client.get(f"/v1/emails/{eid}", headers=h).status_code,
        "raw": client.get(f"/v1/emails/{eid}/raw", headers=h).status_code,
        "links": client.get(f"/v1/emails/{eid}/links", headers=h).status_code,
        "analysis": client.get(f"/v1/emails/{eid}/analysis", headers=h).status_code,
        "timeline": [(t["subject"], t["access"]) for t in timeline],
    }


def test_private_mail_is_invisible_to_another_rep_everywhere(client, setup):
    seen = _bob_sees(client, setup)
    assert seen == {"list": [], "get": 404, "raw": 404, "links": 404, "analysis": 404, "timeline": []}


def test_metadata_sharing_shows_sender_subject_and_date_only(client, setup):
    h = bearer(setup["alice_key"])
    share = client.post("/v1/mail-sharing", json={"level": "metadata", "user_id": setup["bob"].id}, headers=h)
    assert share.status_code == 201
    seen = _bob_sees(client, setup)
    assert seen["list"] == [("Private pricing", None)]
    assert seen["get"] == 200 and seen["raw"] == 403 and seen["links"] == 403 and seen["analysis"] == 403
    assert seen["timeline"] == [("Private pricing", "metadata")]
    body = client.get(f"/v1/emails/{setup['email_id']}", headers=bearer(setup["bob_key"])).json()
    assert body["access"] == "metadata" and body["size"] is None and body["message_id"] is None


def test_full_sharing_by_role_shows_everything(client, setup):
    client.post("/v1/mail-sharing", json={"level": "full", "role": "rep"}, headers=bearer(setup["alice_key"]))
    seen = _bob_sees(client, setup)
    assert seen["raw"] == 200 and seen["links"] == 200 and seen["list"][0][1] == ["alice@example.test"]
    assert seen["timeline"] == [("Private pricing", "full")]


def test_only_the_owner_or_an_admin_shares(client, setup):
    response = client.post("/v1/mail-sharing", json={"level": "full", "user_id": setup["bob"].id,
                                                     "owner_id": setup["alice"].id},
                           headers=bearer(setup["bob_key"]))
    assert response.status_code == 403
    assert _bob_sees(client, setup)["get"] == 404


def test_the_web_pages_apply_the_same_rules(client, setup):
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"email": "bob@example.test", "password": "rep-password", "csrf_token": token})
    assert "Private pricing" not in client.get("/inbox?view=all").text
    assert client.get(f"/mail/{setup['email_id']}", headers={"accept": "text/html"}).status_code == 404
    client.post("/v1/mail-sharing", json={"level": "metadata", "user_id": setup["bob"].id},
                headers=bearer(setup["alice_key"]))
    assert "Private pricing" in client.get("/inbox?view=all").text
    mail_page = client.get(f"/mail/{setup['email_id']}").text
    assert "metadata-only" in mail_page and "budget is 40k" not in mail_page
