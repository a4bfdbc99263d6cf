"""Postal addresses: which lines are address lines, and the parts of an address."""

from __future__ import annotations

import pytest

from nlp.signature.addresses import address_line, parse_address


@pytest.mark.parametrize("lines, parts, region", [
    (["345 California Street, Ste. 1400", "San Francisco, CA  94104"],
     {"street": "345 California Street, Ste. 1400", "city": "San Francisco", "region": "CA", "postal_code": "94104",
      "country": None}, "US"),
    (["1400 Smith Street", "Suite 3640a", "Houston, TX  77002"],
     {"street": "1400 Smith Street, Suite 3640a", "city": "Houston", "region": "TX", "postal_code": "77002"}, "US"),
    (["Houston, Texas   77002-7361"], {"city": "Houston", "region": "Texas", "postal_code": "77002-7361"}, "US"),
    (["100 King Street West", "Toronto, ON M5X 1A9", "Canada"],
     {"street": "100 King Street West", "city": "Toronto", "region": "ON", "postal_code": "M5X 1A9",
      "country": "Canada"}, "CA"),
    (["1 Main Street, London EC1A 1BB, United Kingdom"],
     {"street": "1 Main Street", "city": "London", "postal_code": "EC1A 1BB", "country": "United Kingdom"}, "GB"),
    (["Musterstraße 12", "10115 Berlin", "Deutschland"],
     {"street": "Musterstraße 12", "city": "Berlin", "postal_code": "10115", "country": "Deutschland"}, "DE"),
    (["12 rue de la Paix", "75002 Paris", "France"],
     {"street": "12 rue de la Paix", "city": "Paris", "postal_code": "75002", "country": "France"}, "FR"),
    (["〒100-0005 東京都千代田区丸の内１－２－３ 丸の内ビル５Ｆ"],
     {"postal_code": "100-0005", "region": "東京都", "city": "千代田区", "street": "丸の内1-2-3 丸の内ビル5F"}, "JP"),
    (["〒220-0012", "神奈川県横浜市西区みなとみらい2-3-1"],
     {"postal_code": "220-0012", "region": "神奈川県", "city": "横浜市西区", "street": "みなとみらい2-3-1"}, "JP"),
    (["大阪府大阪市北区梅田1-1-1 梅田センタービル12階"],
     {"postal_code": None, "region": "大阪府", "city": "大阪市北区", "street": "梅田1-1-1 梅田センタービル12階"}, "JP"),
    (["住所：〒060-0001 北海道札幌市中央区北1条西2丁目", "日本"],
     {"postal_code": "060-0001", "region": "北海道", "city": "札幌市中央区", "country": "日本"}, "JP"),
])
def test_parse_address(lines: list[str], parts: dict, region: str) -> None:
    address = parse_address(lines)
    got = address.parts()
    assert {k: got[k] for k in parts} == parts
    assert address.country_region == region
    # the lines as written, joined with ", " (runs of spaces folded, an "Address:" label dropped)
    assert address.text == ", ".join(" ".join(line.replace("住所：", "").split()) for line in lines)


@pytest.mark.parametrize("line, kind", [
    ("San Francisco, CA  94104", "postal"), ("1400 Smith Street", "street"), ("Suite 3700", "street"),
    ("38th Floor", "street"), ("P.O. Box 4697", "street"), ("10115 Berlin", "postal"), ("D-10115 Berlin", "postal"),
    ("London EC1A 1BB", "postal"), ("〒100-0005", "jp"), ("東京都千代田区丸の内1-2-3", "jp"), ("United States", "country"),
])
def test_address_lines(line: str, kind: str) -> None:
    found = address_line(line)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize("line", ["Senior Account Manager", "Acme Widgets Ltd.", "Tel: +44 20 7946 0958",
                                  "1400 shares were sold", "See you at 10:30", "山田 太郎", "株式会社サンプル"])
def test_not_address_lines(line: str) -> None:
    assert address_line(line) is None
