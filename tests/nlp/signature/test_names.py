"""Person names: Western names with nameparser, Japanese names, the sender's display name."""

from __future__ import annotations

import pytest

from nlp.signature.companies import is_department, is_title, ja_title, legal_form, split_segments
from nlp.signature.names import (
    display_order,
    japanese_name,
    probably_person,
    sender_match,
    trailing_name,
    western_name,
)


@pytest.mark.parametrize("text, stored, given, family", [
    ("Mark D. Guinney, CFA", "Mark D. Guinney", "Mark", "Guinney"),
    ("John E. Doe, Ph.D.", "John E. Doe", "John", "Doe"),
    ("Dr. Max Mustermann", "Max Mustermann", "Max", "Mustermann"),
    ("Jean-Pierre de la Fontaine", "Jean-Pierre de la Fontaine", "Jean-Pierre", "de la Fontaine"),
    ("Carlos García", "Carlos García", "Carlos", "García"),
    ("John A. Smith", "John A. Smith", "John", "Smith"),
])
def test_western_names(text: str, stored: str, given: str, family: str) -> None:
    name = western_name(text)
    assert (name.text, name.given, name.family) == (stored, given, family)


@pytest.mark.parametrize("text", ["Senior Account Manager", "Acme Widgets Ltd.", "Thanks", "Best regards",
                                  "Enron North America", "Contact Us", "Houston, TX", "Sales EMEA", "Mark"])
def test_not_western_names(text: str) -> None:
    assert western_name(text) is None


def test_a_single_given_name_only_when_allowed() -> None:
    assert western_name("Mark", allow_single=True).given == "Mark"


@pytest.mark.parametrize("tokens, family, given", [
    (["山田", "太郎"], "山田", "太郎"), (["中村", "一郎"], "中村", "一郎"), (["阿部", "寛"], "阿部", "寛"),
    (["長谷部", "誠"], "長谷部", "誠"), (["部長", "佐藤", "花子"], "佐藤", "花子"), (["佐々木", "まゆみ"], "佐々木", "まゆみ"),
])
def test_japanese_names_family_first(tokens: list[str], family: str, given: str) -> None:
    _, name = japanese_name(tokens)
    assert (name.family, name.given, name.text) == (family, given, f"{family} {given}")


@pytest.mark.parametrize("tokens", [["営業部", "山田"], ["東京都", "千代田区"], ["株式会社", "サンプル"], ["第一営業部", "部長"]])
def test_not_japanese_names(tokens: list[str]) -> None:
    assert japanese_name(tokens) is None


def test_display_name_in_directory_order() -> None:
    assert display_order("Beck, Sally") == "Sally Beck"
    assert display_order('"Jane Smith"') == "Jane Smith"
    assert display_order("jane@example.com") is None


@pytest.mark.parametrize("candidate, display, address, score", [
    ("Jane Smith", "Jane Smith", "jane@acme.com", 1.0), ("Ben", "Benjamin Rogers", "benjamin.rogers@enron.com", 1.0),
    ("Sally", "Beck, Sally", None, 1.0), ("Scott Pleus", None, "scott_pleus@enron.net", 1.0),
    ("鈴木 一郎", "鈴木一郎", None, 1.0), ("Jane Doe", "Jane Smith", None, 0.6), ("Bob", "Jane Smith", "js@x.com", 0.0),
])
def test_sender_match(candidate: str, display: str | None, address: str | None, score: float) -> None:
    assert sender_match(candidate, display, address) == score


def test_trailing_signed_name() -> None:
    assert trailing_name("I will call you if I remember.  --Sally") == "Sally"
    assert trailing_name("Thank you both for all your help.  Kate") == "Kate"
    assert trailing_name("see you there") is None


def test_person_or_company_by_probablepeople() -> None:
    assert probably_person("Marcy Brinegar") is True
    assert probably_person("MBM Consultants") is False


@pytest.mark.parametrize("text", ["Acme Widgets Ltd.", "Sample Trading Co., Ltd.", "Beispiel GmbH", "Exemple SAS",
                                  "Ejemplo S.L.", "FriedWire Inc.", "株式会社サンプル", "サンプル商事株式会社", "(株)テスト"])
def test_legal_forms(text: str) -> None:
    assert legal_form(text)


def test_titles_and_departments() -> None:
    assert split_segments("Senior Account Manager | Sales EMEA") == ["Senior Account Manager", "Sales EMEA"]
    assert split_segments("Sample Trading Co., Ltd.") == ["Sample Trading Co., Ltd."]
    assert is_title("Vertriebsleiter") and is_title("Directrice commerciale") and is_title("President & CEO")
    assert is_department("Abteilung Vertrieb") and is_department("ENA Legal Dept.")
    assert is_department("Sales EMEA", after_title=True) and not is_department("Sales EMEA")
    assert ja_title("部長") == (None, "部長")
    assert ja_title("営業部部長") == ("営業部", "部長")
    assert ja_title("グループリーダー") == (None, "グループリーダー")
