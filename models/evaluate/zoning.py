"""``mailassist eval zoning``: the zoning against gold fixtures, Quagga and two baselines.

"ours" is what ``mailassist analyze`` returns: the zones after the zone stage and the signature stage,
which makes them agree with the signature block it finds (:mod:`nlp.signature.agree`); "zone stage"
is the zoning model and its rules alone (:class:`nlp.zoning.zoner.Zoner`).

Printed and returned (``main(settings, console) -> dict``):
- replies fixtures (``models/datasets/replies_gold.jsonl``; train and holdout splits apart): exact
  match of the new text after folding whitespace, for us, talon and email-reply-parser; for the txt
  fixtures (line zones known) our line accuracy and per-zone precision/recall/F1;
- Quagga Enron and ASF train sets (measure-only, GPL-3.0): line accuracy and per-class P/R/F1 over
  {new, signature, other}; our zones map greeting/new_text/closing -> new, signature -> signature,
  the rest -> other; a baseline's kept lines are matched back to the body lines in order.

The baselines run in ``.venv-eval`` (``python3.11 -m venv .venv-eval && .venv-eval/bin/pip install
talon email-reply-parser``) through ``models/evaluate/_baselines.py`` in a subprocess; without it the
report says so and shows our numbers only.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

from models.evaluate.zoning_data import QUAGGA_SETS, gold_body, read_quagga
from models.zoning.data import read_gold
from nlp.zoning.labels import NEW_TEXT_ZONES, ZONES
from nlp.zoning.zoner import Zoner, Zoning

__all__ = ["main", "fold", "prf", "align_kept", "EVAL_VENV"]

REPO = Path(__file__).resolve().parents[2]
EVAL_VENV = REPO / ".venv-eval"
BASELINE_SCRIPT = Path(__file__).with_name("_baselines.py")
QUAGGA_CLASSES = ("new", "signature", "other")


def fold(text: str | None) -> str:
    return " ".join((text or "").split())


def prf(gold: list[str], pred: list[str], classes: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """Per-class precision, recall, F1 and support over aligned label lists."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred):
        if g == p:
            tp[g] += 1
        else:
            fp[p] += 1
            fn[g] += 1
    out: dict[str, dict[str, float]] = {}
    for c in classes:
        p = tp[c] / (tp[c] + fp[c]) if tp[c] + fp[c] else 0.0
        r = tp[c] / (tp[c] + fn[c]) if tp[c] + fn[c] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[c] = {"precision": p, "recall": r, "f1": f, "support": tp[c] + fn[c]}
    return out


def align_kept(lines: list[str], kept: str | None, label: str, into: list[str | None]) -> None:
    """Mark with ``label`` the body lines a baseline kept (``kept``), matched in order."""
    if not kept:
        return
    j = 0
    n = len(lines)
    stripped = [line.strip() for line in lines]
    for piece in kept.split("\n"):
        k = piece.strip()
        if not k:
            continue
        for i in range(j, n):
            if into[i] is None and stripped[i] == k:
                into[i] = label
                j = i + 1
                break


def baseline_lines(lines: list[str], out: dict | str | None, kind: str) -> list[str]:
    """{new, signature, other} per body line from a baseline's output; blank lines follow the line above."""
    marks: list[str | None] = [None] * len(lines)
    if kind == "talon" and isinstance(out, dict):
        align_kept(lines, out.get("text"), "new", marks)
        align_kept(lines, out.get("signature"), "signature", marks)
    elif isinstance(out, str):
        align_kept(lines, out, "new", marks)
    labels: list[str] = []
    prev = None
    for line, m in zip(lines, marks):
        if not line.strip():
            labels.append(prev or "other")
            continue
        prev = m or "other"
        labels.append(prev)
    # Leading blank lines take the class of the first non-blank line.
    first = next((lab for line, lab in zip(lines, labels) if line.strip()), "other")
    for i, line in enumerate(lines):
        if line.strip():
            break
        labels[i] = first
    return labels


def run_baselines(bodies: list[str]) -> dict[str, Any] | None:
    python = EVAL_VENV / "bin" / "python"
    if not python.exists():
        return None
    proc = subprocess.run([str(python), str(BASELINE_SCRIPT)], input=json.dumps({"bodies": bodies}),
                          capture_output=True, text=True, timeout=3600, check=False)
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:]}
    return json.loads(proc.stdout)


def pipeline_zonings(bodies: list[str], stage: list[Zoning]) -> tuple[list[Zoning], int]:
    """The zones ``analyze`` returns for each body: the pipeline up to the signature stage, run on the
    body as a plain-text message. Where the parse stage changed the text (so its lines no longer match
    the gold's), the zone stage's own result is kept; how many is returned beside."""
    from nlp.pipeline import MessageInput, Pipeline

    full = Pipeline.from_config()
    keep = {"parse", "zone", "language", "signature"}
    pipeline = Pipeline.from_config(disable=[n for n in full.names if n not in keep])
    out: list[Zoning] = []
    unaligned = 0
    docs = pipeline.pipe([MessageInput(id=str(i), text=b) for i, b in enumerate(bodies)])
    for body, doc, own in zip(bodies, docs, stage):
        zones = doc.get("zones")
        if doc.get("body") != body or zones is None or len(zones) != len(own.lines):
            unaligned += 1
            out.append(own)
            continue
        out.append(Zoning(lines=own.lines, zones=list(zones), confidence=list(doc.get("line_confidence"))))
    return out, unaligned


def _quagga_ours(zones: list[str]) -> list[str]:
    return ["new" if z in NEW_TEXT_ZONES else "signature" if z == "signature" else "other" for z in zones]


def main(settings: Any, console: Any) -> dict:
    shared = Path(settings.shared_data_dir)
    started = time.perf_counter()
    zoner = Zoner()
    metrics: dict[str, Any] = {"model_version": zoner.model.version}

    # --- inputs ----------------------------------------------------------------------------------
    gold = read_gold(shared, splits=("train", "holdout"))
    gold_bodies: list[str] = []
    sources: Counter = Counter()
    for item in gold:
        body, source = gold_body(item)
        gold_bodies.append(body)
        sources[source] += 1
    quagga = {name: read_quagga(shared, name) for name in QUAGGA_SETS}
    if not gold and not any(quagga.values()):
        console.print(f"[red]no evaluation data under {shared}[/red]")
        return {"error": f"no data under {shared}"}

    stage_gold = zoner.pipe(gold_bodies)
    stage_quagga = {name: zoner.pipe([m.text for m in msgs]) for name, msgs in quagga.items()}
    ours_gold, unaligned = pipeline_zonings(gold_bodies, stage_gold)
    ours_quagga = {}
    for name, msgs in quagga.items():
        ours_quagga[name], n = pipeline_zonings([m.text for m in msgs], stage_quagga[name])
        unaligned += n
    metrics["unaligned"] = unaligned
    all_bodies = gold_bodies + [m.text for msgs in quagga.values() for m in msgs]
    console.print(f"zoning model {zoner.model.version}; {len(gold)} gold fixtures "
                  f"({', '.join(f'{k}: {v}' for k, v in sorted(sources.items()))}), "
                  + ", ".join(f"{name}: {len(msgs)}" for name, msgs in quagga.items()))
    console.print("running baselines in .venv-eval ...")
    base = run_baselines(all_bodies)
    if base is None:
        console.print(f"[yellow]no {EVAL_VENV}: baselines skipped[/yellow]")
    elif "error" in base:
        console.print(f"[red]baselines failed:[/red] {base['error']}")
        base = None
    else:
        metrics["baseline_versions"] = base["versions"]
    names = ["ours", "zone stage"] + (["talon", "email-reply-parser"] if base else [])

    # --- replies fixtures ------------------------------------------------------------------------
    metrics["replies"] = {}
    for split in ("train", "holdout"):
        idx = [i for i, g in enumerate(gold) if g.split == split]
        exact = {n: 0 for n in names}
        misses: list[str] = []
        for i in idx:
            want = fold(gold[i].new_text)
            got = {"ours": fold(ours_gold[i].new_text), "zone stage": fold(stage_gold[i].new_text)}
            if base:
                t = base["talon"][i]
                got["talon"] = fold(t["text"]) if t else None
                got["email-reply-parser"] = fold(base["erp"][i])
            for n in names:
                exact[n] += got[n] == want
            if got["ours"] != want:
                misses.append(gold[i].id)
        txt = [i for i in idx if gold[i].labels is not None]
        gl = [z for i in txt for z in gold[i].labels]
        pl = [z for i in txt for z in ours_gold[i].zones]
        line_acc = sum(a == b for a, b in zip(gl, pl)) / max(len(gl), 1)
        metrics["replies"][split] = {
            "fixtures": len(idx),
            "exact_match": {n: exact[n] / max(len(idx), 1) for n in names},
            "exact_count": exact,
            "txt_fixtures": len(txt),
            "line_accuracy": line_acc,
            "per_zone": prf(gl, pl, ZONES),
            "misses": misses,
        }

    # --- Quagga ----------------------------------------------------------------------------------
    metrics["quagga"] = {}
    offset = len(gold_bodies)
    for name, msgs in quagga.items():
        gl: list[str] = []
        preds: dict[str, list[str]] = {n: [] for n in names}
        for k, msg in enumerate(msgs):
            lines = msg.text.split("\n")
            gl += msg.labels
            preds["ours"] += _quagga_ours(ours_quagga[name][k].zones)
            preds["zone stage"] += _quagga_ours(stage_quagga[name][k].zones)
            if base:
                preds["talon"] += baseline_lines(lines, base["talon"][offset + k], "talon")
                preds["email-reply-parser"] += baseline_lines(lines, base["erp"][offset + k], "erp")
        offset += len(msgs)
        metrics["quagga"][name] = {
            "messages": len(msgs),
            "lines": len(gl),
            "double_encoded_kept": sum(m.double_encoded for m in msgs),
            **{n: {"line_accuracy": sum(a == b for a, b in zip(gl, preds[n])) / max(len(gl), 1),
                   "per_class": prf(gl, preds[n], QUAGGA_CLASSES)} for n in names},
        }
    metrics["seconds"] = round(time.perf_counter() - started, 1)
    _report(console, metrics, names)
    return metrics


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def _report(console: Any, m: dict, names: list[str]) -> None:
    from rich.table import Table

    t = Table(title="Replies fixtures: exact match of the new text (whitespace folded)")
    t.add_column("split")
    t.add_column("fixtures", justify="right")
    for n in names:
        t.add_column(n, justify="right")
    for split, r in m["replies"].items():
        t.add_row(split, str(r["fixtures"]),
                  *(f"{_pct(r['exact_match'][n])} % ({r['exact_count'][n]})" for n in names))
    console.print(t)

    for split, r in m["replies"].items():
        z = Table(title=f"Replies {split}, txt fixtures ({r['txt_fixtures']}): line accuracy "
                        f"{_pct(r['line_accuracy'])} %, per zone (ours)")
        for col in ("zone", "precision", "recall", "F1", "lines"):
            z.add_column(col, justify="right" if col != "zone" else "left")
        for zone, s in r["per_zone"].items():
            if s["support"] or s["precision"]:
                z.add_row(zone, _pct(s["precision"]), _pct(s["recall"]), _pct(s["f1"]), str(s["support"]))
        console.print(z)
        if r["misses"]:
            console.print(f"  {split} new-text misses (ours): " + ", ".join(r["misses"]))

    for name, q in m["quagga"].items():
        title = (f"{name}: {q['messages']} messages, {q['lines']} lines"
                 + (f" ({q['double_encoded_kept']} double-encoded files kept)"
                    if q["double_encoded_kept"] else ""))
        t = Table(title=title)
        t.add_column("system")
        t.add_column("line acc.", justify="right")
        for c in QUAGGA_CLASSES:
            t.add_column(f"{c} P/R/F1", justify="right")
        for n in names:
            s = q[n]
            t.add_row(n, _pct(s["line_accuracy"]),
                      *(" / ".join(_pct(s["per_class"][c][k]) for k in ("precision", "recall", "f1"))
                        for c in QUAGGA_CLASSES))
        console.print(t)
    if m.get("unaligned"):
        console.print(f"{m['unaligned']} bodies changed by the parse stage: zone stage's zones used for them")
    console.print(f"evaluated in {m['seconds']} s")
