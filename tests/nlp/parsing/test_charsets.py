"""Charsets as real mail uses them, in whole messages the tests write byte by byte."""

from __future__ import annotations

import base64

import pytest

from nlp.parsing.charsets import decode_bytes
from nlp.parsing.parse import parse_raw
from tests.nlp.parsing.conftest import FIXTURES
from tests.nlp.parsing.mails import raw_text_mail

JA = "鈴木様\nお世話になっております。山田です。\n来週火曜日の打ち合わせの件、承知しました。"


def _cp50220(text: str) -> bytes:
    """ISO-2022-JP as Windows writes it (CP50220): JIS X 0208 plus NEC specials such as ① and ㈱."""
    out = bytearray()
    jis = False
    for char in text:
        if ord(char) < 0x80:
            if jis:
                out += b"\x1b(B"
                jis = False
            out += char.encode("ascii")
            continue
        s1, s2 = char.encode("cp932")
        # Shift_JIS -> JIS X 0208 row/cell, the inverse of what the decoder does.
        j1 = (s1 - (0x70 if s1 <= 0x9F else 0xB0)) * 2 - 1
        if s2 >= 0x9F:
            j1, j2 = j1 + 1, s2 - 0x7E
        else:
            j2 = s2 - (0x20 if s2 >= 0x80 else 0x1F)
        if not jis:
            out += b"\x1b$B"
            jis = True
        out += bytes((j1, j2))
    if jis:
        out += b"\x1b(B"
    return bytes(out)


def test_iso_2022_jp_mail_with_encoded_headers():
    body = JA.encode("iso2022_jp")
    subject = "=?ISO-2022-JP?B?" + base64.b64encode("お打ち合わせの件".encode("iso2022_jp")).decode() + "?="
    raw = raw_text_mail(body, "ISO-2022-JP", cte="7bit").replace(b"Subject: charset test", b"Subject: " + subject.encode())
    message = parse_raw(raw)
    assert message.body == JA
    assert message.subject == "お打ち合わせの件"
    assert message.problems == []


def test_iso_2022_jp_with_windows_specials_is_decoded_as_cp50220():
    text = "①の件、㈱サクラ商事の髙橋です。"  # NEC row 13 and an IBM extension kanji
    encoded = _cp50220(text) + "ｶﾀｶﾅ".encode("iso2022_jp_ext")  # and JIS X 0201 half-width katakana
    with pytest.raises(UnicodeDecodeError):
        encoded.decode("iso2022_jp")  # what a strict decoder would do
    message = parse_raw(raw_text_mail(encoded, "iso-2022-jp", cte="7bit"))
    assert message.body == text + "ｶﾀｶﾅ"
    assert message.problems == []


@pytest.mark.parametrize("label", ["Shift_JIS", "shift-jis", "x-sjis", "windows-31j", "cp932"])
def test_shift_jis_labels_decode_with_cp932(label):
    text = "①髙橋様、お見積りをお送りします。～"  # NEC/IBM extensions and the Windows wave dash
    message = parse_raw(raw_text_mail(text.encode("cp932"), label))
    assert message.body == text and message.problems == []


def test_euc_jp():
    message = parse_raw(raw_text_mail(JA.encode("euc_jp"), "EUC-JP"))
    assert message.body == JA and message.problems == []


def test_shift_jis_mislabelled_as_iso_2022_jp_is_recovered_and_marked():
    message = parse_raw(raw_text_mail(JA.encode("cp932"), "iso-2022-jp"))
    assert message.body == JA
    assert message.problems == ["message: charset 'iso-2022-jp' was cp932"]


def test_unlabelled_iso_2022_jp_is_recognised_by_its_escapes():
    message = parse_raw(raw_text_mail(JA.encode("iso2022_jp"), None, cte="7bit"))
    assert message.body == JA


@pytest.mark.parametrize("label", ["GB2312", "gbk", "x-gbk"])
def test_gb2312_labels_decode_as_gb18030(label):
    text = "您好，关于下周的会议。镕"  # 镕 is GBK-only: a strict GB2312 decoder would fail
    message = parse_raw(raw_text_mail(text.encode("gb18030"), label))
    assert message.body == text and message.problems == []


def test_big5():
    text = "您好，下週的會議"
    assert parse_raw(raw_text_mail(text.encode("big5"), "big5")).body == text


@pytest.mark.parametrize("label, codec", [("KOI8-R", "koi8_r"), ("koi8-u", "koi8_u"), ("windows-1251", "cp1251")])
def test_cyrillic(label, codec):
    text = "Здравствуйте! Встреча во вторник."
    message = parse_raw(raw_text_mail(text.encode(codec), label))
    assert message.body == text and message.problems == []


def test_korean_ks_c_5601():
    assert parse_raw(raw_text_mail("안녕하세요".encode("cp949"), "ks_c_5601-1987")).body == "안녕하세요"


def test_latin1_label_on_cp1252_text_keeps_curly_quotes_and_euro():
    text = "“Quoted” – costs 5 €, café"
    message = parse_raw(raw_text_mail(text.encode("cp1252"), "iso-8859-1"))
    assert message.body == text and message.problems == []


def test_utf8_mislabelled_as_latin1_is_recovered_and_marked():
    message = parse_raw(raw_text_mail("Grüße aus Köln".encode(), "iso-8859-1"))
    assert message.body == "Grüße aus Köln"
    assert message.problems == ["message: charset 'iso-8859-1' was utf-8"]


def test_unknown_label_falls_back_to_detection_and_is_marked():
    text = "Здравствуйте! Как дела? Встреча во вторник в десять часов утра."
    message = parse_raw(raw_text_mail(text.encode("cp1251"), "x-unknown-charset"))
    assert message.body == text
    assert message.problems == ["message: charset 'x-unknown-charset' unknown; detected cp1251"]


def test_missing_label_on_8bit_western_text():
    message = parse_raw(raw_text_mail("Gr\xfc\xdfe, Jos\xe9 \x96 see you".encode("latin-1"), None))
    assert message.body == "Grüße, José – see you"
    assert message.problems == ["message: no charset; decoded as cp1252"]


def test_undecodable_bytes_are_replaced_and_named_never_raised():
    decoded = decode_bytes(b"abc \xff\xfe\x80 def" * 3, "utf-8")
    assert isinstance(decoded.text, str) and decoded.problem


def test_quoted_printable_and_base64_bodies():
    qp = raw_text_mail(b"caf=C3=A9 =\r\nsoft break", "utf-8", cte="quoted-printable")
    assert parse_raw(qp).body == "café soft break"
    b64 = raw_text_mail(base64.encodebytes("こんにちは".encode()), "utf-8", cte="base64")
    assert parse_raw(b64).body == "こんにちは"


def test_broken_base64_is_decoded_as_far_as_possible_and_marked():
    good = base64.b64encode(b"hello world, the meeting is on Tuesday")
    message = parse_raw(raw_text_mail(good[:-3] + b"\r\n", "utf-8", cte="base64"))
    assert message.body.startswith("hello world, the meeting is on Tues")
    assert any("broken base64" in p for p in message.problems)


def test_japanese_reply_fixture():
    message = parse_raw((FIXTURES / "japanese-reply-iso2022jp.eml").read_bytes())
    assert message.subject == "Re: お見積りの件"
    assert message.from_ is not None and message.from_.name == "山田 太郎"
    lines = message.body.split("\n")
    assert lines[3] == "㈱サクラ商事の山田です。"
    assert "お見積りの件、承知しました。①と②の両方でお願いいたします。" in lines
    assert "2024年1月15日(月) 10:00 鈴木一郎 <ichiro@example.com>:" in lines
    assert lines[-1] == "> ご確認ください。"
    assert message.problems == []
