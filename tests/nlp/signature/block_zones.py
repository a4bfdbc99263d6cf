"""Zone labels for block tests: all lines new_text except the given overrides."""

from __future__ import annotations


def zones_for(body: str, **by_line: str) -> list[str]:
    """All lines new_text, except the given ``L<n>=zone`` overrides (a range as ``L3_7``)."""
    n = len(body.split("\n"))
    labels = ["new_text"] * n
    for key, zone in by_line.items():
        a, _, b = key[1:].partition("_")
        for i in range(int(a), int(b or a) + 1):
            labels[i] = zone
    return labels
