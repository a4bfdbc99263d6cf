"""Hostile and huge bodies finish quickly (guarded by timeouts; the speed itself is in bench/zoning.py)."""

from __future__ import annotations

import pytest

from nlp.zoning.patterns import MAX_CHARS, RE, START, START_WORD

HUGE = {
    "5 MB body": ("Hello,\n\n" + "Some ordinary text of a long message, line after line.\n" * 95_000
                  + "\nOn Mon, Nov 23, 2026 at 9:00 AM, Kate <kate@example.com> wrote:\n> old\n"),
    "100,000 quote levels": ">" * 100_000 + " text\n\nanswer",
    "1 MB single line": "x" * 1_000_000,
    "1 MB of spaces and colons": (" :" * 500_000) + "\n" + ("wrote " * 100_000),
    "many short lines": "a\n" * 500_000,
    "5 MB of > lines": "> quoted line here\n" * 280_000,
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", sorted(HUGE))
def test_huge_bodies_finish(zoner, name: str) -> None:
    body = HUGE[name]
    z = zoner(body)
    assert len(z.zones) == len(body.split("\n"))


@pytest.mark.timeout(30)
def test_pathological_fixtures_finish(zoner, shared_data) -> None:
    files = sorted(shared_data.glob("replies/*/pathological*"))
    assert files
    for path in files:
        body = path.read_text(encoding="utf-8", errors="replace")
        assert len(zoner(body).zones) == len(body.split("\n"))


HOSTILE = ["a" * MAX_CHARS, " " * MAX_CHARS, "-" * MAX_CHARS, "1" * MAX_CHARS, "@" * MAX_CHARS, "a@" * (MAX_CHARS // 2),
           "on " * (MAX_CHARS // 3), "<a@" * (MAX_CHARS // 3), "é" * MAX_CHARS, ">" * MAX_CHARS, "1 " * (MAX_CHARS // 2),
           "wrote: " * (MAX_CHARS // 7), "=20" * (MAX_CHARS // 3), "年月日" * (MAX_CHARS // 3)]


@pytest.mark.timeout(30)
@pytest.mark.parametrize("k", range(len(HOSTILE)))
def test_every_pattern_on_hostile_lines(k: int) -> None:
    line = HOSTILE[k]
    for _ in range(20):
        for pattern in (*RE.values(), START, START_WORD):
            pattern.search(line)
            pattern.match(line)
