"""The BCC dropbox end to end: the real ingest server, driven by smtplib like a mail client's server."""

from __future__ import annotations

import smtplib

import pytest
from sqlalchemy import select

from assistant.jobs.tables import JobRun
from crm.mail.tables import Email, EmailLink
from crm.records.tables import Contact, Lead, RecordHistory
from crm.users.tables import UserPreferences
from mailio.ingest.dropbox import DropboxService
from mailio.smtp.tables import FromAddress
from crm.db import utcnow
from crm.users.service import UserService
from tests.conftest import bearer


@pytest.fixture
def rep(make_user):
    return make_user("rep@example.test")


def _address(runtime, user, creates: str | None = None) -> str:
    with runtime.unit() as session:
        users = UserService(session)
        service = DropboxService(session, runtime.settings, users.identity_for(users.users.get_or_raise(user.id)))
        if creates:
            service.set_creates(creates)
        return service.address()


def _mail(sender: str = "Rep <rep@example.test>", to: str = "Alice <alice@client.test>", cc: str = "",
          mid: str = "<m1@example.test>", subject: str = "Our offer") -> bytes:
    head = f"From: {sender}\r\nTo: {to}\r\n" + (f"Cc: {cc}\r\n" if cc else "")
    return (head + f"Subject: {subject}\r\nDate: Fri, 27 Nov 2026 10:00:00 +0000\r\nMessage-ID: {mid}\r\n"
            "\r\nHi Alice,\r\nplease find our offer.\r\n").encode()


def _send(ingest, mail_from: str, rcpt: str, raw: bytes) -> dict:
    host, port = ingest.address
    with smtplib.SMTP(host, port, timeout=10) as client:
        return client.sendmail(mail_from, [rcpt], raw)


def _emails(runtime) -> list[Email]:
    with runtime.unit() as session:
        return list(session.scalars(select(Email)))


def test_an_unknown_dropbox_address_is_refused(runtime, ingest, rep):
    _address(runtime, rep)
    for rcpt in ("dropbox+000000000000000000000000@dropbox.mailassist.local", "rep@dropbox.mailassist.local",
                 "someone@example.test"):
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            _send(ingest, "rep@example.test", rcpt, _mail())
        code, reply = refused.value.recipients[rcpt]
        assert code == 550 and b"no such address" in reply
    assert _emails(runtime) == []


def test_a_sender_that_is_not_the_users_verified_address_is_refused(runtime, ingest, rep):
    address = _address(runtime, rep)
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        _send(ingest, "mallory@evil.test", address, _mail(sender="mallory@evil.test"))
    assert refused.value.recipients[address][0] == 550
    # The envelope sender is fine but the From header is someone else: refused at DATA.
    with pytest.raises(smtplib.SMTPDataError) as data_refused:
        _send(ingest, "rep@example.test", address, _mail(sender="Boss <boss@example.test>"))
    assert data_refused.value.smtp_code == 550 and b"From header" in data_refused.value.smtp_error
    # An address added but never verified does not count either.
    with runtime.unit() as session:
        session.add(FromAddress(address="rep.alt@example.test", scope="user", owner_id=rep.id))
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        _send(ingest, "rep.alt@example.test", address, _mail(sender="rep.alt@example.test"))
    assert _emails(runtime) == []


def test_a_bcc_copy_is_stored_as_sent_linked_and_creates_a_lead_for_an_unknown_recipient(runtime, ingest, rep):
    with runtime.unit() as session:
        alice = Contact(owner_id=rep.id, email="alice@client.test", first_name="Alice")
        session.add(alice)
        session.flush()
        alice_id = alice.id
    address = _address(runtime, rep, creates="lead")
    raw = _mail(cc='"New Person" <newbie@client.test>, Rep <rep@example.test>')
    assert _send(ingest, "rep@example.test", address, raw) == {}
    [email] = _emails(runtime)
    assert (email.owner_id, email.source, email.direction, email.raw) == (rep.id, "dropbox", "out", raw)
    with runtime.unit() as session:
        [lead] = session.scalars(select(Lead)).all()
        assert (lead.email, lead.first_name, lead.last_name, lead.owner_id, lead.lead_source) == \
               ("newbie@client.test", "New", "Person", rep.id, "dropbox")
        assert session.scalars(select(Contact)).all()[0].id == alice_id  # no duplicate for a known person
        history = session.scalars(select(RecordHistory).where(RecordHistory.module == "leads",
                                                              RecordHistory.action == "create")).one()
        assert (history.source, history.source_email_id) == ("dropbox", email.id)
        links = {(lk.module, lk.record_id, lk.reason) for lk in
                 session.scalars(select(EmailLink).where(EmailLink.email_id == email.id))}
        assert {("contacts", alice_id, "to"), ("leads", lead.id, "cc")} <= links
        runs = session.scalars(select(JobRun).where(JobRun.name == "mail.analyze")).all()
        assert [r.args for r in runs] == [[[email.id]]]
    # The same mail BCC'd again is neither stored nor recorded twice.
    _send(ingest, "rep@example.test", address, raw)
    assert len(_emails(runtime)) == 1
    with runtime.unit() as session:
        assert len(session.scalars(select(Lead)).all()) == 1


def test_the_setting_decides_contact_or_nothing(runtime, ingest, rep):
    address = _address(runtime, rep, creates="contact")
    _send(ingest, "rep@example.test", address, _mail(to="Dana Doe <dana@client.test>", mid="<c1@example.test>"))
    with runtime.unit() as session:
        [contact] = session.scalars(select(Contact)).all()
        assert (contact.email, contact.first_name, contact.last_name) == ("dana@client.test", "Dana", "Doe")
        assert session.scalars(select(Lead)).all() == []
    _address(runtime, rep, creates="none")
    _send(ingest, "rep@example.test", address, _mail(to="eve@client.test", mid="<c2@example.test>"))
    with runtime.unit() as session:
        assert len(session.scalars(select(Contact)).all()) == 1 and session.scalars(select(Lead)).all() == []
    assert len(_emails(runtime)) == 2


def test_a_verified_org_address_may_use_the_dropbox(runtime, ingest, rep):
    with runtime.unit() as session:
        session.add(FromAddress(address="sales@example.test", scope="org", verified_at=utcnow()))
    address = _address(runtime, rep)
    _send(ingest, "sales@example.test", address, _mail(sender="Sales <sales@example.test>"))
    [email] = _emails(runtime)
    assert email.from_addr == "sales@example.test" and email.owner_id == rep.id


def test_a_regenerated_address_replaces_the_old_one(runtime, ingest, rep, api, make_key):
    key = make_key(rep, "mail:read")
    old = api.get("/v1/me/dropbox", headers=bearer(key)).json()
    assert old["address"].startswith("dropbox+") and old["address"].endswith("@dropbox.mailassist.local")
    assert old["creates"] == "none"
    new = api.post("/v1/me/dropbox/regenerate", headers=bearer(key)).json()["address"]
    assert new != old["address"]
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        _send(ingest, "rep@example.test", old["address"], _mail())
    _send(ingest, "rep@example.test", new, _mail())
    assert len(_emails(runtime)) == 1


def test_the_dropbox_api_vcard_and_setting(runtime, api, rep, make_user, make_key):
    key = make_key(rep, "mail:read")
    address = api.get("/v1/me/dropbox", headers=bearer(key)).json()["address"]
    card = api.get("/v1/me/dropbox.vcf", headers=bearer(key))
    assert card.headers["content-type"].startswith("text/vcard")
    assert "attachment" in card.headers["content-disposition"]
    assert card.text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n") and f"EMAIL;TYPE=INTERNET:{address}\r\n" in card.text
    assert api.put("/v1/me/dropbox", json={"creates": "contact"}, headers=bearer(key)).json()["creates"] == "contact"
    assert api.put("/v1/me/dropbox", json={"creates": "deal"}, headers=bearer(key)).status_code == 422
    other = make_key(make_user("other@example.test"), "mail:read")
    assert api.get("/v1/me/dropbox", headers=bearer(other)).json()["address"] != address
    with runtime.unit() as session:
        tokens = [p.dropbox_token for p in session.scalars(select(UserPreferences))]
        assert len(set(tokens)) == 2 and all(len(t) == 24 for t in tokens)
    assert api.get("/v1/me/dropbox").status_code == 401
