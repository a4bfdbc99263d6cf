"""The ingest server routes each RCPT to the first recipient kind that knows it: a second kind
(as the parsing-rules address will be) plugs in beside the dropbox without touching it."""

from __future__ import annotations

import smtplib

import pytest
from sqlalchemy import select

from crm.mail.tables import Email
from mailio.ingest.dropbox import DropboxService
from mailio.ingest.kinds import DropboxKind, Refusal, Target
from mailio.ingest.server import IngestServer
from crm.users.service import UserService
from tests.mailio.smtp.servers import free_port


class RulesKind:
    """A stand-in for the parsing-rules address: takes rules@…, from anyone at example.test."""

    name = "rules"

    def __init__(self, *, broken: bool = False):
        self.delivered: list[bytes] = []
        self.broken = broken

    def resolve(self, session, settings, address: str) -> Target | None:
        return Target(self.name, address, None) if address.lower() == "rules@ingest.test" else None

    def check_sender(self, session, target: Target, mail_from: str) -> None:
        if not mail_from.endswith("@example.test"):
            raise Refusal("550 5.7.1 not from this organisation")

    def deliver(self, runtime, session, target: Target, raw: bytes) -> None:
        if self.broken:
            raise RuntimeError("a bug while storing")
        self.delivered.append(raw)


@pytest.fixture
def serve(runtime):
    servers = []

    def start(*kinds) -> tuple[str, int]:
        server = IngestServer(runtime, "127.0.0.1", free_port(), kinds)
        server.start()
        servers.append(server)
        return server.address

    yield start
    for server in servers:
        server.stop()


RAW = (b"From: rep@example.test\r\nTo: orders@client.test\r\nSubject: Order 7\r\n"
       b"Message-ID: <k1@example.test>\r\n\r\nbody\r\n")


def test_a_second_kind_gets_its_addresses_and_the_dropbox_keeps_its_own(runtime, serve, make_user):
    rep = make_user("rep@example.test")
    with runtime.unit() as session:
        users = UserService(session)
        dropbox = DropboxService(session, runtime.settings, users.identity_for(users.users.get_or_raise(rep.id)))
        address = dropbox.address()
    rules = RulesKind()
    host, port = serve(DropboxKind(), rules)
    with smtplib.SMTP(host, port, timeout=10) as client:
        client.sendmail("rep@example.test", ["rules@ingest.test"], RAW)
        client.sendmail("rep@example.test", [address], RAW)
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            client.sendmail("x@elsewhere.test", ["rules@ingest.test"], RAW)
        assert refused.value.recipients["rules@ingest.test"][0] == 550
    assert rules.delivered == [RAW]
    with runtime.unit() as session:
        assert [e.source for e in session.scalars(select(Email))] == ["dropbox"]


def test_a_bug_while_storing_answers_451_so_the_sender_keeps_the_mail(runtime, serve):
    host, port = serve(RulesKind(broken=True))
    with smtplib.SMTP(host, port, timeout=10) as client:
        with pytest.raises(smtplib.SMTPDataError) as failed:
            client.sendmail("rep@example.test", ["rules@ingest.test"], RAW)
    assert failed.value.smtp_code == 451
