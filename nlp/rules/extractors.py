"""Extractors: where in a mail a field's value is, each returning the value and the evidence it came from.

Every extractor is linear in the mail (plain string scanning), except admin-written regexes, which run
under the rule's time budget (:mod:`nlp.rules.safe_regex`).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from nlp.rules.definition import (BetweenExtractor, CsvExtractor, HtmlTableExtractor, JsonExtractor,
                                  LabelExtractor, MessageExtractor, RegexExtractor, RuleError, SignatureExtractor)
from nlp.rules.html_tables import norm_label
from nlp.rules.mailview import MailView
from nlp.rules.safe_regex import Budget, compile_pattern, search

__all__ = ["Found", "LabelLine", "extract", "split_label_line", "label_lines", "parse_json_path", "json_at",
           "csv_rows", "MAX_LABEL_CHARS"]

MAX_LABEL_CHARS = 60  # a label is short; "Note: see below" deep in a paragraph is not one
MAX_MULTILINE = 200  # lines a multi-line value may span
MAX_LABEL_LINES = 20_000  # lines searched for labels (a form's fields come long before that)
# Separators between a label and its value (ASCII and full-width forms).
_SEPARATORS = (":", "：", "=", "＝", "|", "｜", "\t")
# Bullets and marks forms put before a label.
_LEADING = " \t\u3000■□●○◆◇・*-•>＞▼▶»※"
_BRACKETS = {"【": "】", "[": "]", "［": "］", "〔": "〕", "《": "》", "<": ">"}


@dataclass(frozen=True)
class Found:
    value: str
    evidence: str  # the line, cell or path the value came from


@dataclass(frozen=True)
class LabelLine:
    label: str  # as written
    value: str  # the rest of the line, stripped
    value_start: int  # where the value starts in the line
    bare: bool  # the label alone (the value is on the next line)


def split_label_line(line: str) -> LabelLine | None:
    """``Label: value`` (or ``【Label】value``, ``Label | value``...) split; a short line with no separator is a
    possible bare label. None for a line that cannot be a label line."""
    i = 0
    n = len(line)
    while i < n and line[i] in _LEADING:
        i += 1
    if i >= n:
        return None
    closing = _BRACKETS.get(line[i])
    if closing is not None:
        close = line.find(closing, i + 1, i + 2 + MAX_LABEL_CHARS)
        if close > i + 1:
            label = line[i + 1:close]
            j = close + 1
            while j < n and line[j] in " \t\u3000":
                j += 1
            if j < n and line[j] in _SEPARATORS:
                j += 1
            while j < n and line[j] in " \t\u3000":
                j += 1
            value = line[j:].rstrip()
            return LabelLine(label.strip(), value, j, not value)
    cut = -1
    for sep in _SEPARATORS:
        at = line.find(sep, i, i + MAX_LABEL_CHARS + 1)
        if at > i and (cut < 0 or at < cut):
            cut = at
    if cut < 0:
        text = line[i:].strip()
        if not text or len(text) > MAX_LABEL_CHARS:
            return None
        return LabelLine(text, "", n, True)
    j = cut + 1
    while j < n and line[j] in " \t\u3000":
        j += 1
    label = line[i:cut].strip()
    if not label:
        return None
    value = line[j:].rstrip()
    return LabelLine(label, value, j, not value)


def label_lines(text: str) -> list[tuple[int, LabelLine | None]]:
    """Every line's label split, with the line's offset in ``text``."""
    out = []
    offset = 0
    for line in text.split("\n"):
        out.append((offset, split_label_line(line)))
        offset += len(line) + 1
    return out


def _starts_field(line: str) -> bool:
    """Does a line begin another `Label: value` field (ends a multi-line value)?"""
    split = split_label_line(line)
    return split is not None and not split.bare and len(split.label.split()) <= 5 \
        and any(ch.isalpha() for ch in split.label) \
        and not split.label.lower().startswith(("http", "https", "mailto"))


def _label_value(lines: list[str], index: int, split: LabelLine, multiline: bool) -> tuple[str, str] | None:
    """The value of the label on line ``index``, and the evidence (the lines it spans)."""
    if not split.bare:
        parts = [split.value.strip()]
        end = index
        if multiline:
            for k in range(index + 1, min(len(lines), index + MAX_MULTILINE)):
                line = lines[k]
                if not line.strip() or _starts_field(line):
                    break
                parts.append(line.strip())
                end = k
        return "\n".join(parts), "\n".join(lines[index:end + 1])
    # The label alone on its line: the value is under it (after blank lines at most one).
    k = index + 1
    if k < len(lines) and not lines[k].strip():
        k += 1
    if k >= len(lines) or not lines[k].strip():
        return None
    if _starts_field(lines[k]):
        return None  # the next line is the next field: this one was left empty
    parts = [lines[k].strip()]
    end = k
    if multiline:
        for m in range(k + 1, min(len(lines), k + MAX_MULTILINE)):
            if not lines[m].strip() or _starts_field(lines[m]):
                break
            parts.append(lines[m].strip())
            end = m
    return "\n".join(parts), "\n".join(lines[index:end + 1])


def _label_index(view: MailView, source: str) -> tuple[list[str], list[LabelLine | None], dict[str, list[int]]]:
    """The lines of a text, their label splits, and the lines each label (as compared) is on: worked out
    once per mail and text, however many mappings read labels."""
    key = f"labels:{source}"
    cached = view._cache.get(key)
    if cached is None:
        lines = view.text_of(source).split("\n")[:MAX_LABEL_LINES]
        splits = [split_label_line(line) for line in lines]
        where: dict[str, list[int]] = {}
        for index, split in enumerate(splits):
            if split is not None:
                where.setdefault(norm_label(split.label), []).append(index)
        cached = view._cache[key] = (lines, splits, where)
    return cached


def _by_label(ex: LabelExtractor, view: MailView) -> Found | None:
    lines, splits, where = _label_index(view, ex.source)
    for label in ex.labels:  # the first label of the list that is found wins
        for index in where.get(norm_label(label), ()):
            got = _label_value(lines, index, splits[index], ex.multiline)
            if got is not None and got[0].strip():
                return Found(got[0], got[1])
    return None


def _between(ex: BetweenExtractor, text: str) -> Found | None:
    at = text.find(ex.start)
    if at < 0:
        return None
    begin = at + len(ex.start)
    if ex.end:
        stop = text.find(ex.end, begin)
        if stop < 0:
            return None
    else:
        stop = text.find("\n", begin)
        stop = len(text) if stop < 0 else stop
    value = text[begin:stop].strip()
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", stop)
    return Found(value, text[line_start:line_end if line_end >= 0 else len(text)]) if value else None


def _regex(ex: RegexExtractor, view: MailView, budget: Budget, where: str) -> Found | None:
    compiled = compile_pattern(ex.pattern, where, ignore_case=ex.ignore_case, group=ex.group)
    text = {"subject": view.subject, "html": view.html or ""}.get(ex.on, view.body)
    found = search(compiled, text, budget, where)
    if found is None or found.group(ex.group) is None:
        return None
    return Found(found.group(ex.group), found.group(0)[:500])


def _html_table(ex: HtmlTableExtractor, view: MailView) -> Found | None:
    wanted = norm_label(ex.label)
    for rows in view.tables():
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if norm_label(cell.text) != wanted:
                    continue
                if ex.by == "row":
                    rest = [x for x in row[c + 1:] if x.text]
                    if rest:
                        return Found(rest[0].text, " | ".join(x.text for x in row))
                else:
                    data = rows[r + 1:]
                    if len(data) >= ex.row and c < len(data[ex.row - 1]):
                        value = data[ex.row - 1][c].text
                        if value:
                            return Found(value, f"{cell.text} → " + " | ".join(x.text for x in data[ex.row - 1]))
    return None


# --- JSON paths ------------------------------------------------------------------------------------
def parse_json_path(path: str, where: str = "") -> list[str | int]:
    """``$.lead.email``, ``lead.email``, ``items[0].name``, ``$['first name']`` → its steps."""
    text = path.strip()
    if text.startswith("$"):
        text = text[1:]
    steps: list[str | int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == ".":
            i += 1
            j = i
            while j < n and text[j] not in ".[":
                j += 1
            if j == i:
                raise RuleError(f"JSON path {path!r}: empty name after '.'", where)
            steps.append(text[i:j])
            i = j
        elif ch == "[":
            close = text.find("]", i)
            if close < 0:
                raise RuleError(f"JSON path {path!r}: '[' without ']'", where)
            inner = text[i + 1:close].strip()
            if inner[:1] in ("'", '"') and inner[-1:] == inner[:1] and len(inner) >= 2:
                steps.append(inner[1:-1])
            elif inner.lstrip("-").isdigit():
                steps.append(int(inner))
            else:
                raise RuleError(f"JSON path {path!r}: write [0] for an index or ['name'] for a key", where)
            i = close + 1
        elif not steps and i == 0:
            j = i
            while j < n and text[j] not in ".[":
                j += 1
            steps.append(text[i:j])
            i = j
        else:
            raise RuleError(f"JSON path {path!r}: unexpected {ch!r} at {i}", where)
    if not steps:
        raise RuleError(f"JSON path {path!r} names nothing", where)
    return steps


def json_at(document: Any, steps: list[str | int]) -> Any:
    node = document
    for step in steps:
        if isinstance(step, int) and isinstance(node, list):
            if -len(node) <= step < len(node):
                node = node[step]
                continue
            return None
        if isinstance(step, str) and isinstance(node, dict):
            if step in node:
                node = node[step]
                continue
            folded = {str(k).casefold(): k for k in node}  # "Email" finds "email"
            if step.casefold() in folded:
                node = node[folded[step.casefold()]]
                continue
        return None
    return node


def _json_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return ", ".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False)


def _json(ex: JsonExtractor, view: MailView, where: str) -> Found | None:
    steps = parse_json_path(ex.path, where)
    found = view.json_document(ex.source)
    if found is None:
        return None
    document, origin = found
    value = _json_text(json_at(document, steps))
    return Found(value, f"{ex.path} in {origin}") if value not in (None, "") else None


# --- CSV -------------------------------------------------------------------------------------------
def csv_rows(text: str) -> list[list[str]]:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows = []
    for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter):
        if any(cell.strip() for cell in row):
            rows.append(row)
        if len(rows) > 100_001:
            break
    return rows


def _csv(ex: CsvExtractor, view: MailView) -> Found | None:
    attachment = view.attachment(ex.attachment)
    if attachment is None:
        return None
    rows = view.csv_rows(attachment)
    if len(rows) <= ex.row:
        return None
    wanted = norm_label(ex.column)
    header = [norm_label(h) for h in rows[0]]
    if wanted not in header:
        return None
    column = header.index(wanted)
    row = rows[ex.row]
    if column >= len(row) or not row[column].strip():
        return None
    return Found(row[column].strip(), f"{attachment.name}: {ex.column} (row {ex.row})")


# --- signature and message ---------------------------------------------------------------------------
def _signature(ex: SignatureExtractor, view: MailView) -> Found | None:
    fields = view.signature
    if not fields:
        return None
    name = ex.field
    value: Any = None
    if name in ("name", "title", "department", "company", "address"):
        value = fields.get(name)
    elif name in ("given_name", "family_name"):
        value = (fields.get("name_parts") or {}).get(name.split("_")[0] if name == "given_name" else "family")
    elif name == "email":
        value = next(iter(fields.get("emails") or []), None)
    elif name == "website":
        value = next(iter(fields.get("websites") or []), None)
    elif name in ("phone", "mobile", "fax"):
        phones = fields.get("phones") or []
        kinds = {"phone": ("work", "other"), "mobile": ("mobile",), "fax": ("fax",)}[name]
        chosen = next((p for p in phones if p.get("type") in kinds), None)
        if chosen is None and name == "phone" and phones:
            chosen = next((p for p in phones if p.get("type") != "fax"), None)
        value = chosen.get("number") if chosen else None
    else:
        value = (fields.get("address_parts") or {}).get(name)
    if not value:
        return None
    return Found(str(value), f"signature {name}")


def _message(ex: MessageExtractor, view: MailView) -> Found | None:
    value: Any = {
        "from_addr": view.from_addr, "from_name": view.from_name, "subject": view.subject,
        "to": ", ".join(view.to), "cc": ", ".join(view.cc), "body": view.body,
        "date": view.date.isoformat() if view.date else "",
    }[ex.field]
    return Found(value, ex.field) if value else None


def extract(extractor: Any, view: MailView, budget: Budget, where: str = "") -> Found | None:
    """Run one extractor on a mail; None when its value is not there. Raises RuleError (a bad regex or
    path, or a regex that ran too long)."""
    kind = extractor.type
    if kind == "label":
        return _by_label(extractor, view)
    if kind == "between":
        return _between(extractor, view.text_of(extractor.source))
    if kind == "regex":
        return _regex(extractor, view, budget, where)
    if kind == "html_table":
        return _html_table(extractor, view)
    if kind == "json":
        return _json(extractor, view, where)
    if kind == "csv":
        return _csv(extractor, view)
    if kind == "header":
        values = view.header(extractor.name)
        return Found(values[0].strip(), f"{extractor.name}: {values[0].strip()}") if values and values[0].strip() \
            else None
    if kind == "signature":
        return _signature(extractor, view)
    if kind == "message":
        return _message(extractor, view)
    raise RuleError(f"unknown extractor type {kind!r}", where)
