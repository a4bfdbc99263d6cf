"""One mail per call, as the analysis API sees it: the whole pipeline's latency, fp32 against int8 encoder.

Takes ``--count`` SpamAssassin mails (from ``--skip`` on), warms each pipeline up on ten others, then
analyses each mail alone (a batch of one) and prints the median and the 90th percentile. Both encoder
settings run in the same process, one after the other, so that the machine's drift touches both.

    .venv/bin/python bench/latency.py [--shared ../shared/data] [--count 60] [--skip 100]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import cpu_model  # noqa: E402
from bench.pipeline import corpus  # noqa: E402
from nlp.pipeline import Pipeline  # noqa: E402


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path,
                        default=Path(os.environ.get("MAILASSIST_SHARED_DATA_DIR")
                                     or root.parent / "shared" / "data"))
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--skip", type=int, default=100)
    args = parser.parse_args()
    if not (args.shared / "corpus" / "spamassassin").is_dir():
        sys.exit(f"no SpamAssassin corpus under {args.shared}")
    inputs = corpus(args.shared, args.skip + args.count + 10)
    warm, timed = inputs[:10], inputs[args.skip:args.skip + args.count]
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores; {len(timed)} mails, one per call")
    for quantize in ("none", "int8"):
        pipeline = Pipeline.from_config(overrides={"embed": {"quantize": quantize}})
        list(pipeline.pipe(warm))
        seconds = []
        for message in timed:
            start = time.perf_counter()
            list(pipeline.pipe([message], batch_size=1))
            seconds.append(time.perf_counter() - start)
        seconds.sort()
        name = "fp32" if quantize == "none" else quantize
        print(f"encoder {name}: median {statistics.median(seconds) * 1e3:.1f} ms, "
              f"p90 {seconds[int(0.9 * len(seconds))] * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
