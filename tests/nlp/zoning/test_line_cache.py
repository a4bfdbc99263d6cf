"""Each distinct line is read once: a repeated line gets the features it got the first time."""

from __future__ import annotations

import numpy as np

from nlp.zoning import features
from nlp.zoning.features import clear_line_cache, line_base_features

LINES = ["Hi Ola,", "", "Can you send the signed contract by Friday?", "> On Mon, 3 Mar 2025, Ola wrote:",
         "Tel: +47 22 12 34 56", "-- ", "Northwind Trading AS", "This message is confidential."]


def test_repeated_lines_get_the_same_features_as_when_first_read() -> None:
    clear_line_cache()
    fresh = line_base_features(LINES)
    assert len(features._LINE_MASKS) == len([x for x in LINES if x.strip()])
    again = line_base_features(LINES[::-1])
    assert np.array_equal(again, fresh[::-1])
    clear_line_cache()
    assert np.array_equal(line_base_features(LINES[::-1]), again)


def test_the_table_is_bounded(monkeypatch) -> None:
    clear_line_cache()
    monkeypatch.setattr(features, "_LINE_MASKS_MAX", 5)
    line_base_features([f"line number {i}" for i in range(12)])
    assert len(features._LINE_MASKS) <= 5
