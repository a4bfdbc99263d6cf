"""Whole-pipeline speed on the SpamAssassin corpus, and the bare encoder over the same sentences.

Runs the default pipeline (every stage of ``nlp/default_pipeline.toml``) over the corpus in batches, in one
process, recording every list of sentences the "embed" stage hands to the encoder. Then, in the same run,
the bare encoder embeds exactly those lists again (same batches, same settings) with nothing else around
it. Prints messages/s of the pipeline, the encoder's share, the ratio pipeline time / encoder time, the
triage counts, and the per-stage seconds. Corpus reading happens before the timing.

    .venv/bin/python bench/pipeline.py [--shared ../shared/data] [--limit N] [--batch 64] [--backend onnx]
                                       [--rounds 3] [--sequential]

The pipeline overlaps the encoder with the other stages (``Pipeline.pipe``); ``--sequential`` runs the
batches one after the other, for comparison.

``--backend`` overrides the embed component's ``backend = "auto"`` (through ``MAILASSIST_ENCODER_BACKEND``)
so that torch and ONNX Runtime can be compared on the same machine, one run after the other.

Targets (issue 6): ≥ 40 messages/s, and pipeline time ≤ 1.5 × the bare encoder over the same sentences.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import cpu_model  # noqa: E402

from nlp.pipeline import MessageInput, Pipeline  # noqa: E402


# A Japanese mail whose signature name (no space, no display name in From) only GiNZA can read.
WARM_UP_JA = MessageInput(id="warm-up-ja", raw=(
    "From: yamada@sample.co.jp\nTo: sales@example.com\nSubject: =?UTF-8?B?5om/6KqN?=\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
    "お世話になっております。\n見積書をご確認ください。\n\n"
    "--\n株式会社サンプル 営業部\n山田太郎\nTEL: 03-1234-5678\n").encode())
# A French mail with a date: the activities stage reads languages without rules through dateparser, which
# builds its time-zone tables and loads the language on first use (about 1.5 s, once per process).
WARM_UP_FR = MessageInput(id="warm-up-fr", raw=(
    "From: claire@exemple.fr\nTo: sales@example.com\nSubject: Rendez-vous\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
    "Bonjour,\n\nPouvons-nous organiser une réunion jeudi 14 janvier à 15h pour parler du devis ?\n\nCordialement,\nClaire\n"
).encode())


def corpus(shared: Path, limit: int | None) -> list[MessageInput]:
    root = shared / "corpus" / "spamassassin"
    files = sorted(p for folder in ("easy_ham", "spam") for p in (root / folder).iterdir()
                   if p.is_file() and not p.name.startswith(("cmds", ".")))
    inputs = [MessageInput(id=str(p.relative_to(root)), raw=p.read_bytes()) for p in files]
    return inputs[:limit] if limit else inputs


def clear_text_caches() -> None:
    """Forget the per-text caches, so that each round (and the warm-up's lines, which are part of the
    corpus) is timed on text the pipeline has not seen. Compiled patterns and loaded models stay."""
    from nlp.classify import features
    from nlp.parsing import envelope
    from nlp.signature import names
    from nlp.zoning.features import clear_line_cache

    clear_line_cache()
    for cached in (features._known_ids_of, features._cue_row, envelope._cached_addresses,
                   names.probably_person):
        cached.cache_clear()


def main() -> None:
    import torch

    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path,
                        default=Path(os.environ.get("MAILASSIST_SHARED_DATA_DIR") or root.parent / "shared" / "data"))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3, help="pipeline + bare encoder rounds (median shown)")
    parser.add_argument("--sequential", action="store_true",
                        help="run the batches one after the other instead of overlapping the encoder")
    parser.add_argument("--backend", choices=("auto", "onnx", "torch"), default=None,
                        help="encoder backend (default: the pipeline option)")
    args = parser.parse_args()
    if args.backend:
        os.environ["MAILASSIST_ENCODER_BACKEND"] = args.backend
    if not (args.shared / "corpus" / "spamassassin").is_dir():
        sys.exit(f"no SpamAssassin corpus under {args.shared}")
    inputs = corpus(args.shared, args.limit)

    pipeline = Pipeline.from_config()
    encoder = next(stage.run for stage in pipeline.stages if stage.name == "embed").encoder()
    # warm-up outside the timing: loads every model and head, GiNZA included (the signature stage loads
    # it on the first Japanese name its rules cannot read; a service pays that once, not per batch), and
    # dateparser's tables
    list(pipeline.pipe(inputs[:32] + [WARM_UP_JA, WARM_UP_FR], batch_size=args.batch))
    original = encoder.submit
    rounds: list[tuple[float, float]] = []
    cpu: list[tuple[float, float]] = []  # process CPU seconds of the same two runs
    for _ in range(args.rounds):
        # each round: the pipeline, then the bare encoder right after it, so that the ratio compares
        # two runs minutes apart at most (this machine's speed drifts by tens of percent)
        for stage in pipeline.stages:
            stage.seconds = 0.0
        clear_text_caches()
        recorded: list[list[str]] = []

        def recording(texts):
            recorded.append(list(texts))
            return original(texts)

        encoder.submit = recording  # type: ignore[method-assign]  # what the embed stage calls
        start, cpu_start = time.perf_counter(), time.process_time()
        docs = list(pipeline.pipe(inputs, batch_size=args.batch, overlap=not args.sequential))
        pipeline_s, pipeline_cpu = time.perf_counter() - start, time.process_time() - cpu_start
        del encoder.submit  # the class's own again

        start, cpu_start = time.perf_counter(), time.process_time()
        for texts in recorded:
            encoder.encode(texts)
        rounds.append((pipeline_s, time.perf_counter() - start))
        cpu.append((pipeline_cpu, time.process_time() - cpu_start))
        bare_s = rounds[-1][1]
        print(f"round {len(rounds)}: pipeline {pipeline_s:.2f} s = {len(docs) / pipeline_s:.1f} messages/s, "
              f"bare encoder {bare_s:.2f} s, ratio {pipeline_s / max(bare_s, 1e-9):.2f}; CPU time ratio "
              f"{pipeline_cpu / max(cpu[-1][1], 1e-9):.2f}", flush=True)
    pipeline_s = statistics.median(p for p, _ in rounds)
    encoder_s = statistics.median(e for _, e in rounds)
    ratio = statistics.median(p / max(e, 1e-9) for p, e in rounds)
    cpu_ratio = statistics.median(p / max(e, 1e-9) for p, e in cpu)

    triage = Counter((d.out.get("triage") or {}).get("reason") or "embedded" for d in docs)
    n_sent = sum(len(t) for t in recorded)
    errors = sum(1 for d in docs if d.errors)
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, torch threads {torch.get_num_threads()}, "
          f"Python {platform.python_version()}, torch {torch.__version__}, encoder {encoder.backend} "
          f"{encoder.dtype} threads {encoder.threads or 'default'} max_tokens {encoder.max_tokens}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"messages: {len(docs)} ({errors} with a stage error); triage: {dict(triage)}")
    mode = "batch after batch" if args.sequential else "encoder overlapped with the other stages"
    print(f"pipeline ({mode}), median of {len(rounds)} rounds: {pipeline_s:.2f} s = "
          f"{len(docs) / pipeline_s:.1f} messages/s (target >= 40)")
    print(f"bare encoder over the same {n_sent} sentences ({len(recorded)} calls): {encoder_s:.2f} s = "
          f"{n_sent / max(encoder_s, 1e-9):.0f} sentences/s")
    print(f"ratio pipeline / bare encoder, median of the rounds' ratios: {ratio:.2f} (target <= 1.5)")
    print(f"the same by process CPU time (less moved by the machine's drift; with every core busy, the "
          f"wall-clock ratio's floor): {cpu_ratio:.2f}")
    print("stage seconds, last round (overlapped, the embed stage counts only the wait for its vectors): "
          + ", ".join(f"{k} {v:.2f}" for k, v in pipeline.timings().items()))


if __name__ == "__main__":
    main()
