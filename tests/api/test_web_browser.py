"""The web UI in a real headless Chromium against a real `mailassist serve` process."""

from __future__ import annotations

import pytest

from crm.demo import DEMO_DIR
from tests.browser import browser_page, running_service, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    with running_service(tmp_path_factory.mktemp("web") / "data") as svc:
        yield svc


def test_sign_in_shows_the_demo_inbox_and_a_mail(service):
    with browser_page() as page:
        page.goto(service.url)
        assert page.url.endswith("/login?next=/")  # anonymous visitors are sent to sign in
        sign_in(page, service)
        page.wait_for_url("**/inbox")
        rows = page.locator("#mail-list tbody tr")
        assert rows.count() == len(list(DEMO_DIR.glob("*.eml")))
        assert "Rollout planning" in page.inner_text("#mail-list")
        page.click("text=お打ち合わせのお願い（来週火曜日）")
        assert "株式会社サクラ商事" in page.text_content("article.mail")
        page.go_back()
        page.click("text=Data export format")
        html = page.inner_html("div.body")
        assert "<b>CSV with custom delimiters</b>" in html
        assert "tracker.example" not in html  # the tracking pixel was removed before display


def test_uploading_a_file_imports_it_through_a_job(service, tmp_path):
    sample = tmp_path / "new.eml"
    sample.write_bytes(b"From: Kim <kim@example.test>\nSubject: Browser upload check\n"
                       b"Message-ID: <up1@example.test>\nDate: Fri, 27 Nov 2026 10:00:00 +0000\n\nHello\n")
    with browser_page() as page:
        sign_in(page, service)
        page.wait_for_url("**/inbox")
        page.set_input_files("input[type=file]", str(sample))
        page.click("form.upload button")
        page.wait_for_url("**/jobs*")
        # The demo mailbox's analysis may still be running ahead of it: allow for that queue.
        page.wait_for_selector(f"#job-{page.url.split('#job-')[1]} .badge.succeeded", timeout=120000)
        assert "stored: 1" in page.inner_text("#jobs")
        page.goto(f"{service.url}/inbox")
        assert "Browser upload check" in page.inner_text("#mail-list")


def test_an_api_key_is_created_and_shown_once(service):
    with browser_page() as page:
        sign_in(page, service)
        page.wait_for_url("**/inbox")
        page.goto(f"{service.url}/account")
        page.fill("input[name=name]", "script")
        page.check("input[value=analyze]")
        page.click("form.stack button")
        key = page.inner_text("#new-key code")
        assert key.startswith("mak_")
        page.reload()
        assert page.locator("#new-key").count() == 0
        assert "analyze" in page.inner_text("table.list")


def test_records_are_created_in_the_ui_with_history_and_mail_timeline(service):
    with browser_page() as page:
        sign_in(page, service)
        page.wait_for_url("**/inbox")
        page.click("nav >> text=Records")
        page.click("a.tile:has-text('Contacts')")
        page.click("text=New")
        page.fill("#record-form input[name=first_name]", "Sarah")
        page.fill("#record-form input[name=last_name]", "Chen")
        page.fill("#record-form input[name=email]", "sarah@localhost")  # the browser accepts it, the server does not
        page.click("#record-form button[type=submit]")
        assert "is not an email address" in page.inner_text("p.error")
        page.fill("#record-form input[name=email]", "sarah.chen@northwind-logistics.com")
        page.click("#record-form button[type=submit]")
        page.wait_for_selector("#record-title")
        assert page.inner_text("#record-title") == "Sarah Chen"
        # The demo mailbox already holds her mail: it is linked as soon as the contact exists.
        assert "Rollout planning" in page.inner_text("#timeline")
        page.fill("#record-form input[name=mobile]", "+1 617 555 0199")
        page.click("#record-form button[type=submit]")
        page.wait_for_selector("#history >> text=mobile")
        assert "+1 617 555 0199" in page.inner_text("#history")
        # She is also in Cc of Marcus's mail: both are on her timeline.
        assert "Data export format" in page.inner_text("#timeline")
        page.click("#timeline >> text=Rollout planning")
        assert "Could we set up a call next Tuesday" in page.text_content("article.mail")
        assert "contact: Sarah Chen" in page.inner_text("p.links")
