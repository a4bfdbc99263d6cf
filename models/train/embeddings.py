"""Sentence vectors for training and evaluation, cached on disk so that a re-run costs seconds.

The cache key is the encoder's settings and the exact list of texts, so a changed data set or encoder
never reads a stale file. The cache lives outside the repository (``$MAILASSIST_CACHE_DIR`` or
``~/.cache/mailassist``); deleting it only costs time.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from models.encoder import Encoder, get_encoder

__all__ = ["embed_cached", "cache_dir"]


def cache_dir() -> Path:
    root = Path(os.environ.get("MAILASSIST_CACHE_DIR") or Path.home() / ".cache" / "mailassist")
    return root / "embeddings"


def embed_cached(texts: Sequence[str], *, encoder: Encoder | None = None, chunk: int = 2048) -> np.ndarray:
    """Vectors for ``texts`` in order, computed with the pipeline's encoder (fp32 for reproducibility)."""
    enc = encoder or get_encoder(dtype="fp32")
    digest = hashlib.sha256()
    digest.update(f"{enc.path.name}|{enc.max_tokens}|{enc.layout}|{len(texts)}".encode())
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    path = cache_dir() / f"{digest.hexdigest()[:24]}.npy"
    if path.exists():
        return np.load(path)
    out = np.concatenate([enc.encode(texts[i:i + chunk]) for i in range(0, len(texts), chunk)]) \
        if texts else np.zeros((0, enc.dim), dtype=np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, out)
    tmp.replace(path)
    return out
