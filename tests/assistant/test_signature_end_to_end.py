"""Issue 5, end to end with the real pipeline: a known contact's mail with a new mobile number yields one
suggestion; accepting it updates the record and its history; analysing the mail again adds nothing."""

from __future__ import annotations

from assistant.analysis import analyze_emails
from assistant.suggestions.service import SuggestionService
from assistant.suggestions.tables import Suggestion
from crm.mail.service import MailStore
from crm.records.service import RecordService
from crm.records.tables import Contact, RecordHistory
from crm.users.service import UserService

MAIL = (
    "From: Priya Natarajan <priya.natarajan@lumen-health.com>\r\nTo: rep@example.test\r\n"
    "Subject: Thank you!\r\nDate: Wed, 25 Nov 2026 17:30:21 -0800\r\nMessage-ID: <p9@lumen-health.com>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
    "Hi Alex,\r\n\r\nJust a quick note to say thank you for getting the integration live so quickly.\r\n\r\n"
    "Cheers,\r\nPriya\r\n\r\nPriya Natarajan\r\nVP Customer Success\r\nLumen Health, Inc.\r\n"
    "M: +1 415 555 0176\r\nlinkedin.com/in/priyanatarajan\r\n"
).encode()


def test_a_new_mobile_number_from_a_known_contact(runtime, make_user):
    rep = make_user("rep@example.test")
    with runtime.unit() as session:
        users = UserService(session)
        who = users.identity_for(users.users.get(rep.id))
        contact_id = RecordService(session, who, "contacts").create({
            "first_name": "Priya", "last_name": "Natarajan", "email": "priya.natarajan@lumen-health.com",
            "title": "VP Customer Success", "mobile": "+1 415 555 0100",
            "linkedin": "linkedin.com/in/priyanatarajan"}).id
        email_id = MailStore(session).store(MAIL, owner_id=rep.id, source="test").email.id
    with runtime.unit() as session:
        analyze_emails(session, runtime.pipeline, [email_id])
    with runtime.unit() as session:
        suggestions = session.query(Suggestion).filter_by(email_id=email_id).all()
        assert [(s.kind, s.field, s.old_value, s.new_value) for s in suggestions] == [
            ("contact_update", "mobile", "+1 415 555 0100", "+14155550176")]
        assert suggestions[0].evidence == "M: +1 415 555 0176"
        SuggestionService(session).accept(suggestions[0].id, who)
    with runtime.unit() as session:
        assert session.get(Contact, contact_id).mobile == "+14155550176"
        history = session.query(RecordHistory).filter_by(record_id=contact_id, source="signature").one()
        assert (history.field, history.source_email_id, history.source_detail) == (
            "mobile", email_id, "M: +1 415 555 0176")
    with runtime.unit() as session:
        analyze_emails(session, runtime.pipeline, [email_id], force=True)
    with runtime.unit() as session:
        assert session.query(Suggestion).filter_by(email_id=email_id).count() == 1
