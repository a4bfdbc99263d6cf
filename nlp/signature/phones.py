"""Phone numbers on a signature line: found with phonenumbers, typed from their labels, E.164.

A label belongs to the number it touches: "Tel: 03-1234-5678" (before) or "(415) 733-4190 fax" (after).
When a label sits between two numbers ("T 555 1234 F 555 5678") the line's style decides: if its first
number is preceded by a label, labels lead; otherwise they trail. A number without a label takes the
type of the previous one when only a separator parts them ("Tel 03-1234-5678 / 03-1234-5679"), else
``other``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from nlp.signature.patterns import PHONE_LABELS
from nlp.signature.text import MAX_LINE

__all__ = ["Phone", "find_phones", "PHONE_LABEL_WORDS"]

_TYPES_BY_LABEL: dict[str, str] = {}
for _type, _labels in PHONE_LABELS.items():
    for _label in _labels:
        _TYPES_BY_LABEL.setdefault(_label.rstrip("."), _type)
# The words of the labels, for telling a labelled number from a list entry beside one.
PHONE_LABEL_WORDS = frozenset(w for lab in _TYPES_BY_LABEL for w in re.findall(r"[^\W\d_]+", lab.lower()))
_LONG = sorted((lab for lab in _TYPES_BY_LABEL if len(lab) > 1), key=len, reverse=True)
_SHORT = sorted(lab for lab in _TYPES_BY_LABEL if len(lab) == 1)
# A long label is a whole word; a one-letter label ("T:", "m.", "(o)") needs punctuation or a digit after it.
_LABEL_RE = re.compile(
    r"(?<![\w])(?:(?P<long>" + "|".join(re.escape(x) for x in _LONG) + r")\.?(?![^\W\d_])"
    r"|(?P<short>[" + "".join(_SHORT) + r"])(?:\s*[:.)]|(?=\s*[+(\d])))",
    re.IGNORECASE)
_LEAD_GAP = re.compile(r"^[\s:.\-=>#)\]}]*(?:no\.?|number|nr\.?|番号)?[\s:.\-=>#(\[]*\+?$", re.IGNORECASE)
_TRAIL_GAP = re.compile(r"^[\s(\[\-,]*$")
_JOIN_GAP = re.compile(r"^\s*(?:[/,|;&]|or|oder|ou|o|または|/)?\s*$", re.IGNORECASE)
_POSTAL_BEFORE = re.compile(r"(?:〒|\bzip|\bpostal|\bplz|\bcp|\bpostcode)\W*$", re.IGNORECASE)
_MIN_DIGITS = 7
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Phone:
    type: str  # work | mobile | fax | other
    number: str  # E.164
    raw: str  # as written on the line
    extension: str | None
    start: int  # offsets of raw in the line
    end: int
    labelled: bool
    valid: bool  # a valid number for its region (not merely a possible one)
    region: str


def _label_type(text: str) -> str:
    return _TYPES_BY_LABEL.get(text.lower().rstrip("."), "other")


def _labels(gap: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), _label_type(m.group("long") or m.group("short"))) for m in _LABEL_RE.finditer(gap)]


def _parse(candidate: str, regions: list[str]) -> tuple[phonenumbers.PhoneNumber, bool, str] | None:
    """Parse with the first region that makes the number valid, else the first that makes it possible."""
    possible: tuple[phonenumbers.PhoneNumber, bool, str] | None = None
    for region in regions:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return number, True, region
        if possible is None and phonenumbers.is_possible_number(number):
            possible = (number, False, region)
        if candidate.lstrip().startswith("+"):
            break  # the country code is written: other regions cannot change it
    return possible


def find_phones(folded: str, original: str, regions: list[str]) -> list[Phone]:
    """Phones on one line; ``folded`` is ``text.fold(original)`` (same length), ``regions`` the hints."""
    if len(folded) > MAX_LINE or not regions or len(_DIGIT.findall(folded)) < _MIN_DIGITS:
        return []
    spans: list[tuple[int, int, phonenumbers.PhoneNumber, bool, str]] = []
    for match in phonenumbers.PhoneNumberMatcher(folded, regions[0], leniency=phonenumbers.Leniency.POSSIBLE,
                                                 max_tries=20):
        raw = match.raw_string
        if sum(ch.isdigit() for ch in raw) < _MIN_DIGITS or _POSTAL_BEFORE.search(folded[: match.start]):
            continue
        if phonenumbers.is_valid_number(match.number):
            parsed = (match.number, True, regions[0])  # the matcher read it in the first region already
        else:
            parsed = _parse(raw, regions[1:]) if len(regions) > 1 and not raw.lstrip().startswith("+") else None
            if parsed is None or not parsed[1]:
                parsed = (match.number, False, regions[0])
        spans.append((match.start, match.end, *parsed))
    if not spans:
        return []
    # Which gap owns each label: the first number's preceding text tells the line's style.
    gaps = [folded[(spans[i - 1][1] if i else 0): spans[i][0]] for i in range(len(spans))]
    tail = folded[spans[-1][1]:]
    leading_style = bool(_labels(gaps[0]))
    types: list[str | None] = [None] * len(spans)
    for i, (start, end, _number, _valid, _region) in enumerate(spans):
        before = _labels(gaps[i])
        after_text = gaps[i + 1] if i + 1 < len(spans) else tail
        after = _labels(after_text)
        lead = [t for s, e, t in before if _LEAD_GAP.match(gaps[i][e:])]
        trail = [t for s, e, t in after if _TRAIL_GAP.match(after_text[:s])]
        if lead and (leading_style or not trail):
            types[i] = lead[-1]
        elif trail:
            types[i] = trail[0]
        elif before and (i == 0 or leading_style):
            types[i] = before[-1][2]  # "Phone - 713.853-9106": a label a little further away
    out: list[Phone] = []
    for i, (start, end, number, valid, region) in enumerate(spans):
        kind = types[i]
        labelled = kind is not None
        if kind is None and i and types[i - 1] and _JOIN_GAP.match(gaps[i]):
            kind = types[i - 1]
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        out.append(Phone(type=kind or "other", number=e164, raw=original[start:end].strip(),
                         extension=number.extension or None, start=start, end=end, labelled=labelled,
                         valid=valid, region=region))
    return out
