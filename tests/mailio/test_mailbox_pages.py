"""The Mailboxes pages: connect, pick folders, sync now, progress — rendered by the real routes."""

from __future__ import annotations

import re

from sqlalchemy import select

from assistant.jobs.tables import JobRun
from mailio.mailboxes.tables import Mailbox
from tests.conftest import bearer, wait_for
from tests.mailio.conftest import message


def _form(account, **extra) -> dict:
    return {"kind": "imap", "host": account.server.host, "port": str(account.server.imap_port),
            "security": "none",
            "username": account.username, "password": account.password, "name": "Work", **extra}


def test_adding_an_imap_mailbox_tests_it_then_asks_for_folders(api, worker, runtime, rep, make_key,
                                                               mail_account):
    key = make_key(rep, "mail:read")
    mail_account.append([message(i) for i in range(3)])
    mail_account.append([message(i, tag="p") for i in range(2)], folder="Projects")
    page = api.get("/mailboxes", headers=bearer(key))
    assert page.status_code == 200 and "No mailbox yet" in page.text

    wrong = api.post("/mailboxes", data=_form(mail_account, password="not-it-at-all"), headers=bearer(key))
    assert wrong.status_code == 200 and "Could not connect" in wrong.text and "refused" in wrong.text
    assert "not-it-at-all" not in wrong.text and mail_account.username in wrong.text  # the form is kept
    with runtime.unit() as session:
        assert session.scalar(select(Mailbox)) is None  # nothing saved

    made = api.post("/mailboxes", data=_form(mail_account), headers=bearer(key), follow_redirects=False)
    assert made.status_code == 303
    folders_url = made.headers["location"]
    box = int(re.match(r"/mailboxes/(\d+)/folders", folders_url).group(1))
    with runtime.unit() as session:
        assert not session.get(Mailbox, box).enabled  # not synced before folders are chosen
    picker = api.get(folders_url, headers=bearer(key)).text
    assert re.findall(r'name="folders" value="([^"]+)"', picker) == ["INBOX", "Projects", "Sent"]
    assert re.search(r'<option value="Sent" selected>', picker)  # the server's \Sent folder, preselected

    saved = api.post(folders_url, data={"folders": ["INBOX", "Projects"], "sent_folder": "Sent"},
                     headers=bearer(key), follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/mailboxes"
    with runtime.unit() as session:
        mailbox = session.get(Mailbox, box)
        assert mailbox.enabled and mailbox.folders == ["INBOX", "Projects"] and mailbox.sent_folder == "Sent"
    wait_for(lambda: _state(runtime, box) == "ok")
    listing = api.get("/mailboxes", headers=bearer(key)).text
    row = listing[listing.index(f'id="mailbox-{box}"'):]
    assert re.search(r'data-folder="INBOX">INBOX:\s*<span class="count">3/3</span>', row)
    assert re.search(r'data-folder="Projects">Projects:\s*<span class="count">2/2</span>', row)
    assert "succeeded" in row and mail_account.password not in listing


def _state(runtime, box: int) -> str:
    with runtime.unit() as session:
        return session.get(Mailbox, box).state


def test_sync_now_and_remove_only_for_ones_own_mailbox(api, runtime, rep, make_user, make_key, mail_account):
    key = make_key(rep, "mail:read")
    api.post("/mailboxes", data=_form(mail_account, kind="pop3", port=str(mail_account.server.pop3_port)),
             headers=bearer(key))
    with runtime.unit() as session:
        box = session.scalar(select(Mailbox)).id
        assert session.get(Mailbox, box).enabled  # POP3 has no folders to choose: it starts at once
    other = make_key(make_user("other@example.test"), "mail:read")
    assert f'id="mailbox-{box}"' not in api.get("/mailboxes", headers=bearer(other)).text
    assert api.post(f"/mailboxes/{box}/sync", headers=bearer(other)).status_code == 404
    assert api.post(f"/mailboxes/{box}/delete", headers=bearer(other)).status_code == 404

    before = _sync_runs(runtime)
    assert api.post(f"/mailboxes/{box}/sync", headers=bearer(key), follow_redirects=False).status_code == 303
    assert _sync_runs(runtime) == before + 1
    removed = api.post(f"/mailboxes/{box}/delete", headers=bearer(key), follow_redirects=False)
    assert removed.status_code == 303
    with runtime.unit() as session:
        assert session.get(Mailbox, box) is None


def _sync_runs(runtime) -> int:
    with runtime.unit() as session:
        return len(list(session.scalars(select(JobRun).where(JobRun.name == "mail.sync_mailbox"))))
