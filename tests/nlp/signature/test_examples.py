"""The project's own signatures (models/datasets/signatures_examples.jsonl): one test per example.

Twelve Japanese styles (罫線 boxes ━━━/―――/＝＝＝/◆/***, 株式会社 before and after the name, (株), 有限会社,
合同会社, 一般社団法人, 部長/課長/マネージャー/グループリーダー, TEL/電話/携帯/直通/FAX labels, full-width digits
and hyphens, 〒 codes and addresses without 〒, English-name lines, URL and e-mail lines, labelled fields,
names written without a space), and English, German, French and Spanish ones. The zones are given, as
the zone stage would set them, so these tests measure the signature stage alone.
"""

from __future__ import annotations

import pytest

from tests.nlp.signature.helpers import examples, signature_of

EXAMPLES = examples()


def _phone_view(phones: list[dict]) -> list[dict]:
    return [{k: p[k] for k in ("type", "number", "raw")} for p in phones]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_example_parses_into_the_expected_fields(example: dict) -> None:
    sig = signature_of(example["body"], example["zones"], sender=(example["sender_name"], example["sender_address"]),
                       language=example["language"])
    expected = example["expected"]
    if expected is None:
        assert sig is None
        return
    assert sig is not None
    fields = sig["fields"]
    for key, value in expected.items():
        got = fields[key]
        if key == "phones":
            got = _phone_view(got)
        elif key in ("name_parts", "address_parts") and got is not None:
            got = {k: got[k] for k in value}
        assert got == value, key
    if example["signature_lines"]:
        lines = example["body"].split("\n")
        content = [i for i in sig["lines"] if lines[i].strip()]
        assert [content[0], content[-1]] == example["signature_lines"]


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e["expected"]], ids=lambda e: e["id"])
def test_every_field_names_its_exact_source_line(example: dict) -> None:
    sig = signature_of(example["body"], example["zones"], sender=(example["sender_name"], example["sender_address"]),
                       language=example["language"])
    lines = example["body"].split("\n")
    fields, evidence = sig["fields"], sig["evidence"]
    for key, value in fields.items():
        if not value:
            assert key not in evidence
            continue
        ev = evidence[key]
        assert 0.0 < ev["confidence"] <= 1.0
        assert ev["line"] == lines[ev["line_index"]]  # the line exactly as written in the body
        if key in ("phones", "emails", "websites", "socials"):
            assert len(ev["items"]) == len(value)
            for item, v in zip(ev["items"], value):
                assert item["line"] == lines[item["line_index"]]
                if key == "phones":
                    assert v["raw"] in item["line"]
                elif key == "emails":
                    assert v in item["line"].lower()
        elif key in ("title", "department", "company"):
            assert value in ev["line"]
        elif key == "address":
            assert ev["lines"] == [lines[i] for i in range(ev["line_index"], ev["line_index"] + len(ev["lines"]))]


def test_at_least_ten_japanese_styles() -> None:
    japanese = [e for e in EXAMPLES if e["language"] == "ja" and e["expected"]]
    assert len(japanese) >= 10
    assert len({e["note"] for e in japanese}) == len(japanese)
