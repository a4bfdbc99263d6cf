"""A ``quoted`` run needs something that makes it a quote: markers, a header, a forward, a mobile footer."""

from __future__ import annotations

import numpy as np

from nlp.zoning.labels import ZONES
from nlp.zoning.zoner import _FILL_CONFIDENCE, Zoner, unanchored_quotes

ARTICLE = [
    "LONDON - The grid operator said it would build a new interconnector,",
    '"This link gives us the flexibility we need", a spokeswoman said on Monday,',
    "adding that planning consent had been granted after a two-year review.",
    "",
    "The project will be financed by regulated returns and private capital.",
]


def test_a_quoted_run_without_markers_or_header_is_the_authors_text() -> None:
    lines = ["Morning digest below.", "", *ARTICLE]
    zones = ["new_text", "new_text", "new_text", "quoted", "quoted", "quoted", "quoted"]
    assert unanchored_quotes(lines, zones) == ["new_text"] * len(lines)


def test_a_quote_under_its_header_keeps_its_zone_without_markers() -> None:
    lines = ["Fine by me.", "", "From: Ola Berg", "Sent: Monday, 3 March 2025 10:00", "Subject: Grid", "",
             *ARTICLE]
    zones = ["new_text", "new_text", "quote_header", "quote_header", "quote_header", "quoted"] + ["quoted"] * 5
    assert unanchored_quotes(lines, zones) == zones


def test_a_quote_under_a_mobile_footer_keeps_its_zone() -> None:
    lines = ["Yes, Tuesday works.", "", "Sent from my iPhone", "", *ARTICLE]
    zones = ["new_text", "new_text", "mobile_footer", "mobile_footer"] + ["quoted"] * 5
    assert unanchored_quotes(lines, zones) == zones


def test_a_marked_run_keeps_its_zone_and_anchors_the_runs_after_it() -> None:
    lines = ["See below.", "> " + ARTICLE[0], "> " + ARTICLE[1], "My answer.", ARTICLE[2]]
    zones = ["new_text", "quoted", "quoted", "new_text", "quoted"]
    assert unanchored_quotes(lines, zones) == zones


class _DriftingModel:
    """A decode that drifts into "quoted" after the first two lines, as the line model was seen to do
    in long news digests."""

    def __init__(self, lines: int):
        self.lines = lines

    def decode(self, batch):
        rows = self.lines
        labels = np.array([ZONES.index("new_text")] * 2 + [ZONES.index("quoted")] * (rows - 2))
        return labels, np.full(rows, 0.9)


def test_the_zoner_applies_the_rule_and_lowers_the_confidence() -> None:
    body = "Morning digest below.\n\n" + "\n".join(ARTICLE)
    model = _DriftingModel(len(body.split("\n")))
    zoning = Zoner(model=model)(body)  # type: ignore[arg-type]
    assert zoning.zones == ["new_text"] * model.lines
    assert zoning.confidence[:2] == [0.9, 0.9] and set(zoning.confidence[2:]) == {_FILL_CONFIDENCE}
