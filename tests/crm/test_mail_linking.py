"""Threads and links are made as mail is stored; a record's timeline shows its mail."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from crm.mail.service import Incoming, MailStore
from crm.mail.tables import EmailLink
from crm.mail.threading import subject_key
from crm.records.service import RecordService
from tests.conftest import bearer


def mail(mid: str, *, frm="sarah@northwind.example", to="rep@example.test", subject="Rollout",
         irt: str | None = None, refs: str | None = None, date="Mon, 23 Nov 2026 09:00:00 +0000") -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"], m["Message-ID"], m["Date"] = frm, to, subject, mid, date
    if irt:
        m["In-Reply-To"] = irt
    if refs:
        m["References"] = refs
    m.set_content("hello")
    return bytes(m)


@pytest.fixture
def rep(make_user):
    return make_user("rep@example.test")


@pytest.fixture
def who(runtime, rep):
    from crm.users.service import UserService

    with runtime.unit() as session:
        return UserService(session).identity_for(UserService(session).users.get(rep.id))


def store(runtime, owner, *raws):
    with runtime.unit() as session:
        results = MailStore(session).store_batch([Incoming(r) for r in raws], owner_id=owner.id, source="test")
        return [(r.email.id, r.email.thread_id, r.created) for r in results]


@pytest.mark.parametrize("subject, key", [
    ("Re: Fwd: [sales] Rollout plan", "rollout plan"), ("AW: WG: Angebot", "angebot"),
    ("Re：お見積もりの件", "お見積もりの件"), ("SV: Tilbud", "tilbud"), ("Hello", "hello"),
])
def test_subject_keys_drop_reply_prefixes(subject, key):
    assert subject_key(subject) == key


def test_replies_join_the_thread_even_out_of_order(runtime, rep):
    (_, t1, _), = store(runtime, rep, mail("<a@x>"))
    (_, t3, _), = store(runtime, rep, mail("<c@x>", irt="<b@x>", refs="<a@x> <b@x>", subject="Re: Rollout"))
    assert t3 == t1  # References reach the first message even though <b@x> is missing
    (_, t_late, _), = store(runtime, rep, mail("<d@x>", subject="Other"))
    (_, t_child, _), = store(runtime, rep, mail("<e@x>", irt="<d@x>", subject="Re: Other"))
    assert t_child == t_late


def test_subject_fallback_needs_a_reply_and_a_recent_thread(runtime, rep):
    (_, first, _), = store(runtime, rep, mail("<s1@x>", subject="Quarterly numbers"))
    (_, reply, _), = store(runtime, rep, mail("<s2@x>", subject="RE: Quarterly numbers"))
    (_, unrelated, _), = store(runtime, rep, mail("<s3@x>", subject="Quarterly numbers"))
    (_, old, _), = store(runtime, rep, mail("<s4@x>", subject="Re: Quarterly numbers",
                                            date="Mon, 23 Mar 2026 09:00:00 +0000"))
    assert reply == first and unrelated != first and old != first


def test_the_same_mail_is_stored_once_by_bytes_or_message_id(runtime, rep):
    raw = mail("<dup@x>")
    assert [c for *_, c in store(runtime, rep, raw, raw)] == [True, False]
    resent = raw.replace(b"hello", b"hello again")  # other bytes, same Message-ID: a copy from another folder
    assert store(runtime, rep, resent)[0][2] is False


def _links(runtime, email_id):
    with runtime.unit() as session:
        return {(link.module, link.record_id, link.reason) for link in session.query(EmailLink).filter_by(
            email_id=email_id)}


def test_mail_links_to_contact_account_and_the_single_open_deal(runtime, rep, who):
    with runtime.unit() as session:
        account = RecordService(session, who, "accounts").create({"name": "Northwind"})
        contact = RecordService(session, who, "contacts").create(
            {"first_name": "Sarah", "email": "sarah@northwind.example", "account_id": account.id})
        deal = RecordService(session, who, "deals").create({"name": "Rollout", "stage": "proposal",
                                                            "account_id": account.id})
        RecordService(session, who, "deals").create({"name": "Old", "stage": "closed_won", "account_id": account.id})
        ids = account.id, contact.id, deal.id
    (email_id, _, _), = store(runtime, rep, mail("<l1@x>"))
    assert _links(runtime, email_id) == {("contacts", ids[1], "from"), ("accounts", ids[0], "account"),
                                         ("deals", ids[2], "deal-single-open")}
    # The rep's own address is never linked as a person.
    (out_id, _, _), = store(runtime, rep, mail("<l2@x>", frm="rep@example.test", to="sarah@northwind.example"))
    assert ("contacts", ids[1], "to") in _links(runtime, out_id)


def test_two_open_deals_are_ambiguous_unless_the_thread_names_one(runtime, rep, who):
    with runtime.unit() as session:
        contact = RecordService(session, who, "contacts").create({"first_name": "Tom", "email": "tom@b.example"})
        first = RecordService(session, who, "deals").create({"name": "A", "stage": "proposal",
                                                             "contact_id": contact.id})
        RecordService(session, who, "deals").create({"name": "B", "stage": "proposal", "contact_id": contact.id})
        first_id = first.id
    (email_id, _, _), = store(runtime, rep, mail("<t1@x>", frm="tom@b.example"))
    assert not {link for link in _links(runtime, email_id) if link[0] == "deals"}
    with runtime.unit() as session:
        session.add(EmailLink(email_id=email_id, module="deals", record_id=first_id, reason="manual"))
    (reply_id, _, _), = store(runtime, rep, mail("<t2@x>", frm="tom@b.example", irt="<t1@x>", subject="Re: Rollout"))
    assert ("deals", first_id, "deal-thread") in _links(runtime, reply_id)


def test_the_record_page_timeline_lists_linked_mail(client, runtime, rep, who, make_key):
    key = make_key(rep, "records:read", "records:write", "mail:read")
    contact = client.post("/v1/contacts", json={"first_name": "Sarah", "email": "sarah@northwind.example"},
                          headers=bearer(key)).json()
    store(runtime, rep, mail("<tl1@x>", subject="First"), mail("<tl2@x>", subject="Second",
                                                               date="Tue, 24 Nov 2026 09:00:00 +0000"))
    items = client.get(f"/v1/contacts/{contact['id']}/timeline", headers=bearer(key)).json()
    assert [i["subject"] for i in items] == ["Second", "First"] and items[0]["access"] == "full"


def test_a_contact_created_later_gets_the_mail_already_stored(runtime, rep, who):
    (email_id, _, _), = store(runtime, rep, mail("<early@x>", frm="newbie@c.example"))
    with runtime.unit() as session:
        contact = RecordService(session, who, "contacts").create({"first_name": "New", "email": "newbie@c.example"})
        contact_id = contact.id
    assert ("contacts", contact_id, "from") in _links(runtime, email_id)
