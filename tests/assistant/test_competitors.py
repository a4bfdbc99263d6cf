"""The admin's competitor list reaches the insight tags of stored mail's analysis."""

from __future__ import annotations

from assistant.analysis import analyze_emails
from crm.mail.service import Incoming, MailStore
from crm.mail.tables import EmailAnalysis
from crm.org.settings import OrgSettings

RAW = (b"From: Sarah Chen <sarah@northwind.example>\r\nTo: rep@example.test\r\nSubject: Options\r\n"
       b"Message-ID: <comp-1@northwind.example>\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\n"
       b"Hi,\r\n\r\nWe are also evaluating Brightdesk for the rollout and their offer is lower.\r\n\r\n"
       b"Thanks,\r\nSarah\r\n")


def test_competitors_from_the_org_settings_are_tagged(runtime, admin):
    with runtime.unit() as session:
        OrgSettings(session).update({"competitors": ["Brightdesk"]}, by=admin.id)
        email = MailStore(session).store_batch([Incoming(RAW)], owner_id=admin.id, source="test")[0].email
    with runtime.unit() as session:
        analyze_emails(session, runtime.pipeline, [email.id])
        result = session.query(EmailAnalysis).filter_by(email_id=email.id).one().result
    competitor = [i for i in result["insights"] if i["label"] == "competitor"]
    assert competitor and "Brightdesk" in competitor[0]["evidence"]
