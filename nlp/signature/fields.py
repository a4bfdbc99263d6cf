"""A signature block into contact fields, each with a confidence and the exact line it came from.

``SignatureParser.draft`` reads the block with rules and lists what spaCy could settle (segments no rule
claimed); ``SignatureParser.finish`` takes the entities for those segments (or none) and builds the JSON
value of ``doc.out["signature"]``:
``{"text", "lines", "confidence", "fields", "evidence"}``, ``fields`` as the machine interface defines
it, ``evidence[field] = {"confidence", "line", "line_index"}`` (+ ``items`` for list fields, one per
value, and ``lines`` for an address written on several lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from nlp.signature.addresses import Address, address_line, parse_address
from nlp.signature.block import Block
from nlp.signature.companies import (
    company_word,
    domain_company,
    domain_labels,
    is_department,
    is_title,
    ja_company,
    ja_department,
    ja_title,
    legal_form,
    split_segments,
)
from nlp.signature.lines import labelled_field
from nlp.signature.links import email_domain, find_links
from nlp.signature.names import (
    PersonName,
    display_order,
    japanese_name,
    probably_person,
    sender_match,
    trailing_name,
    western_name,
)
from nlp.signature.patterns import FIELD_LABELS, LANGUAGE_REGIONS, NAME_CREDENTIALS, PHONE_LABELS, TLD_REGIONS
from nlp.signature.phones import find_phones
from nlp.signature.text import clean, fold, has_cjk, is_separator

__all__ = ["FIELD_NAMES", "SOURCES", "Draft", "Sender", "SignatureParser", "region_hints"]

FIELD_NAMES = ("name", "title", "department", "company", "phones", "emails", "websites", "socials", "address",
               "name_parts", "address_parts")
SOURCES = ("rules", "ner", "rules+ner")  # how the name and the company are found

_LABEL_WORDS = frozenset(x.lower().strip(" .:") for x in [
    *(lab for labs in PHONE_LABELS.values() for lab in labs), *FIELD_LABELS,
    "no", "number", "nr", "番号", "ext", "extension", "x", "内線", "代表", "直通"])
_LABEL_ONLY = re.compile(r"^[\s:：.,;/|()\[\]\-–#=>]*$")
_PARENS = re.compile(r"[(（](?![株有合][)）])[^)）]{0,60}[)）]")  # (Ichiro Suzuki), but not (株)
_CREDENTIALS = frozenset(c.rstrip(".") for c in NAME_CREDENTIALS)
_SHORT_LABEL = re.compile(r"^\s*(?:[tmfpoewhc]|tel|fax|mob|ph)\s*[:.]\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Sender:
    name: str | None
    address: str | None


@dataclass
class _Cand:
    kind: str  # name | title | department | company
    value: str
    line: int
    confidence: float
    parts: PersonName | None = None


@dataclass
class Draft:
    """A signature read by the rules, waiting for the entities of its unclaimed segments."""

    block: Block
    lines: list[str]
    sender: Sender
    regions: list[str]
    cands: list[_Cand] = field(default_factory=list)
    unclaimed: list[tuple[int, str]] = field(default_factory=list)  # (line, segment) no rule claimed
    phones: list[tuple[dict, int, float]] = field(default_factory=list)
    emails: list[tuple[str, int, float]] = field(default_factory=list)
    websites: list[tuple[str, int, float]] = field(default_factory=list)
    socials: list[tuple[str, int, float]] = field(default_factory=list)
    address: Address | None = None
    address_lines: list[int] = field(default_factory=list)
    address_confidence: float = 0.0
    content: list[int] = field(default_factory=list)

    @property
    def ner_queries(self) -> list[str]:
        return [seg for _, seg in self.unclaimed]


def region_hints(*, address_region: str | None, sender_address: str | None, domains: list[str],
                 language: str | None, default: str = "US") -> list[str]:
    """Regions to read national phone numbers in, most specific first."""
    out: list[str] = []

    def add(region: str | None) -> None:
        if region and region not in out:
            out.append(region)

    add(address_region)
    for domain in [email_domain(sender_address), *domains]:
        if domain:
            add(TLD_REGIONS.get(domain.rsplit(".", 1)[-1]))
    add(LANGUAGE_REGIONS.get((language or "").split("-")[0].lower()))
    add(default)
    return out


class SignatureParser:
    def __init__(self, *, name_source: str = "rules", company_source: str = "rules", default_region: str = "US"):
        if name_source not in SOURCES or company_source not in SOURCES:
            raise ValueError(f"name_source and company_source must be one of {SOURCES}")
        self.name_source = name_source
        self.company_source = company_source
        self.default_region = default_region

    # --- rules ------------------------------------------------------------------------------------
    def draft(self, lines: list[str], block: Block, sender: Sender, language: str | None) -> Draft:
        content = [i for i in block.lines if lines[i].strip() and not is_separator(lines[i])]
        draft = Draft(block=block, lines=lines, sender=sender, regions=[], content=content)
        self._address(draft)
        domains = []
        for i in content:
            for link in find_links(fold(lines[i])):
                if link.kind == "email":
                    domains.append(email_domain(link.value) or "")
                elif link.kind == "website":
                    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", link.value, flags=re.IGNORECASE).split("/")[0]
                    domains.append(host.lower())
        draft.regions = region_hints(address_region=draft.address.country_region if draft.address else None,
                                     sender_address=sender.address, domains=[d for d in domains if d],
                                     language=language, default=self.default_region)
        labels = domain_labels([d for d in [email_domain(sender.address), *domains] if d])
        for position, i in enumerate(content):
            self._line(draft, i, position, labels)
        return draft

    def _address(self, draft: Draft) -> None:
        groups: list[list[tuple[int, float]]] = []
        current: list[tuple[int, float]] = []
        for i in draft.content:
            kind = address_line(draft.lines[i])
            if kind is not None and not find_links(fold(draft.lines[i])):
                if current and i != current[-1][0] + 1 and not _only_blank(draft.lines, current[-1][0], i):
                    groups.append(current)
                    current = []
                current.append((i, kind.strength))
            elif current:
                groups.append(current)
                current = []
        if current:
            groups.append(current)
        for group in groups:
            best = max(s for _, s in group)
            lone_country = len(group) == 1 and address_line(draft.lines[group[0][0]]).kind == "country"
            if best < 0.6 or (best < 0.8 and lone_country):
                continue
            draft.address_lines = [i for i, _ in group]
            draft.address = parse_address([_strip_contacts(draft.lines[i]) for i in draft.address_lines])
            draft.address_confidence = 0.9 if best >= 0.8 else 0.6
            return

    def _line(self, draft: Draft, i: int, position: int, labels: set[str]) -> None:
        text = draft.lines[i]
        known = draft.block.infos.get(i)
        if known is not None and tuple(draft.regions) == draft.block.regions:
            folded, links, phones = known.folded, known.links, known.phones  # read while finding the block
        else:
            folded = fold(text)
            links = find_links(folded)
            phones = find_phones(folded, text, draft.regions)
        for link in links:
            target = {"email": draft.emails, "website": draft.websites, "social": draft.socials}[link.kind]
            target.append((link.value, i, 0.95 if link.kind == "email" else 0.9))
        for p in phones:
            confidence = (0.95 if p.labelled else 0.85) if p.valid else 0.6
            draft.phones.append(({"type": p.type, "number": p.number, "raw": p.raw, "extension": p.extension},
                                 i, confidence))
        if i in draft.address_lines:
            return
        rest = _blank_spans(text, [(x.start, x.end) for x in links] + [(p.start, p.end) for p in phones])
        residue = clean(_drop_labels(rest) if (links or phones) else rest)
        if not residue or _LABEL_ONLY.match(fold(residue)) or _SHORT_LABEL.match(fold(residue)):
            return
        labelled = labelled_field(residue)
        if labelled is not None:
            self._labelled(draft, i, *labelled)
        elif has_cjk(residue):
            self._japanese(draft, i, residue, position)
        else:
            self._western(draft, i, residue, position, labels)

    def _labelled(self, draft: Draft, i: int, kind: str, value: str) -> None:
        """A "Label: value" line: the label names the field."""
        if not value:
            return
        if kind != "name":
            draft.cands.append(_Cand(kind, value, i, 0.9))
            return
        found = japanese_name(value.split()) if has_cjk(value) else None
        name = found[1] if found else western_name(value, allow_single=True)
        draft.cands.append(_Cand("name", name.text if name else value, i, 0.9, name))

    def _western(self, draft: Draft, i: int, text: str, position: int, labels: set[str]) -> None:
        after_title = False
        segments = split_segments(text)
        for k, seg in enumerate(segments):
            low = seg.lower().strip(".")
            if low in _CREDENTIALS or not re.search(r"[^\W\d_]", seg):
                continue
            if legal_form(seg):
                draft.cands.append(_Cand("company", seg, i, 0.9))
            elif domain_company(seg, labels) and not is_title(seg):
                draft.cands.append(_Cand("company", seg, i, 0.8))
            elif is_title(seg):
                draft.cands.append(_Cand("title", seg, i, 0.85))
                after_title = True
            elif is_department(seg, after_title=after_title):
                draft.cands.append(_Cand("department", seg, i, 0.75))
            elif (person := self._person(draft, seg, position, k)) is not None:
                draft.cands.append(person)
            elif company_word(seg):
                draft.cands.append(_Cand("company", seg, i, 0.65))
            else:
                draft.unclaimed.append((i, seg))

    def _person(self, draft: Draft, seg: str, position: int, k: int) -> _Cand | None:
        i = draft.content[position]
        match = sender_match(seg, draft.sender.name, draft.sender.address)
        allow_single = (position == 0 and k == 0) or match >= 1.0
        name = western_name(seg, allow_single=allow_single)
        if name is None:
            return None
        if match >= 1.0:
            return _Cand("name", name.text, i, 0.95, name)
        if position > 2 and match < 0.6:
            return None
        verdict = probably_person(name.text) if len(name.text.split()) > 1 else None
        if verdict is False and match < 0.6:
            return None
        confidence = 0.85 if match >= 0.6 else (0.75 if verdict else 0.55)
        if len(name.text.split()) == 1:
            confidence = min(confidence, 0.6)
        if position > 0 and match < 0.6:
            confidence -= 0.1
        return _Cand("name", name.text, i, round(confidence, 2), name)

    def _japanese(self, draft: Draft, i: int, text: str, position: int) -> None:
        tokens = _PARENS.sub(" ", text).split()
        used = [False] * len(tokens)
        # Legal forms written apart from the name: 株式会社 サンプル / サンプル 株式会社
        for k, tok in enumerate(tokens):
            if used[k] or not ja_company(tok):
                continue
            value = tok
            if tok in ("株式会社", "有限会社", "合同会社") or tok in ("(株)", "㈱"):
                if k + 1 < len(tokens) and not used[k + 1] and not ja_title(tokens[k + 1])[1]:
                    value = f"{tok} {tokens[k + 1]}" if tok.isalpha() and len(tok) == 4 else tok + tokens[k + 1]
                    used[k + 1] = True
                elif k > 0 and not used[k - 1]:
                    value = f"{tokens[k - 1]} {tok}"
                    used[k - 1] = True
            used[k] = True
            draft.cands.append(_Cand("company", value, i, 0.9))
        found = japanese_name([t if not used[k] else "" for k, t in enumerate(tokens)])
        if found is not None:
            k, name = found
            match = sender_match(name.text, draft.sender.name, draft.sender.address)
            draft.cands.append(_Cand("name", name.text, i, 0.95 if match >= 1.0 else 0.85, name))
            used[k] = used[k + 1] = True
        depts: list[str] = []
        for k, tok in enumerate(tokens):
            if used[k]:
                continue
            dept, title = ja_title(tok)
            if title:
                draft.cands.append(_Cand("title", title, i, 0.85))
                if dept:
                    depts.append(dept)
                used[k] = True
            elif ja_department(tok):
                depts.append(tok)
                used[k] = True
        if depts:
            draft.cands.append(_Cand("department", " ".join(depts), i, 0.8))
        rest = [t for k, t in enumerate(tokens) if not used[k]]
        if not rest:
            return
        leftover = " ".join(rest)
        if has_cjk(leftover):
            compact = re.sub(r"\s+", "", leftover)
            if draft.sender.name and compact == re.sub(r"\s+", "", draft.sender.name) and len(compact) <= 8:
                parts = draft.sender.name.split()
                family, given = (parts[0], parts[1]) if len(parts) > 1 else (None, None)
                name = PersonName(draft.sender.name, given, family)
                draft.cands.append(_Cand("name", compact if len(parts) == 1 else draft.sender.name, i, 0.9, name))
            else:
                draft.unclaimed.append((i, leftover))
        else:
            self._western(draft, i, leftover, position, set())

    def wants_entities(self, draft: Draft) -> bool:
        """Whether spaCy could change this signature's name or company (only then is it asked)."""
        if not draft.unclaimed:
            return False
        if self.name_source == "ner" or self.company_source == "ner":
            return True
        has_name = draft.block.closing_name is not None or any(
            c.kind == "name" and c.confidence >= 0.6 for c in draft.cands)
        has_company = any(c.kind == "company" for c in draft.cands)
        return (self.name_source == "rules+ner" and not has_name) or (
            self.company_source == "rules+ner" and not has_company)

    # --- resolution -------------------------------------------------------------------------------
    def finish(self, draft: Draft, entities: list[list[tuple[str, str]]] | None = None) -> dict[str, Any] | None:
        lines = draft.lines
        evidence: dict[str, dict[str, Any]] = {}
        fields: dict[str, Any] = {name: None for name in FIELD_NAMES}
        for name in ("phones", "emails", "websites", "socials"):
            fields[name] = []

        def ev(confidence: float, line: int) -> dict[str, Any]:
            return {"confidence": round(float(confidence), 2), "line": lines[line], "line_index": line}

        ner = list(zip(draft.unclaimed, entities or [[] for _ in draft.unclaimed]))
        if entities is None:
            ner = []
        name = self._pick_name(draft, ner)
        if name is not None:
            fields["name"] = name.value
            evidence["name"] = ev(name.confidence, name.line)
            if name.parts is not None:
                fields["name_parts"] = {"given": name.parts.given, "family": name.parts.family}
                evidence["name_parts"] = ev(name.confidence, name.line)
        for kind in ("title", "department"):
            cands = [c for c in draft.cands if c.kind == kind]
            if cands:
                best = cands[0]
                fields[kind] = best.value
                evidence[kind] = ev(best.confidence, best.line)
        company = self._pick_company(draft, ner, name)
        if company is not None:
            fields["company"] = company.value
            evidence["company"] = ev(company.confidence, company.line)
        seen: set[tuple[str, str]] = set()
        items: list[dict[str, Any]] = []
        for phone, line, confidence in draft.phones:
            key = (phone["number"], phone["type"])
            if key in seen:
                continue
            seen.add(key)
            fields["phones"].append(phone)
            items.append(ev(confidence, line))
        if items:
            evidence["phones"] = {**items[0], "confidence": max(x["confidence"] for x in items), "items": items}
        for kind in ("emails", "websites", "socials"):
            values: list[str] = []
            items = []
            for value, line, confidence in getattr(draft, kind):
                if value in values:
                    continue
                values.append(value)
                items.append(ev(confidence, line))
            fields[kind] = values
            if items:
                evidence[kind] = {**items[0], "confidence": max(x["confidence"] for x in items), "items": items}
        if draft.address is not None and draft.address.text:
            fields["address"] = draft.address.text
            first = draft.address_lines[0]
            evidence["address"] = {**ev(draft.address_confidence, first),
                                   "lines": [lines[i] for i in draft.address_lines]}
            fields["address_parts"] = draft.address.parts()
            evidence["address_parts"] = dict(evidence["address"])
        if not evidence:
            return None
        block_lines = draft.block.lines
        text = "\n".join(lines[i] for i in block_lines) if block_lines else (
            lines[draft.block.closing_name] if draft.block.closing_name is not None else "")
        return {"text": text, "lines": list(block_lines), "confidence": draft.block.confidence,
                "fields": fields, "evidence": evidence}

    def _pick_name(self, draft: Draft, ner: list[tuple[tuple[int, str], list[tuple[str, str]]]]) -> _Cand | None:
        rules = [c for c in draft.cands if c.kind == "name"]
        closing = self._closing_name(draft)
        if closing is not None:
            rules.append(closing)
        from_ner: list[_Cand] = []
        if self.name_source != "rules":
            for (line, seg), ents in ner:
                for text, label in ents:
                    if label in ("PERSON", "Person") and len(text) >= 2:
                        parsed = western_name(text, allow_single=True)
                        from_ner.append(_Cand("name", text, line, 0.6, parsed or PersonName(text, None, None)))
        if self.name_source == "ner":
            pool = from_ner + [c for c in rules if c.confidence >= 0.95 or has_cjk(c.value)]
        elif self.name_source == "rules+ner" and not [c for c in rules if c.confidence >= 0.6]:
            pool = rules + from_ner
        else:
            pool = rules
        if not pool:
            return None
        return max(pool, key=lambda c: (c.confidence, -c.line))

    def _closing_name(self, draft: Draft) -> _Cand | None:
        i = draft.block.closing_name
        if i is None:
            return None
        text = clean(draft.lines[i])
        if not text:
            return None
        display = display_order(draft.sender.name) or ""
        if has_cjk(text):
            found = japanese_name(_PARENS.sub(" ", text).split())
            if found:
                return _Cand("name", found[1].text, i, 0.75, found[1])
            return _Cand("name", text, i, 0.55, None)
        name = western_name(text.lstrip("-~ "), allow_single=True)
        if name is None:
            tail = trailing_name(text)
            name = western_name(tail, allow_single=True) if tail else None
        if name is None:
            return None
        match = sender_match(name.text, display, draft.sender.address)
        if match >= 0.6 and display and len(display.split()) > len(name.text.split()):
            full = western_name(display)
            first = name.text.split()[0].lower()
            if full is not None and full.given and (first == full.given.lower() or (
                    len(first) >= 3 and full.given.lower().startswith(first))):
                return _Cand("name", full.text, i, 0.75, full)  # "Jef" under the sign-off, "Jef Smith" in From
        return _Cand("name", name.text, i, 0.8 if match >= 0.6 else 0.6, name)

    def _pick_company(self, draft: Draft, ner: list[tuple[tuple[int, str], list[tuple[str, str]]]],
                      name: _Cand | None) -> _Cand | None:
        rules = [c for c in draft.cands if c.kind == "company"]
        from_ner: list[_Cand] = []
        if self.company_source != "rules":
            for (line, seg), ents in ner:
                for text, label in ents:
                    if label in ("ORG", "Company") and len(text) >= 2 and (name is None or text != name.value):
                        from_ner.append(_Cand("company", seg if len(text) >= 0.6 * len(seg) else text, line, 0.55))
        if self.company_source == "ner":
            pool = from_ner + [c for c in rules if c.confidence >= 0.9]
        elif self.company_source == "rules+ner" and not rules:
            pool = from_ner
        else:
            pool = rules
        if not pool and self.company_source != "ner":
            pool = self._positional_company(draft, name)
        if not pool:
            return None
        return max(pool, key=lambda c: (c.confidence, -c.line))

    def _positional_company(self, draft: Draft, name: _Cand | None) -> list[_Cand]:
        """An unclaimed capitalised segment near the top, after the name/title: most often the company."""
        anchor = {c.line for c in draft.cands if c.kind in ("name", "title")}
        if name is not None:
            anchor.add(name.line)
        if not anchor:
            return []
        top = draft.content[:5]
        for line, seg in draft.unclaimed:
            if line not in top or line < min(anchor):
                continue
            words = seg.split()
            if (1 <= len(words) <= 6 and not any(ch.isdigit() for ch in seg) and (seg[0].isupper() or has_cjk(seg))
                    and (name is None or seg != name.value)):
                return [_Cand("company", seg, line, 0.45)]
        return []


def _only_blank(lines: list[str], a: int, b: int) -> bool:
    return all(not lines[k].strip() for k in range(a + 1, b))


def _blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        for k in range(a, min(b, len(chars))):
            chars[k] = " "
    return "".join(chars)


def _drop_labels(text: str) -> str:
    """Remove the labels that introduced removed phones and links ("Tel:", "E-mail:", "(cell)")."""
    out = []
    for token in re.split(r"(\s+|[|/,;()\[\]（）｜、])", text):
        bare = fold(token).strip(" :.-=#>").lower()
        out.append(" " if bare in _LABEL_WORDS else token)
    return "".join(out)


def _strip_contacts(line: str) -> str:
    links = find_links(fold(line))
    return _blank_spans(line, [(x.start, x.end) for x in links]) if links else line
