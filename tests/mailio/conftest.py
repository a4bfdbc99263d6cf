"""Fixtures for the mail-server tests: one real Dovecot for the session, a fresh account per test."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from imapclient import IMAPClient
from starlette.middleware.sessions import SessionMiddleware

from assistant.jobs.embedded import EmbeddedWorker
from assistant.runtime import Runtime
from assistant.settings import Settings
from crm.users.service import UserService
from mailio.mailboxes.schemas import MailboxIn
from mailio.mailboxes.service import MailboxService
from tests.conftest import TEST_JOB_MODULES, make_settings
from tests.mailio.dovecot import Dovecot, dovecot_missing

MAIL_JOB_MODULES = [*TEST_JOB_MODULES, "mailio.mailboxes.jobs", "mailio.imap.jobs"]
_POOL = 400


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    missing = dovecot_missing()
    if missing:
        pytest.skip(missing)
    # Its own directory under /tmp: pytest's are private to root, and Dovecot runs as nobody.
    server = Dovecot(tls=True)
    server.start()
    # A pool of accounts written before the first login: each test takes a fresh one at no cost.
    server.pool = [(f"user{n}-{secrets.token_hex(3)}@example.test", f"pw-{secrets.token_urlsafe(12)}")
                   for n in range(_POOL)]
    server.add_users(dict(server.pool))
    yield server
    server.cleanup()


@dataclass
class MailAccount:
    """A Dovecot account and quick ways to put mail in it, as another mail client would."""

    server: Dovecot
    username: str
    password: str

    def imap(self) -> IMAPClient:
        client = IMAPClient(self.server.host, port=self.server.imap_port, ssl=False, timeout=30)
        client.login(self.username, self.password)
        return client

    def append(self, raws: list[bytes], folder: str = "INBOX", flags: tuple = ()) -> list[int]:
        """APPEND each message; returns the UIDs the server gave them."""
        uids = []
        with self.imap() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            for raw in raws:
                answer = client.append(folder, raw, flags=flags)
                uids.append(int(answer.split(b"]")[0].split()[-1]))
        return uids

    def server_message_ids(self, folder: str = "INBOX") -> list[str]:
        with self.imap() as client:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            found = []
            for start in range(0, len(uids), 500):
                data = client.fetch(uids[start:start + 500], ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
                for item in data.values():
                    header = item[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].decode().strip()
                    found.append(header.split(":", 1)[1].strip())
            return found


@pytest.fixture
def mail_account(dovecot) -> MailAccount:
    if dovecot.pool:
        username, password = dovecot.pool.pop()
    else:
        username, password = f"extra-{secrets.token_hex(4)}@example.test", f"pw-{secrets.token_urlsafe(12)}"
        dovecot.add_user(username, password)
    return MailAccount(dovecot, username, password)


_BASE_DATE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def message(n: int, *, subject: str | None = None, sender: str = "Kim Lee <kim@client.test>",
            to: str = "rep@example.test", body_bytes: int = 300, tag: str = "t") -> bytes:
    """A plain message with a unique Message-ID (``<tag-n@example.test>``)."""
    body = (f"Hello, this is message {n}.\r\n" + "Lorem ipsum dolor sit amet. " * (body_bytes // 28 + 1))
    date = format_datetime(_BASE_DATE + timedelta(minutes=n))
    headers = (f"From: {sender}\r\nTo: {to}\r\nSubject: {subject or f'Message {n} ({tag})'}\r\n"
               f"Date: {date}\r\nMessage-ID: <{tag}-{n}@example.test>\r\nMIME-Version: 1.0\r\n"
               "Content-Type: text/plain; charset=utf-8\r\n\r\n")
    return (headers + body[:body_bytes] + "\r\n").encode()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Like the suite's settings, with the mailbox jobs declared (until catalog.py lists them)."""
    return make_settings(tmp_path / "data", job_modules=MAIL_JOB_MODULES)


@pytest.fixture
def rep(runtime):
    with runtime.unit() as session:
        return UserService(session).create_user("rep@example.test", "rep-password", role="rep")


def identity_of(runtime, user):
    with runtime.unit() as session:
        service = UserService(session)
        return service.identity_for(service.users.get_or_raise(user.id))


@pytest.fixture
def make_mailbox(runtime, rep) -> Callable[..., int]:
    """Add a mailbox for ``owner`` (default the rep) pointing at a Dovecot account; returns its id."""

    def make(account: MailAccount, *, owner=None, kind: str = "imap", **fields) -> int:
        who = identity_of(runtime, owner or rep)
        fields.setdefault("port", account.server.imap_port if kind == "imap" else account.server.pop3_port)
        fields.setdefault("security", "none")
        data = MailboxIn(kind=kind, host=account.server.host, username=account.username,
                         password=account.password, **fields)
        with runtime.unit() as session:
            return MailboxService(session, runtime.settings).create(who, data).id

    return make


@pytest.fixture
def worker(runtime) -> Iterator[EmbeddedWorker]:
    """The embedded job worker (threads in this process), as `mailassist serve` runs it."""
    embedded = EmbeddedWorker(runtime, with_beat=False)
    assert embedded.start()
    yield embedded
    embedded.stop()


def make_api(runtime: Runtime) -> FastAPI:
    """An app with only the mailbox routes and pages (until api/app.py includes them)."""
    from api.errors import install_error_handlers
    from api.routes import mailboxes
    from api.web import mailbox_pages

    app = FastAPI()
    app.state.runtime = runtime
    install_error_handlers(app)
    app.add_middleware(SessionMiddleware, secret_key="test-secret", session_cookie="mailassist_session")
    app.include_router(mailboxes.router)
    app.include_router(mailbox_pages.pages)
    return app


@pytest.fixture
def api(runtime) -> Iterator[TestClient]:
    with TestClient(make_api(runtime), base_url="http://127.0.0.1:8000") as client:
        yield client
