"""Issue 7, end to end: a mail proposing a meeting is synced from Dovecot, analysed in the job layer,
the proposal appears, and accepting it creates an Event on the right date and time zone, linked to
the contact and the deal."""

from __future__ import annotations

from datetime import datetime, timezone

from assistant.jobs.tables import JobRun
from assistant.suggestions.service import SuggestionService
from assistant.suggestions.tables import Suggestion
from crm.records.service import RecordService
from crm.records.tables import Event
from tests.conftest import wait_for
from tests.mailio.conftest import identity_of

MEETING = (
    "From: Sarah Chen <sarah@northwind.example>\r\nTo: rep@example.test\r\n"
    "Subject: Rollout planning\r\nDate: Mon, 23 Nov 2026 09:12:44 -0500\r\n"
    "Message-ID: <meet-1@northwind.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    "Hi,\r\n\r\nCould we meet next Wednesday at 3pm EST to go through the rollout plan?\r\n\r\n"
    "Best regards,\r\nSarah\r\n\r\n> On Fri, 20 Nov 2026, rep wrote:\r\n> Shall we meet on Friday at 10am?\r\n"
).encode()


def test_a_synced_meeting_proposal_becomes_an_event_on_the_contact_and_deal(runtime, rep, worker, mail_account,
                                                                            make_mailbox):
    who = identity_of(runtime, rep)
    with runtime.unit() as session:
        contact = RecordService(session, who, "contacts").create({"first_name": "Sarah",
                                                                  "email": "sarah@northwind.example"})
        deal = RecordService(session, who, "deals").create({"name": "Rollout", "stage": "proposal",
                                                            "contact_id": contact.id})
        contact_id, deal_id = contact.id, deal.id
    mail_account.append([MEETING])
    mailbox_id = make_mailbox(mail_account)
    with runtime.unit() as session:
        runtime.enqueue(session, "mail.sync_mailbox", mailbox_id)

    def proposal():
        with runtime.unit() as session:
            return session.query(Suggestion).filter_by(kind="activity").all()

    found = wait_for(proposal, timeout=90, interval=0.5)
    assert len(found) == 1  # the quoted "Friday at 10am" is not proposed
    suggestion = found[0]
    assert suggestion.module == "events" and "Wednesday at 3pm EST" in suggestion.evidence
    with runtime.unit() as session:
        created = SuggestionService(session).accept(suggestion.id, who)
        event = session.get(Event, created.created_record_id)
        assert event.start == datetime(2026, 12, 2, 20, 0, tzinfo=timezone.utc)  # 3pm EST = 20:00 UTC
        assert event.timezone == "America/New_York"
        assert (event.contact_id, event.deal_id, event.email_id) == (contact_id, deal_id, suggestion.email_id)
    # Analysing the same mail again proposes nothing new.
    with runtime.unit() as session:
        from assistant.analysis import analyze_emails

        analyze_emails(session, runtime.pipeline, [suggestion.email_id], force=True)
    assert len(proposal()) == 1
    with runtime.unit() as session:
        assert session.query(JobRun).filter_by(name="mail.analyze", state="failed").count() == 0
