"""The synthetic training examples: deterministic, well-formed, covering every zone and language."""

from __future__ import annotations

import json
from collections import Counter

from models.zoning.data import EXAMPLES_PATH, runs_to_labels
from models.zoning.examples import LANGS, generate
from nlp.zoning.labels import ZONES


def test_generation_is_deterministic() -> None:
    assert generate(per_language=2, english=5) == generate(per_language=2, english=5)


def test_shipped_file_covers_every_zone_and_language() -> None:
    rows = [json.loads(line) for line in EXAMPLES_PATH.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 150
    zones: Counter = Counter()
    langs = Counter(r["lang"] for r in rows)
    for r in rows:
        labels = runs_to_labels(r["zones"], len(r["text"].split("\n")))
        zones.update(labels)
    assert set(zones) == set(ZONES)
    assert set(langs) == set(LANGS) and min(langs.values()) >= 10
    assert langs["ja"] >= 30


def test_shipped_file_is_what_the_generator_writes() -> None:
    shipped = EXAMPLES_PATH.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in shipped] == generate()
