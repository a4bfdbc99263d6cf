from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crm.demo import DEMO_DIR
from nlp.parsing.envelope import decode_header_value, read_envelope


def test_headers_are_decoded_including_iso_2022_jp():
    env = read_envelope((DEMO_DIR / "05-japanese-inquiry.eml").read_bytes())
    assert env.subject == "お打ち合わせのお願い（来週火曜日）"
    assert (env.from_name, env.from_addr) == ("山田 太郎", "t.yamada@sakura-shoji.co.jp")
    assert env.date == datetime(2026, 11, 26, 1, 15, tzinfo=timezone.utc)
    assert env.problem is None


def test_threading_headers_are_kept():
    raw = (b"From: a@x.test\r\nMessage-ID: <m3@x>\r\nIn-Reply-To: <m2@x>\r\n"
           b"References: <m1@x>\r\n <m2@x>\r\n\r\nbody")
    env = read_envelope(raw)
    assert (env.message_id, env.in_reply_to, env.references) == ("<m3@x>", "<m2@x>", ["<m1@x>", "<m2@x>"])


@pytest.mark.parametrize("value, expected", [
    ("=?utf-8?q?caf=C3=A9?=", "café"),
    ("=?unknown-charset?q?caf=E9?=", "café"),  # an unknown charset falls back instead of failing
    ("=?utf-8?b?!!!not-base64?=", "=?utf-8?b?!!!not-base64?="),
    ("plain   words\r\n folded", "plain words folded"),
])
def test_header_decoding_never_raises(value, expected):
    assert decode_header_value(value) == expected


@pytest.mark.parametrize("raw, problem", [
    (b"", "empty file"),
    (b"just some words, no headers\n", "no header lines"),
    (b"X-Thing: 1\n\nbody", "no From, Date or Message-ID"),
])
def test_what_is_not_mail_is_named(raw, problem):
    assert problem in read_envelope(raw).problem


def test_a_bad_date_is_dropped_not_fatal():
    env = read_envelope(b"From: a@x.test\nDate: the day after tomorrow\n\nhi")
    assert env.date is None and env.problem is None
