"""Fitting a :class:`~models.heads.linear.LinearHead`: logistic regression, full and lexical-only.

scikit-learn's ``LogisticRegression`` (lbfgs) fits each weight set; a softmax head is one multinomial
model, a sigmoid head one binary model per label. Deterministic for the same data: lbfgs has no
random state, and the rows keep their order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from models.heads.linear import LinearHead
from nlp.classify.features import CUE_NAMES, Vocabulary

__all__ = ["fit_head", "fit_weights"]


def fit_weights(X: sparse.csr_matrix, y: np.ndarray, *, kind: str, n_labels: int, c: float,
                class_weight: str | None = None, sample_weight: np.ndarray | None = None,
                max_iter: int = 3000) -> tuple[np.ndarray, np.ndarray]:
    """(W (d, n_labels), b (n_labels,)); ``y`` is class ids (softmax) or a 0/1 matrix (sigmoid)."""
    d = X.shape[1]
    if kind == "softmax":
        model = LogisticRegression(C=c, max_iter=max_iter, class_weight=class_weight)
        model.fit(X, y, sample_weight=sample_weight)
        W = np.zeros((d, n_labels), dtype=np.float32)
        b = np.full(n_labels, -30.0, dtype=np.float32)  # a class never seen stays impossible
        classes = list(model.classes_)
        if len(classes) == 2:  # sklearn stores one vector for two classes
            W[:, classes[1]] = model.coef_[0] / 2
            W[:, classes[0]] = -model.coef_[0] / 2
            b[classes[1]] = model.intercept_[0] / 2
            b[classes[0]] = -model.intercept_[0] / 2
        else:
            for k, cls in enumerate(classes):
                W[:, cls] = model.coef_[k]
                b[cls] = model.intercept_[k]
        return W, b
    Y = np.asarray(y)
    W = np.zeros((d, n_labels), dtype=np.float32)
    b = np.full(n_labels, -30.0, dtype=np.float32)
    for j in range(n_labels):
        col = Y[:, j]
        if col.min() == col.max():  # no positive (or no negative) example: constant
            b[j] = -30.0 if col.max() == 0 else 30.0
            continue
        model = LogisticRegression(C=c, max_iter=max_iter, class_weight=class_weight)
        model.fit(X, col, sample_weight=sample_weight)
        W[:, j] = model.coef_[0]
        b[j] = model.intercept_[0]
    return W, b


def fit_head(name: str, labels: Sequence[str], kind: str, texts: Sequence[str], dense: np.ndarray, y: np.ndarray,
             *, c: float = 4.0, c_lex: float | None = None, dense_scale: float = 1.0, min_df: int = 2,
             class_weight: str | None = None, sample_weight: np.ndarray | None = None,
             vocab_texts: Sequence[str] | None = None, meta: dict | None = None) -> LinearHead:
    vocab = Vocabulary.fit(vocab_texts if vocab_texts is not None else texts, min_df=min_df)
    head = LinearHead(name=name, labels=list(labels), kind=kind, vocab=vocab, dense_dim=dense.shape[1],
                      dense_scale=dense_scale, w_full=np.zeros(0), b_full=np.zeros(0), w_lex=np.zeros(0),
                      b_lex=np.zeros(0), meta=dict(meta or {}))
    X_full = head.design(texts, dense)
    v = len(vocab) + len(CUE_NAMES)
    head.w_full, head.b_full = fit_weights(X_full, y, kind=kind, n_labels=len(labels), c=c,
                                           class_weight=class_weight, sample_weight=sample_weight)
    head.w_lex, head.b_lex = fit_weights(X_full[:, :v].tocsr(), y, kind=kind, n_labels=len(labels),
                                         c=c_lex if c_lex is not None else c, class_weight=class_weight,
                                         sample_weight=sample_weight)
    return head
