"""Storing mail without ORM objects (a sync's path) writes exactly what the ORM path writes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assistant.runtime import Runtime
from crm.mail.service import Incoming, MailStore, NewMail
from crm.mail.tables import Email, Thread
from crm.migrate import upgrade
from crm.users.service import UserService
from tests.crm.test_mail_linking import mail


@pytest.fixture
def db_runtime(any_db_settings):
    """A runtime on SQLite, and on PostgreSQL when the suite has one (the light path differs)."""
    runtime = Runtime(any_db_settings)
    upgrade(runtime.engine)
    yield runtime
    runtime.dispose()


@pytest.fixture
def make_user(db_runtime):
    def make(email: str):
        with db_runtime.unit() as session:
            return UserService(session).create_user(email, None, role="rep")

    return make

_SKIP = {"id", "owner_id", "thread_id", "created_at", "mailbox_id"}


def _row(email: Email) -> dict:
    return {c.key: getattr(email, c.key) for c in Email.__table__.columns if c.key not in _SKIP}


def test_the_light_path_stores_the_same_columns_as_the_orm_path(db_runtime, make_user):
    runtime = db_runtime
    a, b = make_user("a@example.test"), make_user("b@example.test")
    raws = [mail("<one@x>", frm="Sarah <sarah@northwind.example>", to="rep@example.test, Ann <ann@y.example>"),
            mail("<two@x>", irt="<one@x>", refs="<zero@x> <one@x>", subject="Re: Rollout",
                 date="Tue, 24 Nov 2026 10:30:00 +0100"),
            b"not a mail at all\r\n",
            mail("<three@x>", date="garbage")]
    items = [Incoming(raw, folder="INBOX", uid=n, flags=["\\Seen"] if n else []) for n, raw in enumerate(raws)]
    with runtime.unit() as session:
        orm = MailStore(session).store_batch(items, owner_id=a.id, source="imap")
    with runtime.unit() as session:
        store = MailStore(session)
        light = store.store_batch_with_envelopes(items + items[:1], store.envelopes(items + items[:1]),
                                                 owner_id=b.id, source="imap", objects=False)
        assert all(isinstance(r.email, NewMail) for r in light)
        assert [r.created for r in light] == [True] * 4 + [False] and light[4].email is light[0].email
        assert light[2].malformed and not light[0].malformed
    with runtime.unit() as session:
        by_owner = {}
        for email in session.scalars(select(Email).order_by(Email.id)):
            by_owner.setdefault(email.owner_id, []).append(email)
        assert [_row(e) for e in by_owner[a.id]] == [_row(e) for e in by_owner[b.id]]
        assert [e.id for e in by_owner[b.id]] == [r.email.id for r in light[:4]]
        assert [e.thread_id for e in by_owner[b.id]] == [r.email.thread_id for r in light[:4]]
        assert by_owner[b.id][0].needs_reply is False and by_owner[b.id][0].priority_reasons is None
        assert by_owner[b.id][1].date.utcoffset().total_seconds() == 0  # stored in UTC
        threads = {t.id: t for t in session.scalars(select(Thread).where(Thread.owner_id == b.id))}
        assert by_owner[b.id][0].thread_id == by_owner[b.id][1].thread_id
        assert threads[by_owner[b.id][0].thread_id].message_count == 2


def test_threads_with_equal_values_get_their_own_ids(db_runtime, make_user):
    runtime = db_runtime
    owner = make_user("c@example.test")
    # two unrelated mails with the same subject and date start two threads with the same column values
    raws = [mail("<p@x>", subject="Hello"), mail("<q@x>", subject="Hello")]
    with runtime.unit() as session:
        results = MailStore(session).store_batch([Incoming(r) for r in raws], owner_id=owner.id, source="test")
        ids = [r.email.thread_id for r in results]
    assert len(set(ids)) == 2 and all(ids)
    with runtime.unit() as session:
        assert sorted(session.scalars(select(Thread.id).where(Thread.owner_id == owner.id))) == sorted(ids)


def test_mail_stored_unprocessed_is_threaded_by_process_stored_as_inline_storing_would(db_runtime, make_user):
    from crm.mail.processing import has_unprocessed, process_stored

    runtime = db_runtime
    inline, deferred = make_user("in@example.test"), make_user("later@example.test")
    raws = [mail("<a@x>"), mail("<b@x>", irt="<a@x>", subject="Re: Rollout", date="Tue, 24 Nov 2026 09:00:00 +0000"),
            mail("<c@x>", subject="Other", date="Wed, 25 Nov 2026 09:00:00 +0000"),
            mail("<d@x>", irt="<c@x>", subject="Re: Other", date="Thu, 26 Nov 2026 09:00:00 +0000")]
    with runtime.unit() as session:
        MailStore(session).store_batch([Incoming(r) for r in raws], owner_id=inline.id, source="test")
    for raw in reversed(raws):  # stored newest first, in batches of one, without threads
        with runtime.unit() as session:
            store = MailStore(session)
            store.store_batch_with_envelopes([Incoming(raw)], store.envelopes([Incoming(raw)]), owner_id=deferred.id,
                                             source="test", objects=False, process=False)
    with runtime.unit() as session:
        assert has_unprocessed(session, deferred.id) and not has_unprocessed(session, inline.id)
        assert len(process_stored(session, deferred.id, limit=3)) == 3  # oldest first
    with runtime.unit() as session:
        assert process_stored(session, deferred.id) != [] and process_stored(session, deferred.id) == []

    def shape(owner):
        with runtime.unit() as session:
            rows = session.execute(select(Email.message_id, Email.thread_id, Email.processed)
                                   .where(Email.owner_id == owner.id)).all()
            counts = dict(session.execute(select(Thread.id, Thread.message_count)
                                          .where(Thread.owner_id == owner.id)).all())
        by_thread = {}
        for mid, thread_id, processed in rows:
            assert processed
            by_thread.setdefault(thread_id, set()).add(mid)
        assert {t: len(m) for t, m in by_thread.items()} == counts
        return sorted(sorted(m) for m in by_thread.values())

    assert shape(deferred) == shape(inline) == [["<a@x>", "<b@x>"], ["<c@x>", "<d@x>"]]
