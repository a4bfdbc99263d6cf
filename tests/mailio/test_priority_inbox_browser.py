"""Issue 9, end to end in a real browser: a rep's synced mail is ordered by priority with its reasons;
the rep opens the top mail from the keyboard, accepts the proposed task, and is alerted live when a
new mail from a contact is delivered to the Dovecot mailbox during the test."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import httpx
import pytest

from tests.browser import browser_page, running_service, sign_in
from tests.conftest import bearer, wait_for

pytestmark = pytest.mark.browser

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def mail(mid: str, sender: str, subject: str, body: str, *, hours_ago: int) -> bytes:
    return (f"From: {sender}\r\nTo: rep@example.test\r\nSubject: {subject}\r\n"
            f"Date: {format_datetime(NOW - timedelta(hours=hours_ago))}\r\nMessage-ID: <{mid}>\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}").encode()


URGENT = mail("urgent-1@northwind.example", "Sarah Chen <sarah@northwind.example>", "Signed order form",
              "Hi,\r\n\r\nPlease send the signed order form by Friday, we are still waiting for it and this is "
              "holding up the rollout.\r\n\r\nThanks,\r\nSarah\r\n", hours_ago=30)
CHATTY = mail("chat-1@elsewhere.example", "Kim Lee <kim@elsewhere.example>", "Great talk",
              "Hi,\r\n\r\nThanks for the talk at the meetup, it was nice to meet you.\r\n\r\nBest,\r\nKim\r\n",
              hours_ago=2)
LIVE = mail("live-1@northwind.example", "Sarah Chen <sarah@northwind.example>", "One more question",
            "Hi,\r\n\r\nCould you also confirm the delivery address?\r\n\r\nThanks,\r\nSarah\r\n", hours_ago=0)


def test_rep_inbox_priority_task_and_live_alert(tmp_path, mail_account):
    with running_service(tmp_path / "data") as service:
        service.cli("user", "create", "rep@example.test", "--role", "rep", "--password", "rep-password-1")
        key = service.cli("apikey", "create", "--scope", "records:read", "--scope", "records:write",
                          "--scope", "mail:read", "--user", "rep@example.test").strip()
        api = httpx.Client(base_url=service.url, timeout=30, headers=bearer(key))
        account = api.post("/v1/accounts", json={"name": "Northwind", "type": "customer",
                                                 "domain": "northwind.example"}).json()
        contact = api.post("/v1/contacts", json={"first_name": "Sarah", "last_name": "Chen", "account_id": account["id"],
                                                 "email": "sarah@northwind.example"}).json()
        api.post("/v1/deals", json={"name": "Northwind rollout", "stage": "negotiation", "amount": "40000",
                                    "close_date": NOW.replace(day=28).date().isoformat(),
                                    "account_id": account["id"], "contact_id": contact["id"]}).raise_for_status()
        mail_account.append([URGENT, CHATTY])
        made = api.post("/v1/mailboxes", json={"kind": "imap", "host": mail_account.server.host,
                                               "port": mail_account.server.imap_port, "security": "none",
                                               "username": mail_account.username,
                                               "password": mail_account.password})
        assert made.status_code == 201, made.text

        def scored():
            items = api.get("/v1/inbox").json()["items"]
            return items if len(items) == 2 and all(i["priority"] is not None for i in items) else None

        items = wait_for(scored, timeout=180, interval=1)
        assert items[0]["subject"] == "Signed order form"  # older, but a customer's deal closes this month

        with browser_page() as page:
            sign_in(page, service, "rep@example.test", "rep-password-1")
            page.wait_for_url("**/inbox")
            rows = page.locator("#mail-list tbody tr")
            assert rows.count() == 2 and "Signed order form" in rows.nth(0).inner_text()
            reasons = rows.nth(0).locator(".score").get_attribute("title")
            assert "closing this month" in reasons and "customer" in reasons
            assert int(rows.nth(0).locator(".score").inner_text()) > int(rows.nth(1).locator(".score").inner_text())
            page.click("nav.folders >> text=Closing this month")
            assert page.locator("#mail-list tbody tr").count() == 1
            page.goto(f"{service.url}/inbox")
            page.keyboard.press("j")
            page.keyboard.press("k")
            page.keyboard.press("Enter")  # the top row, opened from the keyboard
            page.wait_for_url("**/mail/*")
            assert "Signed order form" in page.inner_text("h1")
            assert "closing this month" in page.inner_text("#insights")
            task = page.locator("li.suggestion[data-kind=activity]").filter(has_text="task")
            assert "signed order form" in task.inner_text().lower()
            task.locator("button.accept").click()
            page.wait_for_selector("li.suggestion.accepted")
            tasks = api.get("/v1/tasks").json()["items"]
            assert any(t.get("contact_id") == contact["id"] for t in tasks)

            # A new mail from the contact arrives while the rep is looking at the page.
            page.goto(f"{service.url}/inbox")
            page.wait_for_timeout(1500)  # the alert stream is open
            mail_account.append([LIVE])
            try:
                toast = page.wait_for_selector(".toast:has-text('New mail from Sarah Chen')", timeout=120000)
            except Exception:
                raise AssertionError(f"no alert: inbox {[i['subject'] for i in api.get('/v1/inbox').json()['items']]}, "
                                     f"notifications {api.get('/v1/notifications').json()}, "
                                     f"mailboxes {api.get('/v1/mailboxes').json()}") from None
            assert "Follow-up task" in toast.inner_text() and "Sarah Chen" in toast.inner_text()
            toast.query_selector("button.follow-up").click()
            page.wait_for_selector(".toast a.task-created")
