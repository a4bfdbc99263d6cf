"""Shared machinery of the language modules: a table of (pattern, handler) rows run over a sentence,
overlapping finds settled in favour of the longer one, and number words."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from nlp.activities.timex.base import (
    Context,
    DayMention,
    DurationMention,
    Marker,
    TimeInfo,
    TimeMention,
    ZoneMention,
    compose,
)
from nlp.activities.timex.zones import find_zones

__all__ = ["Rule", "Found", "prepare", "run_rules", "NUMBER_WORDS", "number"]

Mention = DayMention | TimeMention | DurationMention | Marker


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    handler: Callable[[re.Match[str], Context], Iterable[Mention] | None]


@dataclass
class Found:
    days: list[DayMention] = field(default_factory=list)
    times: list[TimeMention] = field(default_factory=list)
    durations: list[DurationMention] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)


NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "couple of": 2,
    "a few": 3,
    "few": 3,
    "half an": 0.5,
    "half a": 0.5,
    # German
    "ein": 1,
    "eine": 1,
    "einer": 1,
    "einem": 1,
    "einen": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
    "halbe": 0.5,
    "paar": 2,
    # Japanese
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "数": 3,
}


def number(word: str) -> float | None:
    word = " ".join(word.lower().split())
    if word.isdigit():
        return int(word)
    try:
        return float(word)
    except ValueError:
        return NUMBER_WORDS.get(word)


def _fold(pattern: str) -> str:
    out, escaped = [], False
    for ch in pattern:
        out.append(ch if escaped else ch.lower())
        escaped = ch == "\\" and not escaped
    return "".join(out)


def prepare(rules: tuple[Rule, ...]) -> tuple[tuple[re.Pattern[str], bool, Callable], ...]:
    """Case-insensitive rules compiled lower-cased, to run on the lower-cased sentence (several times faster
    in Python's ``re`` than IGNORECASE on long alternations); case-sensitive rules run on the text as is."""
    prepared = []
    for rule in rules:
        if rule.pattern.flags & re.IGNORECASE:
            prepared.append(
                (
                    re.compile(_fold(rule.pattern.pattern), rule.pattern.flags & ~re.IGNORECASE),
                    True,
                    rule.handler,
                )
            )
        else:
            prepared.append((rule.pattern, False, rule.handler))
    return tuple(prepared)


Prepared = tuple[tuple[re.Pattern[str], bool, Callable], ...]


def run_rules(
    text: str, ctx: Context, rules: Prepared, language: str, extra_zones: list[ZoneMention] | None = None
) -> TimeInfo:
    lower = text.lower()
    same_length = len(lower) == len(text)  # spans found in the lower-cased text hold for the text
    candidates: list[Mention] = []
    for pattern, folded, handler in rules:
        if folded and not same_length:
            pattern = re.compile(pattern.pattern, pattern.flags | re.IGNORECASE)
        for match in pattern.finditer(lower if folded and same_length else text):
            produced = handler(match, ctx)
            if produced:
                candidates.extend(produced)
    markers = [c for c in candidates if isinstance(c, Marker)]
    # Longer finds win over the shorter ones they overlap ("this afternoon" over "afternoon").
    spans = [c for c in candidates if not isinstance(c, Marker)]
    groups: dict[tuple[int, int], list[Mention]] = {}
    for c in spans:
        groups.setdefault((c.start, c.end), []).append(c)
    kept: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for start, end in sorted(groups, key=lambda s: (-(s[1] - s[0]), s[0])):
        if any(start < b and a < end for a, b in taken):
            continue
        taken.append((start, end))
        kept.extend(groups[(start, end)])
    # "from 10 until 11" is a range, not a deadline.
    markers = [
        mk
        for mk in markers
        if not (
            mk.kind == "deadline"
            and any(
                isinstance(c, TimeMention) and c.start <= mk.start and mk.end <= c.end and not c.deadline
                for c in kept
            )
        )
    ]
    zones = find_zones(text, language) + list(extra_zones or [])
    found = Found()
    for c in kept:
        if isinstance(c, DayMention):
            found.days.append(c)
        elif isinstance(c, TimeMention):
            if not any(z.start <= c.start < z.end for z in zones):
                found.times.append(c)
        elif isinstance(c, DurationMention):
            found.durations.append(c)
    return compose(
        text, ctx, found.days, found.times, found.durations, sorted(zones, key=lambda z: z.start), markers
    )
