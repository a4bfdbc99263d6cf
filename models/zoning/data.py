"""Labelled messages for training and evaluating the zoning model.

Two sources: the gold reply fixtures (``models/datasets/replies_gold.jsonl``: line zones for the
``txt`` fixtures, the expected new text for all) whose texts are read from the shared data folder, and
the project's synthetic examples (``models/datasets/zoning_examples.jsonl``). Only the gold *train*
split may be used for training; the holdout split is for evaluation alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from pathlib import Path

from nlp.zoning.labels import ZONES

__all__ = ["Labelled", "GOLD_PATH", "EXAMPLES_PATH", "read_gold", "read_examples", "eml_body",
           "runs_to_labels"]

DATASETS = Path(__file__).resolve().parent.parent / "datasets"
GOLD_PATH = DATASETS / "replies_gold.jsonl"
EXAMPLES_PATH = DATASETS / "zoning_examples.jsonl"


@dataclass
class Labelled:
    id: str
    kind: str  # txt | eml | html | synthetic
    split: str  # train | holdout
    lang: str
    text: str | None  # the plain body (None for html: the caller converts it)
    raw: bytes | None  # the file's bytes (eml/html)
    labels: list[str] | None  # one zone per line of ``text``, when known
    new_text: str
    files: list[str]


def runs_to_labels(runs: list[list], n_lines: int) -> list[str]:
    labels = [""] * n_lines
    for start, end, zone in runs:
        if zone not in ZONES:
            raise ValueError(f"unknown zone {zone!r}")
        for i in range(start, min(end, n_lines - 1) + 1):
            labels[i] = zone
    missing = [i for i, z in enumerate(labels) if not z]
    if missing:
        raise ValueError(f"lines {missing[:5]} have no zone")
    return labels


def read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def eml_body(raw: bytes) -> tuple[str, str]:
    """The text/plain body of a message (else its HTML), decoded with the stdlib: ``(kind, text)``."""
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    part = msg.get_body(("plain", "html"))
    if part is None:
        return "plain", ""
    try:
        text = part.get_content()
    except (LookupError, UnicodeError):
        payload = part.get_payload(decode=True) or b""
        text = payload.decode("utf-8", errors="replace")
    kind = "html" if part.get_content_subtype() == "html" else "plain"
    return kind, text.replace("\r\n", "\n").replace("\r", "\n")


def read_gold(shared_data_dir: Path, *, splits: tuple[str, ...] = ("train",),
              path: Path = GOLD_PATH) -> list[Labelled]:
    """Gold fixtures of the given splits; texts come from ``shared_data_dir/replies``."""
    replies = Path(shared_data_dir) / "replies"
    out: list[Labelled] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row["split"] not in splits:
            continue
        src = replies / row["files"][0]
        if not src.exists():
            continue
        kind = row["kind"]
        text = raw = labels = None
        if kind == "txt":
            text = read_text(src)
            if row.get("zones"):
                labels = runs_to_labels(row["zones"], len(text.split("\n")))
        else:
            raw = src.read_bytes()
        out.append(Labelled(id=row["files"][0], kind=kind, split=row["split"], lang=row.get("lang", ""),
                            text=text, raw=raw, labels=labels, new_text=row["new_text"], files=row["files"]))
    return out


def read_examples(path: Path = EXAMPLES_PATH) -> list[Labelled]:
    out: list[Labelled] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        text = row["text"]
        out.append(Labelled(id=row["id"], kind="synthetic", split="train", lang=row["lang"], text=text,
                            raw=None,
                            labels=runs_to_labels(row["zones"], len(text.split("\n"))),
                            new_text=row["new_text"], files=[]))
    return out
