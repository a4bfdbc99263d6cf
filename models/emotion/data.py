"""GoEmotions (Reddit comments, CC BY 4.0) mapped to the product's emotions and sentiments.

Emotion mapping (the issue's): joy, amusement → happy; excitement → enthusiastic; gratitude → grateful;
admiration, approval → trust; confusion → confused; disappointment, disapproval → dissatisfied;
annoyance, anger → frustrated; neutral → neutral. The other 15 labels are unmapped. A comment is a
single-label example when its labels map to exactly one emotion (unmapped labels ignored).

Sentiment comes from GoEmotions' own grouping (``group/``: positive, negative, ambiguous, neutral), with
ambiguous (surprise, confusion, curiosity, realization) read as neutral.

Read from ``shared_data_dir/emotion/goemotions`` (never copied into the repository).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nlp.classify.labels import EMOTIONS, SENTIMENTS

__all__ = ["GOEMOTIONS_TO_EMOTION", "read_goemotions", "goemotion_names", "single_emotion", "read_sentiment"]

GOEMOTIONS_TO_EMOTION = {
    "joy": "happy", "amusement": "happy", "excitement": "enthusiastic", "gratitude": "grateful",
    "admiration": "trust", "approval": "trust", "confusion": "confused", "disappointment": "dissatisfied",
    "disapproval": "dissatisfied", "annoyance": "frustrated", "anger": "frustrated", "neutral": "neutral",
}
_GROUP_TO_SENTIMENT = {"positive": "positive", "negative": "negative", "neutral": "neutral", "ambiguous": "neutral"}


def _root(shared_data_dir: Path) -> Path:
    return Path(shared_data_dir) / "emotion" / "goemotions"


def goemotion_names(shared_data_dir: Path, grouping: str = "original") -> list[str]:
    return (_root(shared_data_dir) / grouping / "labels.txt").read_text().split()


def read_goemotions(shared_data_dir: Path, split: str, grouping: str = "original") -> tuple[list[str], list[list[str]]]:
    names = goemotion_names(shared_data_dir, grouping)
    texts: list[str] = []
    labels: list[list[str]] = []
    with (_root(shared_data_dir) / grouping / f"{split}.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            texts.append(parts[0])
            labels.append([names[int(x)] for x in parts[1].split(",") if x.strip()])
    return texts, labels


def single_emotion(labels: list[list[str]]) -> np.ndarray:
    """The emotion index per comment, or -1 where the labels map to none or to several emotions."""
    out = np.full(len(labels), -1, dtype=np.int64)
    for i, names in enumerate(labels):
        mapped = {GOEMOTIONS_TO_EMOTION[n] for n in names if n in GOEMOTIONS_TO_EMOTION}
        if len(mapped) == 1:
            out[i] = EMOTIONS.index(mapped.pop())
    return out


def read_sentiment(shared_data_dir: Path, split: str) -> tuple[list[str], np.ndarray]:
    """All comments of the split (the same order as ``original/``) and a sentiment index per comment,
    -1 where the groups map to several sentiments."""
    texts, groups = read_goemotions(shared_data_dir, split, grouping="group")
    y = np.full(len(texts), -1, dtype=np.int64)
    for i, names in enumerate(groups):
        mapped = {_GROUP_TO_SENTIMENT[n] for n in names if n in _GROUP_TO_SENTIMENT}
        if len(mapped) == 1:
            y[i] = SENTIMENTS.index(mapped.pop())
    return texts, y
