"""Building documents for the signature stage directly: a body, its zones, a sender, a language."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nlp.parsing.message import Address
from nlp.parsing.parse import parse_text
from nlp.pipeline import Doc, MessageInput
from nlp.signature.component import make_signature

EXAMPLES = Path(__file__).resolve().parents[3] / "models" / "datasets" / "signatures_examples.jsonl"

_STAGE = make_signature()


def labels_from_runs(runs: list[list], n_lines: int) -> list[str]:
    labels = ["new_text"] * n_lines
    for start, end, zone in runs:
        for i in range(start, min(end, n_lines - 1) + 1):
            labels[i] = zone
    return labels


def runs_from_labels(labels: list[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, zone in enumerate(labels):
        if out and out[-1]["zone"] == zone:
            out[-1]["end_line"] = i
        else:
            out.append({"start_line": i, "end_line": i, "zone": zone, "confidence": 1.0})
    return out


def make_doc(body: str, zones: list[str] | list[list], *, sender: tuple[str, str] | None = None,
             language: str | None = None) -> Doc:
    """A document as the parse, zone and language stages would leave it."""
    lines = body.split("\n")
    labels = labels_from_runs(zones, len(lines)) if zones and isinstance(zones[0], list) else list(zones)
    assert len(labels) == len(lines), "one zone per line"
    doc = Doc(MessageInput(text=body))
    doc["body"] = body
    doc["lines"] = lines
    doc["zones"] = labels
    doc.out["zones"] = runs_from_labels(labels)
    if sender is not None:
        message = parse_text(body)
        message.from_ = Address(sender[0], sender[1])
        doc["message"] = message
    if language:
        doc["language"] = language
    return doc


def signature_of(body: str, zones: list, **kwargs) -> dict[str, Any] | None:
    doc = make_doc(body, zones, **kwargs)
    _STAGE([doc])
    assert doc.out["signature"] is doc["signature"]
    return doc.out["signature"]


def examples() -> list[dict[str, Any]]:
    return [json.loads(line) for line in EXAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
