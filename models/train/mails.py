"""The project's mails as the pipeline sees them: sentences, which of them the encoder embeds, vectors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from models.train.embeddings import embed_cached
from nlp.embed.component import select_for_embedding
from nlp.sentences.split import split_sentences

__all__ = ["MailVectors", "mail_vectors", "MAX_SENTENCES"]

MAX_SENTENCES = 4  # the embed component's default (nlp/default_pipeline.toml)


@dataclass
class MailVectors:
    sentences: list[str]
    vectors: np.ndarray  # (n, dim), zero rows where not embedded
    embedded: np.ndarray  # (n,) bool

    def mean(self) -> np.ndarray:
        """The normalised mean of the embedded sentences (zeros when none): a whole-mail vector."""
        if not self.embedded.any():
            return np.zeros(self.vectors.shape[1], dtype=np.float32)
        m = self.vectors[self.embedded].mean(axis=0)
        return (m / max(float(np.linalg.norm(m)), 1e-6)).astype(np.float32)


def mail_vectors(texts: Sequence[str], *, max_sentences: int = MAX_SENTENCES, encoder=None) -> list[MailVectors]:
    """``encoder``: the pipeline's (default) or another object with ``encode``, ``path``, ``max_tokens``,
    ``dtype`` and ``dim`` (see :func:`models.train.embeddings.embed_cached`)."""
    per_mail = [[s.text for s in split_sentences(t)] for t in texts]
    chosen = [select_for_embedding(s, max_sentences) for s in per_mail]
    flat = [s[i] for s, idx in zip(per_mail, chosen) for i in idx]
    vecs = embed_cached(flat, encoder=encoder)
    out, pos = [], 0
    dim = vecs.shape[1] if len(flat) else 384
    for sents, idx in zip(per_mail, chosen):
        v = np.zeros((len(sents), dim), dtype=np.float32)
        mask = np.zeros(len(sents), dtype=bool)
        if idx:
            v[idx] = vecs[pos:pos + len(idx)]
            mask[idx] = True
            pos += len(idx)
        out.append(MailVectors(sents, v, mask))
    return out
