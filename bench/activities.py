"""Activity detection speed: sentences/s of the "activities" stage alone.

Two inputs: the SpamAssassin corpus (text/plain bodies, split into sentences with the project's
splitter, at most 60 a message as the pipeline does, each with its Date header — all outside the
timing), and the project's labelled sentences repeated. The stage runs in batches as the pipeline
runs it; the best of ``--repeat`` runs is reported with the machine it ran on.

    .venv/bin/python bench/activities.py [--shared ../shared/data] [--batch 64] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import cpu_model  # noqa: E402

from models.evaluate.activities import load  # noqa: E402
from nlp.activities.component import make_activities  # noqa: E402
from nlp.pipeline import Doc, MessageInput  # noqa: E402
from nlp.sentences import split_sentences  # noqa: E402

MAX_SENTENCES = 60


def plain_message(raw: bytes):
    msg = message_from_bytes(raw, policy=policy.compat32)
    try:
        date = parsedate_to_datetime(msg.get("Date", "")) if msg.get("Date") else None
    except (TypeError, ValueError, IndexError):
        date = None
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset() or "latin-1"
            try:
                text = payload.decode(charset, errors="replace")
            except LookupError:
                text = payload.decode("latin-1")
            return text.replace("\r\n", "\n").replace("\r", "\n"), date
    return None, date


def make_docs(items) -> list[Doc]:
    docs = []
    for i, (sentences, date, language) in enumerate(items):
        doc = Doc(MessageInput(id=str(i)))
        doc["sentences"] = sentences
        doc["reference_date"] = date
        doc["language"] = language
        doc.out["calendar"] = []
        docs.append(doc)
    return docs


def timed(items, batch: int, repeat: int) -> tuple[float, int]:
    run = make_activities()
    best, found = float("inf"), 0
    for _ in range(repeat):
        docs = make_docs(items)
        start = time.perf_counter()
        for i in range(0, len(docs), batch):
            run(docs[i : i + batch])
        best = min(best, time.perf_counter() - start)
        found = sum(len(d.out["activities"]) for d in docs)
    return best, found


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=root.parent / "shared" / "data")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"machine: {cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()}"
    )

    corpus = args.shared / "corpus" / "spamassassin"
    if corpus.is_dir():
        items = []
        for path in sorted(p for p in corpus.glob("*/*") if p.is_file()):
            text, date = plain_message(path.read_bytes())
            if text:
                items.append((split_sentences(text)[:MAX_SENTENCES], date, "en"))
        sentences = sum(len(s) for s, _, _ in items)
        make_activities()(make_docs(items[:32]))  # warm-up (imports, lazy phonenumbers metadata)
        seconds, found = timed(items, args.batch, args.repeat)
        print(
            f"spamassassin: {len(items)} messages, {sentences} sentences (≤{MAX_SENTENCES}/message), "
            f"best of {args.repeat}: {seconds:.3f}s  {sentences / seconds:,.0f} sentences/s  "
            f"{len(items) / seconds:,.0f} messages/s  ({found} activities found)"
        )
    else:
        print(f"spamassassin: no corpus at {corpus}, skipped")

    rows = load("en") + load("ja") + load("de")
    items = [(split_sentences(r["text"]), parsedate_to_datetime(r["date"]), r["lang"]) for r in rows] * 20
    sentences = sum(len(s) for s, _, _ in items)
    seconds, found = timed(items, args.batch, args.repeat)
    print(
        f"labelled set x20: {sentences} sentences, best of {args.repeat}: {seconds:.3f}s  "
        f"{sentences / seconds:,.0f} sentences/s  ({found} activities)"
    )


if __name__ == "__main__":
    main()
