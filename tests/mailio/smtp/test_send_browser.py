"""In a real browser against a real `mailassist serve`: the admin sets the relay, then a user
replies to a mail from the compose page and sees it sent in the outbox; the relay has it.

Needs the sending routers wired into api/app.py (api.routes.sending, api.routes.dropbox,
api.web.send_pages.pages); the job module is named through MAILASSIST_JOB_MODULES so it runs
whether or not the job catalog lists it yet.
"""

from __future__ import annotations

import json

import httpx
import pytest

from tests.browser import browser_page, running_service, sign_in
from tests.conftest import wait_for
from tests.mailio.smtp.helpers import parse
from tests.mailio.smtp.servers import RecordingRelay

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def relay():
    server = RecordingRelay().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    env = {"MAILASSIST_JOB_MODULES": json.dumps(["mailio.smtp.jobs"])}
    with running_service(tmp_path_factory.mktemp("send") / "data", **env) as svc:
        yield svc


def test_a_reply_composed_in_the_browser_is_sent_and_shown_in_the_outbox(service, relay):
    wired = httpx.get(f"{service.url}/openapi.json", timeout=10).json()["paths"]
    assert "/v1/send" in wired, "api/app.py does not include api.routes.sending (and send_pages) yet"
    with browser_page() as page:
        sign_in(page, service)
        page.wait_for_url("**/inbox")
        # The admin points the organisation at its relay.
        page.goto(f"{service.url}/admin/mail")
        page.fill("#relay input[name=host]", "127.0.0.1")
        page.fill("#relay input[name=port]", str(relay.port))
        page.select_option("#relay select[name=security]", "none")
        page.click("#relay-form button[type=submit]")
        assert "Relay saved." in page.inner_text("#flash")
        # A mail in the inbox, answered from its page.
        page.goto(f"{service.url}/inbox")
        page.click("text=Rollout planning")
        page.wait_for_url("**/mail/*")
        email_id = page.url.rstrip("/").rsplit("/", 1)[1]
        reply = page.locator("a[href^='/compose?reply_to=']")
        if reply.count():
            reply.first.click()
        else:  # until the mail page links to it
            page.goto(f"{service.url}/compose?reply_to={email_id}")
        page.wait_for_url("**/compose?reply_to=*")
        assert "sarah.chen@northwind-logistics.com" in page.input_value("input[name=to]")
        assert page.input_value("input[name=subject]") == "Re: Rollout planning - can we meet next week?"
        page.fill("textarea[name=body]", "Hi Sarah,\n\nTuesday at 10 works for us.\n\nAlex")
        page.click("#compose button[type=submit]")
        page.wait_for_url("**/outbox*")
        row = page.locator("#outbox tbody tr").first
        assert "Re: Rollout planning" in row.inner_text()
        # The outbox refreshes itself while a mail is on its way.
        page.wait_for_selector("#outbox [data-state=sent]", timeout=30000)
    [got] = wait_for(lambda: relay.messages(), timeout=10)
    msg = parse(got.data)
    assert got.rcpt_tos == ["sarah.chen@northwind-logistics.com"]
    assert msg["In-Reply-To"] == "<c1a9e2@northwind-logistics.com>"
    assert "Tuesday at 10 works for us." in msg.get_body(("plain",)).get_content()
