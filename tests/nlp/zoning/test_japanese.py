"""Japanese mail the project writes: ISO-2022-JP on the wire, a Japanese quote header and signature."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest

from tests.nlp.zoning.conftest import zone_doc

BODY = """山田様

お世話になっております。株式会社サンプル商事の佐藤です。

お見積りの件、承知いたしました。
来週の打ち合わせは11月27日(金) 14:00からでお願いいたします。

よろしくお願いいたします。

━━━━━━━━━━━━━━━━━━━━
株式会社サンプル商事
営業部 第二課
佐藤 花子
〒100-0005 東京都千代田区丸の内1-2-3
TEL: 03-1234-5678 / FAX: 03-1234-5679
E-mail: h.sato@example.co.jp
━━━━━━━━━━━━━━━━━━━━

2026年11月20日(金) 10:00 山田太郎 <t.yamada@example.co.jp>:
> 佐藤様
>
> いつもお世話になっております。山田です。
> お見積りをお送りいたしますので、ご確認ください。
>
> よろしくお願いいたします。
"""

NEW_TEXT = """山田様

お世話になっております。株式会社サンプル商事の佐藤です。

お見積りの件、承知いたしました。
来週の打ち合わせは11月27日(金) 14:00からでお願いいたします。

よろしくお願いいたします。"""


def iso2022jp_message(body: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "佐藤花子 <h.sato@example.co.jp>"
    msg["To"] = "山田太郎 <t.yamada@example.co.jp>"
    msg["Subject"] = "Re: お見積りの件"
    msg.set_content(body, charset="iso-2022-jp", cte="7bit")
    return msg.as_bytes()


def decoded_body(raw: bytes) -> str:
    # The parse stage will do this in the pipeline; here the stdlib decodes the part.
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    return msg.get_body(("plain",)).get_content().replace("\r\n", "\n")


def test_the_message_really_is_iso_2022_jp() -> None:
    raw = iso2022jp_message(BODY)
    assert b"charset=\"iso-2022-jp\"" in raw
    assert b"\x1b$B" in raw  # JIS X 0208 escape: the body is not UTF-8 on the wire
    assert decoded_body(raw).rstrip("\n") == BODY.rstrip("\n")


def test_japanese_reply_is_zoned(zone_component) -> None:
    body = decoded_body(iso2022jp_message(BODY))
    doc = zone_doc(zone_component, body)
    lines = body.split("\n")
    zone = dict(zip(lines, doc["zones"]))
    assert zone["山田様"] == "greeting"
    assert zone["お世話になっております。株式会社サンプル商事の佐藤です。"] == "greeting"
    assert zone["お見積りの件、承知いたしました。"] == "new_text"
    assert zone["よろしくお願いいたします。"] == "closing"
    for line in ("株式会社サンプル商事", "佐藤 花子", "TEL: 03-1234-5678 / FAX: 03-1234-5679",
                 "E-mail: h.sato@example.co.jp"):
        assert zone[line] == "signature", line
    assert zone["2026年11月20日(金) 10:00 山田太郎 <t.yamada@example.co.jp>:"] == "quote_header"
    assert all(z == "quoted" for line, z in zip(lines, doc["zones"]) if line.startswith(">"))
    assert doc["new_text"] == NEW_TEXT
    assert "TEL" not in doc.out["new_text"] and "山田です" not in doc.out["new_text"]


@pytest.mark.parametrize("header", [
    "差出人: 山田太郎 <t.yamada@example.co.jp>\n送信日時: 2026年11月20日 10:00\n宛先: 佐藤花子\n件名: RE: お見積りの件",
    "-----Original Message-----\nFrom: 山田太郎 <t.yamada@example.co.jp>\nSent: Friday, November 20, 2026 10:00 AM\n"
    "To: 佐藤花子\nSubject: お見積りの件",
])
def test_japanese_outlook_headers_and_full_width_quotes(zone_component, header: str) -> None:
    body = ("佐藤様\n\nお世話になっております。山田です。\n\n資料の件、承知いたしました。\n\n以上、よろしくお願いいたします。\n\n"
            + header + "\n\n＞ 山田様\n＞\n＞ 資料をお送りします。\n＞ ご確認ください。\n")
    doc = zone_doc(zone_component, body)
    pairs = list(zip(body.split("\n"), doc["zones"]))
    assert all(z == "quote_header" for line, z in pairs if line in header.split("\n")), pairs
    assert all(z == "quoted" for line, z in pairs if line.startswith("＞")), pairs
    assert doc["new_text"] == "佐藤様\n\nお世話になっております。山田です。\n\n資料の件、承知いたしました。\n\n以上、よろしくお願いいたします。"


def test_japanese_mobile_footer_and_forward(zone_component) -> None:
    body = ("田中様\n\nご確認ください。\n\niPhoneから送信\n\n"
            "-------- 転送メッセージ --------\n差出人: 鈴木一郎 <suzuki@example.jp>\n日付: 2026年11月19日 9:00\n"
            "件名: 納期について\n\n納期は12月5日です。\n")
    doc = zone_doc(zone_component, body)
    zone = dict(zip(body.split("\n"), doc["zones"]))
    assert zone["iPhoneから送信"] == "mobile_footer"
    assert zone["-------- 転送メッセージ --------"] == "forwarded"
    assert zone["納期は12月5日です。"] == "forwarded"
    assert doc["new_text"] == "田中様\n\nご確認ください。"
