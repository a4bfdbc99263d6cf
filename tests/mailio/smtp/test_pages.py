"""The sending pages in-process (a signed-in session with its CSRF token): they render, forms send
through the same services, and refusals come back on the page naming the field."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from mailio.smtp.tables import FromAddress, Outbox, SmtpRelay
from tests.conftest import wait_for
from tests.mailio.smtp.helpers import ORIGINAL, outbox_row, parse, store_incoming


def _sign_in(client, user) -> str:
    client.post(f"/test-sign-in/{user.id}")
    page = client.get("/settings/mail")
    assert page.status_code == 200, page.text
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


@pytest.fixture
def rep(make_user):
    return make_user("rep@example.test")


def test_compose_a_reply_in_the_page_and_see_it_sent_in_the_outbox(runtime, worker_api, relay, rep):
    csrf = _sign_in(worker_api, rep)
    original = store_incoming(runtime, rep.id, ORIGINAL)
    page = worker_api.get(f"/compose?reply_to={original}")
    assert page.status_code == 200
    assert 'value="&#34;Kim Desk&#34; &lt;desk@client.test&gt;"' in page.text  # pre-filled Reply-To
    assert 'value="Re: Pricing for 200 seats"' in page.text
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page.text).group(1)
    form = {"csrf_token": csrf, "idempotency_key": key, "reply_to": str(original), "forward": "", "reply_all": "",
            "from": "rep@example.test", "to": '"Kim Desk" <desk@client.test>', "cc": "", "bcc": "",
            "subject": "Re: Pricing for 200 seats", "body": "Quote attached.", "html": "", "send_at": ""}
    res = worker_api.post("/compose", data=form, files={"attachments": ("quote.txt", b"42 EUR", "text/plain")},
                          follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"].startswith("/outbox")
    again = worker_api.post("/compose", data=form, follow_redirects=False)  # a double click: the same mail
    assert again.status_code == 303
    with runtime.unit() as session:
        [row] = session.scalars(select(Outbox)).all()
    wait_for(lambda: outbox_row(runtime, row.id).email_id)
    outbox = worker_api.get("/outbox")
    assert 'data-state="sent"' in outbox.text and "Re: Pricing for 200 seats" in outbox.text
    [got] = relay.messages()
    msg = parse(got.data)
    assert msg["In-Reply-To"] == "<orig-1@client.test>" and [a.get_filename() for a in msg.iter_attachments()] == [
        "quote.txt"]


def test_a_page_form_with_an_injected_header_shows_the_field(runtime, api, relay, rep):
    csrf = _sign_in(api, rep)
    res = api.post("/compose", data={"csrf_token": csrf, "to": "bob@example.test", "subject": "Hi\r\nBcc: x@y.test",
                                     "body": "x"})
    assert res.status_code == 422 and "header injection is refused" in res.text and "(subject)" in res.text
    assert 'value="bob@example.test"' in res.text  # what was typed is kept
    res = api.post("/compose", data={"csrf_token": csrf, "to": "bob@example.test\nBcc: x@y.test", "body": "x"})
    assert res.status_code == 422 and "(to)" in res.text
    with runtime.unit() as session:
        assert session.scalar(select(Outbox)) is None


def test_forms_without_the_csrf_token_are_refused(api, relay, rep):
    _sign_in(api, rep)
    assert api.post("/compose", data={"to": "bob@example.test", "body": "x"}).status_code == 403


def test_mail_settings_dropbox_and_own_address(runtime, worker_api, relay, rep):
    csrf = _sign_in(worker_api, rep)
    page = worker_api.get("/settings/mail")
    old = re.search(r'id="dropbox-address">([^<]+)<', page.text).group(1)
    page = worker_api.post("/settings/mail/dropbox/regenerate", data={"csrf_token": csrf})  # follows the redirect
    assert re.search(r'id="dropbox-address">([^<]+)<', page.text).group(1) != old
    assert "mail to the old one is now refused" in page.text
    worker_api.post("/settings/mail/compose", data={"csrf_token": csrf, "default_from": "rep@example.test",
                                                    "signature": "Rep", "font": "Verdana"})
    assert 'value="Verdana"' in worker_api.get("/settings/mail").text
    bad = worker_api.post("/settings/mail/compose", data={"csrf_token": csrf, "font": "x;}body{"})
    assert bad.status_code == 422 and "font" in bad.text
    worker_api.post("/settings/mail/from-addresses", data={"csrf_token": csrf, "address": "me@example.test",
                                                           "scope": "user"})
    msg = wait_for(lambda: relay.messages())[0]
    code = re.search(r"\b(\d{6})\b", parse(msg.data)["Subject"]).group(1)
    with runtime.unit() as session:
        row_id = session.scalar(select(FromAddress.id))
    page = worker_api.post(f"/settings/mail/from-addresses/{row_id}/verify", data={"csrf_token": csrf, "code": code})
    assert "is verified" in page.text and '<option value="me@example.test"' in page.text


def test_admin_relay_page_keeps_the_password_hidden_and_tests_the_relay(runtime, api, relay, admin, rep):
    csrf = _sign_in(api, admin)
    res = api.post("/admin/mail/relay", data={"csrf_token": csrf, "host": "127.0.0.1", "port": str(relay.port),
                                              "security": "none", "username": "", "password": "pw-123456",
                                              "enabled": "1"}, follow_redirects=True)
    assert res.status_code == 200 and "Relay saved." in res.text and "pw-123456" not in res.text
    with runtime.unit() as session:
        assert session.scalar(select(SmtpRelay)).secret is not None
    res = api.post("/admin/mail/relay/test", data={"csrf_token": csrf, "to": "it@example.test"})
    assert 'id="relay-test-result"' in res.text and "250" in res.text
    assert relay.messages()[0].rcpt_tos == ["it@example.test"]
    rep_client_csrf = _sign_in(api, rep)
    assert api.get("/admin/mail").status_code == 403
    assert api.post("/admin/mail/relay", data={"csrf_token": rep_client_csrf, "host": "x.test"}).status_code == 403
