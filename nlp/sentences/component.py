"""Pipeline component "sentences": the sentences of the new text, for every later stage to share."""

from __future__ import annotations

from nlp.pipeline import Doc, component
from nlp.sentences.split import split_sentences

__all__ = ["make_sentences"]


@component("sentences", reads=("body",), assigns=("sentences",))
def make_sentences(max_sentences: int = 60):
    def run(docs: list[Doc]) -> None:
        for doc in docs:
            text = doc.get("new_text")
            if text is None:
                text = doc["body"]
            doc["sentences"] = split_sentences(text)[:max_sentences]

    return run
