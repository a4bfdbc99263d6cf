"""Pipeline components "intent", "insights", "sentiment" and "emotion": labels with confidence and evidence.

All four read ``doc["sentences"]`` (the new text only) and, when the "embed" stage ran, the shared
sentence vectors ``doc["embeddings"]``; without them (stage disabled, mail triaged, sentence beyond the
cap) the heads' lexical weights score the row. Weights are the small heads in ``models/*/weights``
(numpy inference, loaded once per process).

- **intent**: a request probability per sentence (``sentences[].request`` in the result; assigns
  ``doc["request_scores"]``) and the e-mail intents ``[{label, confidence, evidence}]``. Mail that the
  parse stage recognised as automatic (auto-reply, bounce, bulk) gets that intent from its headers with
  the header as evidence.
- **insights**: ``[{label, confidence, evidence}]``; competitor comes from the admin's list
  (``competitors`` option, or ``doc["competitors"]`` per message, e.g. from OrgSettings.competitors).
- **sentiment**: ``{label, score, evidence}``, score = P(positive) − P(negative) in [−1, 1].
- **emotion**: ``{label, confidence, scores, evidence}`` over the eight product emotions.

The evidence of a label is the sentence that scores highest for it when each sentence is scored as a
row of its own by the same head.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from nlp.classify.patterns import compile_competitors, find_competitors
from nlp.classify.scoring import mail_dense, mean_vector, sentence_dense
from nlp.pipeline import Doc, component
from nlp.summary.formulas import is_formula

__all__ = ["make_intent", "make_insights", "make_sentiment", "make_emotion", "load_head", "request_scores",
           "MODELS_DIR"]

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
_HEADS: dict[str, Any] = {}
_LOCK = threading.Lock()
_AUTO_INTENT = {"auto_reply": "auto_reply", "bounce": "bounce", "bulk": "bulk"}


def load_head(relative: str):
    """A head from ``models/<relative>``, loaded once per process."""
    from models.heads.linear import LinearHead

    with _LOCK:
        if relative not in _HEADS:
            _HEADS[relative] = LinearHead.load(MODELS_DIR / relative)
        return _HEADS[relative]


def _vectors(doc: Doc) -> tuple[np.ndarray | None, np.ndarray | None]:
    emb = doc.get("embeddings")
    if emb is None:
        return None, None
    return emb.vectors, emb.embedded


def _texts(doc: Doc) -> list[str]:
    return [s.text for s in doc.get("sentences") or []]


def request_scores(docs: list[Doc], head) -> list[np.ndarray]:
    """The request probability of every sentence of every document, one head call for the batch."""
    texts: list[str] = []
    dense: list[np.ndarray] = []
    has: list[np.ndarray] = []
    sizes = []
    for doc in docs:
        t = _texts(doc)
        vec, emb = _vectors(doc)
        sizes.append(len(t))
        texts.extend(t)
        dense.append(vec if vec is not None else np.zeros((len(t), head.dense_dim), np.float32))
        has.append(emb if emb is not None else np.zeros(len(t), bool))
    if not texts:
        return [np.zeros(0, np.float32) for _ in docs]
    p = head.predict_proba(texts, np.concatenate(dense), np.concatenate(has))[:, 0]
    out, pos = [], 0
    for n in sizes:
        out.append(p[pos:pos + n])
        pos += n
    return out


def _mail_text(doc: Doc) -> str:
    text = doc.get("new_text")
    if text is None:
        text = doc.get("body") or ""
    return text


def _features(doc: Doc) -> dict[str, Any]:
    """The mail row and the sentence rows of the e-mail heads (computed once, shared by intent/insights)."""
    cached = doc.get("_mail_features")
    if cached is not None:
        return cached
    texts = _texts(doc)
    vec, emb = _vectors(doc)
    req = doc.get("request_scores")
    if req is None:
        req = request_scores([doc], load_head("intent/weights/request.npz"))[0]
    dim = vec.shape[1] if vec is not None else 384
    has_dense = vec is not None and emb is not None and bool(emb.any())
    feats = {
        "text": _mail_text(doc),
        "dense": mail_dense(texts, mean_vector(vec, emb, dim), float(req.max()) if len(req) else 0.0),
        "has_dense": has_dense,
        "sent_texts": texts,
        "sent_dense": sentence_dense(texts, vec if vec is not None else np.zeros((len(texts), dim), np.float32), req),
        "sent_has": emb if emb is not None else np.zeros(len(texts), bool),
    }
    doc["_mail_features"] = feats
    return feats


def _content(texts: list[str]) -> np.ndarray:
    return np.array([not is_formula(t) for t in texts], dtype=bool)


def _evidence(scores: np.ndarray, content: np.ndarray, texts: list[str]) -> str | None:
    """The sentence with the highest score, preferring content sentences over greetings and sign-offs."""
    if not len(texts):
        return None
    s = np.where(content, scores, scores - 10.0)
    return texts[int(np.argmax(s))]


def _multi_label(docs: list[Doc], head, threshold: float) -> list[list[dict[str, Any]]]:
    feats = [_features(d) for d in docs]
    mail_p = head.predict_proba([f["text"] for f in feats], np.stack([f["dense"] for f in feats]),
                                np.array([f["has_dense"] for f in feats]))
    chosen = [[j for j in np.argsort(-p) if p[j] >= threshold] for p in mail_p]
    # the sentences of every document with a label, scored in one call, for the evidence
    need = [i for i, f in enumerate(feats) if chosen[i] and f["sent_texts"]]
    sent_p: dict[int, np.ndarray] = {}
    if need:
        texts = [t for i in need for t in feats[i]["sent_texts"]]
        allp = head.predict_proba(texts, np.concatenate([feats[i]["sent_dense"] for i in need]),
                                  np.concatenate([feats[i]["sent_has"] for i in need]))
        pos = 0
        for i in need:
            n = len(feats[i]["sent_texts"])
            sent_p[i] = allp[pos:pos + n]
            pos += n
    results = []
    for i, (f, p) in enumerate(zip(feats, mail_p)):
        labels = []
        content = _content(f["sent_texts"]) if i in sent_p else None
        for j in chosen[i]:
            evidence = _evidence(sent_p[i][:, j], content, f["sent_texts"]) if i in sent_p else None
            labels.append({"label": head.labels[j], "confidence": round(float(p[j]), 4), "evidence": evidence})
        results.append(labels)
    return results


@component("intent", reads=("sentences",), assigns=("request_scores", "intents"))
def make_intent(*, threshold: float = 0.5, weights: str = "intent/weights/intents.npz",
                request_weights: str = "intent/weights/request.npz"):
    """``threshold``: a label is given when its probability reaches it."""
    request_head = load_head(request_weights)
    head = load_head(weights)

    def run(docs: list[Doc]) -> None:
        for doc, scores in zip(docs, request_scores(docs, request_head)):
            doc["request_scores"] = scores
            doc.out["sentences"] = [{"text": t, "request": round(float(s), 4)} for t, s in zip(_texts(doc), scores)]
        for doc, labels in zip(docs, _multi_label(docs, head, threshold)):
            kind = (doc.out.get("auto") or {}).get("kind")
            auto = _AUTO_INTENT.get(kind)
            if auto:
                reasons = (doc.out.get("auto") or {}).get("reasons") or []
                labels = [x for x in labels if x["label"] != auto]
                labels.insert(0, {"label": auto, "confidence": 0.99,
                                  "evidence": reasons[0] if reasons else None, "source": "headers"})
            scores = doc["request_scores"]
            for x in labels:  # the request label's evidence is the sentence most likely to be the ask
                if x["label"] == "request" and len(scores):
                    content = _content(_texts(doc))
                    x["evidence"] = _evidence(scores, content, _texts(doc))
            doc["intents"] = labels
            doc.out["intents"] = labels

    return run


@component("insights", reads=("sentences",), assigns=("insights",))
def make_insights(*, threshold: float = 0.5, weights: str = "intent/weights/insights.npz",
                  competitors: Iterable[str] = ()):
    """``competitors``: the admin's list (a document's ``doc["competitors"]`` replaces it)."""
    head = load_head(weights)
    default_pattern = compile_competitors(competitors)

    def run(docs: list[Doc]) -> None:
        for doc, labels in zip(docs, _multi_label(docs, head, threshold)):
            names = doc.get("competitors")
            pattern = compile_competitors(names) if names is not None else default_pattern
            if pattern is not None:
                for text in _texts(doc):
                    found = find_competitors(pattern, text)
                    if found:
                        labels.append({"label": "competitor", "confidence": 0.95, "evidence": text,
                                       "names": found})
                        break
            doc["insights"] = labels
            doc.out["insights"] = labels

    return run


def _softmax_mail(docs: list[Doc], head) -> list[tuple[np.ndarray, np.ndarray | None, list[str]]]:
    """Mail probabilities (the mail row: its text, mean vector) and per-sentence probabilities."""
    texts, dense, has = [], [], []
    sent_rows = []
    for doc in docs:
        vec, emb = _vectors(doc)
        st = _texts(doc)
        dim = vec.shape[1] if vec is not None else head.dense_dim
        texts.append(_mail_text(doc))
        dense.append(mean_vector(vec, emb, dim))
        has.append(emb is not None and bool(emb.any()))
        sent_rows.append((st, vec if vec is not None else np.zeros((len(st), dim), np.float32),
                          emb if emb is not None else np.zeros(len(st), bool)))
    p = head.predict_proba(texts, np.stack(dense), np.array(has))
    all_texts = [t for st, _, _ in sent_rows for t in st]
    sp_all = head.predict_proba(all_texts, np.concatenate([v for _, v, _ in sent_rows]),
                                np.concatenate([e for _, _, e in sent_rows])) if all_texts else None
    out, pos = [], 0
    for row, (st, _, _) in zip(p, sent_rows):
        sp = sp_all[pos:pos + len(st)] if st else None
        pos += len(st)
        out.append((row, sp, st))
    return out


@component("sentiment", reads=("sentences",), assigns=("sentiment",))
def make_sentiment(*, weights: str = "emotion/weights/sentiment.npz"):
    head = load_head(weights)
    pos_i, neg_i = head.labels.index("positive"), head.labels.index("negative")

    def run(docs: list[Doc]) -> None:
        for doc, (p, sp, st) in zip(docs, _softmax_mail(docs, head)):
            j = int(np.argmax(p))
            evidence = None
            if st:
                evidence = _evidence(sp[:, j], _content(st), st)
            result = {"label": head.labels[j], "score": round(float(p[pos_i] - p[neg_i]), 4),
                      "confidence": round(float(p[j]), 4), "evidence": evidence}
            doc["sentiment"] = result
            doc.out["sentiment"] = result

    return run


@component("emotion", reads=("sentences",), assigns=("emotion",))
def make_emotion(*, weights: str = "emotion/weights/emotion.npz"):
    head = load_head(weights)

    def run(docs: list[Doc]) -> None:
        for doc, (p, sp, st) in zip(docs, _softmax_mail(docs, head)):
            j = int(np.argmax(p))
            evidence = _evidence(sp[:, j], _content(st), st) if st else None
            result = {"label": head.labels[j], "confidence": round(float(p[j]), 4),
                      "scores": {label: round(float(x), 4) for label, x in zip(head.labels, p)},
                      "evidence": evidence}
            doc["emotion"] = result
            doc.out["emotion"] = result

    return run
