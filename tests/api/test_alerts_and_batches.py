"""Mail alerts for a contact's owner, and the analysis API's batches, webhooks, scopes and limits."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.alerts.tables import Notification
from assistant.analysis import analyze_emails
from assistant.runtime import Runtime
from crm.mail.service import Incoming, MailStore
from crm.migrate import upgrade
from crm.records.service import RecordService
from crm.records.tables import Task
from crm.users.service import UserService
from nlp.pipeline import Pipeline
from tests.conftest import bearer, make_settings, wait_for

TEST_PIPELINE = """
[pipeline]
version = "t1"
modules = ["tests.assistant.pipeline_for_tests"]
components = ["length"]
[components.length]
factory = "tests.length"
"""


def mail(mid: str, frm: str, subject: str = "Rollout") -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"], m["Message-ID"] = frm, "rep@example.test", subject, mid
    m["Date"] = "Mon, 23 Nov 2026 09:00:00 +0000"
    m.set_content("Could you send the updated quote?")
    return bytes(m)


@pytest.fixture
def pipeline(tmp_path: Path) -> Pipeline:
    path = tmp_path / "pipeline.toml"
    path.write_text(TEST_PIPELINE)
    return Pipeline.from_config(path)


@pytest.fixture
def rep(make_user):
    return make_user("rep@example.test")


@pytest.fixture
def sarah(runtime, rep):
    with runtime.unit() as session:
        who = UserService(session).identity_for(UserService(session).users.get(rep.id))
        return RecordService(session, who, "contacts").create(
            {"first_name": "Sarah", "last_name": "Chen", "email": "sarah@northwind.example"}).id


def deliver_and_analyse(runtime, pipeline, owner, raw: bytes) -> int:
    with runtime.unit() as session:
        email = MailStore(session).store_batch([Incoming(raw)], owner_id=owner.id, source="test")[0].email
    with runtime.unit() as session:
        analyze_emails(session, pipeline, [email.id])
    return email.id


def test_mail_from_a_contact_alerts_its_owner_once_with_quick_actions(client, runtime, pipeline, rep, sarah,
                                                                      make_key):
    key = make_key(rep, "mail:read", "records:write", "records:read")
    email_id = deliver_and_analyse(runtime, pipeline, rep, mail("<a@n>", "Sarah Chen <sarah@northwind.example>"))
    deliver_and_analyse(runtime, pipeline, rep, mail("<b@x>", "Kim <kim@unknown.example>"))  # not in the CRM
    with runtime.unit() as session:
        analyze_emails(session, pipeline, [email_id], force=True)  # analysed again: announced once only
    listed = client.get("/v1/notifications", headers=bearer(key)).json()
    assert len(listed) == 1
    alert = listed[0]
    assert alert["email_id"] == email_id and alert["title"] == "New mail from Sarah Chen"
    assert alert["record"] == {"module": "contacts", "id": sarah, "title": "Sarah Chen"} and not alert["read"]
    made = client.post(f"/v1/notifications/{alert['id']}/follow-up", headers=bearer(key))
    assert made.status_code == 201
    with runtime.unit() as session:
        task = session.get(Task, made.json()["task_id"])
        assert task.contact_id == sarah and task.subject == "Follow up: Rollout"
    assert client.get("/v1/notifications?unread=true", headers=bearer(key)).json() == []


def test_preferences_turn_alerts_off_and_others_cannot_act_on_mine(client, runtime, pipeline, rep, sarah,
                                                                   make_key, make_user):
    key = make_key(rep, "mail:read", "records:write")
    off = client.put("/v1/me/notification-settings", json={"contact_mail": False, "lead_mail": True},
                     headers=bearer(key))
    assert off.json() == {"contact_mail": False, "lead_mail": True}
    deliver_and_analyse(runtime, pipeline, rep, mail("<c@n>", "Sarah Chen <sarah@northwind.example>"))
    with runtime.unit() as session:
        assert session.query(Notification).count() == 0
    client.put("/v1/me/notification-settings", json={"contact_mail": True, "lead_mail": True}, headers=bearer(key))
    deliver_and_analyse(runtime, pipeline, rep, mail("<d@n>", "Sarah Chen <sarah@northwind.example>"))
    alert = client.get("/v1/notifications", headers=bearer(key)).json()[0]
    other = make_key(make_user("other@example.test"), "mail:read", "records:write")
    assert client.get("/v1/notifications", headers=bearer(other)).json() == []
    assert client.post(f"/v1/notifications/{alert['id']}/follow-up", headers=bearer(other)).status_code == 404


class _Receiver(BaseHTTPRequestHandler):
    calls: list[tuple[dict, bytes]] = []
    fail_first = 0

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).calls.append((dict(self.headers), body))
        status = 503 if len(type(self).calls) <= type(self).fail_first else 200
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    _Receiver.calls, _Receiver.fail_first = [], 1
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()


@pytest.fixture
def open_runtime(tmp_path):
    """Webhooks to loopback allowed (the receiver runs here); a small request limit to test 413."""
    rt = Runtime(make_settings(tmp_path / "data", webhook_allow_private=True, max_request_bytes=200_000))
    upgrade(rt.engine)
    yield rt
    rt.dispose()


def test_a_batch_runs_in_the_background_and_calls_a_signed_webhook(open_runtime, receiver):
    with open_runtime.unit() as session:
        user = UserService(session).create_user("app@example.test", "app-password", role="rep")
        _, key = UserService(session).create_api_key(user, ["analyze"])
    items = [{"id": f"m{i}", "text": f"Hi,\n\nPlease send the signed contract by Friday ({i}).\n\nThanks,\nBo",
              "date": "Mon, 23 Nov 2026 09:00:00 +0100"} for i in range(3)]
    with TestClient(create_app(open_runtime), base_url="http://127.0.0.1:8000") as client:
        made = client.post("/v1/analyze/batch", json={"items": items, "webhook_url": receiver}, headers=bearer(key))
        assert made.status_code == 202
        batch = made.json()
        assert batch["state"] == "queued" and batch["total"] == 3 and batch["webhook_secret"]
        done = wait_for(lambda: (lambda b: b if b["state"] == "done" else None)(
            client.get(f"/v1/analyze/batch/{batch['id']}", headers=bearer(key)).json()), timeout=240)
        assert [r["id"] for r in done["results"]] == ["m0", "m1", "m2"]
        assert all("contract" in r["new_text"] for r in done["results"])
        assert "webhook_secret" not in done or done["webhook_secret"] is None  # shown once only
        wait_for(lambda: len(_Receiver.calls) >= 2, timeout=60)  # the first call got a 503: retried
        headers, body = _Receiver.calls[-1]
        stamp, signature = (part.split("=", 1)[1] for part in headers["X-Mailassist-Signature"].split(","))
        expected = hmac.new(batch["webhook_secret"].encode(), f"{stamp}.".encode() + body, hashlib.sha256)
        assert hmac.compare_digest(signature, expected.hexdigest())
        assert json.loads(body)["id"] == batch["id"] and json.loads(body)["state"] == "done"
        assert wait_for(lambda: client.get(f"/v1/analyze/batch/{batch['id']}", headers=bearer(key))
                        .json()["webhook_state"] == "delivered", timeout=30)


def test_the_analysis_api_refuses_clearly(client, open_runtime, admin, make_key):
    no_scope = make_key(admin, "mail:read")
    assert client.post("/v1/analyze", json={"text": "hi"}, headers=bearer(no_scope)).status_code == 403
    key = make_key(admin, "analyze")
    malformed = client.post("/v1/analyze", content=b"{not json", headers={**bearer(key),
                                                                          "content-type": "application/json"})
    assert malformed.status_code == 422
    too_many = client.post("/v1/analyze/batch", json={"items": [{"text": "x"}] * 1001}, headers=bearer(key))
    assert too_many.status_code == 422
    private = client.post("/v1/analyze/batch", json={"items": [{"text": "x"}], "webhook_url": "http://127.0.0.1:9/"},
                          headers=bearer(key))
    assert private.status_code == 422 and private.json()["error"]["code"] == "bad_webhook_url"
    with open_runtime.unit() as session:
        user = UserService(session).create_user("big@example.test", "big-password", role="rep")
        _, small_key = UserService(session).create_api_key(user, ["analyze"])
    with TestClient(create_app(open_runtime, run_worker=False), base_url="http://127.0.0.1:8000") as small:
        big = small.post("/v1/analyze", json={"text": "x" * 300_000}, headers=bearer(small_key))
        assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"


@pytest.fixture
def served(runtime):
    """The app on a real loopback port (uvicorn in a thread): what an app's client talks to."""
    import socket

    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(runtime, run_worker=False), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for(lambda: server.started, timeout=30)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_the_python_client_speaks_the_api(served, admin, make_key):
    from api.client import ApiError, MailassistClient, verify_webhook
    from assistant.batches.service import sign

    key = make_key(admin, "analyze", "mail:read")
    with MailassistClient(served, key) as api:
        result = api.analyze(raw=b"From: Bo <bo@x.example>\r\nSubject: Contract\r\n\r\nHi,\r\n\r\nPlease send the "
                                 b"signed contract by Friday.\r\n\r\nThanks,\r\nBo\r\n", id="c1")
        assert result.id == "c1" and "signed contract" in result.new_text
        assert api.inbox()["items"] == []
    with MailassistClient(served, make_key(admin, "mail:read")) as api:
        with pytest.raises(ApiError) as refused:
            api.analyze(text="hi")
        assert refused.value.status == 403 and refused.value.code == "missing_scope"
    body = b'{"id": "b1"}'
    assert verify_webhook("s3cret", body, sign("s3cret", body))
    assert not verify_webhook("other", body, sign("s3cret", body))
    assert not verify_webhook("s3cret", body, sign("s3cret", body, timestamp=1_000))  # replayed from long ago
