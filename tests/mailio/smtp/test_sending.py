"""Sending through a real SMTP relay (aiosmtpd): delivery, Bcc, storing and linking, idempotency,
retries on 4xx and refused connections, 5xx failures, send-later, and never sending twice."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from assistant.jobs.registry import JOBS, JobSpec
from assistant.jobs.tables import JobRun
from crm.mail.tables import Email, EmailLink
from mailio.mailboxes.tables import Mailbox
from mailio.smtp.delivery import INTERRUPTED, deliver_outbox
from mailio.smtp.tables import Outbox
from tests.conftest import bearer, wait_for
from tests.mailio.smtp.helpers import add_contact, outbox_row, parse
from tests.mailio.smtp.servers import RecordingRelay, free_port


@pytest.fixture
def rep(make_user):
    return make_user("rep@example.test")


@pytest.fixture
def rep_key(rep, make_key):
    return make_key(rep, "mail:send", "mail:read")


def _send(client, key, **body):
    return client.post("/v1/send", json=body, headers=bearer(key))


def _wait_state(runtime, outbox_id: int, state: str, timeout: float = 20.0) -> Outbox:
    """Until the row reaches ``state`` (for 'sent': and its stored copy, written just after)."""
    def reached():
        row = outbox_row(runtime, outbox_id)
        return row.state == state and (state != "sent" or row.email_id is not None) and row
    return wait_for(reached, timeout=timeout)


def test_a_mail_is_delivered_once_with_bcc_only_in_the_envelope_then_stored_and_linked(
        runtime, worker_api, relay, rep, rep_key):
    contact_id = add_contact(runtime, rep.id, "bob@example.test", "Bob", "Builder")
    res = _send(worker_api, rep_key, to=["Bob Builder <bob@example.test>"], cc=[{"address": "cy@example.test",
                                                                               "name": "Cy"}],
                bcc=["carol@example.test"], subject="Quote for Q3", text="Hello Bob,\nhere it is.\n")
    assert res.status_code == 202, res.text
    sent = _wait_state(runtime, res.json()["id"], "sent")
    time.sleep(0.3)
    [got] = relay.messages()
    assert got.mail_from == "rep@example.test"
    assert sorted(got.rcpt_tos) == ["bob@example.test", "carol@example.test", "cy@example.test"]
    msg = parse(got.data)
    assert msg["Bcc"] is None and b"carol" not in got.data  # Bcc in the envelope only
    assert msg["Message-ID"] == sent.message_id and sent.message_id.endswith("@example.test>")
    assert msg["Date"] is not None and msg["Subject"] == "Quote for Q3"
    with runtime.unit() as session:
        email = session.get(Email, sent.email_id)
        assert (email.source, email.direction, email.owner_id) == ("sent", "out", rep.id)
        assert email.message_id == sent.message_id and b"carol" not in email.raw
        links = session.scalars(select(EmailLink).where(EmailLink.email_id == email.id)).all()
        assert ("contacts", contact_id, "to") in {(link.module, link.record_id, link.reason) for link in links}
        analyses = session.scalars(select(JobRun).where(JobRun.name == "mail.analyze")).all()
        assert any(email.id in run.args[0] for run in analyses)


@pytest.mark.parametrize(("body", "field"), [
    ({"to": ["bob@example.test\r\nBcc: spy@evil.test"]}, "to[0]"),
    ({"to": ["ok@example.test", "x@example.test\nBcc: spy@evil.test"]}, "to[1]"),
    ({"to": [{"address": "bob@example.test", "name": "Bob\r\nBcc: spy@evil.test"}]}, "to[0].name"),
    ({"cc": ["cc@example.test\rBcc: spy@evil.test"]}, "cc[0]"),
    ({"bcc": ["bcc@example.test\nX-Evil: 1"]}, "bcc[0]"),
    ({"from_name": "Rep\r\nBcc: spy@evil.test"}, "from_name"),
    ({"from": "rep@example.test\r\nBcc: spy@evil.test"}, "from"),
    ({"subject": "Hi\r\nBcc: spy@evil.test"}, "subject"),
    ({"subject": "Hi\u2028Bcc: spy@evil.test"}, "subject"),
    ({"subject": "Hi\x00there"}, "subject"),
    ({"attachments": [{"filename": "a.pdf\r\nBcc: spy@evil.test", "content_type": "application/pdf",
                       "content_b64": "JVBERg=="}]}, "attachments[0].filename"),
    ({"attachments": [{"filename": "a.pdf", "content_type": "text/plain\r\nBcc: spy@evil.test",
                       "content_b64": "JVBERg=="}]}, "attachments[0].content_type"),
])
def test_header_injection_in_any_field_is_refused_naming_the_field(runtime, api, relay, rep_key, body, field):
    full = {"to": ["bob@example.test"], "subject": "s", "text": "t", **body}
    res = _send(api, rep_key, **full)
    assert res.status_code == 422, res.text
    error = res.json()["error"]
    assert error["code"] == "header_injection"
    assert error["details"]["field"] == field and repr(field) in error["message"]
    with runtime.unit() as session:
        assert session.scalar(select(Outbox)) is None  # nothing queued


def test_bad_addresses_and_unknown_senders_are_refused(api, relay, rep_key):
    res = _send(api, rep_key, to=["not-an-address"], text="x")
    assert res.status_code == 422 and res.json()["error"]["details"]["field"] == "to[0]"
    res = _send(api, rep_key, to=["a@b.test, c@d.test"], text="x")  # two addresses in one item
    assert res.status_code == 422 and res.json()["error"]["code"] == "bad_address"
    res = _send(api, rep_key, to=["a@example.test"], text="x", **{"from": "ceo@example.test"})
    assert res.status_code == 422 and res.json()["error"]["code"] == "from_not_allowed"
    res = _send(api, rep_key, text="x")
    assert res.status_code == 422 and res.json()["error"]["code"] == "no_recipients"


def test_sending_needs_the_scope_and_a_relay(api, runtime, rep, make_key):
    read_only = make_key(rep, "mail:read")
    assert _send(api, read_only, to=["a@example.test"], text="x").status_code == 403
    res = _send(api, make_key(rep, "mail:send"), to=["a@example.test"], text="x")
    assert res.status_code == 409 and res.json()["error"]["code"] == "no_relay"


def test_the_same_idempotency_key_twice_sends_one_mail(runtime, worker_api, relay, rep_key, make_user, make_key):
    body = dict(to=["bob@example.test"], subject="Once", text="only once", idempotency_key="order-42")
    first = _send(worker_api, rep_key, **body)
    second = _send(worker_api, rep_key, **body)
    assert first.status_code == 202 and second.status_code == 200
    assert second.headers["Idempotent-Replayed"] == "true" and second.json()["id"] == first.json()["id"]
    # The header form of the key is the same key.
    third = worker_api.post("/v1/send", json={k: v for k, v in body.items() if k != "idempotency_key"},
                            headers={**bearer(rep_key), "Idempotency-Key": "order-42"})
    assert third.json()["id"] == first.json()["id"]
    _wait_state(runtime, first.json()["id"], "sent")
    # Another user's identical key is theirs, not a replay of ours.
    other = make_user("other@example.test")
    mine = _send(worker_api, make_key(other, "mail:send"), to=["bob@example.test"], text="x",
                 idempotency_key="order-42")
    assert mine.status_code == 202 and mine.json()["id"] != first.json()["id"]
    _wait_state(runtime, mine.json()["id"], "sent")
    time.sleep(0.5)
    assert [m.mail_from for m in relay.messages()] == ["rep@example.test", "other@example.test"]


def test_temporary_failures_are_retried_with_backoff_and_delivered_exactly_once(
        runtime, worker_api, relay_factory, use_relay, rep_key):
    relay = relay_factory(temporary_failures=2)
    use_relay(relay)
    res = _send(worker_api, rep_key, to=["bob@example.test"], subject="Greylisted", text="x")
    row = _wait_state(runtime, res.json()["id"], "sent", timeout=30)
    time.sleep(0.5)
    assert len(relay.messages()) == 1
    attempts = relay.attempts
    assert len(attempts) == 3 and row.attempts == 3
    gaps = [b - a for a, b in zip(attempts, attempts[1:])]
    # backoff_s=0.4 in tests: ~0.4 s then ~0.8 s (±20 % jitter), growing.
    assert gaps[0] >= 0.3 and gaps[1] >= 0.6 and gaps[1] > gaps[0] * 1.2, gaps
    assert row.last_error is None
    with runtime.unit() as session:
        run = session.scalar(select(JobRun).where(JobRun.name == "mail.send"))
        assert run.state == "succeeded" and run.attempts == 3


def test_while_retrying_the_outbox_shows_the_servers_reply(runtime, worker_api, relay_factory, use_relay, rep_key):
    relay = relay_factory(temporary_failures=1000)
    use_relay(relay)
    res = _send(worker_api, rep_key, to=["bob@example.test"], text="x")
    row = wait_for(lambda: (r := outbox_row(runtime, res.json()["id"])).last_error and r)
    assert row.state in ("queued", "sending") and "451 4.7.1 greylisted" in row.last_error
    assert relay.messages() == []


def test_a_5xx_reply_fails_the_mail_at_once_with_the_reply_stored(runtime, worker_api, relay_factory, use_relay,
                                                                  rep_key):
    relay = relay_factory(refuse_reply="554 5.7.1 relaying denied for you")
    use_relay(relay)
    res = _send(worker_api, rep_key, to=["bob@example.test"], text="x")
    row = _wait_state(runtime, res.json()["id"], "failed")
    assert "554 5.7.1 relaying denied for you" in row.last_error
    time.sleep(1.5)  # longer than the first backoff: no retry comes
    assert len(relay.attempts) == 1 and relay.messages() == []
    got = worker_api.get(f"/v1/outbox/{row.id}", headers=bearer(rep_key)).json()
    assert got["state"] == "failed" and "554 5.7.1" in got["last_error"] and row.email_id is None


def test_a_refused_connection_is_retried_until_the_relay_is_up(runtime, worker_api, relay_factory, rep_key):
    from mailio.smtp.relay import RelayChange, RelayService

    port = free_port()
    with runtime.unit() as session:
        RelayService(session, runtime.settings).put(RelayChange(host="127.0.0.1", port=port, security="none"))
    res = _send(worker_api, rep_key, to=["bob@example.test"], text="x")
    row = wait_for(lambda: (r := outbox_row(runtime, res.json()["id"])).last_error and r)
    assert "cannot connect" in row.last_error and row.state in ("queued", "sending")
    relay = RecordingRelay()
    relay.port = port
    relay.controller.port = port
    relay.start()
    try:
        _wait_state(runtime, row.id, "sent", timeout=30)
        time.sleep(0.3)
        assert len(relay.messages()) == 1
    finally:
        relay.stop()


def test_send_later_waits_for_send_at(runtime, worker_api, relay, rep_key):
    send_at = datetime.now(timezone.utc) + timedelta(seconds=3)
    res = _send(worker_api, rep_key, to=["bob@example.test"], subject="Later", text="x",
                send_at=send_at.isoformat())
    assert res.status_code == 202 and res.json()["state"] == "queued"
    time.sleep(1.5)
    assert relay.attempts == [] and outbox_row(runtime, res.json()["id"]).state == "queued"
    _wait_state(runtime, res.json()["id"], "sent", timeout=20)
    [got] = relay.messages()
    assert datetime.now(timezone.utc) >= send_at
    assert parse(got.data)["Date"].datetime == send_at.replace(microsecond=0)


def test_a_mail_left_in_sending_by_a_dead_worker_is_not_sent_again(runtime, api, relay, rep_key):
    res = _send(api, rep_key, to=["bob@example.test"], text="x")
    outbox_id = res.json()["id"]
    with runtime.unit() as session:
        session.get(Outbox, outbox_id).state = "sending"  # as if a worker died after claiming it
    report = deliver_outbox(runtime, [outbox_id], job_name="mail.send", last_attempt=False)
    row = outbox_row(runtime, outbox_id)
    assert report.failed == [outbox_id] and row.state == "failed" and row.last_error == INTERRUPTED
    assert relay.attempts == []


def test_two_workers_running_the_same_job_send_it_once(runtime, api, relay, rep_key):
    res = _send(api, rep_key, to=["bob@example.test"], text="x")
    outbox_id = res.json()["id"]
    reports = []
    start = threading.Barrier(2)

    def run():
        start.wait()
        reports.append(deliver_outbox(runtime, [outbox_id], job_name="mail.send", last_attempt=False))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(relay.messages()) == 1 and outbox_row(runtime, outbox_id).state == "sent"
    assert sorted(len(r.sent) for r in reports) == [0, 1]


def test_the_outbox_shows_only_ones_own_mail(runtime, api, relay, rep_key, make_user, make_key):
    mine = _send(api, rep_key, to=["bob@example.test"], subject="Mine", text="x").json()
    other_key = make_key(make_user("other@example.test"), "mail:send", "mail:read")
    theirs = _send(api, other_key, to=["bob@example.test"], subject="Theirs", text="x").json()
    page = api.get("/v1/outbox", headers=bearer(rep_key)).json()
    assert [i["subject"] for i in page["items"]] == ["Mine"] and page["total"] == 1
    assert api.get(f"/v1/outbox/{theirs['id']}", headers=bearer(rep_key)).status_code == 404
    assert api.get(f"/v1/outbox/{mine['id']}", headers=bearer(rep_key)).json()["recipients"] == ["bob@example.test"]


@pytest.fixture
def append_calls(runtime, monkeypatch, tmp_path):
    """`mail.append_sent` belongs to IMAP sync; where it is not registered, a stand-in records its calls.

    Requested before the worker starts, so the worker's Celery app knows the stand-in.
    """
    calls = tmp_path / "append-calls.txt"
    if "mail.append_sent" in JOBS:
        return None

    def stand_in(ctx, email_id: int, mailbox_id: int) -> None:
        with calls.open("a") as out:
            out.write(f"{email_id} {mailbox_id}\n")

    monkeypatch.setitem(JOBS, "mail.append_sent", JobSpec(name="mail.append_sent", fn=stand_in))
    return calls


def test_the_sent_copy_is_appended_to_imap_sent_through_the_job(runtime, append_calls, worker_api, relay, rep,
                                                                rep_key):
    with runtime.unit() as session:
        box = Mailbox(owner_id=rep.id, kind="imap", host="127.0.0.1", port=1, username="rep@example.test",
                      secret=b"x", sent_folder="Sent")
        session.add(box)
        session.flush()
        box_id = box.id
    res = _send(worker_api, rep_key, to=["bob@example.test"], text="x")
    row = _wait_state(runtime, res.json()["id"], "sent")
    assert row.mailbox_id == box_id
    with runtime.unit() as session:
        run = wait_for(lambda: session.scalar(select(JobRun).where(JobRun.name == "mail.append_sent")))
        assert run.args == [row.email_id, box_id]
    if append_calls is not None:
        assert wait_for(lambda: append_calls.exists() and append_calls.read_text()) == f"{row.email_id} {box_id}\n"


def test_without_a_sent_folder_nothing_is_appended(runtime, append_calls, worker_api, relay, rep_key):
    res = _send(worker_api, rep_key, to=["bob@example.test"], text="x")
    row = _wait_state(runtime, res.json()["id"], "sent")
    assert row.mailbox_id is None
    with runtime.unit() as session:
        assert session.scalar(select(JobRun).where(JobRun.name == "mail.append_sent")) is None


def test_a_batch_goes_over_one_connection_and_refused_recipients_are_reported(runtime, worker_api, relay, rep):
    from crm.users.service import UserService
    from mailio.smtp.sending import ComposeRequest, Recipient, SendService

    requests = [ComposeRequest(to=[Recipient(f"c{i}@client.test")], subject=f"Offer {i}", text="x") for i in range(4)]
    requests.append(ComposeRequest(to=[Recipient("nobody@client.test")], subject="Lost", text="x"))
    requests.append(ComposeRequest(to=[Recipient("c9@client.test"), Recipient("nobody@client.test")],
                                   subject="Half", text="x"))
    with runtime.unit() as session:
        users = UserService(session)
        who = users.identity_for(users.users.get_or_raise(rep.id))
        ids = [row.id for row, _ in SendService(runtime, session, who).submit_many(requests)]
        runs = session.scalars(select(JobRun).where(JobRun.name == "mail.send_batch")).all()
        assert [r.args for r in runs] == [[ids]]  # one batch job for all of them
    rows = [wait_for(lambda i=i: (r := outbox_row(runtime, i)).state in ("sent", "failed")
                     and (r.state == "failed" or r.email_id) and r) for i in ids]
    assert [r.state for r in rows] == ["sent"] * 4 + ["failed", "sent"]
    assert "550 5.1.1 no such user here" in rows[4].last_error
    assert rows[5].last_error == "refused by the relay: nobody@client.test: 550 5.1.1 no such user here"
    messages = relay.messages()
    assert len(messages) == 5 and len({m.peer for m in messages}) == 1  # one SMTP connection
    assert messages[-1].rcpt_tos == ["c9@client.test"]


def test_a_failure_while_recording_stops_sending_and_nothing_goes_out_twice(runtime, api, relay, rep, monkeypatch):
    """The storing step breaks after the first chunk: the sending thread starts no further mail, the
    rerun sends none of the mails again, and it stores the one that was sent but not stored."""
    import mailio.smtp.delivery as delivery
    from crm.mail.service import MailStore
    from crm.users.service import UserService
    from mailio.smtp.sending import ComposeRequest, Recipient, SendService

    with runtime.unit() as session:
        users = UserService(session)
        who = users.identity_for(users.users.get_or_raise(rep.id))
        ids = [row.id for row, _ in SendService(runtime, session, who).submit_many(
            [ComposeRequest(to=[Recipient(f"c{i}@client.test")], subject=f"n{i}", text="x") for i in range(6)],
            enqueue=False)]
    monkeypatch.setattr(delivery, "CHUNK", 2)
    real = MailStore.store_batch

    def broken(self, *args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(MailStore, "store_batch", broken)
    with pytest.raises(RuntimeError):
        deliver_outbox(runtime, ids, job_name="mail.send_batch", last_attempt=False)
    time.sleep(0.5)
    out_first = len(relay.messages())
    states = [outbox_row(runtime, i).state for i in ids]
    assert states[:2] == ["sent", "sent"] and out_first < 6  # it stopped early
    assert states.count("sent") == 2 and set(states[2:]) <= {"sending", "queued"}, states
    monkeypatch.setattr(MailStore, "store_batch", real)
    report = deliver_outbox(runtime, ids, job_name="mail.send_batch", last_attempt=False)
    time.sleep(0.3)
    assert len(relay.messages()) == out_first + states.count("queued")  # nothing sent twice
    rows = [outbox_row(runtime, i) for i in ids]
    assert all(r.email_id for r in rows[:2]) and len(report.stored) >= 2  # the unstored ones were stored
    for r in rows:
        if r.id in report.failed:
            assert r.last_error == INTERRUPTED
