"""talon's signature fixtures (../shared/data/replies/talon/signature), one test per mail.

The zones are left out (every line new_text), so these exercise the signature stage's own detection
on real mail; the expected fields are the project's reading of each fixture
(models/datasets/signatures_talon.jsonl)."""

from __future__ import annotations

import pytest

from assistant.settings import Settings
from models.evaluate.signatures import Case, load_talon
from tests.nlp.signature.helpers import signature_of

FOLDER = Settings().shared_data_dir / "replies" / "talon" / "signature"


def _cases() -> list:
    if not FOLDER.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"public data not found at {FOLDER}: set "
                                                                 "MAILASSIST_SHARED_DATA_DIR"), id="no-data")]
    return [pytest.param(c, id=c.id) for c in load_talon(FOLDER)]


@pytest.mark.parametrize("case", _cases())
def test_talon_fixture(case: Case) -> None:
    lines = case.text.split("\n")
    sig = signature_of(case.text, ["new_text"] * len(lines), sender=(case.sender_name or "", case.sender_address or ""))
    gold = case.gold_fields or {}
    fields = (sig or {}).get("fields") or {}
    if "name" in gold:
        assert fields.get("name") == gold["name"][0]
    for kind, key in (("email", "emails"), ("website", "websites")):
        assert fields.get(key, []) == gold.get(kind, [])
    assert sorted(p["raw"] for p in fields.get("phones", [])) == sorted(gold.get("phone", []) + gold.get("fax", []))
    if sig is not None and sig["lines"]:
        assert {i for i in sig["lines"] if lines[i].strip()} <= case.gold_lines  # never more than the signature
