"""Suggestions from analysed mail: contact updates, new people and activities, accepted in one click."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from assistant.suggestions.service import SuggestionService
from assistant.suggestions.tables import Suggestion
from crm.mail.service import MailStore
from crm.org.settings import OrgSettings
from crm.records.service import RecordService
from crm.records.tables import Contact, Event, RecordHistory
from crm.users.service import UserService


def raw_mail(mid: str, frm: str = "Sarah Chen <sarah@northwind.example>", subject: str = "Call me") -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"], m["Message-ID"] = frm, "rep@example.test", subject, mid
    m["Date"] = "Mon, 23 Nov 2026 09:00:00 -0500"
    m.set_content("hello")
    return bytes(m)


SIGNATURE = {
    "text": "Sarah Chen\nDirector of Operations\nMobile: +1 (617) 555-0199",
    "fields": {"name": "Sarah Chen", "name_parts": {"given": "Sarah", "family": "Chen"},
               "title": "Director of Operations", "company": "Northwind Logistics",
               "phones": [{"type": "mobile", "number": "+16175550199", "raw": "Mobile: +1 (617) 555-0199"}]},
    "evidence": {"name": {"confidence": 0.9, "line": "Sarah Chen"},
                 "title": {"confidence": 0.85, "line": "Director of Operations"},
                 "phones": {"confidence": 0.95, "line": "Mobile: +1 (617) 555-0199"}},
}


@pytest.fixture
def rep(make_user):
    return make_user("rep@example.test")


@pytest.fixture
def who(runtime, rep):
    with runtime.unit() as session:
        users = UserService(session)
        return users.identity_for(users.users.get(rep.id))


def store(runtime, rep, raw):
    with runtime.unit() as session:
        return MailStore(session).store(raw, owner_id=rep.id, source="test").email.id


def derive(runtime, email_id, result):
    with runtime.unit() as session:
        from crm.mail.repository import EmailRepository

        email = EmailRepository(session).get(email_id)
        return [s.id for s in SuggestionService(session).derive(email, result)]


def test_a_new_mobile_number_is_one_suggestion_accepted_with_its_source(runtime, rep, who):
    with runtime.unit() as session:
        contact_id = RecordService(session, who, "contacts").create(
            {"first_name": "Sarah", "last_name": "Chen", "email": "sarah@northwind.example",
             "title": "Director of Operations", "mobile": "+1 617 555 0100"}).id
    email_id = store(runtime, rep, raw_mail("<s1@x>"))
    ids = derive(runtime, email_id, {"signature": SIGNATURE})
    assert len(ids) == 1  # the title is unchanged; only the mobile differs
    assert derive(runtime, email_id, {"signature": SIGNATURE}) == []  # analysed again: no duplicate
    with runtime.unit() as session:
        service = SuggestionService(session)
        suggestion = service.accept(ids[0], who)
        assert (suggestion.field, suggestion.old_value, suggestion.new_value) == ("mobile", "+1 617 555 0100",
                                                                                  "+16175550199")
    with runtime.unit() as session:
        assert session.get(Contact, contact_id).mobile == "+16175550199"
        entry = session.query(RecordHistory).filter_by(record_id=contact_id, field="mobile", source="signature").one()
        assert (entry.source, entry.source_email_id, entry.source_detail) == (
            "signature", email_id, "Mobile: +1 (617) 555-0199")


def test_a_rejected_value_is_not_suggested_again(runtime, rep, who):
    with runtime.unit() as session:
        RecordService(session, who, "contacts").create({"first_name": "Sarah", "email": "sarah@northwind.example"})
    first = store(runtime, rep, raw_mail("<r1@x>"))
    ids = derive(runtime, first, {"signature": SIGNATURE})
    with runtime.unit() as session:
        service = SuggestionService(session)
        for sid in ids:
            service.reject(sid, who)
    second = store(runtime, rep, raw_mail("<r2@x>", subject="Again"))
    assert derive(runtime, second, {"signature": SIGNATURE}) == []
    changed = {**SIGNATURE, "fields": {**SIGNATURE["fields"], "title": "COO"}}
    assert len(derive(runtime, second, {"signature": changed})) == 1  # a new value is news


def test_an_unknown_sender_becomes_a_suggested_contact_with_an_account(runtime, rep, who):
    email_id = store(runtime, rep, raw_mail("<n1@x>"))
    (sid,) = derive(runtime, email_id, {"signature": SIGNATURE})
    with runtime.unit() as session:
        suggestion = SuggestionService(session).accept(sid, who)
        contact = session.get(Contact, suggestion.created_record_id)
        assert (contact.first_name, contact.last_name, contact.email, contact.mobile) == (
            "Sarah", "Chen", "sarah@northwind.example", "+16175550199")
        assert contact.account_id is not None
    with runtime.unit() as session:
        from crm.mail.repository import LinkRepository

        links = {(l.module, l.record_id) for l in LinkRepository(session).for_email(email_id)}
    assert ("contacts", contact.id) in links  # the mail that introduced her is on her timeline


def test_admin_settings_choose_lead_and_auto_creation(runtime, rep, admin):
    with runtime.unit() as session:
        OrgSettings(session).update({"signature_new_sender": "lead", "signature_autocreate_threshold": 0.8},
                                    by=admin.id)
    email_id = store(runtime, rep, raw_mail("<a1@x>"))
    (sid,) = derive(runtime, email_id, {"signature": SIGNATURE})
    with runtime.unit() as session:
        suggestion = session.get(Suggestion, sid)
        assert (suggestion.module, suggestion.state) == ("leads", "auto") and suggestion.created_record_id


def test_a_proposed_meeting_becomes_an_event_on_the_contact_and_deal(runtime, rep, who):
    with runtime.unit() as session:
        contact = RecordService(session, who, "contacts").create({"first_name": "Sarah",
                                                                  "email": "sarah@northwind.example"})
        deal = RecordService(session, who, "deals").create({"name": "Rollout", "stage": "proposal",
                                                            "contact_id": contact.id})
        contact_id, deal_id = contact.id, deal.id
    email_id = store(runtime, rep, raw_mail("<m1@x>", subject="Rollout call"))
    meeting = {"type": "meeting", "start": "2026-12-01T15:00:00-05:00", "end": "2026-12-01T16:00:00-05:00",
               "timezone": "America/New_York", "confidence": 0.92, "alternatives": [],
               "evidence": "Could we meet next Tuesday at 3pm EST?"}
    (sid,) = derive(runtime, email_id, {"activities": [meeting]})
    assert derive(runtime, email_id, {"activities": [meeting]}) == []
    with runtime.unit() as session:
        suggestion = SuggestionService(session).accept(sid, who)
        event = session.get(Event, suggestion.created_record_id)
        assert (event.title, event.contact_id, event.deal_id, event.email_id) == (
            "Rollout call", contact_id, deal_id, email_id)
        assert event.start.isoformat() == "2026-12-01T20:00:00+00:00" and event.timezone == "America/New_York"


def test_a_calendar_cancellation_cancels_the_event_it_created(runtime, rep, who):
    invite = {"type": "meeting", "start": "2026-12-02T10:00:00+01:00", "confidence": 1.0, "uid": "abc-123",
              "source": "calendar", "evidence": "Kickoff", "title": "Kickoff"}
    first = store(runtime, rep, raw_mail("<c1@x>", subject="Invitation: Kickoff"))
    (sid,) = derive(runtime, first, {"activities": [invite]})
    with runtime.unit() as session:
        event_id = SuggestionService(session).accept(sid, who).created_record_id
    second = store(runtime, rep, raw_mail("<c2@x>", subject="Cancelled: Kickoff"))
    (sid2,) = derive(runtime, second, {"activities": [{**invite, "status": "cancelled"}]})
    with runtime.unit() as session:
        assert SuggestionService(session).accept(sid2, who).created_record_id == event_id
        assert session.get(Event, event_id).status == "cancelled"


def test_the_api_lists_accepts_once_and_hides_others_suggestions(client, runtime, rep, who, make_user, make_key,
                                                                  admin):
    email_id = store(runtime, rep, raw_mail("<api1@x>"))
    (sid,) = derive(runtime, email_id, {"signature": SIGNATURE})
    key = make_key(rep, "records:read", "records:write")
    other = make_key(make_user("other@example.test"), "records:read", "records:write")
    from tests.conftest import bearer

    listed = client.get(f"/v1/suggestions?email_id={email_id}", headers=bearer(key)).json()
    assert [(s["kind"], s["module"], s["evidence"]) for s in listed] == [("new_record", "contacts", "Sarah Chen")]
    assert client.post(f"/v1/suggestions/{sid}/accept", headers=bearer(other)).status_code == 404
    accepted = client.post(f"/v1/suggestions/{sid}/accept", json={"edits": {"title": "COO"}}, headers=bearer(key))
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    contact = client.get(f"/v1/contacts/{accepted.json()['created_record_id']}",
                         headers=bearer(make_key(rep, "records:read"))).json()
    assert contact["title"] == "COO"  # the rep's edit wins over the suggested value
    assert client.post(f"/v1/suggestions/{sid}/accept", headers=bearer(key)).status_code == 409
    admin_key = make_key(admin, "admin")
    bad = client.patch("/v1/admin/org-settings", json={"signature_autocreate_threshold": 3}, headers=bearer(admin_key))
    assert bad.status_code == 422 and "signature_autocreate_threshold" in bad.json()["error"]["message"]
    ok = client.patch("/v1/admin/org-settings", json={"competitors": ["Acme CRM"]}, headers=bearer(admin_key))
    assert ok.json()["competitors"] == ["Acme CRM"]
