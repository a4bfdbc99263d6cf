"""Phones on one line: typed from labels before or after the number, normalised to E.164."""

from __future__ import annotations

import pytest

from nlp.signature.fields import region_hints
from nlp.signature.phones import find_phones
from nlp.signature.text import fold


def phones(line: str, regions: tuple[str, ...] = ("US",)) -> list[tuple[str, str, str]]:
    return [(p.type, p.number, p.raw) for p in find_phones(fold(line), line, list(regions))]


@pytest.mark.parametrize("line, expected", [
    ("Tel: +1 (415) 867-5309", [("work", "+14158675309", "+1 (415) 867-5309")]),
    ("Phone - 713.853-9106", [("work", "+17138539106", "713.853-9106")]),
    ("Mobile: 415-730-2211", [("mobile", "+14157302211", "415-730-2211")]),
    ("Cell:  (713) 594-7093", [("mobile", "+17135947093", "(713) 594-7093")]),
    ("Fax:     713-646-3393", [("fax", "+17136463393", "713-646-3393")]),
    ("Facsimile: 713-646-3940", [("fax", "+17136463940", "713-646-3940")]),
    ("(770) 886-6202 (Office)", [("work", "+17708866202", "(770) 886-6202")]),
    ("(415) 733-4190 fax", [("fax", "+14157334190", "(415) 733-4190")]),
    ("713-853-6577 Office", [("work", "+17138536577", "713-853-6577")]),
    ("Direct: 212.536.8133", [("work", "+12125368133", "212.536.8133")]),
    ("415-867-5309", [("other", "+14158675309", "415-867-5309")]),
    ("Home: 415-867-5309", [("other", "+14158675309", "415-867-5309")]),
])
def test_english_labels(line: str, expected: list) -> None:
    assert phones(line) == expected


def test_two_numbers_on_a_line_each_take_their_own_label() -> None:
    assert phones("T: +44 20 7946 0958 | M: +44 7700 900123") == [
        ("work", "+442079460958", "+44 20 7946 0958"), ("mobile", "+447700900123", "+44 7700 900123")]
    assert phones("(415) 733-4487 ph. / (415) 733-4190 fax") == [
        ("work", "+14157334487", "(415) 733-4487"), ("fax", "+14157334190", "(415) 733-4190")]
    assert phones("Tel 03-1234-5678 / 03-1234-5679", ("JP",)) == [
        ("work", "+81312345678", "03-1234-5678"), ("work", "+81312345679", "03-1234-5679")]


@pytest.mark.parametrize("line, expected", [
    ("TEL：０３－１２３４－５６７８　FAX：０３－１２３４－５６７９",
     [("work", "+81312345678", "０３－１２３４－５６７８"), ("fax", "+81312345679", "０３－１２３４－５６７９")]),
    ("携帯：090-1234-5678", [("mobile", "+819012345678", "090-1234-5678")]),
    ("携帯電話 ０８０ー１２３４ー５６７８", [("mobile", "+818012345678", "０８０ー１２３４ー５６７８")]),
    ("電話 06-6123-4567", [("work", "+81661234567", "06-6123-4567")]),
    ("直通：03-5555-1212", [("work", "+81355551212", "03-5555-1212")]),
    ("ＦＡＸ 03-3210-9877", [("fax", "+81332109877", "03-3210-9877")]),
    ("TEL: 03(1234)5678", [("work", "+81312345678", "03(1234)5678")]),
])
def test_japanese_labels_and_full_width_digits(line: str, expected: list) -> None:
    assert phones(line, ("JP",)) == expected


@pytest.mark.parametrize("line, region, expected", [
    ("Handy: 0171 1234567", "DE", [("mobile", "+491711234567", "0171 1234567")]),
    ("Tél. : 01 42 68 53 00", "FR", [("work", "+33142685300", "01 42 68 53 00")]),
    ("Portable : 06 12 34 56 78", "FR", [("mobile", "+33612345678", "06 12 34 56 78")]),
    ("Móvil: +34 612 345 678", "ES", [("mobile", "+34612345678", "+34 612 345 678")]),
    ("Telefon +43 1 234 5678", "DE", [("work", "+4312345678", "+43 1 234 5678")]),
])
def test_european_labels(line: str, region: str, expected: list) -> None:
    assert phones(line, (region,)) == expected


def test_a_national_number_is_read_in_the_first_region_that_makes_it_valid() -> None:
    # a Japanese number in a mail whose first hint is the US: JP is tried next and makes it valid
    assert phones("Tel 03-1234-5678", ("US", "JP")) == [("work", "+81312345678", "03-1234-5678")]


def test_extension_is_kept_apart() -> None:
    [p] = find_phones(fold("619-234-1300 ext. 238"), "619-234-1300 ext. 238", ["US"])
    assert (p.number, p.extension) == ("+16192341300", "238")


@pytest.mark.parametrize("line", ["〒100-0005 東京都千代田区", "Houston, TX 77002-7361", "12/07/2000 10:45 AM",
                                  "Room 3819", "x8321", "Invoice 2024-0042"])
def test_not_phones(line: str) -> None:
    assert phones(line, ("US", "JP")) == []


def test_region_hints_in_order() -> None:
    assert region_hints(address_region="DE", sender_address="a@b.co.jp", domains=["x.fr"], language="en") == \
        ["DE", "JP", "FR", "US"]
    assert region_hints(address_region=None, sender_address="a@example.com", domains=[], language="ja") == ["JP", "US"]
    assert region_hints(address_region=None, sender_address=None, domains=[], language=None, default="GB") == ["GB"]
