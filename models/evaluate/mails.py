"""Per-label precision/recall/F1 of the pipeline on the holdout third of the project's business mails.

Each mail of ``models/datasets/intent_mails.jsonl`` with ``split: holdout`` (never trained on) is built
into a message (its From, Subject and body) and run through the whole default pipeline; the labels it
returns are compared with the file's, per language. Competitor insights read the evaluation's admin
list (``models.intent.data.EVAL_COMPETITORS``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from email.message import EmailMessage
from functools import lru_cache
from typing import Any

__all__ = ["holdout_results", "holdout_tables", "per_label", "print_table"]


def _raw(mail) -> bytes:
    msg = EmailMessage()
    msg["From"] = mail.sender
    msg["To"] = "rep@example.com"
    msg["Subject"] = mail.subject
    msg["Date"] = "Thu, 26 Nov 2026 10:00:00 +0000"
    msg["Message-ID"] = f"<{mail.id}@eval.local>"
    msg.set_content(mail.text)
    return bytes(msg)


@lru_cache(maxsize=1)
def holdout_results() -> tuple[tuple[Any, dict[str, Any]], ...]:
    """(mail, analysis result) for every holdout mail, computed once per process."""
    from models.intent.data import EVAL_COMPETITORS, read_mails
    from nlp.pipeline import MessageInput, Pipeline

    mails = read_mails(splits=("holdout",))
    pipeline = Pipeline.from_config(overrides={"insights": {"competitors": list(EVAL_COMPETITORS)}})
    docs = list(pipeline.pipe([MessageInput(id=m.id, raw=_raw(m)) for m in mails]))
    return tuple((m, d.result()) for m, d in zip(mails, docs))


def per_label(pairs: Iterable[tuple[set[str], set[str]]], labels: Sequence[str]) -> dict[str, dict[str, float]]:
    """pairs of (gold, predicted) label sets → {label: {p, r, f1, support}} and "macro"."""
    pairs = list(pairs)
    out: dict[str, dict[str, float]] = {}
    for label in labels:
        tp = sum(1 for g, p in pairs if label in g and label in p)
        fp = sum(1 for g, p in pairs if label not in g and label in p)
        fn = sum(1 for g, p in pairs if label in g and label not in p)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[label] = {"p": prec, "r": rec, "f1": f1, "support": tp + fn}
    present = [v for v in out.values() if v["support"]]
    out["macro"] = {k: (sum(v[k] for v in present) / len(present) if present else 0.0) for k in ("p", "r", "f1")}
    out["macro"]["support"] = sum(v["support"] for v in present)
    return out


def print_table(say: Callable[[str], None], title: str, table: dict[str, dict[str, float]]) -> None:
    say(f"{title}")
    say(f"  {'label':<18} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}")
    for label, v in table.items():
        say(f"  {label:<18} {v['p']:6.3f} {v['r']:6.3f} {v['f1']:6.3f} {int(v['support']):4d}")


def holdout_tables(gold: Callable[[Any], set[str]], predicted: Callable[[dict], set[str]],
                   labels: Sequence[str]) -> dict[str, dict[str, dict[str, float]]]:
    results = holdout_results()
    tables = {}
    for lang in ("en", "ja"):
        pairs = [(gold(m), predicted(r)) for m, r in results if m.lang == lang]
        tables[lang] = per_label(pairs, labels)
    return tables
