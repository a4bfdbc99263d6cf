"""The thread summary: built from the stored analyses of a conversation, for those who may read it."""

from __future__ import annotations

import re

import pytest

from assistant.analysis import analyze_emails
from tests.conftest import bearer


def _mail(mid: str, frm: str, date: str, body: str, *, reply_to: str | None = None) -> bytes:
    head = [f"From: {frm}", "To: Alice <alice@example.test>", "Subject: " + ("Re: " if reply_to else "") + "Order 118",
            f"Message-ID: {mid}", f"Date: {date}"]
    if reply_to:
        head += [f"In-Reply-To: {reply_to}", f"References: {reply_to}"]
    return ("\r\n".join(head) + "\r\n\r\n" + body + "\r\n").encode()


@pytest.fixture
def conversation(runtime, client, make_user, make_key):
    alice, bob = make_user("alice@example.test"), make_user("bob@example.test")
    alice_key, bob_key = make_key(alice, "mail:read", "records:write"), make_key(bob, "mail:read")
    # Dana asks at 09:00 in Tokyo (00:00 UTC); Alice answers at 01:30 UTC; Dana asks again at 03:00 UTC.
    # As text, "09:00+09:00" sorts after "01:30+00:00": only instants put these in the right order.
    raws = [
        _mail("<o1@kestrel.example>", "Dana Whitfield <dana@kestrel.example>", "Mon, 23 Nov 2026 09:00:00 +0900",
              "Hi Alice,\r\n\r\nCould you send us the updated quote for order 118?\r\n\r\nThanks,\r\nDana"),
        _mail("<o2@example.test>", "Alice <alice@example.test>", "Mon, 23 Nov 2026 01:30:00 +0000",
              "Hi Dana,\r\n\r\nThe updated quote is attached.\r\n\r\nBest,\r\nAlice", reply_to="<o1@kestrel.example>"),
        _mail("<o3@kestrel.example>", "Dana Whitfield <dana@kestrel.example>", "Mon, 23 Nov 2026 03:00:00 +0000",
              "Thanks Alice.\r\n\r\nPlease confirm the delivery date for the first shipment.\r\n\r\nDana",
              reply_to="<o2@example.test>"),
    ]
    ids = [client.post("/v1/emails", content=raw, headers=bearer(alice_key)).json()["email"]["id"] for raw in raws]
    with runtime.unit() as session:
        assert analyze_emails(session, runtime.pipeline, ids) == 3
    thread_id = client.get(f"/v1/emails/{ids[0]}", headers=bearer(alice_key)).json()["thread_id"]
    return {"ids": ids, "thread_id": thread_id, "alice_key": alice_key, "bob_key": bob_key}


def test_the_summary_lists_the_messages_in_order_and_only_the_ask_nobody_answered(client, conversation):
    c = conversation
    got = client.get(f"/v1/threads/{c['thread_id']}/summary", headers=bearer(c["alice_key"]))
    assert got.status_code == 200, got.text
    summary = got.json()
    assert [m["id"] for m in summary["messages"]] == c["ids"]  # by instant, not by the Date text
    assert summary["participants"] == ["Dana Whitfield", "Alice"]
    # The quote request was answered by Alice; the delivery date is still open.
    assert [r["text"] for r in summary["open_requests"]] == ["Please confirm the delivery date for the first shipment."]
    assert summary["open_requests"][0]["id"] == c["ids"][2]
    assert summary["tldr"].startswith("3 messages: ") and summary["tldr"].endswith("(1 open request)")
    assert (summary["analysed"], summary["not_analysed"], summary["hidden"]) == (3, 0, 0)
    assert summary["subject"] == "Order 118"


def test_another_rep_sees_no_thread_until_it_is_shared_and_metadata_shares_no_content(client, conversation):
    c = conversation
    url = f"/v1/threads/{c['thread_id']}/summary"
    assert client.get(url, headers=bearer(c["bob_key"])).status_code == 404
    client.post("/v1/mail-sharing", json={"level": "metadata", "role": "rep"}, headers=bearer(c["alice_key"]))
    summary = client.get(url, headers=bearer(c["bob_key"])).json()
    assert (summary["messages"], summary["open_requests"], summary["hidden"]) == ([], [], 3)
    assert summary["tldr"] == "" and summary["subject"] == ""
    assert client.get("/v1/threads/999999/summary", headers=bearer(c["alice_key"])).status_code == 404


def test_the_mail_page_shows_the_conversation(client, conversation):
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"email": "alice@example.test", "password": "rep-password", "csrf_token": token})
    html = client.get(f"/mail/{conversation['ids'][2]}").text
    section = html[html.index('id="thread-summary"'):]
    assert "3 messages" in section and "Still open" in section
    assert "Please confirm the delivery date for the first shipment." in section
    assert f'href="/mail/{conversation["ids"][0]}"' in section
