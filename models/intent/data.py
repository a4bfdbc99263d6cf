"""The data the intent models learn from.

- ``parakweet``: Enron sentences labelled Yes/No for "asks the reader to act" (Apache-2.0, *train*),
  read from ``shared_data_dir/intent/parakweet-train.tsv`` (never copied into the repository).
- ``mails``: the project's own business mails (``models/datasets/intent_mails.jsonl``, English and
  Japanese, written for this project), each with intents, insights, sentiment and emotion, and a fixed
  ``split``: ``train`` or ``holdout`` (a third of each label, per language, chosen once by iterative
  stratification and recorded in the file). Training reads the train split only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Mail", "read_parakweet", "read_mails", "MAILS_PATH", "EVAL_COMPETITORS"]

MAILS_PATH = Path(__file__).resolve().parent.parent / "datasets" / "intent_mails.jsonl"
# The admin list the evaluation uses for the competitor insight (the mails name these vendors).
EVAL_COMPETITORS = ("Salesforce", "HubSpot", "Zoho", "Pipedrive", "Freshworks", "kintone", "サイボウズ", "Sansan")


@dataclass(frozen=True)
class Mail:
    id: str
    lang: str
    split: str
    subject: str
    sender: str
    company: str | None
    text: str
    intents: tuple[str, ...]
    insights: tuple[str, ...]
    sentiment: str
    emotion: str


def read_parakweet(shared_data_dir: Path) -> tuple[list[str], list[int]]:
    path = Path(shared_data_dir) / "intent" / "parakweet-train.tsv"
    texts: list[str] = []
    labels: list[int] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            label, sep, text = line.rstrip("\n").partition("\t")
            if not sep:
                continue
            texts.append(text)
            labels.append(1 if label.strip() == "Yes" else 0)
    return texts, labels


def read_mails(path: Path = MAILS_PATH, *, splits: tuple[str, ...] = ("train", "holdout")) -> list[Mail]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            if r["split"] not in splits:
                continue
            out.append(Mail(id=r["id"], lang=r["lang"], split=r["split"], subject=r["subject"], sender=r["sender"],
                            company=r.get("company"), text=r["text"], intents=tuple(r["intents"]),
                            insights=tuple(r["insights"]), sentiment=r["sentiment"], emotion=r["emotion"]))
    return out
