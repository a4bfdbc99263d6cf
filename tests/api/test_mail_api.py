"""Storing and reading mail through the API, and importing an upload in the background."""

from __future__ import annotations

import mailbox

from crm.demo import DEMO_DIR
from tests.conftest import bearer, wait_for

RAW = b"From: Jo <jo@example.test>\r\nTo: me@example.test\r\nSubject: Hello\r\nMessage-ID: <a1@example.test>\r\n" \
      b"Date: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\nHi there\r\n"


def test_store_read_and_download_a_message(client, admin, make_key):
    key = make_key(admin, "mail:read", "records:write")
    stored = client.post("/v1/emails", content=RAW, headers={**bearer(key), "content-type": "message/rfc822"})
    assert stored.status_code == 201
    body = stored.json()
    assert body["created"] and body["email"]["subject"] == "Hello" and body["email"]["from_addr"] == "jo@example.test"
    again = client.post("/v1/emails", content=RAW, headers=bearer(key)).json()
    assert again == {**body, "created": False}  # same bytes, same owner: stored once
    email_id = body["email"]["id"]
    assert client.get(f"/v1/emails/{email_id}/raw", headers=bearer(key)).content == RAW
    listed = client.get("/v1/emails", headers=bearer(key)).json()
    assert listed["total"] == 1 and listed["items"][0]["date"] == "2026-11-23T09:00:00Z"


def test_a_message_that_is_not_mail_is_kept_and_marked(client, admin, make_key):
    key = make_key(admin, "mail:read", "records:write")
    junk = b"\x00\x01 this is not a mail at all"
    email = client.post("/v1/emails", content=junk, headers=bearer(key)).json()["email"]
    assert email["status"] == "malformed" and "not an RFC 5322 message" in email["problem"]
    assert client.get(f"/v1/emails/{email['id']}/raw", headers=bearer(key)).content == junk
    assert client.get("/v1/emails?status=malformed", headers=bearer(key)).json()["total"] == 1


def test_an_oversized_message_gets_413(runtime, admin, make_key):
    from fastapi.testclient import TestClient

    from api.app import create_app

    runtime.settings.max_message_bytes = 1000
    with TestClient(create_app(runtime, run_worker=False)) as small:
        key = make_key(admin, "records:write")
        response = small.post("/v1/emails", content=b"x" * 5000, headers=bearer(key))
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_a_rep_cannot_read_another_reps_mail(client, make_user, make_key):
    alice, bob = make_user("alice@example.test"), make_user("bob@example.test")
    alice_key, bob_key = make_key(alice, "mail:read", "records:write"), make_key(bob, "mail:read")
    email_id = client.post("/v1/emails", content=RAW, headers=bearer(alice_key)).json()["email"]["id"]
    assert client.get(f"/v1/emails/{email_id}", headers=bearer(bob_key)).status_code == 404
    assert client.get(f"/v1/emails/{email_id}/raw", headers=bearer(bob_key)).status_code == 404
    assert client.get("/v1/emails", headers=bearer(bob_key)).json()["total"] == 0


def test_an_uploaded_mbox_is_imported_by_a_job_with_progress(worker_client, admin, make_key, tmp_path):
    key = make_key(admin, "mail:read", "records:write")
    box_path = tmp_path / "demo.mbox"
    box = mailbox.mbox(str(box_path))
    for eml in sorted(DEMO_DIR.glob("*.eml")):
        box.add(eml.read_bytes())
    box.flush()
    box.close()
    with box_path.open("rb") as handle:
        job = worker_client.post("/v1/imports", files={"file": ("demo.mbox", handle)}, headers=bearer(key))
    assert job.status_code == 202 and job.json()["state"] == "queued"
    done = wait_for(lambda: (j := worker_client.get(f"/v1/jobs/{job.json()['id']}", headers=bearer(key)).json())
                    ["state"] == "succeeded" and j)
    count = len(list(DEMO_DIR.glob("*.eml")))
    assert done["result"]["stored"] == count and (done["done"], done["total"]) == (count, count)
    assert worker_client.get("/v1/emails", headers=bearer(key)).json()["total"] == count


def test_attachments_are_stored_once_by_content_hash(client, runtime, admin, make_key):
    from email.message import EmailMessage

    from sqlalchemy import text

    from crm.mail.attachments import store_attachments
    from crm.mail.repository import EmailRepository

    key = make_key(admin, "mail:read", "records:write")
    ids = []
    for n in range(2):
        m = EmailMessage()
        m["From"], m["Subject"], m["Message-ID"] = "a@x.test", f"Contract {n}", f"<att{n}@x>"
        m.set_content("see attached")
        m.add_attachment(b"%PDF-1.4 same contract", maintype="application", subtype="pdf", filename="contract.pdf")
        m.add_attachment(b"<script>alert(1)</script>", maintype="text", subtype="html", filename="page.html")
        ids.append(client.post("/v1/emails", content=bytes(m), headers=bearer(key)).json()["email"]["id"])
    with runtime.unit() as session:
        for email in EmailRepository(session).by_ids(ids):
            assert store_attachments(session, email) == 2
            assert store_attachments(session, email) == 0  # idempotent
        blobs = session.execute(text("SELECT count(*) FROM blobs")).scalar()
    assert blobs == 2  # two different files, four attachments
    listed = client.get(f"/v1/emails/{ids[0]}/attachments", headers=bearer(key)).json()
    assert [(a["filename"], a["content_type"], a["size"]) for a in listed] == [
        ("contract.pdf", "application/pdf", 22), ("page.html", "text/html", 25)]
    download = client.get(f"/v1/emails/{ids[0]}/attachments/{listed[1]['id']}", headers=bearer(key))
    assert download.content == b"<script>alert(1)</script>"
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.headers["content-disposition"].startswith("attachment")
