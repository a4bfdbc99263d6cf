"""The evaluation runs end to end on the small sets (without zoning: the signature stage alone)."""

from __future__ import annotations

import pytest

from assistant.settings import Settings
from models.evaluate.signatures import FIELDS, evaluate, load_examples, load_talon


def test_evaluation_on_the_project_examples() -> None:
    r = evaluate(load_examples(), None)
    assert r["mails"] >= 20
    assert r["zoning"].startswith("no zoning")
    assert set(r["fields"]) == set(FIELDS)
    assert r["lines_signature"]["f1"] > 0.8
    assert r["fields"]["phone"]["normalised"]["f1"] > 0.9


def test_evaluation_on_talon() -> None:
    folder = Settings().shared_data_dir / "replies" / "talon" / "signature"
    if not folder.is_dir():
        pytest.skip(f"public data not found at {folder}: set MAILASSIST_SHARED_DATA_DIR")
    r = evaluate(load_talon(folder), None)
    assert r["mails"] == 9
    for key in ("lines_zone_stage", "lines_signature", "presence_signature", "fields_on_gold_lines"):
        assert key in r
