"""The priority inbox: scores with reasons from the analysis and the CRM, folders, feedback and preview."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from email.message import EmailMessage

import pytest

from assistant.feedback.tables import Feedback
from assistant.inbox.service import InboxService, zone_blocks
from assistant.priority.score import MailContext, score
from assistant.priority.service import preview, prioritize, reprioritize_waiting
from crm.mail.service import Incoming, MailStore
from crm.mail.tables import Email, EmailAnalysis
from crm.records.service import RecordService
from crm.users.service import UserService
from tests.conftest import bearer

NOW = datetime.now(timezone.utc).replace(microsecond=0)
FRUSTRATED = {"intents": [{"label": "complaint", "confidence": 0.9, "evidence": "This is the third time I ask."},
                          {"label": "request", "confidence": 0.8, "evidence": "Please send the quote by Friday."}],
              "emotion": {"label": "frustrated", "confidence": 0.8},
              "sentiment": {"label": "negative", "score": -0.7},
              "activities": [{"type": "task", "due": (NOW + timedelta(days=2)).isoformat(), "confidence": 0.8,
                              "evidence": "Please send the quote by Friday."}],
              "summary": {"tldr": "Sarah (Northwind) wants the quote by Friday; frustrated.", "sentences": []}}
NEWSLETTER = {"auto": {"kind": "bulk"}, "intents": [{"label": "bulk", "confidence": 0.99}]}
THANKS = {"intents": [{"label": "thanks", "confidence": 0.9, "evidence": "Thanks for the call."}],
          "emotion": {"label": "grateful", "confidence": 0.9}}


def mail(mid: str, frm: str, subject: str, *, when: datetime = NOW - timedelta(days=2), irt: str | None = None,
         to: str = "rep@example.test") -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"], m["Message-ID"] = frm, to, subject, mid
    m["Date"] = when.strftime("%a, %d %b %Y %H:%M:%S +0000")
    if irt:
        m["In-Reply-To"] = irt
    m.set_content("hello")
    return bytes(m)


@pytest.fixture
def rep(make_user):
    return make_user("rep@example.test")


@pytest.fixture
def who(runtime, rep):
    with runtime.unit() as session:
        return UserService(session).identity_for(UserService(session).users.get(rep.id))


@pytest.fixture
def crm(runtime, who):
    """A customer with an open €40k deal closing this month, and its contact Sarah."""
    with runtime.unit() as session:
        account = RecordService(session, who, "accounts").create(
            {"name": "Northwind", "domain": "northwind.example", "type": "customer"})
        contact = RecordService(session, who, "contacts").create(
            {"first_name": "Sarah", "last_name": "Chen", "email": "sarah@northwind.example", "title": "VP Operations",
             "account_id": account.id})
        RecordService(session, who, "deals").create(
            {"name": "Northwind rollout", "stage": "negotiation", "amount": Decimal("40000"), "currency": "EUR",
             "close_date": date(NOW.year, NOW.month, 28), "account_id": account.id, "contact_id": contact.id})
        return {"account": account.id, "contact": contact.id}


def store(runtime, owner, *raws: bytes, direction: str = "in") -> list[int]:
    with runtime.unit() as session:
        results = MailStore(session).store_batch([Incoming(r) for r in raws], owner_id=owner.id, source="test",
                                                 direction=direction)
        return [r.email.id for r in results]


def analysed(runtime, results: dict[int, dict]) -> None:
    """What the analysis job leaves behind: a stored result per mail, then the mails scored."""
    with runtime.unit() as session:
        for eid, result in results.items():
            session.add(EmailAnalysis(email_id=eid, pipeline_version="t", result=result))
        prioritize(session, session.query(Email).filter(Email.id.in_(results)).all(), results)


def test_every_point_has_a_reason_and_the_crm_context_counts():
    ctx = MailContext(known_sender=True, deal_open=True, deal_amount=Decimal("40000"),
                      deal_close=NOW.date(), account_type="customer", received=NOW - timedelta(days=3),
                      sender_title="VP Operations")
    hot = score(FRUSTRATED, ctx, now=NOW)
    reasons = [r["reason"] for r in hot.reasons]
    assert hot.folder == "closing" and hot.needs_reply
    assert {"closing this month", "deal worth €40k", "frustrated", "customer", "waiting 3 days"} <= set(reasons)
    assert any(r.startswith("asks for it by") for r in reasons)
    assert abs(sum(r["points"] for r in hot.reasons) - hot.score) <= 1 or hot.score == 100
    cold = score(THANKS, MailContext(received=NOW), now=NOW)
    assert cold.score < hot.score and cold.folder == "others"
    assert score(NEWSLETTER, ctx, now=NOW).score <= 2  # bulk mail never climbs, whatever the CRM says


def test_weights_change_the_order():
    complaint = {"intents": [{"label": "complaint", "confidence": 1.0}]}
    interest = {"intents": [{"label": "purchase_interest", "confidence": 1.0}]}
    ctx = MailContext(received=NOW)
    assert score(complaint, ctx, now=NOW).score == score(interest, ctx, now=NOW).score  # 15 each by default
    tuned = {"intent_purchase_interest": 40}
    assert score(interest, ctx, tuned, now=NOW).score > score(complaint, ctx, tuned, now=NOW).score


def test_the_inbox_is_ordered_by_priority_with_folders_and_needs_reply(runtime, rep, who, crm):
    hot, thanks, news, answered = store(
        runtime, rep, mail("<hot@n>", "Sarah Chen <sarah@northwind.example>", "Quote by Friday?"),
        mail("<thx@x>", "Kim <kim@elsewhere.example>", "Thanks"),
        mail("<news@x>", "News <news@list.example>", "Weekly digest"),
        mail("<asked@x>", "Kim <kim@elsewhere.example>", "Question", when=NOW - timedelta(days=4)))
    store(runtime, rep, mail("<reply@r>", "rep@example.test", "Re: Question", irt="<asked@x>",
                             when=NOW - timedelta(days=3), to="kim@elsewhere.example"), direction="out")
    analysed(runtime, {hot: FRUSTRATED, thanks: THANKS, news: NEWSLETTER, answered: THANKS})
    with runtime.unit() as session:
        page = InboxService(session, who).page()
        order = [row["id"] for row in page["items"]]
        assert order[0] == hot and order[-1] == news
        top = page["items"][0]
        assert top["folder"] == "closing" and top["needs_reply"] and top["company"] == "northwind.example"
        assert top["summary"].startswith("Sarah (Northwind)") and top["emotion"]["label"] == "frustrated"
        assert any("closing this month" == r["reason"] for r in top["reasons"])
        assert [r["id"] for r in InboxService(session, who).page("closing")["items"]] == [hot]
        waiting = {r["id"] for r in InboxService(session, who).page("needs_reply")["items"]}
        assert hot in waiting and answered not in waiting  # the rep answered that thread after it arrived
        assert page["counts"]["closing"] == 1


def test_not_important_is_stored_as_feedback_and_survives_rescoring(runtime, rep, who, crm):
    hot, = store(runtime, rep, mail("<hot@n>", "Sarah Chen <sarah@northwind.example>", "Quote by Friday?"))
    analysed(runtime, {hot: FRUSTRATED})
    with runtime.unit() as session:
        InboxService(session, who).feedback(hot, "priority", "not_important")
    with runtime.unit() as session:
        reprioritize_waiting(session)  # the hourly job: must not undo the rep's decision
        email = session.get(Email, hot)
        assert email.priority == 0 and email.priority_reasons[0]["reason"] == "you marked it not important"
        entry = session.query(Feedback).one()
        assert (entry.target, entry.corrected, entry.user_id) == ("priority", "not_important", who.user_id)
        assert entry.predicted > 50
    with runtime.unit() as session:
        InboxService(session, who).feedback(hot, "priority", "important")  # and back
    with runtime.unit() as session:
        assert session.get(Email, hot).priority > 50


def test_wrong_feedback_is_refused_with_the_reason(runtime, rep, who, make_user):
    eid, = store(runtime, rep, mail("<a@x>", "Kim <kim@x.example>", "Hi"))
    from assistant.errors import BadInput, NotFound
    with runtime.unit() as session:
        with pytest.raises(BadInput, match="one of"):
            InboxService(session, who).feedback(eid, "emotion", "furious")
        with pytest.raises(BadInput, match="labels"):
            InboxService(session, who).feedback(eid, "intent", ["request", "made_up"])
    other = make_user("other@example.test")
    with runtime.unit() as session:
        stranger = UserService(session).identity_for(UserService(session).users.get(other.id))
        with pytest.raises(NotFound):
            InboxService(session, stranger).feedback(eid, "priority", "not_important")


def test_preview_reorders_without_storing(runtime, rep, who, crm):
    complaint, interest = store(runtime, rep, mail("<c@x>", "A <a@x.example>", "Complaint", when=NOW),
                                mail("<i@x>", "B <b@y.example>", "Interest", when=NOW - timedelta(minutes=1)))
    results = {complaint: {"intents": [{"label": "complaint", "confidence": 1.0}]},
               interest: {"intents": [{"label": "purchase_interest", "confidence": 1.0}]}}
    analysed(runtime, results)
    with runtime.unit() as session:
        rows = preview(session, rep.id, {"intent_purchase_interest": 40})
        assert [r["email_id"] for r in rows] == [interest, complaint]
        assert rows[0]["was_rank"] == 2 and rows[0]["score"] > rows[0]["was_score"]
        assert session.get(Email, interest).priority == rows[0]["was_score"]  # nothing stored


def test_the_inbox_and_feedback_api_check_who_is_asking(client, runtime, rep, crm, make_key, admin):
    hot, = store(runtime, rep, mail("<hot@n>", "Sarah Chen <sarah@northwind.example>", "Quote by Friday?"))
    analysed(runtime, {hot: FRUSTRATED})
    reader, no_scope = make_key(rep, "mail:read"), make_key(rep, "records:read")
    assert client.get("/v1/inbox", headers=bearer(no_scope)).status_code == 403
    assert client.get("/v1/inbox").status_code == 401
    page = client.get("/v1/inbox?folder=closing", headers=bearer(reader)).json()
    assert [i["id"] for i in page["items"]] == [hot] and page["items"][0]["reasons"]
    assert client.get("/v1/inbox?folder=nowhere", headers=bearer(reader)).status_code == 422
    made = client.post(f"/v1/emails/{hot}/feedback", json={"target": "priority", "corrected": "not_important"},
                       headers=bearer(reader))
    assert made.status_code == 201 and made.json()["predicted"] > 50
    assert client.get("/v1/inbox", headers=bearer(reader)).json()["items"][0]["priority"] == 0
    assert client.post("/v1/admin/priority-weights/preview", json={"weights": {"open_deal": 30}},
                       headers=bearer(reader)).status_code == 403
    admin_key = make_key(admin, "admin", "mail:read")
    bad = client.post("/v1/admin/priority-weights/preview", json={"weights": {"made_up": 3}},
                      headers=bearer(admin_key))
    assert bad.status_code == 422 and "made_up" in bad.json()["error"]["message"]
    assert client.post("/v1/admin/priority-weights/preview", json={"weights": {"open_deal": 30}},
                       headers=bearer(admin_key)).status_code == 200


def test_zones_fold_quotes_and_signatures():
    result = {"body": "Hi,\nCan you call me?\nSarah Chen\n+1 617\n> old\n> older",
              "zones": [{"start_line": 0, "end_line": 1, "zone": "new_text", "confidence": 1},
                        {"start_line": 2, "end_line": 3, "zone": "signature", "confidence": 1},
                        {"start_line": 4, "end_line": 5, "zone": "quoted", "confidence": 1}]}
    blocks = zone_blocks(result)
    assert [(b["kind"], b["folded"]) for b in blocks] == [("text", False), ("signature", True), ("quoted", True)]
    assert blocks[2]["text"] == "> old\n> older"


def _sign_in(client, email: str, password: str) -> str:
    import re

    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/account").text).group(1)


def test_admin_previews_and_saves_weights_and_a_rep_sets_alerts_in_the_pages(client, runtime, admin, rep):
    complaint, interest = store(runtime, admin, mail("<c@x>", "A <a@x.example>", "Complaint", when=NOW),
                                mail("<i@x>", "B <b@y.example>", "Interest", when=NOW - timedelta(minutes=1)))
    analysed(runtime, {complaint: {"intents": [{"label": "complaint", "confidence": 1.0}]},
                       interest: {"intents": [{"label": "purchase_interest", "confidence": 1.0}]}})
    csrf = _sign_in(client, "admin@example.test", "admin-password")
    page = client.post("/admin/priority-weights", data={"csrf_token": csrf, "action": "preview",
                                                        "w_intent_purchase_interest": "40"})
    assert page.status_code == 200 and "weights-preview" in page.text
    assert page.text.index("Interest") < page.text.index("Complaint", page.text.index("weights-preview"))
    bad = client.post("/admin/priority-weights", data={"csrf_token": csrf, "action": "save", "w_open_deal": "lots"})
    assert "is not a number" in bad.text
    client.post("/admin/priority-weights", data={"csrf_token": csrf, "action": "save",
                                                 "w_intent_purchase_interest": "40"})
    from crm.org.settings import OrgSettings
    with runtime.unit() as session:
        assert OrgSettings(session).get().priority_weights == {"intent_purchase_interest": 40.0}
    client.post("/account/notifications", data={"csrf_token": csrf, "lead_mail": "1"})
    from assistant.alerts.service import AlertService
    with runtime.unit() as session:
        assert AlertService(session).preferences(admin.id) == {"contact_mail": False, "lead_mail": True}
