"""Issue 3, end to end in a real browser: a rep adds a Dovecot mailbox, the synced mail is linked to the
contact and the deal, a reply goes out through the relay, lands in the server's Sent folder and on the
contact's timeline."""

from __future__ import annotations

import httpx
import pytest

from tests.browser import browser_page, running_service, sign_in
from tests.conftest import bearer, wait_for
from tests.mailio.smtp.servers import RecordingRelay

pytestmark = pytest.mark.browser

INCOMING = (
    "From: Sarah Chen <sarah@northwind.example>\r\nTo: {rep}\r\nSubject: Rollout questions\r\n"
    "Date: Mon, 23 Nov 2026 09:12:44 -0500\r\nMessage-ID: <rq-1@northwind.example>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\nHi,\r\n\r\nCan you send the security questionnaire?\r\n\r\n"
    "Thanks,\r\nSarah\r\n"
)


@pytest.fixture(scope="module")
def relay():
    server = RecordingRelay().start()
    yield server
    server.stop()


def test_mailbox_to_records_to_reply_in_sent_and_timeline(tmp_path, relay, mail_account):
    with running_service(tmp_path / "data") as service:
        service.cli("user", "create", "rep@example.test", "--role", "rep", "--password", "rep-password-1")
        admin_key = service.cli("apikey", "create", "--scope", "admin").strip()
        rep_key = service.cli("apikey", "create", "--scope", "records:read", "--scope", "records:write",
                              "--scope", "mail:read", "--user", "rep@example.test").strip()
        api = httpx.Client(base_url=service.url, timeout=30)
        assert api.put("/v1/admin/smtp-relay", json={"host": "127.0.0.1", "port": relay.port, "security": "none"},
                       headers=bearer(admin_key)).status_code == 200
        contact = api.post("/v1/contacts", json={"first_name": "Sarah", "last_name": "Chen",
                                                 "email": "sarah@northwind.example"}, headers=bearer(rep_key)).json()
        deal = api.post("/v1/deals", json={"name": "Northwind rollout", "stage": "proposal",
                                           "contact_id": contact["id"]}, headers=bearer(rep_key)).json()
        mail_account.append([INCOMING.format(rep=mail_account.username).encode()])
        with mail_account.imap() as client:
            if not client.folder_exists("Sent"):
                client.create_folder("Sent")

        with browser_page() as page:
            sign_in(page, service, "rep@example.test", "rep-password-1")
            page.wait_for_url("**/inbox")
            page.goto(f"{service.url}/mailboxes")
            form = page.locator("#add-mailbox form")
            form.locator("select[name=kind]").select_option("imap")
            form.locator("input[name=host]").fill(mail_account.server.host)
            form.locator("input[name=port]").fill(str(mail_account.server.imap_port))
            form.locator("select[name=security]").select_option("none")
            form.locator("input[name=username]").fill(mail_account.username)
            form.locator("input[name=password]").fill(mail_account.password)
            form.locator("button[type=submit]").click()
            page.wait_for_url("**/mailboxes/*/folders")
            page.select_option("select[name=sent_folder]", "Sent")
            page.click("#folders button[type=submit]")
            page.wait_for_selector("#mailboxes .badge.state.succeeded", timeout=60000)

            page.goto(f"{service.url}/inbox")
            page.click("text=Rollout questions")
            links = page.inner_text("p.links")
            assert "contact: Sarah Chen" in links and "deal: Northwind rollout" in links
            page.click("a[href^='/compose?reply_to=']")
            page.wait_for_url("**/compose?reply_to=*")
            page.fill("textarea[name=body]", "Hi Sarah,\n\nAttached today.\n\nAlex")
            page.click("#compose button[type=submit]")
            page.wait_for_url("**/outbox*")
            page.wait_for_selector("#outbox [data-state=sent]", timeout=60000)

            # On the server's Sent folder (the append runs as a job after sending).
            def in_sent():
                with mail_account.imap() as client:
                    client.select_folder("Sent", readonly=True)
                    return client.search(["SUBJECT", "Re: Rollout questions"])

            assert wait_for(in_sent, timeout=60, interval=0.5)
            # And on the contact's and the deal's timelines.
            page.goto(f"{service.url}/records/contacts/{contact['id']}")
            timeline = page.inner_text("#timeline")
            assert "Re: Rollout questions" in timeline and "Rollout questions" in timeline
            page.goto(f"{service.url}/records/deals/{deal['id']}")
            assert "Re: Rollout questions" in page.inner_text("#timeline")
        assert [m.rcpt_tos for m in relay.messages()] == [["sarah@northwind.example"]]
