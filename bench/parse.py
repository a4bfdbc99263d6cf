"""Parse-stage speed and memory on the SpamAssassin corpus, next to mail-parser and flanker.

    .venv/bin/python bench/parse.py [--rounds 3] [--data DIR] [--eval-python .venv-eval/bin/python]

Each parser runs in its own subprocess on the same 3,000 messages (already read into memory, so disk
time is not counted), round after round in turn, so that a busy machine slows them alike; the best
round is reported. "ours" is the pipeline's "parse" component (batches of 64, as Pipeline.pipe runs it);
"ours: parse_raw" is the parser without the component's JSON output. mail-parser and flanker are not
product dependencies: they run with the evaluation environment's Python (.venv-eval, see below).
Memory: the tracemalloc peak while parsing the corpus one message at a time (a separate, untimed pass),
and the worker process's peak RSS (interpreter, libraries and the 3,000 raw messages included).

The evaluation environment:
    python3.11 -m venv .venv-eval && .venv-eval/bin/pip install mail-parser flanker six
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORKERS = ("ours", "ours-parse-raw", "ours-parse-zone", "mail-parser", "flanker")
LABELS = {"ours": "ours (parse component)", "ours-parse-raw": "ours: parse_raw",
          "ours-parse-zone": "ours: parse + zone", "mail-parser": "mail-parser",
          "flanker": "flanker"}


# --- worker side: runs inside the chosen interpreter, prints one JSON line --------------------------------
def _load_parser(name: str):
    if name in ("ours", "ours-parse-raw", "ours-parse-zone"):
        sys.path.insert(0, str(REPO))
        from nlp.parsing.parse import parse_raw

        if name == "ours-parse-raw":
            return parse_raw, None
        from nlp.parsing.component import make_parser
        from nlp.pipeline import Doc, MessageInput

        stages = [make_parser()]
        if name == "ours-parse-zone":  # issue 4: the first two stages together, as the pipeline runs them
            from nlp.zoning.component import make_zone

            stages.append(make_zone())

        def component_batch(raws: list[bytes]) -> int:
            docs = [Doc(MessageInput(raw=raw)) for raw in raws]
            for stage in stages:
                stage(docs)
            # The component never raises: a parser bug shows as this problem instead.
            return sum(any(p.startswith("parser failed") for p in d.out["parse_problems"]) for d in docs)

        return None, component_batch
    if name == "mail-parser":
        import mailparser

        return mailparser.parse_from_bytes, None
    if name == "flanker":
        import logging

        logging.disable(logging.WARNING)  # flanker logs every MIME defect it meets
        from flanker import mime

        def flanker_parse(raw: bytes):
            message = mime.from_string(raw)
            # flanker parses lazily: walking the parts and reading the text bodies is the comparable work.
            for part in message.walk(with_self=True):
                if part.content_type.main == "text":
                    part.body  # noqa: B018 - decoding happens on access
            return message

        return flanker_parse, None
    raise SystemExit(f"unknown parser {name!r}")


def _worker(name: str, files: list[str], memory: bool) -> None:
    raws = [Path(f).read_bytes() for f in files]
    one, batch = _load_parser(name)
    errors = 0

    def run_all() -> None:
        nonlocal errors
        errors = 0
        if batch is not None:
            for start in range(0, len(raws), 64):
                errors += batch(raws[start:start + 64])
            return
        for raw in raws:
            try:
                one(raw)
            except Exception:  # noqa: BLE001 - a parser that raises on a message: counted, run goes on
                errors += 1

    run_all()  # warm-up: imports, caches
    if name == "ours-parse-zone":
        from nlp.zoning.features import clear_line_cache

        clear_line_cache()  # the timed run reads the corpus as unseen mail, not lines the warm-up saw
    wall, cpu = time.perf_counter(), time.process_time()
    run_all()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = None
    if memory:
        tracemalloc.start()
        if batch is not None:
            for raw in raws:
                batch([raw])
        else:
            for raw in raws:
                try:
                    one(raw)
                except Exception:  # noqa: BLE001, S110 - counted in the timed pass already
                    pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"name": name, "messages": len(raws), "bytes": sum(map(len, raws)), "wall": wall,
                      "cpu": cpu, "errors": errors, "tracemalloc_peak": peak, "maxrss_kb": maxrss_kb}))


# --- driver side ---------------------------------------------------------------------------------------
def _machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{model}, {os.cpu_count()} cores, Python {platform.python_version()} ({platform.system()} "
            f"{platform.release()}), load average {load}")


def _run_worker(python: str, name: str, listing: Path, memory: bool) -> dict | None:
    cmd = [python, str(Path(__file__).resolve()), "--worker", name, "--files", str(listing)]
    if memory:
        cmd.append("--memory")
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, check=False)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        print(f"  {name}: failed ({proc.returncode}): {' | '.join(tail)}")
        return None
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker", choices=WORKERS, help=argparse.SUPPRESS)
    parser.add_argument("--files", help=argparse.SUPPRESS)
    parser.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", type=Path, default=None, help="the public data folder (default: settings)")
    parser.add_argument("--eval-python", default=str(REPO / ".venv-eval" / "bin" / "python"))
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker, Path(args.files).read_text().splitlines(), args.memory)
        return

    sys.path.insert(0, str(REPO))
    from assistant.settings import Settings

    data = args.data or Settings().shared_data_dir
    corpus = data / "corpus" / "spamassassin"
    files = sorted(str(p) for p in corpus.glob("*/*") if p.is_file())
    if not files:
        raise SystemExit(f"no messages under {corpus}: set MAILASSIST_SHARED_DATA_DIR or --data")
    listing = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-parse-files-{os.getpid()}.txt"
    listing.write_text("\n".join(files))
    pythons = {"ours": sys.executable, "ours-parse-raw": sys.executable, "ours-parse-zone": sys.executable,
               "mail-parser": args.eval_python, "flanker": args.eval_python}
    if not Path(args.eval_python).exists():
        print(f"note: {args.eval_python} not found; mail-parser and flanker are skipped")
        pythons = {k: v for k, v in pythons.items() if k.startswith("ours")}

    print(f"machine: {_machine()}")
    print(f"corpus: {len(files)} messages, {sum(os.path.getsize(f) for f in files) / 1e6:.1f} MB ({corpus})")
    print(f"rounds: {args.rounds} (each parser in turn, best round kept)\n")
    best: dict[str, dict] = {}
    memory: dict[str, dict] = {}
    try:
        for round_number in range(args.rounds):
            for name, python in pythons.items():
                result = _run_worker(python, name, listing, memory=round_number == 0)
                if result is None:
                    continue
                if round_number == 0:  # the memory pass runs in the first round only
                    memory[name] = {key: result[key] for key in ("tracemalloc_peak", "maxrss_kb")}
                if name not in best or result["cpu"] < best[name]["cpu"]:
                    best[name] = result
    finally:
        listing.unlink(missing_ok=True)

    print(f"{'parser':26s} {'msg/s (cpu)':>12s} {'msg/s (wall)':>13s} {'errors':>7s} "
          f"{'tracemalloc peak':>17s} {'peak RSS':>9s}")
    for name, r in best.items():
        mem = memory.get(name, {})
        peak = f"{mem['tracemalloc_peak'] / 1e6:.1f} MB" if mem.get("tracemalloc_peak") else "-"
        rss = f"{mem['maxrss_kb'] / 1024:.0f} MB" if mem.get("maxrss_kb") else "-"
        print(f"{LABELS[name]:26s} {r['messages'] / r['cpu']:12,.0f} {r['messages'] / r['wall']:13,.0f} "
              f"{r['errors']:7d} {peak:>17s} {rss:>9s}")
    if "ours" in best:
        ours = best["ours"]["messages"] / best["ours"]["cpu"]
        for other in ("mail-parser", "flanker"):
            if other in best:
                ratio = ours / (best[other]["messages"] / best[other]["cpu"])
                print(f"ours / {other}: {ratio:.1f}x")
    if "ours-parse-zone" in best and "mail-parser" in best:
        both = best["ours-parse-zone"]["messages"] / best["ours-parse-zone"]["cpu"]
        ratio = both / (best["mail-parser"]["messages"] / best["mail-parser"]["cpu"])
        print(f"ours parse + zone: {both:,.0f} msg/s (target >= 1,000) = {ratio:.1f}x mail-parser's parsing alone")


if __name__ == "__main__":
    main()
