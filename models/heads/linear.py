"""Linear heads over the shared features: lexical tf-idf n-grams, cue features and dense vectors.

A head has two weight sets trained together on the same data:
- *full*: lexical + cues + dense (the sentence embedding, or any dense features the caller gives);
- *lexical*: lexical + cues only, for rows whose sentence the encoder did not embed (mail triaged as
  bulk/automatic, or sentences beyond the cap).
Outputs are independent sigmoids (multi-label) or one softmax (single-label); probabilities are in
[0, 1]. Stored as one ``.npz`` (no pickles): the vocabulary, the weights, the label names and a JSON
``meta`` with the training data, date and metrics. Inference is numpy only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from scipy import sparse

from nlp.classify.features import CUE_NAMES, Vocabulary, cues

__all__ = ["LinearHead", "sigmoid", "softmax"]


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class LinearHead:
    name: str
    labels: list[str]
    kind: Literal["sigmoid", "softmax"]
    vocab: Vocabulary
    dense_dim: int
    dense_scale: float  # dense features are multiplied by this before the weights (as in training)
    w_full: np.ndarray  # (len(vocab) + n_cues + dense_dim, n_labels)
    b_full: np.ndarray  # (n_labels,)
    w_lex: np.ndarray  # (len(vocab) + n_cues, n_labels)
    b_lex: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

    # --- features -----------------------------------------------------------------------------------
    def lexical(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return sparse.hstack([self.vocab.transform(texts), sparse.csr_matrix(cues(texts))], format="csr")

    def design(self, texts: Sequence[str], dense: np.ndarray | None) -> sparse.csr_matrix:
        """The full design matrix, as training built it (tests and training share this)."""
        lex = self.lexical(texts)
        d = np.zeros((len(texts), self.dense_dim), dtype=np.float32) if dense is None else dense
        return sparse.hstack([lex, sparse.csr_matrix(d * self.dense_scale)], format="csr")

    # --- inference ----------------------------------------------------------------------------------
    def logits(self, texts: Sequence[str], dense: np.ndarray | None = None,
               has_dense: np.ndarray | None = None) -> np.ndarray:
        """Scores (n, n_labels); rows with ``has_dense`` False (or all rows when ``dense`` is None) use the
        lexical weights."""
        n = len(texts)
        if n == 0:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        lex = self.lexical(texts)
        v = len(self.vocab) + len(CUE_NAMES)
        if dense is None:
            return np.asarray(lex @ self.w_lex + self.b_lex, dtype=np.float32)
        mask = np.ones(n, dtype=bool) if has_dense is None else np.asarray(has_dense, dtype=bool)
        out = np.asarray(lex @ self.w_lex + self.b_lex, dtype=np.float32)
        if mask.any():
            rows = np.flatnonzero(mask)
            full = lex[rows] @ self.w_full[:v] + (dense[rows] * self.dense_scale) @ self.w_full[v:] + self.b_full
            out[rows] = np.asarray(full, dtype=np.float32)
        return out

    def predict_proba(self, texts: Sequence[str], dense: np.ndarray | None = None,
                      has_dense: np.ndarray | None = None) -> np.ndarray:
        z = self.logits(texts, dense, has_dense)
        return softmax(z) if self.kind == "softmax" else sigmoid(z)

    # --- storage ------------------------------------------------------------------------------------
    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {
            **self.vocab.to_arrays(),
            "labels": np.array("\n".join(self.labels)),
            "w_full": self.w_full.astype(np.float16), "b_full": self.b_full.astype(np.float32),
            "w_lex": self.w_lex.astype(np.float16), "b_lex": self.b_lex.astype(np.float32),
            "header": np.array(json.dumps({"name": self.name, "kind": self.kind, "dense_dim": self.dense_dim,
                                           "dense_scale": self.dense_scale, "cues": list(CUE_NAMES),
                                           "meta": self.meta}, ensure_ascii=False, sort_keys=True)),
        }
        with open(path, "wb") as fh:
            np.savez_compressed(fh, **arrays)
        return path

    @classmethod
    def load(cls, path: Path) -> LinearHead:
        with np.load(path, allow_pickle=False) as z:
            header = json.loads(str(z["header"]))
            if header["cues"] != list(CUE_NAMES):
                raise ValueError(f"{path}: trained with other cue features; retrain it")
            return cls(name=header["name"], labels=str(z["labels"]).split("\n"), kind=header["kind"],
                       vocab=Vocabulary.from_arrays(z), dense_dim=int(header["dense_dim"]),
                       dense_scale=float(header["dense_scale"]),
                       w_full=z["w_full"].astype(np.float32), b_full=z["b_full"].astype(np.float32),
                       w_lex=z["w_lex"].astype(np.float32), b_lex=z["b_lex"].astype(np.float32),
                       meta=header.get("meta", {}))
