"""The shipped zoning model: a line classifier plus a zone-transition matrix, decoded with Viterbi.

``ZoningModel.load()`` reads ``models/zoning/weights/zoning.npz`` (written by ``models/zoning/train.py``).
The classifier is a small feed-forward network (or, with no hidden layer, a multinomial logistic
regression) over the line features; its log-probabilities and the learned log-transition scores are
combined by a Viterbi decode run across all messages of a batch at once, so zones form sensible runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from threadpoolctl import ThreadpoolController

from nlp.zoning.features import BASE, CONTEXT, FEATURES, NEIGHBOUR, NEIGHBOUR_INDEX, OFFSETS, Batch
from nlp.zoning.labels import ZONES

__all__ = ["ZoningModel", "DEFAULT_WEIGHTS", "viterbi"]

DEFAULT_WEIGHTS = Path(__file__).resolve().parents[2] / "models" / "zoning" / "weights" / "zoning.npz"

@lru_cache(maxsize=1)
def _blas_controller() -> ThreadpoolController:
    """One controller per process: building one scans every loaded library (about 10 ms), which
    ``threadpool_limits`` did on every batch."""
    return ThreadpoolController()


@dataclass(frozen=True)
class ZoningModel:
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]  # (W, b) per layer; ReLU between layers
    transitions: np.ndarray  # (L, L) log-scores, rows = previous zone
    start: np.ndarray  # (L,) log-scores of the first line's zone
    prior: np.ndarray  # (L,) log-prior subtracted from the classifier's log-probabilities
    mean: np.ndarray  # (F,) feature standardisation
    scale: np.ndarray  # (F,)
    version: str = "0"
    # The first layer split for :meth:`log_proba_batch`, computed once per model object.
    _split: tuple | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def load(cls, path: Path | str | None = None) -> ZoningModel:
        return _load(str(path or DEFAULT_WEIGHTS))

    def log_proba(self, X: np.ndarray) -> np.ndarray:
        """Per-line log-probabilities of each zone from the full feature matrix (training, tests)."""
        W, b = self.layers[0]
        h = ((X - self.mean) / self.scale) @ W + b
        return self._rest(h)

    def log_proba_batch(self, batch: Batch) -> np.ndarray:
        """The same from a :class:`Batch`, without building the wide neighbour matrix.

        The first layer is linear, so a neighbour's contribution is its own row of ``base @ W`` moved
        by the offset: the shifts act on (lines x hidden) products instead of (lines x features).
        """
        with _blas_controller().limit(limits=1, user_api="blas"):
            return self._log_proba_batch(batch)

    def _log_proba_batch(self, batch: Batch) -> np.ndarray:
        # One BLAS thread: these products are small, and more threads spin more than they compute
        # (measured: 40 % less CPU per message on 2 cores, and the other core stays free for the next stage).
        w_base, w_off, w_ctx, bias = _split_first_layer(self)
        h = batch.base @ w_base + batch.ctx @ w_ctx + bias
        n = len(h)
        if n:
            prod = batch.base @ w_off
            width = w_base.shape[1]
            sizes = np.diff(np.append(batch.offsets, n))
            for j, off in enumerate(OFFSETS):
                part = prod[:, j * width:(j + 1) * width]
                # Row i takes row i+off; rows whose neighbour lies in another message take it back out.
                if off < 0:
                    h[-off:] += part[:off]
                    bad = _edge_rows(batch.offsets, sizes, -off, first=True)
                else:
                    h[:-off] += part[off:]
                    bad = _edge_rows(batch.offsets, sizes, off, first=False)
                bad = bad[(bad + off >= 0) & (bad + off < n)]
                h[bad] -= part[bad + off]
        return self._rest(h)

    def _rest(self, h: np.ndarray) -> np.ndarray:
        for W, b in self.layers[1:]:
            np.maximum(h, 0.0, out=h)
            h = h @ W + b
        h = h - h.max(axis=1, keepdims=True)
        return h - np.log(np.exp(h).sum(axis=1, keepdims=True))

    def decode(self, batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        """Zone index and confidence for every line of a batch.

        The confidence of a line is the classifier's probability of the zone the decode chose.
        """
        logp = self.log_proba_batch(batch)
        labels = viterbi(logp - self.prior, self.transitions, self.start, batch.offsets)
        conf = np.exp(logp[np.arange(len(labels)), labels])
        return labels, conf


def _edge_rows(offsets: np.ndarray, sizes: np.ndarray, k: int, *, first: bool) -> np.ndarray:
    """The first (or last) ``k`` rows of every message, clipped to the message."""
    steps = np.arange(k)
    if first:
        rows = offsets[:, None] + steps[None, :]
        keep = steps[None, :] < sizes[:, None]
    else:
        rows = (offsets + sizes - 1)[:, None] - steps[None, :]
        keep = steps[None, :] < sizes[:, None]
    return rows[keep]


def _split_first_layer(model: ZoningModel) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """First-layer weights with the standardisation folded in, split into base/neighbour/context parts."""
    if model._split is not None:
        return model._split
    W, b = model.layers[0]
    Wf = (W / model.scale[:, None]).astype(np.float32)
    bf = (b - (model.mean / model.scale) @ W).astype(np.float32)
    nb, nn = len(BASE), len(NEIGHBOUR)
    width = W.shape[1]
    w_base = Wf[:nb]
    w_off = np.zeros((nb, width * len(OFFSETS)), dtype=np.float32)
    for j in range(len(OFFSETS)):
        w_off[NEIGHBOUR_INDEX, j * width:(j + 1) * width] = Wf[nb + j * nn: nb + (j + 1) * nn]
    w_ctx = Wf[nb + len(OFFSETS) * nn:]
    if w_ctx.shape[0] != len(CONTEXT):
        raise ValueError("first layer does not match the feature layout; retrain the zoning model")
    split = (w_base, w_off, w_ctx, bf)
    object.__setattr__(model, "_split", split)  # frozen dataclass: a cache, not state
    return split


def viterbi(emis: np.ndarray, trans: np.ndarray, start: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Best zone sequence per message, vectorised across messages.

    Messages are sorted longest first and their emissions laid out as a (step, message, zone) tensor,
    so at step t the messages still running are a prefix of the order and each step is a handful of
    numpy operations on contiguous slices, whatever the number of messages.
    """
    n, L = emis.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    lengths = np.diff(np.append(offsets, n))
    order = np.argsort(-lengths, kind="stable")
    order = order[lengths[order] > 0]
    offs = offsets[order]
    lens = lengths[order]
    K = len(offs)
    T = int(lens[0])
    running = np.searchsorted(-lens, -np.arange(T + 1), side="left")  # messages with len > t
    back = np.empty((T, K, L), dtype=np.int8)
    scores = np.empty((K, L, L))
    final = np.empty((K, L))
    delta = start[None, :] + emis[offs]
    k1 = running[1] if T > 1 else 0
    final[k1:K] = delta[k1:K]
    trans_t = np.ascontiguousarray(trans.T)  # [next, previous]: reductions run over the last axis
    for t in range(1, T):
        k = running[t]
        done = running[t + 1]
        sc = scores[:k]
        np.add(delta[:k, None, :], trans_t, out=sc)
        back[t, :k] = sc.argmax(axis=2)
        delta = sc.max(axis=2)
        delta += emis[offs[:k] + t]
        if done < k:  # messages whose last step this is
            final[done:k] = delta[done:k]
    # Walk back from each message's last step.
    labels = np.empty(n, dtype=np.int64)
    final_best = final.argmax(axis=1)
    cur = final_best.copy()
    last = lens - 1
    ar = np.arange(K)
    for t in range(T - 1, -1, -1):
        k = running[t]
        ends_here = last[:k] == t
        if ends_here.any():
            cur[:k] = np.where(ends_here, final_best[:k], cur[:k])
        labels[offs[:k] + t] = cur[:k]
        if t:
            cur[:k] = back[t, ar[:k], cur[:k]]
    return labels


@lru_cache(maxsize=4)
def _load(path: str) -> ZoningModel:
    with np.load(path, allow_pickle=False) as z:
        names = [str(s) for s in z["features"]]
        if names != FEATURES:
            raise ValueError(f"{path}: weights were trained on other features; retrain the zoning model")
        zones = [str(s) for s in z["zones"]]
        if tuple(zones) != ZONES:
            raise ValueError(f"{path}: weights were trained on other zones; retrain the zoning model")
        n_layers = int(z["n_layers"])
        layers = tuple(
            (z[f"W{k}"].astype(np.float32), z[f"b{k}"].astype(np.float32)) for k in range(n_layers)
        )
        return ZoningModel(
            layers=layers,
            transitions=z["transitions"].astype(np.float64),
            start=z["start"].astype(np.float64),
            prior=z["prior"].astype(np.float64),
            mean=z["mean"].astype(np.float32),
            scale=z["scale"].astype(np.float32),
            version=str(z["version"]),
        )
