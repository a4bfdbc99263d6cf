"""Headers: RFC 2047 words, raw 8-bit text, addresses, threading ids and dates."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone

import pytest

from nlp.parsing.addresses import split_addresses
from nlp.parsing.parse import parse_raw
from nlp.parsing.words import decode_words


def _b(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


@pytest.mark.parametrize("value, expected", [
    ("=?utf-8?q?caf=C3=A9_cr=C3=A8me?=", "café crème"),
    ("=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>", "André Pirard <PIRARD@vm1.ulg.ac.be>"),
    ("=?utf-8?b?44GK6KaL56mN?=\r\n =?utf-8?b?44KK?=", "お見積り"),  # whitespace between words dropped
    ("Re: =?shift_jis?B?jKmQzw==?= x", "Re: 見積 x"),
    ("=?utf-8*ja?B?5pel5pys?=", "日本"),  # RFC 2231 language tag
    ("=?gb2312?B?xOO6ww==?=", "你好"),
    ("=?ks_c_5601-1987?B?vsiz58fPvLy/5A==?=", "안녕하세요"),
    ("=?utf-8?b?!!!not-base64?=", "=?utf-8?b?!!!not-base64?="),
    ("=?utf-8?q?unterminated", "=?utf-8?q?unterminated"),
])
def test_encoded_words(value, expected):
    assert decode_words(value) == expected


def test_multibyte_character_split_across_two_words():
    raw = "お打ち合わせ".encode()
    first, second = base64.b64encode(raw[:4]).decode(), base64.b64encode(raw[4:]).decode()
    assert decode_words(f"=?UTF-8?B?{first}?= =?UTF-8?B?{second}?=") == "お打ち合わせ"


def test_iso_2022_jp_subject_and_sender_in_a_message():
    subject = _b("お打ち合わせのお願い", "iso2022_jp")
    name = _b("山田 太郎", "iso2022_jp")
    raw = (f"From: {name} <T.Yamada@Sakura.example.jp>\r\nTo: \"Suzuki, Ichiro\" <ichiro@example.com>, "
           f"bob@example.org (Bob B)\r\nCc: undisclosed-recipients:;\r\nSubject: {subject}\r\n"
           f"Date: Tue, 16 Jan 2024 09:30:00 +0900\r\nMessage-ID: <abc@sakura.example.jp>\r\n"
           f"In-Reply-To: <prev@example.com>\r\nReferences: <first@example.com>\r\n <prev@example.com>\r\n"
           f"\r\nbody").encode("ascii")
    message = parse_raw(raw)
    assert message.subject == "お打ち合わせのお願い"
    assert message.headers_json() == {
        "message_id": "<abc@sakura.example.jp>",
        "subject": "お打ち合わせのお願い",
        "from": {"name": "山田 太郎", "address": "t.yamada@sakura.example.jp"},
        "to": [{"name": "Suzuki, Ichiro", "address": "ichiro@example.com"},
               {"name": "Bob B", "address": "bob@example.org"}],
        "cc": [],
        "date": "2024-01-16T09:30:00+09:00",
        "in_reply_to": "<prev@example.com>",
        "references": ["<first@example.com>", "<prev@example.com>"],
    }
    assert message.date == datetime(2024, 1, 16, 9, 30, tzinfo=timezone(timedelta(hours=9)))


def test_raw_8bit_headers_are_read_as_utf8_else_the_body_charset():
    utf8 = "Subject: Grüße\r\nFrom: José <jose@example.com>\r\n\r\nx".encode()
    assert parse_raw(utf8).subject == "Grüße" and parse_raw(utf8).from_.name == "José"  # type: ignore[union-attr]
    sjis = ("Subject: 見積り\r\nContent-Type: text/plain; charset=shift_jis\r\n\r\n").encode("cp932")
    assert parse_raw(sjis).subject == "見積り"


def test_address_lists():
    assert split_addresses('"Doe, Jane" <jane@x.example>, plain@x.example, Bob <bob@x.example>, '
                           'team: a@x.example, b@x.example;, <@relay.example:route@x.example>') == [
        ("Doe, Jane", "jane@x.example"), ("", "plain@x.example"), ("Bob", "bob@x.example"),
        ("", "a@x.example"), ("", "b@x.example"), ("", "route@x.example")]


def test_encoded_name_with_a_comma_is_not_split():
    raw = b"From: =?utf-8?q?Doe=2C_Jane?= <jane@x.example>\r\n\r\nx"
    sender = parse_raw(raw).from_
    assert sender is not None and (sender.name, sender.address) == ("Doe, Jane", "jane@x.example")


def test_bad_date_is_null_and_named():
    message = parse_raw(b"From: a@x.example\r\nDate: the day after tomorrow\r\n\r\nx")
    assert message.date is None
    assert message.problems == ["unreadable Date header 'the day after tomorrow'"]


def test_date_without_zone_is_utc():
    message = parse_raw(b"From: a@x.example\r\nDate: Tue, 16 Jan 2024 09:30:00 -0000\r\n\r\nx")
    assert message.headers_json()["date"] == "2024-01-16T09:30:00+00:00"


def test_mbox_from_line_and_folded_headers():
    raw = (b"From sender@example.com Mon Jan 15 10:00:00 2024\nSubject: a long\n\tfolded subject\n"
           b"From: a@x.example\n\nbody\n")
    message = parse_raw(raw)
    assert message.subject == "a long folded subject"
    assert message.body == "body"


def test_leading_whitespace_line_before_the_headers():
    message = parse_raw(b"   \r\nSubject: still read\r\nFrom: a@x.example\r\n\r\nbody")
    assert (message.subject, message.body) == ("still read", "body")
