"""Mail no person wrote is recognised from its headers and structure, with the evidence kept."""

from __future__ import annotations

import pytest

from nlp.parsing.parse import parse_raw
from tests.nlp.parsing.conftest import shared_data_dir


def _mail(subject: str = "Hello", sender: str = "Ann <ann@example.com>", extra: str = "") -> bytes:
    return (f"From: {sender}\r\nTo: bob@example.org\r\nSubject: {subject}\r\n{extra}"
            f"Date: Mon, 15 Jan 2024 10:00:00 +0000\r\n\r\nbody\r\n").encode()


@pytest.mark.parametrize("raw, kind, reason", [
    (_mail(extra="Auto-Submitted: auto-replied\r\n"), "auto_reply", "Auto-Submitted: auto-replied"),
    (_mail(extra="X-Autoreply: yes\r\n"), "auto_reply", "x-autoreply header"),
    (_mail(extra="X-Autorespond: Out of office\r\n"), "auto_reply", "x-autorespond header"),
    (_mail(extra="Precedence: auto_reply\r\n"), "auto_reply", "Precedence: auto_reply"),
    (_mail("Automatic reply: Meeting on Tuesday"), "auto_reply", "subject matches 'automatic reply'"),
    (_mail("Out of Office: Re: offer"), "auto_reply", "subject matches 'out of office'"),
    (_mail("AUTO: Ann Smith is out of the office (returning 22/01/2024)"), "auto_reply", "subject matches 'auto:'"),
    (_mail("Abwesenheitsnotiz: Angebot"), "auto_reply", "subject matches 'abwesenheitsnotiz'"),
    (_mail("【自動返信】お問い合わせありがとうございます"), "auto_reply", "subject matches '自動返信'"),
    (_mail("自動返信: 不在のお知らせ"), "auto_reply", "subject matches '自動返信'"),
    (_mail("Undelivered Mail Returned to Sender", "MAILER-DAEMON@mx.example.org (Mail Delivery System)"),
     "bounce", "sender mailer-daemon@"),
    (_mail("Mail delivery failed", extra="Return-Path: <>\r\n"), "bounce", "Return-Path: <> (null sender)"),
    (_mail(extra="List-Id: <sales.lists.example.org>\r\nList-Post: <mailto:sales@lists.example.org>\r\n"),
     "list", "list-post header"),
    (_mail(extra="List-Unsubscribe: <https://news.example.com/u/1>\r\nPrecedence: bulk\r\n"), "bulk", "Precedence: bulk"),
    (_mail(extra="List-Unsubscribe: <https://e.example.com/u>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
                 "Feedback-ID: 1:campaign:esp\r\n"), "bulk", "feedback-id header"),
    (_mail(extra="Auto-Submitted: auto-generated\r\n"), "bulk", "Auto-Submitted: auto-generated"),
])
def test_machine_mail_is_recognised(raw, kind, reason):
    auto = parse_raw(raw).auto
    assert auto.kind == kind
    assert reason in auto.reasons


@pytest.mark.parametrize("subject", ["Re: Out of office policy for the holidays", "Quote for 200 units",
                                     "Fwd: Undeliverable invoice question"])
def test_a_persons_mail_is_not_machine_mail(subject):
    raw = _mail(subject, extra="Auto-Submitted: no\r\n")
    assert parse_raw(raw).auto.to_json() == {"kind": None, "reasons": []}


def test_bounce_beats_the_list_it_was_sent_through():
    raw = (b"From: MAILER-DAEMON@mx.example.org\r\nSubject: Returned mail: see transcript\r\n"
           b"List-Id: <team.example.org>\r\nList-Post: <mailto:team@example.org>\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/report; report-type=delivery-status; boundary=B\r\n\r\n"
           b"--B\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\n"
           b"Status: 5.1.1\r\n--B--\r\n")
    auto = parse_raw(raw).auto
    assert auto.kind == "bounce"
    assert auto.reasons[0] == "multipart/report; report-type=delivery-status"


def test_read_receipt_is_an_automatic_reply():
    raw = (b"From: bob@example.org\r\nSubject: Read: offer\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/report; report-type=disposition-notification; boundary=B\r\n\r\n"
           b"--B\r\nContent-Type: text/plain\r\n\r\nread\r\n--B--\r\n")
    assert parse_raw(raw).auto.kind == "auto_reply"


@pytest.mark.corpus
def test_public_bounces_are_recognised_as_bounces():
    folder = shared_data_dir() / "bounces" / "sisimai"
    if not folder.is_dir():
        pytest.skip(f"public data not found at {folder}: set MAILASSIST_SHARED_DATA_DIR")
    kinds = [parse_raw(path.read_bytes()).auto.kind for path in sorted(folder.glob("*.eml"))]
    # The rest are complaint reports, AWS JSON notifications and mailing-list errors.
    assert kinds.count("bounce") / len(kinds) >= 0.95
