"""Pipeline component "embed": one vector per sentence of the new text, for every later stage to share.

All sentences of all documents of a batch go to the encoder in one call (sorted by length inside it,
duplicates embedded once), so the batch pads little and the model runs on full batches.

Triage: mail the parse stage marked as written by a machine — bulk, auto-reply, bounce
(``doc.out["auto"]["kind"]``, from headers such as Precedence, List-Unsubscribe, Auto-Submitted, DSN
parts) — is not embedded. Mailing-list mail (``list``: List-Id without bulk signs) is written by people
and is embedded like any other mail. Its intents come from the headers and its other labels from the lexical heads; the
result says so in ``triage``: ``{"encoder": false, "reason": "bulk", "evidence": "List-Id header"}``.
Per message at most ``max_sentences`` sentences are embedded (the first ones: mail puts its point
first), each truncated to ``max_tokens`` tokens; greetings, sign-offs and one-word lines are skipped.
The others are scored by the lexical heads alone.

Assigns ``doc["embeddings"]``: a :class:`SentenceVectors` (``vectors`` (n, dim) float32 with zero rows
for sentences not embedded, and ``embedded``, a bool per sentence), or None for a triaged document.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from models.encoder import QUANTIZE
from nlp.pipeline import Doc, component
from nlp.summary.formulas import is_formula

__all__ = ["SentenceVectors", "make_embed", "select_for_embedding", "TRIAGE_KINDS"]

TRIAGE_KINDS = ("bulk", "auto_reply", "bounce")


@dataclass
class SentenceVectors:
    vectors: np.ndarray  # (n_sentences, dim) float32, unit rows; zero rows where not embedded
    embedded: np.ndarray  # (n_sentences,) bool

    @property
    def any(self) -> bool:
        return bool(self.embedded.any())


def _auto_kind(doc: Doc) -> tuple[str | None, str | None]:
    auto = doc.out.get("auto") or {}
    reasons = auto.get("reasons") or []
    return auto.get("kind"), (reasons[0] if reasons else None)


def _worth_embedding(text: str) -> bool:
    return len(text.split()) >= 2 or (len(text) >= 6 and not text.isascii())


def select_for_embedding(texts: list[str], max_sentences: int) -> list[int]:
    """Indexes of the sentences the encoder sees: content sentences, the first ``max_sentences``."""
    return [i for i, t in enumerate(texts) if _worth_embedding(t) and not is_formula(t)][:max_sentences]


@component("embed", reads=("sentences",), assigns=("embeddings",))
def make_embed(*, model: str | None = None, dtype: str = "auto", max_tokens: int = 48, max_sentences: int = 4,
               batch_size: int = 64, skip_auto: Iterable[str] = TRIAGE_KINDS, backend: str = "auto",
               threads: int | None = None, quantize: str = QUANTIZE):
    """``model``: a local encoder directory (default: the bundled all-MiniLM-L6-v2). ``backend``: "auto"
    (ONNX Runtime where installed and validated, else torch), "onnx" or "torch"; ``threads``: intra-op
    threads of the encoder (unset: ``$MAILASSIST_ENCODER_THREADS``, else the backend's default);
    ``quantize``: "int8" (ONNX graph with int8 weights, the default) or "none" (fp32)."""
    from models.encoder import get_encoder

    skip = frozenset(skip_auto)
    state: dict = {}

    def encoder():
        if "encoder" not in state:  # loaded on the first batch that needs it, once per process
            state["encoder"] = get_encoder(model, dtype=dtype, max_tokens=max_tokens, batch_size=batch_size,
                                           backend=backend, threads=threads, quantize=quantize)
        return state["encoder"]

    def begin(docs: list[Doc]):
        """Choose the sentences, start the encoder on them in the background; the returned callable waits
        and assigns the vectors (the pipeline overlaps that wait with other batches' stages)."""
        texts: list[str] = []
        slots: list[tuple[Doc, list[int]]] = []
        for doc in docs:
            sentences = doc.get("sentences") or []
            kind, evidence = _auto_kind(doc)
            if kind in skip:
                doc["embeddings"] = None
                doc.out["triage"] = {"encoder": False, "reason": kind, "evidence": evidence}
                continue
            chosen = select_for_embedding([s.text for s in sentences], max_sentences)
            slots.append((doc, chosen))
            texts.extend(sentences[i].text for i in chosen)
            doc.out["triage"] = {"encoder": True, "reason": None, "evidence": None,
                                 "embedded": len(chosen), "sentences": len(sentences)}
        future = encoder().submit(texts) if texts else None

        def finish() -> None:
            vectors = future.result() if future is not None else None
            pos = 0
            for doc, chosen in slots:
                n = len(doc.get("sentences") or [])
                dim = vectors.shape[1] if vectors is not None else 384
                out = np.zeros((n, dim), dtype=np.float32)
                mask = np.zeros(n, dtype=bool)
                if chosen:
                    out[chosen] = vectors[pos:pos + len(chosen)]
                    mask[chosen] = True
                    pos += len(chosen)
                doc["embeddings"] = SentenceVectors(out, mask)

        return finish

    def run(docs: list[Doc]) -> None:
        begin(docs)()

    run.begin = begin  # type: ignore[attr-defined]  # lets Pipeline.pipe overlap batches with the encoder
    run.encoder = encoder  # type: ignore[attr-defined]  # the stage's own encoder, for bench/pipeline.py
    return run
