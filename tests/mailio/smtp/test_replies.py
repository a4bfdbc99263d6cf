"""Replies and forwards of stored mail: threading headers, subjects, recipients, quote, attachments;
and compose settings (signature, font, HTML-only mail) as they reach the relay."""

from __future__ import annotations

import time

import pytest

from crm.mail.tables import Email
from tests.conftest import bearer, wait_for
from tests.mailio.smtp.helpers import ORIGINAL, outbox_row, parse, store_incoming


@pytest.fixture
def rep(make_user):
    return make_user("rep@example.test")


@pytest.fixture
def key(rep, make_key):
    return make_key(rep, "mail:send", "mail:read")


def _sent(runtime, client, key, relay, **body):
    res = client.post("/v1/send", json=body, headers=bearer(key))
    assert res.status_code == 202, res.text
    row = wait_for(lambda: (r := outbox_row(runtime, res.json()["id"])).email_id and r)
    wait_for(lambda: relay.messages())
    return row, parse(relay.messages()[-1].data), relay.messages()[-1]


def test_a_reply_threads_quotes_and_goes_to_reply_to(runtime, worker_api, relay, rep, key):
    original_id = store_incoming(runtime, rep.id, ORIGINAL)
    row, msg, got = _sent(runtime, worker_api, key, relay, reply_to_email_id=original_id,
                          text="Here is the quote.")
    assert msg["Subject"] == "Re: Pricing for 200 seats"
    assert msg["In-Reply-To"] == "<orig-1@client.test>"
    assert msg["References"] == "<root-0@client.test> <orig-1@client.test>"
    assert msg["To"] == "Kim Desk <desk@client.test>" and msg["Cc"] is None
    assert got.rcpt_tos == ["desk@client.test"]
    body = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith("Here is the quote.")
    assert "Kim Customer <kim@client.test> wrote:" in body and "> Could you send a quote?" in body
    with runtime.unit() as session:
        reply, original = session.get(Email, row.email_id), session.get(Email, original_id)
        assert reply.thread_id == original.thread_id and reply.in_reply_to == "<orig-1@client.test>"


def test_reply_all_copies_everyone_but_me_and_a_given_subject_is_kept(runtime, worker_api, relay, rep, key):
    original_id = store_incoming(runtime, rep.id, ORIGINAL)
    _, msg, got = _sent(runtime, worker_api, key, relay, reply_to_email_id=original_id, reply_all=True,
                        subject="Re: Pricing (updated)", text="All: see below.", quote=False)
    assert msg["Subject"] == "Re: Pricing (updated)"
    assert sorted(got.rcpt_tos) == ["desk@client.test", "lee@client.test", "max@client.test"]
    assert "rep@example.test" not in got.rcpt_tos and "wrote:" not in msg.get_body(("plain",)).get_content()


def test_re_is_not_doubled(runtime, api, relay, rep, key):
    original_id = store_incoming(runtime, rep.id, ORIGINAL.replace(b"Subject: Pricing", b"Subject: RE: Pricing"))
    res = api.post("/v1/send", json={"reply_to_email_id": original_id, "text": "x"}, headers=bearer(key))
    assert res.json()["subject"] == "RE: Pricing for 200 seats"


def test_a_forward_carries_the_original_and_its_attachment(runtime, worker_api, relay, rep, key):
    original_id = store_incoming(runtime, rep.id, ORIGINAL)
    _, msg, got = _sent(runtime, worker_api, key, relay, forward_email_id=original_id, to=["boss@example.test"],
                        text="FYI")
    assert msg["Subject"] == "Fwd: Pricing for 200 seats" and got.rcpt_tos == ["boss@example.test"]
    assert msg["In-Reply-To"] is None and "<orig-1@client.test>" in msg["References"]
    text = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text.startswith("FYI") and "---------- Forwarded message ----------" in text
    assert "Could you send a quote?" in text
    [att] = list(msg.iter_attachments())
    assert att.get_filename() == "rfq.pdf" and att.get_content() == b"%PDF-1.4"


def test_someone_elses_private_mail_cannot_be_replied_to(runtime, api, relay, make_user, key):
    other = make_user("other@example.test")
    theirs = store_incoming(runtime, other.id, ORIGINAL)
    res = api.post("/v1/send", json={"reply_to_email_id": theirs, "text": "x"}, headers=bearer(key))
    assert res.status_code == 404


def test_signature_font_and_a_text_part_made_from_html(runtime, worker_api, relay, rep, key):
    res = worker_api.put("/v1/me/compose-settings", json={"signature": "Rep Smith\nACME Sales", "font": "Georgia"},
                         headers=bearer(key))
    assert res.json() == {"default_from": "rep@example.test", "signature": "Rep Smith\nACME Sales",
                          "font": "Georgia"}
    _, msg, _ = _sent(runtime, worker_api, key, relay, to=["bob@example.test"], subject="Styled",
                      html="<p>Hello <b>Bob</b></p><ul><li>one</li><li>two</li></ul>")
    html = msg.get_body(("html",)).get_content()
    assert 'font-family: Georgia' in html and "<b>Bob</b>" in html and "ACME Sales" in html
    text = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Hello Bob" in text and "- one\n- two" in text and "-- \nRep Smith\nACME Sales" in text
    assert "<" not in text


def test_html_is_sent_as_written(runtime, worker_api, relay, rep, key):
    raw_html = '<p onclick="x()">Hi</p><img src="https://img.test/a.png">'
    _, msg, _ = _sent(runtime, worker_api, key, relay, to=["bob@example.test"], html=raw_html, text="Hi",
                      signature=False)
    assert msg.get_body(("html",)).get_content().strip() == raw_html
    assert msg.get_body(("plain",)).get_content().strip() == "Hi"


def test_compose_settings_refuse_an_unverified_default_from_and_css_in_font(api, key):
    res = api.put("/v1/me/compose-settings", json={"default_from": "ceo@example.test"}, headers=bearer(key))
    assert res.status_code == 422 and res.json()["error"]["code"] == "from_not_allowed"
    res = api.put("/v1/me/compose-settings", json={"font": "Arial; background:url(x)"}, headers=bearer(key))
    assert res.status_code == 422 and res.json()["error"]["details"]["field"] == "font"


def test_attachments_are_sent_and_bad_base64_is_refused(runtime, worker_api, relay, rep, key):
    res = worker_api.post("/v1/send", json={"to": ["bob@example.test"], "text": "x", "attachments": [
        {"filename": "a.txt", "content_type": "text/plain", "content_b64": "!!!"}]}, headers=bearer(key))
    assert res.status_code == 422 and res.json()["error"]["details"]["field"] == "attachments[0].content_b64"
    _, msg, _ = _sent(runtime, worker_api, key, relay, to=["bob@example.test"], text="see attached", attachments=[
        {"filename": "Angebot März.pdf", "content_type": "application/pdf", "content_b64": "JVBERi0xLjQ="}])
    [att] = list(msg.iter_attachments())
    assert att.get_filename() == "Angebot März.pdf" and att.get_content() == b"%PDF-1.4"
    time.sleep(0.1)
