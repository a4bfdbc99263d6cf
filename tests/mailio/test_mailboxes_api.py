"""The /v1/mailboxes API: ownership, scopes, connection tests, folders, sync, status, secrets."""

from __future__ import annotations

import logging

from sqlalchemy import select, text

from assistant.jobs.tables import JobRun
from mailio.mailboxes.tables import Mailbox, MailboxFolder
from mailio.secrets import decrypt_secret
from tests.conftest import bearer, wait_for
from tests.mailio.conftest import message


def _body(account, **extra) -> dict:
    return {"kind": "imap", "host": account.server.host, "port": account.server.imap_port, "security": "none",
            "username": account.username, "password": account.password, **extra}


def test_a_created_mailbox_keeps_its_password_encrypted_and_never_returns_it(
        api, runtime, rep, make_key, mail_account):
    key = make_key(rep, "mail:read")
    response = api.post("/v1/mailboxes", json=_body(mail_account, folders=["INBOX", "Sent"]),
                        headers=bearer(key))
    assert response.status_code == 201, response.text
    out = response.json()
    assert mail_account.password not in response.text
    assert not {"password", "secret"} & set(out)
    assert out["owner_id"] == rep.id and out["folders"] == ["INBOX", "Sent"] and out["state"] == "new"
    with runtime.engine.connect() as conn:
        # what is on disk: the column holds a Fernet token, not the password
        stored = conn.execute(text("SELECT secret FROM mailboxes WHERE id = :i"),
                              {"i": out["id"]}).scalar_one()
    assert mail_account.password.encode() not in stored and stored.startswith(b"gAAAA")
    assert decrypt_secret(runtime.settings, stored) == mail_account.password
    database_file = (runtime.settings.data_dir / "mailassist.sqlite").read_bytes()
    assert mail_account.password.encode() not in database_file
    for path in (f"/v1/mailboxes/{out['id']}", "/v1/mailboxes"):
        assert mail_account.password not in api.get(path, headers=bearer(key)).text
    with runtime.unit() as session:
        # the first sync was asked for, with ids only as arguments
        run = session.scalar(select(JobRun).where(JobRun.name == "mail.sync_mailbox"))
        assert run.args == [out["id"]] and run.owner_id == rep.id and run.kwargs == {}


def test_only_the_owner_or_an_admin_sees_or_changes_a_mailbox(api, runtime, rep, admin, make_user, make_key,
                                                              mail_account):
    rep_key = make_key(rep, "mail:read")
    other_key = make_key(make_user("other@example.test"), "mail:read")
    admin_key = make_key(admin, "mail:read", "admin")
    box = api.post("/v1/mailboxes", json=_body(mail_account, enabled=False),
                   headers=bearer(rep_key)).json()["id"]

    assert api.get("/v1/mailboxes", headers=bearer(other_key)).json() == []
    for method, path in [("get", ""), ("patch", ""), ("delete", ""), ("post", "/test"), ("get", "/folders"),
                         ("post", "/sync"), ("get", "/status")]:
        kwargs = {"json": {"name": "mine now"}} if method == "patch" else {}
        response = getattr(api, method)(f"/v1/mailboxes/{box}{path}", headers=bearer(other_key), **kwargs)
        assert response.status_code == 404, (method, path, response.text)
    assert [m["id"] for m in api.get("/v1/mailboxes", headers=bearer(admin_key)).json()] == [box]
    renamed = api.patch(f"/v1/mailboxes/{box}", json={"name": "Work"}, headers=bearer(admin_key))
    assert renamed.status_code == 200 and renamed.json()["name"] == "Work"
    # an admin may add a mailbox for someone else; a rep may not
    assert api.post("/v1/mailboxes", json=_body(mail_account, owner_id=admin.id, enabled=False),
                    headers=bearer(rep_key)).status_code == 403
    made = api.post("/v1/mailboxes", json=_body(mail_account, owner_id=rep.id, enabled=False),
                    headers=bearer(admin_key))
    assert made.status_code == 201 and made.json()["owner_id"] == rep.id
    assert api.delete(f"/v1/mailboxes/{box}", headers=bearer(rep_key)).status_code == 204
    assert api.get(f"/v1/mailboxes/{box}", headers=bearer(rep_key)).status_code == 404


def test_mailbox_routes_need_the_mail_read_scope(api, rep, make_key):
    key = make_key(rep, "analyze")
    assert api.get("/v1/mailboxes", headers=bearer(key)).status_code == 403
    assert api.get("/v1/mailboxes").status_code == 401


def test_settings_are_tested_before_saving_and_folders_come_from_the_server(api, rep, make_key, mail_account):
    key = make_key(rep, "mail:read")
    mail_account.append([message(1)], folder="Projects")
    good = api.post("/v1/mailboxes/test", json=_body(mail_account), headers=bearer(key)).json()
    assert good["ok"] and good["supports_idle"] is True
    assert [f["name"] for f in good["folders"]] == ["INBOX", "Projects", "Sent"]
    bad = api.post("/v1/mailboxes/test", json=_body(mail_account, password="wrong"),
                   headers=bearer(key)).json()
    assert not bad["ok"] and bad["code"] == "login_failed" and "wrong" not in bad["error"]
    closed = api.post("/v1/mailboxes/test", json=_body(mail_account, port=1), headers=bearer(key)).json()
    assert not closed["ok"] and closed["code"] == "server_unreachable"
    invalid = api.post("/v1/mailboxes/test", json=_body(mail_account, host="evil host\r\nX"),
                       headers=bearer(key))
    assert invalid.status_code == 422

    box = api.post("/v1/mailboxes", json=_body(mail_account, enabled=False), headers=bearer(key)).json()["id"]
    folders = api.get(f"/v1/mailboxes/{box}/folders", headers=bearer(key)).json()
    assert [(f["name"], f["chosen"]) for f in folders] == [
        ("INBOX", True), ("Projects", False), ("Sent", False)]
    assert "\\Sent" in folders[2]["flags"]
    assert api.post(f"/v1/mailboxes/{box}/test", headers=bearer(key)).json()["ok"]


def test_sync_through_the_api_reports_job_progress_and_per_folder_status(api, worker, runtime, rep, make_key,
                                                                         mail_account):
    key = make_key(rep, "mail:read")
    mail_account.append([message(i) for i in range(12)])
    mail_account.append([message(i, tag="p") for i in range(3)], folder="Projects")
    box = api.post("/v1/mailboxes", json=_body(mail_account, folders=["INBOX", "Projects"], enabled=False),
                   headers=bearer(key)).json()["id"]
    refused = api.post(f"/v1/mailboxes/{box}/sync", headers=bearer(key)).json()
    assert refused["error"]["code"] == "mailbox_disabled"
    api.patch(f"/v1/mailboxes/{box}", json={"enabled": True}, headers=bearer(key))

    job = api.post(f"/v1/mailboxes/{box}/sync", headers=bearer(key))
    assert job.status_code == 202 and job.json()["name"] == "mail.sync_mailbox"
    status = wait_for(lambda: (s := api.get(f"/v1/mailboxes/{box}/status", headers=bearer(key)).json())
                      ["job"]["state"] == "succeeded" and s)
    assert status["state"] == "ok" and status["job"]["id"] == job.json()["id"]
    assert (status["job"]["done"], status["job"]["total"]) == (15, 15)
    assert status["job"]["result"]["stored"] == 15
    counts = [(f["name"], f["server_count"], f["synced_count"], f["stored_count"]) for f in status["folders"]]
    assert counts == [("INBOX", 12, 12, 12), ("Projects", 3, 3, 3)]


def test_changing_the_server_account_forgets_the_sync_state(api, runtime, rep, make_key, mail_account):
    key = make_key(rep, "mail:read")
    box = api.post("/v1/mailboxes", json=_body(mail_account, enabled=False), headers=bearer(key)).json()["id"]
    with runtime.unit() as session:
        session.add(MailboxFolder(mailbox_id=box, name="INBOX", uidvalidity=7, last_uid=99))
    old_secret = _secret(runtime, box)
    api.patch(f"/v1/mailboxes/{box}", json={"name": "Renamed"}, headers=bearer(key))
    assert _folder(runtime, box).last_uid == 99 and _secret(runtime, box) == old_secret  # nothing to forget
    changed = api.patch(f"/v1/mailboxes/{box}", json={"username": "someone-else@example.test",
                                                       "password": "new-secret-pw"}, headers=bearer(key))
    assert changed.status_code == 200 and "new-secret-pw" not in changed.text
    assert (_folder(runtime, box).last_uid, _folder(runtime, box).uidvalidity) == (0, None)
    assert decrypt_secret(runtime.settings, _secret(runtime, box)) == "new-secret-pw"


def _secret(runtime, box: int) -> bytes:
    with runtime.unit() as session:
        return session.get(Mailbox, box).secret


def _folder(runtime, box: int) -> MailboxFolder:
    with runtime.unit() as session:
        return session.scalar(select(MailboxFolder).where(MailboxFolder.mailbox_id == box))


def test_passwords_never_reach_the_logs(api, worker, runtime, rep, make_key, mail_account, dovecot, caplog):
    caplog.set_level(logging.DEBUG)  # everything, imapclient's protocol lines included
    key = make_key(rep, "mail:read")
    mail_account.append([message(1)])
    api.post("/v1/mailboxes/test", json=_body(mail_account, password="Wrong-Pass-123"), headers=bearer(key))
    box = api.post("/v1/mailboxes", json=_body(mail_account), headers=bearer(key)).json()["id"]
    wait_for(lambda: api.get(f"/v1/mailboxes/{box}/status", headers=bearer(key)).json()["state"] == "ok")
    # a failing sync logs its error: still without the password
    api.patch(f"/v1/mailboxes/{box}", json={"password": "Also-Wrong-456"}, headers=bearer(key))
    api.post(f"/v1/mailboxes/{box}/sync", headers=bearer(key))
    wait_for(lambda: api.get(f"/v1/mailboxes/{box}/status", headers=bearer(key)).json()["state"] == "error")

    logged = caplog.text + "".join(str(r.__dict__) for r in caplog.records)
    assert "LOGIN" in logged or "login" in logged.lower()  # the protocol was logged at DEBUG...
    for secret in (mail_account.password, "Wrong-Pass-123", "Also-Wrong-456"):
        assert secret not in logged  # ...but never a password
        assert secret not in dovecot.log_tail(10**7)
    with runtime.unit() as session:
        for run in session.scalars(select(JobRun)):
            assert mail_account.password not in f"{run.args}{run.kwargs}{run.error}{run.result}{run.message}"
