"""Learning a mapping from a sample: the admin highlights a value, we find what points at it.

The extractor is derived from the text *around* the value — the label before it, the table cell beside
or above it, its JSON path, its CSV column, the markers around it — never from its position, so the same
form with other values (longer names, another line count) still reads. Every candidate is tried on the
sample and kept only if it gives back exactly the highlighted value; the most robust kind that does wins.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from nlp.rules.definition import Mapping, RuleError
from nlp.rules.engine import extract_mapping
from nlp.rules.extractors import split_label_line
from nlp.rules.html_tables import norm_label
from nlp.rules.mailview import MailView
from nlp.rules.patterns import synonyms_of
from nlp.rules.safe_regex import Budget

__all__ = ["Learned", "learn_field", "suggest_match", "forwarded_origin", "guess_region", "is_japanese"]

_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# Country of a sender's top-level domain, for reading national phone numbers.
_TLD_REGION = {"jp": "JP", "de": "DE", "uk": "GB", "fr": "FR", "it": "IT", "es": "ES", "nl": "NL", "se": "SE",
               "ch": "CH", "at": "AT", "au": "AU", "ca": "CA", "in": "IN", "cn": "CN", "kr": "KR", "br": "BR"}


@dataclass
class Learned:
    mapping: Mapping
    value: Any  # what the whole mapping gives on the sample
    raw: str  # what the extractor alone gives
    evidence: str | None
    kind: str
    alternatives: list[Mapping] = field(default_factory=list)  # other extractors that also work
    notes: list[str] = field(default_factory=list)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def is_japanese(view: MailView) -> bool:
    return bool(_JAPANESE.search(view.body[:5000]) or _JAPANESE.search(view.subject))


def guess_region(view: MailView) -> str:
    if is_japanese(view):
        return "JP"
    tld = view.from_addr.rpartition(".")[2].lower()
    return _TLD_REGION.get(tld, "US")


def _type_transforms(field_type: str, view: MailView, region: str | None) -> list[dict]:
    if field_type == "email":
        return [{"type": "trim"}, {"type": "case", "to": "lower"}]
    if field_type == "phone":
        return [{"type": "phone", "region": region or guess_region(view)}]
    if field_type in ("date", "datetime"):
        return [{"type": "date", "languages": ["ja", "en"] if is_japanese(view) else ["en"]}]
    if field_type in ("number", "money"):
        return [{"type": "number"}]
    return [{"type": "trim"}]


# --- candidates: extractors that point at the selection ------------------------------------------------
def _json_paths(node: Any, wanted: str, path: str = "$", depth: int = 0) -> list[str]:
    if depth > 30:
        return []
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            key_text = str(key)
            step = f".{key_text}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_\-]*", key_text) else f"['{key_text}']"
            found += _json_paths(value, wanted, path + step, depth + 1)
    elif isinstance(node, list):
        for index, value in enumerate(node[:200]):
            found += _json_paths(value, wanted, f"{path}[{index}]", depth + 1)
    elif node is not None and not isinstance(node, bool) and _fold(str(node)) == wanted:
        found.append(path)
    return found


def _json_candidates(view: MailView, source: str, wanted: str) -> list[dict]:
    json_source = source if source.startswith("attachment:") else "auto"
    found = view.json_document(json_source)
    if found is None:
        return []
    return [{"type": "json", "path": path, "source": json_source} for path in _json_paths(found[0], wanted)[:3]]


def _csv_candidates(view: MailView, source: str, wanted: str) -> list[dict]:
    if not source.startswith("attachment:"):
        return []
    name = source.split(":", 1)[1]
    attachment = view.attachment(name)
    if attachment is None or not name.lower().endswith((".csv", ".tsv", ".txt")):
        return []
    rows = view.csv_rows(attachment)
    out = []
    for r, row in enumerate(rows[1:], 1):
        for c, cell in enumerate(row):
            if _fold(cell) == wanted and c < len(rows[0]) and rows[0][c].strip():
                out.append({"type": "csv", "column": rows[0][c].strip(), "row": r, "attachment": name})
    return out[:3]


def _html_candidates(view: MailView, wanted: str) -> list[dict]:
    if not view.html:
        return []
    out: list[dict] = []
    folded_wanted = norm_label(wanted)
    for rows in view.tables():
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if norm_label(cell.text) != folded_wanted and folded_wanted not in norm_label(cell.text):
                    continue
                labels = [x.text for x in row[:c] if x.text]
                if labels and len(labels[-1]) <= 100:
                    out.append({"type": "html_table", "label": labels[-1], "by": "row"})
                if r > 0 and c < len(rows[0]) and rows[0][c].text and rows[0][c] is not cell:
                    out.append({"type": "html_table", "label": rows[0][c].text, "by": "column", "row": r})
    return out


def _label_candidates(text: str, start: int, end: str, multiline: bool) -> list[dict]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    split = split_label_line(line)
    out = []
    if split is not None and not split.bare and split.value_start <= start - line_start:
        out.append(split.label)
    elif not line[:start - line_start].strip():
        # The value starts its line: the label may be alone on the line above.
        above = text[:max(0, line_start - 1)].rstrip("\n").split("\n")
        for previous in reversed(above[-2:]):
            if not previous.strip():
                continue
            split = split_label_line(previous)
            if split is not None and split.bare:
                out.append(split.label)
            break
    return [{"type": "label", "labels": [label, *synonyms_of(label)], "multiline": multiline}
            for label in out if label.strip()]


def _marker_candidates(text: str, start: int, stop: int) -> list[dict]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", stop)
    line_end = len(text) if line_end < 0 else line_end
    prefix = text[line_start:start]
    suffix = text[stop:line_end]
    out: list[dict] = []
    if prefix.strip():
        marker = prefix[-40:]
        if len(prefix) > 40:  # start the marker at a word boundary
            cut = marker.find(" ")
            marker = marker[cut + 1:] if 0 <= cut < 20 else marker
        end = ""
        if suffix.strip():
            end = suffix[: max(1, len(suffix) - len(suffix.lstrip())) + 1] if suffix[:1].isspace() else suffix[:1]
        out.append({"type": "between", "start": marker, "end": end})
        pattern = re.escape(marker.strip()) + r"\s*(?P<value>.+?)\s*" + (re.escape(end.strip()) if end.strip()
                                                                          else "$")
        out.append({"type": "regex", "pattern": pattern, "ignore_case": True})
    elif line_start > 0:
        previous_start = text.rfind("\n", 0, line_start - 1) + 1
        previous = text[previous_start:line_start - 1]
        if previous.strip():
            out.append({"type": "between", "start": previous.strip()[-40:] + "\n", "end": ""})
    return out


def _fits(mapping: Mapping, view: MailView, wanted: str) -> tuple[bool, Any]:
    result = extract_mapping(mapping, view, Budget())
    if result.error or result.value is None:
        return False, result
    return _fold(str(result.value)) == wanted, result


def learn_field(view: MailView, *, field: str, field_type: str = "text", selection: str, start: int | None = None,
                source: str = "body", region: str | None = None) -> Learned:
    """A mapping for ``field`` whose extractor finds ``selection`` (at ``start`` in ``source``) in the sample.

    Raises RuleError when the selection is not in the sample or nothing around it can point at it.
    """
    text = view.text_of(source)
    wanted = _fold(selection)
    if not wanted:
        raise RuleError("highlight a value in the sample first", "selection", code="empty_selection")
    stripped = selection.strip()
    if start is not None and 0 <= start <= len(text):
        offset = text.find(stripped, max(0, start - 2), start + len(selection) + 2)
    else:
        offset = -1
    if offset < 0:
        offset = text.find(stripped)
    if offset < 0:
        raise RuleError(f"{stripped[:80]!r} is not in the sample's {source}", "selection",
                        code="selection_not_found")
    stop = offset + len(stripped)
    multiline = "\n" in stripped

    kinds: list[dict] = []
    kinds += _json_candidates(view, source, wanted)
    kinds += _csv_candidates(view, source, wanted)
    if source in ("body", "html"):
        kinds += _html_candidates(view, wanted)
    labels = _label_candidates(text, offset, stripped, multiline)
    markers = _marker_candidates(text, offset, stop) if source in ("body", "html") and not multiline else []
    for kind in labels + markers:
        if source != "body" and kind["type"] in ("label", "between"):
            kind["source"] = source
        elif source == "html" and kind["type"] == "regex":
            kind = None  # a regex reads the body or the raw HTML, not the HTML's text
        if kind is not None:
            kinds.append(kind)

    working: list[tuple[Mapping, Any]] = []
    # A part of a full name (the given name of "Sarah Chen") is read by splitting the name; nothing with digits is.
    splits = [] if any(ch.isdigit() for ch in wanted) else [[{"type": "split_name", "part": "first"}],
                                                            [{"type": "split_name", "part": "last"}]]
    for extractor in kinds:
        for structural in ([], *splits):
            try:
                mapping = Mapping(field=field, extractor=extractor, transforms=[{"type": "trim"}, *structural])
            except ValueError:
                continue
            ok, result = _fits(mapping, view, wanted)
            if ok:
                working.append((mapping, result))
                break
    if not working:
        raise RuleError(f"found nothing around {stripped[:80]!r} that would find it again: highlight the whole "
                        "value, or write the extractor by hand", "selection", code="cannot_learn")
    best, best_result = working[0]
    notes: list[str] = []
    structural = [t.model_dump() for t in best.transforms if t.type == "split_name"]
    typed = _type_transforms(field_type, view, region)
    mapping = Mapping(field=field, extractor=best.extractor.model_dump(), transforms=[
        *([{"type": "trim"}] if typed[0]["type"] != "trim" else []), *structural, *typed])
    final = extract_mapping(mapping, view, Budget())
    if final.error:
        notes.append(f"the sample's value could not be read as {field_type} ({final.error}); kept as text")
        mapping = Mapping(field=field, extractor=best.extractor.model_dump(),
                          transforms=[{"type": "trim"}, *structural])
        final = extract_mapping(mapping, view, Budget())
    return Learned(mapping=mapping, value=final.value, raw=best_result.raw or "", evidence=final.evidence,
                   kind=best.extractor.type, alternatives=[m for m, _ in working[1:4]], notes=notes)


_FORWARD_PREFIX = re.compile(r"^\s*(?:(?:fwd?|fw|wg|tr|転送)\s*[:：]\s*)+", re.IGNORECASE)
_ORIGIN_FROM = re.compile(r"^[\s>*]*(?:from|差出人|送信者|von|de)\s*[:：]\s*(.*)$", re.IGNORECASE)
_ORIGIN_SUBJECT = re.compile(r"^[\s>*]*(?:subject|件名|betreff|objet)\s*[:：]\s*(.*)$", re.IGNORECASE)
_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")


def forwarded_origin(view: MailView) -> tuple[str, str] | None:
    """The original sender and subject of a forwarded sample (``Fwd: …`` with the forwarded header block in
    its body, as mail clients write it), or None when the mail is not a forward."""
    if not _FORWARD_PREFIX.match(view.subject):
        return None
    lines = view.body.split("\n")[:80]
    for index, line in enumerate(lines):
        found = _ORIGIN_FROM.match(line[:500])  # a header line is short: a long one is not read
        address = _ADDRESS.search(found.group(1)) if found else None
        if address is None:
            continue
        subject = _FORWARD_PREFIX.sub("", view.subject).strip()
        for following in lines[index + 1:index + 8]:
            original = _ORIGIN_SUBJECT.match(following[:1000])
            if original:
                subject = original.group(1).strip()
                break
        return address.group(0).lower(), subject
    return None


def suggest_match(view: MailView, values: list[str] = ()) -> dict[str, Any]:
    """Approved sender and a subject condition that mails of the same form share (the subject up to its
    first variable part: a highlighted value or a number). For a forwarded sample, the original sender and
    subject (from the forwarded header block), not the person who forwarded it."""
    origin = forwarded_origin(view)
    sender = origin[0] if origin else view.from_addr
    subject = (origin[1] if origin else view.subject).strip()
    cut = len(subject)
    for value in values:
        value = value.strip()
        if len(value) >= 2 and value in subject:
            cut = min(cut, subject.index(value))
    number = re.search(r"\S*\d", subject)  # the word holding the first digit (an order or ticket number)
    if number:
        cut = min(cut, number.start())
    colon = re.search(r"[:：]\s|\s[-–—|]\s", subject)  # "Prefix: what varies"
    if colon and colon.start() >= 4:
        cut = min(cut, colon.start())
    tag = re.match(r"\s*(【[^】]{2,40}】|\[[^\]]{2,40}\])", subject)  # 【お問い合わせ】, [Site]
    if tag and cut == len(subject) and tag.end() < len(subject):
        cut = tag.end()
    stable = subject[:cut].rstrip(" :：-–—#№(（「\"'").strip()
    conditions = [{"on": "subject", "op": "contains", "value": stable}] if len(stable) >= 4 else []
    return {"senders": [sender] if sender else [], "conditions": conditions,
            "name": stable or (f"Mail from {sender}" if sender else "New rule")}
