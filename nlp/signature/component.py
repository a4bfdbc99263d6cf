"""The "signature" pipeline component: the author's signature block parsed into contact fields.

Reads ``zones`` (the zone stage's per-line labels of ``body``) and, when present, ``lines``, ``message``
(the sender's display name and address) and ``language``. Assigns ``doc["signature"]`` and writes
``doc.out["signature"]``: ``null`` when the mail has neither a signature block nor a name under its
sign-off, else ``{"text", "lines", "confidence", "fields", "evidence"}`` (see
:mod:`nlp.signature.fields`). With ``agree`` (the default) it then rewrites ``zones``, ``line_confidence``
and ``new_text`` (and their JSON) where they disagree with the block it found (:mod:`nlp.signature.agree`),
so the stages after it read the author's text without the signature, and with the lines the zoning
wrongly took for one.

spaCy is used only where the options ask for it (``name_source`` / ``company_source`` = ``ner`` or
``rules+ner``), only on the segments of signature lines that no rule claimed, in one ``nlp.pipe`` call
per batch, with the model loaded on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nlp.pipeline import Doc, component
from nlp.signature.agree import agree_zones
from nlp.signature.block import Block, find_block
from nlp.signature.fields import Draft, Sender, SignatureParser, region_hints
from nlp.signature.names import sender_match
from nlp.signature.ner import EntityTagger
from nlp.zoning.zoner import Zoning

__all__ = ["make_signature", "parse_signatures", "find_blocks", "sender_of"]


def sender_of(doc: Doc) -> Sender:
    message = doc.get("message")
    sender = getattr(message, "from_", None) if message is not None else None
    if sender is None:
        return Sender(None, None)
    return Sender(getattr(sender, "name", None) or None, getattr(sender, "address", None) or None)


def find_blocks(docs: list[Doc], parser: SignatureParser, *, detect: bool = True) -> list[Block | None]:
    """The signature block of each document, from its zones and lines (None where there is none)."""
    blocks: list[Block | None] = []
    for doc in docs:
        lines, zones = _lines_and_zones(doc)
        sender = sender_of(doc)
        regions = region_hints(address_region=None, sender_address=sender.address, domains=[],
                               language=doc.get("language"), default=parser.default_region)

        def check(text: str, _sender: Sender = sender) -> float:
            return sender_match(text, _sender.name, _sender.address)

        blocks.append(find_block(lines, zones, regions, sender_check=check, detect=detect))
    return blocks


def _lines_and_zones(doc: Doc) -> tuple[list[str], list[str]]:
    body = doc.get("body") or ""
    lines = doc.get("lines") or body.split("\n")
    return lines, doc.get("zones") or ["new_text"] * len(lines)


def parse_signatures(docs: list[Doc], parser: SignatureParser, tagger: EntityTagger | None, *,
                     detect: bool = True, blocks: list[Block | None] | None = None) -> list[dict[str, Any] | None]:
    """The signature of each document (batch-first: spaCy, when used, runs once for the batch, on the
    unclaimed segments of the signatures whose name or company the rules did not find).

    ``blocks`` gives the signature lines instead of finding them (the evaluation's gold lines)."""
    if blocks is None:
        blocks = find_blocks(docs, parser, detect=detect)
    drafts: list[Draft | None] = []
    for doc, block in zip(docs, blocks):
        lines, _ = _lines_and_zones(doc)
        drafts.append(parser.draft(lines, block, sender_of(doc), doc.get("language")) if block is not None else None)
    asking = [d for d in drafts if d is not None and tagger is not None and parser.wants_entities(d)]
    queries = [q for d in asking for q in d.ner_queries]
    entities = tagger(queries) if tagger is not None and queries else []
    by_draft: dict[int, list[list[tuple[str, str]]]] = {}
    k = 0
    for d in asking:
        by_draft[id(d)] = entities[k: k + len(d.ner_queries)]
        k += len(d.ner_queries)
    return [parser.finish(d, by_draft.get(id(d))) if d is not None else None for d in drafts]


def _agree(doc: Doc, block: Block | None) -> None:
    """Rewrite the zone stage's zones, confidences and new text where the block disagrees with them."""
    lines, zones = _lines_and_zones(doc)
    fixed = agree_zones(lines, zones, block)
    if fixed == zones:
        return
    conf = list(doc.get("line_confidence") or [1.0] * len(zones))
    sure = block.confidence if block is not None else _AGREED_CONFIDENCE
    conf = [c if a == b else (sure if b == "signature" else _AGREED_CONFIDENCE) for a, b, c in zip(zones, fixed, conf)]
    zoning = Zoning(lines=lines, zones=fixed, confidence=conf)
    doc["zones"] = fixed
    doc["line_confidence"] = conf
    doc["new_text"] = doc.out["new_text"] = zoning.new_text
    doc.out["zones"] = zoning.runs()


_AGREED_CONFIDENCE = 0.5  # a line the block moved out of the signature: as sure as a filled line


@component("signature", reads=("zones",), assigns=("signature", "zones", "new_text"))
def make_signature(*, name_source: str = "rules+ner", company_source: str = "rules", detect: bool = True,
                   agree: bool = True,
                   default_region: str = "US", spacy_model_en: str | None = None,
                   spacy_model_ja: str | None = "ja_ginza") -> Callable[[list[Doc]], None]:
    """Build the component.

    ``name_source``/``company_source``: ``rules``, ``ner`` or ``rules+ner`` (spaCy only when the rules
    find nothing). ``spacy_model_en``/``spacy_model_ja``: the models that ``ner`` uses per script; None
    switches a language's NER off. The defaults are what ``mailassist eval signatures`` measured best:
    rules for every field, plus GiNZA for Japanese names the rules cannot read (山田太郎 written without
    a space, when the From header does not spell it); English spaCy NER did not beat the rules on any
    field and is off. ``detect``: look for a signature the zoning missed at the end of the author's
    text. ``default_region``: phone region when nothing (address, domain, language) hints one.
    ``agree``: make the zones and the new text agree with the block found (:mod:`nlp.signature.agree`)."""
    parser = SignatureParser(name_source=name_source, company_source=company_source, default_region=default_region)
    uses_ner = (name_source != "rules" or company_source != "rules") and bool(spacy_model_en or spacy_model_ja)
    tagger = EntityTagger(spacy_model_en, spacy_model_ja) if uses_ner else None

    def signature(docs: list[Doc]) -> None:
        blocks = find_blocks(docs, parser, detect=detect)
        for doc, block, result in zip(docs, blocks, parse_signatures(docs, parser, tagger, blocks=blocks)):
            doc["signature"] = result
            doc.out["signature"] = result
            if agree and doc.get("zones") is not None:
                _agree(doc, block)

    signature.name = "signature"  # type: ignore[attr-defined]
    return signature
