"""The parser's own address on the real SMTP ingest server, beside the BCC dropbox."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from assistant.analysis import analyze_emails
from assistant.jobs.tables import JobRun
from crm.mail.tables import Email
from crm.records.tables import Lead
from crm.rules.service import RuleService
from crm.rules.tables import ParseLog
from mailio.ingest.dropbox import DropboxService
from mailio.ingest.kinds import DropboxKind, RulesKind
from mailio.ingest.server import IngestServer
from tests.browser import free_port
from tests.rules.forms import build
from tests.rules.rules_for_tests import RULES


@pytest.fixture
def ingest(runtime) -> Iterator[IngestServer]:
    server = IngestServer(runtime, "127.0.0.1", free_port(), kinds=(DropboxKind(), RulesKind()))
    server.start()
    yield server
    server.stop()


def send(ingest, mail_from: str, rcpt: str, raw: bytes) -> dict:
    host, port = ingest.address
    with smtplib.SMTP(host, port, timeout=10) as client:
        return client.sendmail(mail_from, [rcpt], raw)


def test_mail_to_the_parser_address_becomes_a_record(runtime, ingest, who, pipeline):
    with runtime.unit() as session:
        service = RuleService(session, who)
        service.create(RULES["japanese"])
        address = service.add_address(runtime.settings.dropbox_domain).address
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:  # a sender no rule approves
        send(ingest, "spammer@elsewhere.example", address, build("japanese", 0))
    assert refused.value.recipients[address][0] == 550
    assert send(ingest, "form@sakura-kogyo.example.jp", address, build("japanese", 0)) == {}
    forwarded = b"From: admin@example.test\nSubject: Fwd: a sample\nMessage-ID: <fwd@x>\n\nName: Kim\n"
    assert send(ingest, "admin@example.test", address, forwarded) == {}  # the owner forwarding a sample
    with runtime.unit() as session:
        emails = list(session.scalars(select(Email).order_by(Email.id)))
        assert [(e.source, e.direction, e.owner_id) for e in emails] == [("rules", "in", who.user_id)] * 2
        asked = [run.args[0] for run in session.scalars(select(JobRun).where(JobRun.name == "mail.analyze"))]
        assert asked == [[emails[0].id], [emails[1].id]]  # the analysis job runs the rules afterwards
    with runtime.unit() as session:
        analyze_emails(session, pipeline, [e.id for e in emails])
    with runtime.unit() as session:
        [lead] = session.scalars(select(Lead)).all()
        assert (lead.last_name, lead.first_name, lead.phone) == ("山田", "太郎", "+81312345678")
        outcomes = {e.email_id: e.outcome for e in session.scalars(select(ParseLog))}
        assert outcomes == {emails[0].id: "created", emails[1].id: "unmatched"}  # kept and listed


def test_the_dropbox_still_works_beside_it(runtime, ingest, who):
    with runtime.unit() as session:
        address = DropboxService(session, runtime.settings, who).address()
    raw = b"From: admin@example.test\nTo: alice@client.test\nSubject: offer\nMessage-ID: <d1@x>\n\nHi\n"
    assert send(ingest, "admin@example.test", address, raw) == {}
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(ingest, "admin@example.test", "rules+000000000000000000000000@dropbox.mailassist.local", raw)
    with runtime.unit() as session:
        assert [(e.source, e.direction) for e in session.scalars(select(Email))] == [("dropbox", "out")]
