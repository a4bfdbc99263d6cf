"""Train the emotion and sentiment heads: ``train(shared_data_dir) -> Path`` and ``train_sentiment(...)``.

Both are sentence-level softmax heads (:class:`~models.heads.linear.LinearHead`) over the shared features:
tf-idf uni/bigrams + cue features + the MiniLM sentence embedding.

Data (*train* splits only):
- GoEmotions ``train`` comments whose labels map to exactly one product emotion (see ``data.py``), or,
  for sentiment, to exactly one sentiment group (ambiguous → neutral);
- the train split of the project's business mails (``models/datasets/intent_mails.jsonl``), one row
  per mail (its text; the dense part is the mean of its sentence embeddings), weighted ×3 so that the
  language of business mail counts next to 31,000 Reddit comments. Japanese comes only from these.

Settings: logistic regression, C = 4, balanced class weights (macro-F1 is the target; chosen among
C ∈ {1, 4} × {unweighted, balanced}, see the model card). Deterministic; about 5–10 minutes on 2 cores,
most of it the first embedding of the 43,410 comments (cached afterwards under ~/.cache/mailassist).

    python -m models.emotion.train [--shared ../shared/data] [--sentiment | --emotion]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from models.emotion.data import read_goemotions, read_sentiment, single_emotion
from models.heads.fit import fit_head
from models.heads.linear import LinearHead
from models.intent.data import read_mails
from models.train.embeddings import embed_cached
from models.train.mails import mail_vectors
from nlp.classify.labels import EMOTIONS, SENTIMENTS

__all__ = ["train", "train_emotion", "train_sentiment", "fit_with_mails", "EMOTION_WEIGHTS", "SENTIMENT_WEIGHTS", "VERSION"]

VERSION = "2026-11-27"
WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
EMOTION_WEIGHTS = WEIGHTS_DIR / "emotion.npz"
SENTIMENT_WEIGHTS = WEIGHTS_DIR / "sentiment.npz"
MAIL_WEIGHT = 3.0
# The shipped emotion and sentiment heads were trained with the mean of up to 12 embedded sentences per
# mail row (the embed stage's cap at the time); kept so that `mailassist train emotion` reproduces them.
MAIL_SENTENCES = 12
C = 4.0


def _mail_rows(label_of, encoder=None) -> tuple[list[str], np.ndarray, np.ndarray]:
    mails = read_mails(splits=("train",))
    vecs = mail_vectors([m.text for m in mails], max_sentences=MAIL_SENTENCES, encoder=encoder)
    texts = [m.text for m in mails]
    dense = np.stack([v.mean() for v in vecs]) if mails else np.zeros((0, 384), dtype=np.float32)
    y = np.array([label_of(m) for m in mails], dtype=np.int64)
    return texts, dense, y


def fit_with_mails(name: str, labels, g_texts, g_dense: np.ndarray, g_y: np.ndarray, mail_label, *,
                   data_key: str, encoder=None) -> LinearHead:
    """A softmax head on the comments whose label is known (``g_y`` >= 0) and the train mails (×3).

    ``g_dense``: the comments' vectors; ``encoder``: the mails' sentence encoder when it is not the
    pipeline's (``mailassist eval encoders`` trains the same recipe on other vectors)."""
    keep = np.flatnonzero(g_y >= 0)
    m_texts, m_dense, m_y = _mail_rows(mail_label, encoder)
    texts = [g_texts[i] for i in keep] + m_texts
    dense = np.concatenate([g_dense[keep], m_dense])
    y = np.concatenate([g_y[keep], m_y])
    weights = np.concatenate([np.ones(len(keep)), np.full(len(m_y), MAIL_WEIGHT)])
    meta = {"version": VERSION, "data": {data_key: int(len(keep)), "mails_train": len(m_y)},
            "c": C, "class_weight": "balanced", "mail_weight": MAIL_WEIGHT}
    return fit_head(name, labels, "softmax", texts, dense, y, c=C, class_weight="balanced",
                    sample_weight=weights, meta=meta)


def train_emotion(shared_data_dir: Path | str, *, path: Path = EMOTION_WEIGHTS) -> Path:
    start = time.time()
    g_texts, g_labels = read_goemotions(Path(shared_data_dir), "train")
    head = fit_with_mails("emotion", EMOTIONS, g_texts, embed_cached(g_texts), single_emotion(g_labels),
                          lambda m: EMOTIONS.index(m.emotion), data_key="goemotions_train_single_label")
    out = head.save(path)
    print(f"emotion head: {_rows(head)} rows, {time.time() - start:.0f} s -> {out}")
    return out


def train_sentiment(shared_data_dir: Path | str, *, path: Path = SENTIMENT_WEIGHTS) -> Path:
    start = time.time()
    g_texts, g_y = read_sentiment(Path(shared_data_dir), "train")
    head = fit_with_mails("sentiment", SENTIMENTS, g_texts, embed_cached(g_texts), g_y,
                          lambda m: SENTIMENTS.index(m.sentiment), data_key="goemotions_train_single_group")
    out = head.save(path)
    print(f"sentiment head: {_rows(head)} rows, {time.time() - start:.0f} s -> {out}")
    return out


def _rows(head: LinearHead) -> int:
    return sum(head.meta["data"].values())


def train(shared_data_dir: Path | str) -> Path:
    """Both heads (``mailassist train emotion``)."""
    train_emotion(shared_data_dir)
    train_sentiment(shared_data_dir)
    return WEIGHTS_DIR


def main() -> None:
    root = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=root.parent / "shared" / "data")
    parser.add_argument("--sentiment", action="store_true", help="train the sentiment head only")
    parser.add_argument("--emotion", action="store_true", help="train the emotion head only")
    args = parser.parse_args()
    (train_sentiment if args.sentiment else train_emotion if args.emotion else train)(args.shared)


if __name__ == "__main__":
    main()
