"""Building documents for the activities stage without the stages before it."""

from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from nlp.activities.component import make_activities
from nlp.pipeline import Doc, MessageInput
from nlp.sentences import split_sentences


def make_doc(
    text: str,
    date: str | datetime | None = "Tue, 05 Mar 2024 10:12:00 -0500",
    language: str | None = "en",
    calendar: list[dict[str, Any]] | None = None,
    signature: dict[str, Any] | None = None,
) -> Doc:
    doc = Doc(MessageInput(id="t", text=text))
    doc["sentences"] = split_sentences(text)
    doc["reference_date"] = parsedate_to_datetime(date) if isinstance(date, str) else date
    doc["language"] = language
    doc.out["calendar"] = calendar or []
    if signature is not None:
        doc.out["signature"] = signature
    return doc


def run(*docs: Doc, **options) -> list[Doc]:
    make_activities(**options)(list(docs))
    return list(docs)


def activities(
    text: str, date: str | None = "Tue, 05 Mar 2024 10:12:00 -0500", language: str | None = "en", **kw
) -> list[dict[str, Any]]:
    [doc] = run(make_doc(text, date, language, **kw))
    return doc.out["activities"]


def first(
    text: str, date: str | None = "Tue, 05 Mar 2024 10:12:00 -0500", language: str | None = "en", **kw
) -> dict[str, Any] | None:
    found = activities(text, date, language, **kw)
    return found[0] if found else None
