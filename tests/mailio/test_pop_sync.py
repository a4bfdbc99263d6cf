"""POP3 sync against a real Dovecot: UIDL de-duplication, leave-on-server and delete-after-storing."""

from __future__ import annotations

import poplib

import pytest
from sqlalchemy import select

from crm.mail.tables import Email
from mailio.mailboxes.errors import LoginFailed
from mailio.mailboxes.sync import sync_mailbox
from mailio.mailboxes.tables import Mailbox, MailboxFolder, PopSeen
from mailio.secrets import encrypt_secret
from tests.mailio.conftest import message


def stored(runtime, box: int) -> list[Email]:
    with runtime.unit() as session:
        return list(session.scalars(select(Email).where(Email.mailbox_id == box).order_by(Email.id)))


def on_server(account) -> int:
    pop = poplib.POP3(account.server.host, account.server.pop3_port, timeout=10)
    try:
        pop.user(account.username)
        pop.pass_(account.password)
        return pop.stat()[0]
    finally:
        pop.quit()


def test_leave_on_server_fetches_each_message_once_by_uidl(runtime, mail_account, make_mailbox):
    mail_account.append([message(i) for i in range(5)])
    box = make_mailbox(mail_account, kind="pop3", leave_on_server=True)

    first = sync_mailbox(runtime, box, batch_size=2)
    assert first.result["fetched"] == 5 and first.result["stored"] == 5
    assert on_server(mail_account) == 5  # nothing deleted
    again = sync_mailbox(runtime, box)
    assert again.result["fetched"] == 0  # every UIDL already seen: nothing downloaded

    mail_account.append([message(i) for i in range(5, 7)])
    later = sync_mailbox(runtime, box)
    emails = stored(runtime, box)
    assert later.result["fetched"] == 2
    assert sorted(e.message_id for e in emails) == sorted(f"<t-{i}@example.test>" for i in range(7))
    assert all(e.source == "pop" and e.raw == message(int(e.message_id[3:-14])) for e in emails)
    with runtime.unit() as session:
        assert len(list(session.scalars(select(PopSeen).where(PopSeen.mailbox_id == box)))) == 7
        state = session.scalar(select(MailboxFolder).where(MailboxFolder.mailbox_id == box))
        assert (state.server_count, state.synced_count) == (7, 7)
        assert session.get(Mailbox, box).state == "ok"


def test_without_leave_on_server_messages_are_deleted_after_they_are_stored(runtime, mail_account,
                                                                             make_mailbox):
    mail_account.append([message(i) for i in range(4)])
    box = make_mailbox(mail_account, kind="pop3", leave_on_server=False)

    outcome = sync_mailbox(runtime, box, batch_size=3)

    assert outcome.result["deleted"] == 4 and len(stored(runtime, box)) == 4
    assert on_server(mail_account) == 0
    mail_account.append([message(9)])
    sync_mailbox(runtime, box)
    assert on_server(mail_account) == 0 and len(stored(runtime, box)) == 5
    with runtime.unit() as session:
        # deleted on the server: their UIDLs are forgotten, so the table does not grow forever
        assert len(list(session.scalars(select(PopSeen).where(PopSeen.mailbox_id == box)))) == 1


def test_a_message_whose_deletion_was_lost_is_deleted_next_time_not_stored_twice(runtime, mail_account,
                                                                                    make_mailbox):
    mail_account.append([message(i) for i in range(3)])
    box = make_mailbox(mail_account, kind="pop3", leave_on_server=True)
    sync_mailbox(runtime, box)  # stored, left on the server (as if QUIT never arrived)
    with runtime.unit() as session:
        session.get(Mailbox, box).leave_on_server = False

    outcome = sync_mailbox(runtime, box)

    assert outcome.result == {**outcome.result, "fetched": 0, "deleted": 3}
    assert on_server(mail_account) == 0 and len(stored(runtime, box)) == 3


def test_a_wrong_pop_password_is_an_error_on_the_mailbox(runtime, mail_account, make_mailbox):
    box = make_mailbox(mail_account, kind="pop3")
    with runtime.unit() as session:
        session.get(Mailbox, box).secret = encrypt_secret(runtime.settings, "not-the-password")
    with pytest.raises(LoginFailed):
        sync_mailbox(runtime, box)
    with runtime.unit() as session:
        mailbox = session.get(Mailbox, box)
        assert mailbox.state == "error" and "refused" in mailbox.last_error
        assert "not-the-password" not in mailbox.last_error
