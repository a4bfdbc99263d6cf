"""Japanese proposals: 明日, 来週の火曜日, 午後3時, 3時半, 月末, 12/1(火), 来月上旬… resolved by rules."""

from __future__ import annotations

import pytest

from tests.nlp.activities.helpers import activities, first

TUE = "Tue, 05 Mar 2024 10:12:00 +0900"


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("明日の15時にお打ち合わせできますか。", "2024-03-06T15:00:00+09:00", None),
        ("明後日の午前11時にお伺いしてもよろしいでしょうか。", "2024-03-07T11:00:00+09:00", None),
        ("来週火曜日の午後2時半からミーティングをお願いします。", "2024-03-12T14:30:00+09:00", None),
        ("来週の火曜日の10時からお打ち合わせをお願いします。", "2024-03-12T10:00:00+09:00", None),
        (
            "来週の水曜日の10時〜11時で会議はいかがでしょうか。",
            "2024-03-13T10:00:00+09:00",
            "2024-03-13T11:00:00+09:00",
        ),
        ("今週金曜日の17時にWeb会議を設定しました。", "2024-03-08T17:00:00+09:00", None),
        ("３月１５日（金）１４時から打ち合わせをお願いします。", "2024-03-15T14:00:00+09:00", None),
        (
            "3/18(月)の午前中にお時間いただけますか。",
            "2024-03-18T09:00:00+09:00",
            "2024-03-18T12:00:00+09:00",
        ),
        ("12/1(日)に面談をお願いします。", "2024-12-01", None),
        ("来月上旬にお打ち合わせをお願いします。", "2024-04-01", "2024-04-10"),
        ("来月中旬に伺います。", "2024-04-11", "2024-04-20"),
        ("来月下旬に打ち合わせしましょう。", "2024-04-21", "2024-04-30"),
        ("3時半から打ち合わせできますか。", "2024-03-05T15:30:00+09:00", None),
        (
            "14時から1時間ほど会議をお願いできますか。",
            "2024-03-05T14:00:00+09:00",
            "2024-03-05T15:00:00+09:00",
        ),
        (
            "明日10時30分から30分ほどお時間をいただけますか。",
            "2024-03-06T10:30:00+09:00",
            "2024-03-06T11:00:00+09:00",
        ),
        ("再来週の月曜日に訪問させてください。", "2024-03-18", None),
        ("月末にご挨拶に伺います。", "2024-03-31", None),
        ("2週間後にもう一度打ち合わせしましょう。", "2024-03-19", None),
    ],
)
def test_meetings(text, start, end):
    activity = first(text, TUE, "ja")
    assert activity["type"] == "meeting"
    assert (activity["start"], activity["end"], activity["timezone"]) == (start, end, "+09:00")


@pytest.mark.parametrize(
    "text, start, zone",
    [
        ("日本時間の明日10時に打ち合わせはいかがですか。", "2024-03-06T10:00:00+09:00", "Asia/Tokyo"),
        ("ロンドン時間の午後3時に会議をお願いします。", "2024-03-05T15:00:00+00:00", "Europe/London"),
        (
            "来週月曜日、ニューヨーク時間の9時に打ち合わせをお願いします。",
            "2024-03-11T09:00:00-04:00",
            "America/New_York",
        ),
    ],
)
def test_zones(text, start, zone):
    activity = first(text, TUE, "ja")
    assert (activity["start"], activity["timezone"]) == (start, zone)


def test_alternatives_and_ambiguity():
    activity = first("来週の火曜日か水曜日の午後にお打ち合わせできますか。", TUE, "ja")
    assert (activity["start"], activity["end"]) == ("2024-03-12T13:00:00+09:00", "2024-03-12T17:00:00+09:00")
    assert activity["alternatives"] == [
        {"start": "2024-03-13T13:00:00+09:00", "end": "2024-03-13T17:00:00+09:00"}
    ]
    assert activity["ambiguous"] is True
    # 来週 is the next calendar week: never ambiguous (unlike "next Thursday")
    assert first("来週木曜日の10時に会議をお願いします。", TUE, "ja")["ambiguous"] is False
    # the weekday written with a date disagrees: keep the date, say it is unsure
    activity = first("3月15日(月)に打ち合わせをお願いします。", TUE, "ja")
    assert (activity["start"], activity["ambiguous"]) == ("2024-03-15", True)
    # 12月5日(木)か6日(金): the second day takes the month of the first
    activity = first(
        "12月5日(木)か6日(金)でご都合はいかがでしょうか。", "Thu, 28 Nov 2024 17:30:00 +0900", "ja"
    )
    assert (activity["start"], activity["alternatives"]) == (
        "2024-12-05",
        [{"start": "2024-12-06", "end": None}],
    )


@pytest.mark.parametrize(
    "text, due, owner",
    [
        ("月末までに請求書をお送りください。", "2024-03-31", "reader"),
        ("来週金曜日までにご確認いただけますか。", "2024-03-15", "reader"),
        ("14時までに資料をお送りします。", "2024-03-05T14:00:00+09:00", "sender"),
        ("年内に納品いたします。", "2024-12-31", "sender"),
        ("3日以内にご返信ください。", "2024-03-08", "reader"),
        ("今週中にご連絡いたします。", "2024-03-08", "sender"),
        ("15日までにご回答をお願いいたします。", "2024-03-15", "reader"),
        ("来月末までにお支払いをお願いします。", "2024-04-30", "reader"),
        ("12月1日までに契約書をご返送ください。", "2024-12-01", "reader"),
        ("至急、見積書をお送りいただけますか。", None, "reader"),
    ],
)
def test_tasks(text, due, owner):
    activity = first(text, TUE, "ja")
    assert activity["type"] == "task"
    assert (activity["due"], activity["owner"]) == (due, owner)


@pytest.mark.parametrize(
    "text, start, phone",
    [
        ("明日の10時にお電話いたします。", "2024-03-06T10:00:00+09:00", None),
        ("03-1234-5678までお電話ください。", None, "+81312345678"),
        ("携帯090-1234-5678にご連絡ください。", None, "+819012345678"),
        ("来週月曜日の午前中にお電話でご相談させてください。", "2024-03-11T09:00:00+09:00", None),
    ],
)
def test_calls(text, start, phone):
    activity = first(text, TUE, "ja")
    assert (activity["type"], activity["start"], activity["phone"]) == ("call", start, phone)


@pytest.mark.parametrize(
    "text",
    [
        "昨日の打ち合わせではありがとうございました。",
        "先週金曜日の会議の議事録です。",
        "3月1日にお送りした見積書の件です。",
        "弊社は3月20日は休業です。",
        "本日の会議は中止となりました。",
        "毎週月曜日10時に定例会議を行っております。",
        "いつもお世話になっております。",
        "先ほどお電話いたしました件です。",
        "新製品は4月1日に発売されます。",
    ],
)
def test_not_proposals(text):
    assert activities(text, TUE, "ja") == []


def test_japanese_sentences_use_japanese_rules_whatever_the_document_language():
    assert first("明日の15時にお打ち合わせできますか。", TUE, "en")["start"] == "2024-03-06T15:00:00+09:00"


def test_location():
    assert first("明日14時に弊社会議室にて打ち合わせをお願いします。", TUE, "ja")["location"] == "弊社会議室"
    assert (
        first("明日14時に本社の会議室Aで打ち合わせをお願いします。", TUE, "ja")["location"] == "本社の会議室A"
    )
