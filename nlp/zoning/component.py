"""The "zone" pipeline component: every line of ``doc["body"]`` gets a zone and a confidence.

Reads ``body`` (set by the parse stage); assigns ``zones`` (a zone per line), ``line_confidence``
(a confidence per line) and ``new_text`` on the document, and ``zones`` (runs of equal zones over
``body.split("\\n")``, ``end_line`` inclusive) and ``new_text`` in its JSON result.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from nlp.pipeline import Doc, component
from nlp.zoning.model import ZoningModel
from nlp.zoning.zoner import HEAD_LINES, TAIL_LINES, Zoner

__all__ = ["make_zone"]


@component("zone", reads=("body",), assigns=("zones", "new_text"))
def make_zone(*, weights: str | None = None, head_lines: int = HEAD_LINES,
              tail_lines: int = TAIL_LINES) -> Callable[[list[Doc]], None]:
    """Build the component; ``weights`` overrides the shipped model file."""
    zoner = Zoner(ZoningModel.load(Path(weights) if weights else None), head=head_lines, tail=tail_lines)

    def zone(docs: list[Doc]) -> None:
        results = zoner.pipe([doc["body"] or "" for doc in docs])
        for doc, z in zip(docs, results):
            new_text = z.new_text
            doc["zones"] = z.zones
            doc["line_confidence"] = z.confidence
            doc["new_text"] = new_text
            doc.out["zones"] = z.runs()
            doc.out["new_text"] = new_text

    zone.name = "zone"  # type: ignore[attr-defined]
    return zone
