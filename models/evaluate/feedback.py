"""Accuracy on the reps' stored corrections (table ``feedback``), read from the configured database.

A row says what the assistant predicted and what the rep corrected it to (``target``: intent, emotion,
sentiment or priority). Both JSON values are read as a set of labels: a string, a list of strings or of
``{"label": …}`` objects, or one such object. A row counts as correct when the two sets are equal.
Nothing is written; a database without the table, or an empty one, prints "no feedback yet".
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

__all__ = ["label_set", "feedback_accuracy", "report_feedback"]


def label_set(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return frozenset([value])
        if isinstance(parsed, str):
            return frozenset([parsed])
        return label_set(parsed)
    if isinstance(value, dict):
        if "label" in value:
            return frozenset([str(value["label"])])
        if "labels" in value:
            return label_set(value["labels"])
        return frozenset(str(k) for k, v in value.items() if v)
    if isinstance(value, (list, tuple)):
        out: set[str] = set()
        for item in value:
            out |= label_set(item)
        return frozenset(out)
    return frozenset() if value is None else frozenset([str(value)])


def feedback_accuracy(rows, targets=None) -> dict[str, dict[str, float]]:
    """``rows``: (target, predicted, corrected) → {target: {"n", "correct", "accuracy"}}."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for target, predicted, corrected in rows:
        if targets and target not in targets:
            continue
        c = counts[target]
        c[0] += 1
        c[1] += int(label_set(predicted) == label_set(corrected))
    return {t: {"n": n, "correct": k, "accuracy": k / n if n else 0.0} for t, (n, k) in counts.items()}


def _rows(database_url: str):
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:" \
            and not Path(url.database).exists():
        return []  # never create an empty database file just to look
    engine = create_engine(database_url)
    try:
        if not inspect(engine).has_table("feedback"):
            return []
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text("SELECT target, predicted, corrected FROM feedback"))]
    finally:
        engine.dispose()


def report_feedback(settings: Any, console: Any, targets: tuple[str, ...]) -> dict[str, Any]:
    say = console.print if console is not None else print
    try:
        rows = _rows(settings.effective_database_url)
    except Exception as exc:  # no database configured or reachable: the offline evaluation still runs
        say(f"feedback: database not readable ({type(exc).__name__}); no feedback yet")
        return {}
    result = feedback_accuracy(rows, targets)
    if not result:
        say(f"feedback ({', '.join(targets)}): no feedback yet")
        return {}
    for target, r in sorted(result.items()):
        say(f"feedback {target}: accuracy {r['accuracy']:.3f} on {r['n']} corrections ({r['correct']} unchanged)")
    return result
