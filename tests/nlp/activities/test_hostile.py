"""Hostile text runs in bounded time: inputs are capped and every pattern is linear."""

from __future__ import annotations

import re
import time

import pytest

from nlp.activities import patterns
from nlp.activities.details import URL, attendees, location
from nlp.activities.timex import de, en, ja, zones
from tests.nlp.activities.helpers import make_doc, run

HOSTILE = [
    "1" * 200_000,
    "at 3 " * 40_000,
    "next " * 40_000 + "Tuesday",
    "12/" * 60_000,
    "明日" * 100_000,
    "from 1 to 2 " * 20_000,
    "https://zoom.us/" + "a" * 200_000,
    "555-" * 50_000,
    "Monday or " * 20_000,
    "the 1st " * 25_000,
    "14. " * 50_000,
    "with " + "Ann and " * 25_000,
    "at the " + "Big " * 50_000 + "office",
    "午後" * 50_000 + "3時",
    " " * 100_000 + "tomorrow",
    "EST " * 50_000,
]


@pytest.mark.timeout(20)
@pytest.mark.parametrize("text", HOSTILE, ids=[f"hostile{i}" for i in range(len(HOSTILE))])
def test_hostile_sentences_are_cut_and_answered(text):
    doc = make_doc("x", "Tue, 05 Mar 2024 10:12:00 -0500")
    doc["sentences"] = [text] * 3  # sentences longer than any real one
    start = time.perf_counter()
    run(doc)
    assert time.perf_counter() - start < 5
    assert all(len(a["evidence"]) <= 500 for a in doc.out["activities"])


@pytest.mark.timeout(20)
def test_thousands_of_sentences_are_capped():
    doc = make_doc("x")
    doc["sentences"] = ["Can we meet tomorrow at 10am?"] * 10_000
    run(doc)
    assert len(doc.out["activities"]) == 1  # capped at 100 sentences, and one proposal repeated is one


def _all_patterns() -> list[re.Pattern]:
    found = [rule.pattern for module in (en, ja, de) for rule in module.RULES]
    for cues in patterns.CUES.values():
        found += [c.pattern for c in vars(cues).values() if isinstance(c, patterns.Cue)]
    found += [
        patterns.FYI_PHRASES,
        URL,
        zones._ABBR,
        zones._OFFSET,
        zones._PLACE_EN,
        zones._REGION_EN,
        zones._PLACE_JA,
        zones._PLACE_DE,
    ]
    return found


@pytest.mark.timeout(60)
def test_every_pattern_is_linear_on_long_input():
    """Uncapped: each pattern scans 8,000 hostile characters in well under a second (a backtracking
    pattern would not)."""
    pieces = [
        "a",
        "1",
        " ",
        "1 ",
        "at ",
        "-",
        "1-",
        "1:1",
        "/1",
        "1.",
        "next ",
        "the ",
        "明日",
        "時",
        "午後1",
        "~1",
        "Ab ",
        "pm ",
        "or 1 ",
        "until ",
        "in a ",
        "https://a",
        "Zeit ",
        "Uhr ",
        "ruf ",
    ]
    for pattern in _all_patterns():
        for piece in pieces:
            text = piece * (8_000 // len(piece))
            start = time.perf_counter()
            for _ in pattern.finditer(text):
                pass
            assert time.perf_counter() - start < 0.5, (pattern.pattern[:80], piece)


@pytest.mark.timeout(20)
def test_token_scanners_are_linear():
    text = "with Ann and Bob at the " + "Big " * 100_000
    start = time.perf_counter()
    attendees(text, "en")
    location(text, "en")
    assert time.perf_counter() - start < 5
