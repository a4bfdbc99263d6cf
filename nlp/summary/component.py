"""Pipeline component "summary": a one-line TL;DR and an extractive summary of the new text.

Reads ``doc["sentences"]`` (the new text: quotes and signatures never reach it) and, when earlier stages
ran, ``doc["embeddings"]`` (centrality), ``doc["request_scores"]`` (the main ask), ``doc["emotion"]``
(the mood), the signature's company and the From header. Writes ``summary``::

    {"tldr": "...", "sentences": [...], "evidence": <the sentence the ask came from>,
     "deadline": "by Friday" | null, "headline": <the TL;DR's headline alone>, "top": <the highest-ranked extractive sentence>, "abstract": "..." (only with an abstractive model)}

``abstractive_dir``: a local seq2seq model directory (``save_pretrained`` layout); when set, its
summary of the new text is added as ``abstract``. Nothing is downloaded.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from nlp.pipeline import Doc, component
from nlp.summary.extractive import select_sentences
from nlp.summary.formulas import is_courtesy_offer, is_formula
from nlp.summary.tldr import build_tldr, company_from_address, find_deadline

__all__ = ["make_summary", "summarize_doc"]

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_MOOD_CONFIDENCE = 0.8


def _sender(doc: Doc) -> tuple[str | None, str | None]:
    sender = (doc.out.get("headers") or {}).get("from") or {}
    name = sender.get("name") or None
    address = sender.get("address") or None
    signature = doc.out.get("signature") or {}
    fields = signature.get("fields") if isinstance(signature, dict) else None
    company = (fields or {}).get("company") or company_from_address(address)
    if name is None and (fields or {}).get("name"):
        name = fields["name"]
    return name, company


# The shown TL;DR leads with the ask when the request detector is fairly sure (a wrong ask misleads more
# than a missing one: the topic is shown then).
_READABLE_ASK = 0.8


def summarize_doc(doc: Doc, *, k: int = 3, max_words: int = 10, who: bool = True,
                  ask_threshold: float = 0.99) -> dict[str, Any]:
    texts = [s.text for s in doc.get("sentences") or []]
    emb = doc.get("embeddings")
    vectors = emb.vectors if emb is not None else None
    embedded = emb.embedded if emb is not None else None
    request = doc.get("request_scores")
    boost = None
    if request is not None and len(request) == len(texts):
        boost = 0.2 * np.asarray(request, dtype=np.float32)
    ranked = select_sentences(texts, vectors, embedded, k=k, boost=boost, ranked=True)
    picked = sorted(ranked)
    content = [i for i, t in enumerate(texts) if not is_formula(t) and len(t.split()) >= 3 or
               (not is_formula(t) and _CJK.search(t))]
    content = content or [i for i, t in enumerate(texts) if not is_formula(t)]
    topic_index = content[0] if content else (0 if texts else None)
    ask_index = readable_index = None
    # a courtesy offer ("Let me know if you have any questions") scores as a request but tells the rep nothing
    asks = [i for i in content if not is_courtesy_offer(texts[i])]
    if request is not None and len(request) and asks:
        best = max(asks, key=lambda i: request[i])
        if request[best] >= ask_threshold:
            ask_index = best
        if request[best] >= _READABLE_ASK:
            readable_index = best
    topic = texts[topic_index] if topic_index is not None else None
    ask = texts[ask_index] if ask_index is not None else None
    readable_ask = texts[readable_index] if readable_index is not None else None
    emotion = doc.out.get("emotion") or {}
    mood = emotion.get("label") if emotion.get("label") not in (None, "neutral") and \
        (emotion.get("confidence") or 0) >= _MOOD_CONFIDENCE else None
    name, company = _sender(doc) if who else (None, None)
    deadline = find_deadline(" ".join(texts))
    # Two one-liners from the same parts: "tldr" is telegraphic (dense, what the AESLC measure rewards);
    # "line" is the same as a readable sentence, which the inbox and the alerts show.
    tldr = build_tldr(topic_sentence=topic, ask_sentence=ask, sender_name=name, company=company,
                      deadline=deadline, mood=mood, max_words=max_words, style="telegraphic")
    line = build_tldr(topic_sentence=topic, ask_sentence=readable_ask, sender_name=name, company=company,
                      deadline=deadline, mood=mood, max_words=max_words, style="readable")
    top = ranked[0] if ranked else None
    return {"tldr": tldr.text, "line": line.text, "sentences": [texts[i] for i in picked],
            "top": texts[top] if top is not None else None, "evidence": tldr.evidence,
            "line_evidence": line.evidence, "deadline": tldr.deadline, "headline": tldr.headline}


@component("summary", reads=("sentences",), assigns=("summary",))
def make_summary(*, sentences: int = 3, max_words: int = 10, ask_threshold: float = 0.99,
                 abstractive_dir: str | None = None, abstractive_max_new_tokens: int = 48):
    """``sentences``: length of the extractive summary; ``max_words``: of the TL;DR's headline;
    ``ask_threshold``: the request score from which a later sentence is added to the TL;DR as the ask."""
    state: dict[str, Any] = {}

    def abstractive():
        if "model" not in state:
            from nlp.summary.abstractive import AbstractiveSummarizer

            state["model"] = AbstractiveSummarizer(abstractive_dir, max_new_tokens=abstractive_max_new_tokens)
        return state["model"]

    def run(docs: list[Doc]) -> None:
        for doc in docs:
            result = summarize_doc(doc, k=sentences, max_words=max_words, ask_threshold=ask_threshold)
            doc["summary"] = result
            doc.out["summary"] = result
        if abstractive_dir:
            todo = [d for d in docs if d.get("sentences")]
            if todo:
                texts = [" ".join(s.text for s in d["sentences"]) for d in todo]
                for doc, abstract in zip(todo, abstractive().summarize(texts)):
                    doc.out["summary"]["abstract"] = abstract

    return run
