"""Pipeline component "activities": meetings, tasks and calls proposed in the new text, and invites.

Reads ``doc["sentences"]`` (the new text only: quotes and signatures never reach it), and, when other
stages set them, ``doc["reference_date"]``, ``doc["language"]``, ``doc["message"]`` (participants),
``doc.out["calendar"]`` (parsed invites), ``doc.out["auto"]`` (auto-replies and bounces propose nothing,
bulk mail less surely) and ``doc.out["signature"]["fields"]["phones"]`` (a number for calls). Assigns
``doc["activities"]`` and writes ``activities`` to the result: invites first (exact), then the text's
proposals; a proposal that repeats an invite's time is dropped.
"""

from __future__ import annotations

from typing import Any

from nlp.activities.detect import MAX_SENTENCE_CHARS, MAX_SENTENCES, Options, detect_activities
from nlp.activities.invites import invite_activities, same_time
from nlp.pipeline import Doc, component

__all__ = ["make_activities", "activities_of"]


def _signature_phones(doc: Doc) -> list[dict[str, Any]]:
    signature = doc.out.get("signature")
    if not isinstance(signature, dict):
        return []
    fields = signature.get("fields")
    phones = fields.get("phones") if isinstance(fields, dict) else None
    return phones if isinstance(phones, list) else []


# Mail a machine sent: an auto-reply ("I'll be back on Monday") or a bounce proposes nothing; bulk and
# list mail (newsletters, event promotions) may, but less surely.
_NO_PROPOSALS = frozenset(["auto_reply", "bounce"])
_BULK = frozenset(["bulk", "list"])
_BULK_CONFIDENCE = 0.5


def _auto_kind(doc: Doc) -> str | None:
    auto = doc.out.get("auto")
    return auto.get("kind") if isinstance(auto, dict) else None


def activities_of(doc: Doc, options: Options) -> list[dict[str, Any]]:
    invites = invite_activities(doc.out.get("calendar"))
    kind = _auto_kind(doc)
    if kind in _NO_PROPOSALS:
        return invites
    text = detect_activities(
        doc["sentences"],
        reference=doc.get("reference_date"),
        language=doc.get("language"),
        signature_phones=_signature_phones(doc),
        message=doc.get("message"),
        options=options,
    )
    if kind in _BULK:
        for activity in text:
            activity["confidence"] = min(activity["confidence"], _BULK_CONFIDENCE)
        text = [a for a in text if a["confidence"] >= options.min_confidence]
    if invites:
        text = [
            a
            for a in text
            if not (a["type"] == "meeting" and any(same_time(a["start"], i["start"]) for i in invites))
        ]
    return invites + text


@component("activities", reads=("sentences",), assigns=("activities",))
def make_activities(
    *,
    max_sentences: int = MAX_SENTENCES,
    max_sentence_chars: int = MAX_SENTENCE_CHARS,
    min_confidence: float = 0.0,
    participants: bool = True,
):
    options = Options(
        max_sentences=max_sentences,
        max_chars=max_sentence_chars,
        min_confidence=min_confidence,
        participants=participants,
    )

    def run(docs: list[Doc]) -> None:
        for doc in docs:
            activities = activities_of(doc, options)
            doc["activities"] = activities
            doc.out["activities"] = activities

    run.name = "activities"  # type: ignore[attr-defined]
    return run
