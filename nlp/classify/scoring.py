"""The dense features of the e-mail heads (intents, insights), shared by training and inference.

A mail is scored as one row: its text (the head's own lexical features) and a dense part made of the
mean of its sentence embeddings, the cue-phrase hits of ``patterns.CUES`` and the highest sentence
request score. The evidence for a label is then found by scoring each sentence as a row of its own
(its vector, its cue hits, its request score) with the same head.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nlp.classify.patterns import CUE_LABELS, cue_hits

__all__ = ["mail_dense", "mean_vector", "sentence_dense", "DENSE_EXTRA"]

DENSE_EXTRA = len(CUE_LABELS) + 1


def mean_vector(vectors: np.ndarray | None, embedded: np.ndarray | None, dim: int = 384) -> np.ndarray:
    if vectors is None or embedded is None or not np.asarray(embedded).any():
        return np.zeros(dim, dtype=np.float32)
    m = vectors[np.asarray(embedded, dtype=bool)].mean(axis=0)
    return (m / max(float(np.linalg.norm(m)), 1e-6)).astype(np.float32)


def mail_dense(texts: Sequence[str], mean: np.ndarray, request_max: float) -> np.ndarray:
    """``texts``: the mail's sentences; its cue-phrase hits are those of any sentence."""
    hits = cue_hits(texts).max(axis=0) if len(texts) else np.zeros(len(CUE_LABELS), np.float32)
    return np.concatenate([mean.astype(np.float32), hits, np.array([request_max], np.float32)])


def sentence_dense(texts: Sequence[str], vectors: np.ndarray, request: np.ndarray) -> np.ndarray:
    if not len(texts):
        return np.zeros((0, vectors.shape[1] + DENSE_EXTRA), dtype=np.float32)
    return np.concatenate([vectors.astype(np.float32), cue_hits(texts),
                           np.asarray(request, np.float32).reshape(-1, 1)], axis=1)
