"""Extractive summary: the most central sentences of the new text, without repeats, in reading order.

Centrality is a sentence's mean cosine similarity to the other content sentences (the embeddings the
"embed" stage made; word overlap where a sentence was not embedded), plus a small bonus for coming
early (mail puts the point first). Sentences are then picked by maximal marginal relevance: each next
pick trades centrality against similarity to what is already picked, and a near-duplicate of a picked
sentence is never picked. Greetings, sign-offs and name lines are never candidates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from nlp.summary.formulas import is_formula

__all__ = ["centrality", "select_sentences", "similarity_matrix"]

_WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_PAIRS_BY_LOOP = 150  # below this many pairs to compare by words, a loop beats building matrices


def _bag(text: str) -> set[str]:
    low = text[:600].lower()
    words = set(_WORD.findall(low))
    if _CJK.search(low):  # no spaces in Japanese: character bigrams stand in for words
        chars = [c for c in low if not c.isspace()]
        words |= {a + b for a, b in zip(chars, chars[1:])}
    return words


def similarity_matrix(texts: Sequence[str], vectors: np.ndarray | None,
                      embedded: np.ndarray | None = None) -> np.ndarray:
    """Cosine similarity of the embeddings; Jaccard word overlap for any pair with a sentence not embedded."""
    n = len(texts)
    sim = np.zeros((n, n), dtype=np.float32)
    have = np.zeros(n, dtype=bool) if vectors is None else (
        np.ones(n, dtype=bool) if embedded is None else np.asarray(embedded, dtype=bool))
    if vectors is not None and have.any():
        v = vectors[have]
        sim[np.ix_(have, have)] = v @ v.T
    if not have.all():
        bags = [_bag(t) for t in texts]
        missing = int(n - have.sum())
        if missing * (n - missing) + missing * (missing - 1) // 2 <= _PAIRS_BY_LOOP:
            for i in range(n):
                for j in range(i + 1, n):
                    if have[i] and have[j]:
                        continue
                    union = len(bags[i] | bags[j])
                    sim[i, j] = sim[j, i] = (len(bags[i] & bags[j]) / union) if union else 0.0
            np.fill_diagonal(sim, 1.0)
            return sim
        # Many pairs (a long mail past the embedding cap): every pair's Jaccard overlap at once, the
        # shared words being a product of 0/1 word matrices.
        vocab: dict[str, int] = {}
        rows = [[vocab.setdefault(w, len(vocab)) for w in bag] for bag in bags]
        words = sparse.csr_matrix((np.ones(sum(map(len, rows)), dtype=np.float64),
                                   np.array([c for r in rows for c in r], dtype=np.int64),
                                   np.cumsum([0] + [len(r) for r in rows])), shape=(n, max(len(vocab), 1)))
        shared = (words @ words.T).toarray()
        sizes = np.array([len(b) for b in bags], dtype=np.float64)
        union = sizes[:, None] + sizes[None, :] - shared
        jaccard = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0).astype(np.float32)
        either = ~(have[:, None] & have[None, :])  # pairs with a sentence not embedded
        sim[either] = jaccard[either]
    np.fill_diagonal(sim, 1.0)
    return sim


def centrality(sim: np.ndarray, candidates: Sequence[int], *, position_weight: float = 0.15) -> np.ndarray:
    """A score per sentence (−inf for non-candidates): mean similarity to the other candidates + position."""
    n = sim.shape[0]
    scores = np.full(n, -np.inf, dtype=np.float32)
    cand = list(candidates)
    if not cand:
        return scores
    sub = sim[np.ix_(cand, cand)]
    mean = (sub.sum(axis=1) - 1.0) / max(len(cand) - 1, 1) if len(cand) > 1 else np.ones(1, dtype=np.float32)
    for rank, (i, m) in enumerate(zip(cand, mean)):
        scores[i] = float(m) + position_weight / (1.0 + rank)
    return scores


def select_sentences(texts: Sequence[str], vectors: np.ndarray | None = None, embedded: np.ndarray | None = None,
                     *, k: int = 3, diversity: float = 0.3, duplicate: float = 0.9,
                     boost: np.ndarray | None = None, ranked: bool = False) -> list[int]:
    """Indexes of up to ``k`` summary sentences, in reading order (``ranked``: in the order picked, the most
    central first); ``boost`` adds to a sentence's centrality."""
    candidates = [i for i, t in enumerate(texts) if not is_formula(t)]
    if not candidates:
        return []
    sim = similarity_matrix(texts, vectors, embedded)
    score = centrality(sim, candidates)
    if boost is not None:
        score = score + np.asarray(boost, dtype=np.float32)
    picked: list[int] = []
    pool = set(candidates)
    while pool and len(picked) < k:
        best, best_value = None, -np.inf
        for i in pool:
            redundancy = max((sim[i, j] for j in picked), default=0.0)
            if redundancy >= duplicate:
                continue
            value = (1 - diversity) * score[i] - diversity * redundancy
            if value > best_value:
                best, best_value = i, value
        if best is None:
            break
        picked.append(best)
        pool.discard(best)
    return picked if ranked else sorted(picked)
