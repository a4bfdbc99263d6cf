"""ONNX Runtime backend of the sentence encoder: the bundled model exported once, on first use, to a cache.

The graph is exported from the local torch model (nothing is downloaded) with inputs ``input_ids`` and
``attention_mask`` (dynamic batch and sequence axes) and outputs ``last_hidden_state`` and ``hidden_<i>``
for each index of ``PROBE_LAYERS``, so that the pooled vector and the probe features are computed from the
same states as with torch.

Cache: ``$MAILASSIST_CACHE_DIR/onnx`` or ``~/.cache/mailassist/onnx``, one folder per model fingerprint
(model files, torch/transformers versions, probe layers). A folder holds ``model.onnx`` and ``meta.json``
(the file's size and sha256, and reference vectors computed with torch at export time); with
``quantize="int8"`` also ``model.int8.onnx`` and ``meta.int8.json``: the fp32 graph with every weight
matrix quantised to int8 per output channel (ONNX Runtime's dynamic quantisation: activations are
quantised on the fly), checked against the same torch vectors with a looser bound. Export happens
under an exclusive file lock, into a temporary file renamed into place, so concurrent processes (uvicorn
workers) neither corrupt nor duplicate it. On load the file is checked against ``meta.json`` and a
reference sentence is re-embedded; a missing, corrupt or stale file is exported again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["cache_root", "model_fingerprint", "load_session", "OnnxUnavailable", "VALIDATION_TEXTS",
           "MIN_COSINE", "MIN_COSINE_INT8", "QUANTIZATIONS", "available"]

log = logging.getLogger(__name__)

OPSET = 17
MIN_COSINE = 0.9999
# int8 weights move a sentence vector by a cosine of about 0.99 on average over the SpamAssassin bench's
# sentences (0.95 on a bare "ok" in VALIDATION_TEXTS); far below that the graph is broken.
MIN_COSINE_INT8 = 0.90
QUANTIZATIONS = ("none", "int8")
FORMAT = 1  # bump when the exported graph's inputs/outputs change
VALIDATION_TEXTS = (
    "Could you send me the signed contract by Friday?",
    "Thanks, that works for us.",
    "ok",
    "We are really disappointed with the delay on the last three shipments and need an answer today.",
    "Der Termin am Dienstag passt leider nicht, können wir auf Mittwoch verschieben?",
    "来週の打ち合わせの資料を送ってください。",
)


class OnnxUnavailable(RuntimeError):
    """ONNX Runtime is not installed, or the export could not be made or validated."""


def available() -> bool:
    try:
        import onnxruntime  # noqa: F401
    except Exception:  # noqa: BLE001 - any import failure means: not available
        return False
    return True


def cache_root() -> Path:
    root = Path(os.environ.get("MAILASSIST_CACHE_DIR") or Path.home() / ".cache" / "mailassist")
    return root / "onnx"


def model_fingerprint(model_dir: Path, probe_layers: tuple[int, ...]) -> str:
    """Changes when the model files, the exporter's versions or the requested outputs change."""
    import torch
    import transformers

    digest = hashlib.sha256()
    digest.update(f"{FORMAT}|{OPSET}|{probe_layers}|{torch.__version__}|{transformers.__version__}".encode())
    for path in sorted(p for p in Path(model_dir).rglob("*") if p.is_file()):
        st = path.stat()
        digest.update(f"{path.relative_to(model_dir)}|{st.st_size}|{int(st.st_mtime)}".encode())
    return digest.hexdigest()[:20]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    b = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    return (a * b).sum(1)


def _export(model: Any, probe_layers: tuple[int, ...], target: Path) -> None:
    """torch.onnx.export (TorchScript exporter) of ``model`` returning the last and the probe states."""
    import warnings

    import torch

    class _Wrapped(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True)
            return (out.last_hidden_state,) + tuple(out.hidden_states[i] for i in probe_layers)

    # a padded example, so that the traced graph keeps the attention mask
    ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]], dtype=torch.long)
    mask = (ids != 0).long()
    outputs = ["last_hidden_state"] + [f"hidden_{i}" for i in probe_layers]
    axes = {name: {0: "batch", 1: "sequence"} for name in ["input_ids", "attention_mask", *outputs]}
    with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(_Wrapped(model).eval(), (ids, mask), str(target), dynamo=False,
                          input_names=["input_ids", "attention_mask"], output_names=outputs,
                          dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True)


def _session(path: Path, threads: int | None):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    if threads:
        options.intra_op_num_threads = int(threads)
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _lock(path: Path):
    import filelock

    return filelock.FileLock(str(path), timeout=600)


def _quantize(source: Path, target: Path) -> None:
    """Every MatMul and Gemm weight of ``source`` to int8, one scale per output channel."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)  # the quantiser logs a line per tensor, and advice, on the root logger
    try:
        # DefaultTensorType: ops the ONNX shape inference cannot type would otherwise stop the quantiser
        quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul", "Gemm"],
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    finally:
        logging.disable(previous)


def load_session(model_dir: Path, *, probe_layers: tuple[int, ...], threads: int | None,
                 embed_torch, embed_onnx, torch_model, quantize: str = "none") -> tuple[Any, Path]:
    """An ONNX Runtime session for the model in ``model_dir``, exported and validated on first use.

    ``embed_torch(texts)`` / ``embed_onnx(session, texts)`` return pooled vectors with either backend;
    ``torch_model()`` returns the loaded torch model (only called when an export is needed).
    ``quantize="int8"``: the session runs the int8 graph, made from the fp32 one (exported first if needed).
    Raises :class:`OnnxUnavailable` where ONNX cannot be used; the caller falls back to torch.
    """
    if quantize not in QUANTIZATIONS:
        raise ValueError(f"quantize must be one of {', '.join(QUANTIZATIONS)}, not {quantize!r}")
    if not available():
        raise OnnxUnavailable("onnxruntime is not installed")
    folder = cache_root() / model_fingerprint(Path(model_dir), tuple(probe_layers))
    folder.mkdir(parents=True, exist_ok=True)
    fp32 = _Cached(folder, "", MIN_COSINE, threads, embed_torch, embed_onnx)

    def export(tmp: Path) -> None:
        _export(torch_model(), tuple(probe_layers), tmp)

    if quantize == "none":
        return fp32.load(export)

    def quantized(tmp: Path) -> None:
        fp32.load(export)  # the fp32 graph is the quantiser's input: exported and checked first
        _quantize(fp32.target, tmp)

    return _Cached(folder, ".int8", MIN_COSINE_INT8, threads, embed_torch, embed_onnx).load(quantized)


class _Cached:
    """One cached graph (``model{suffix}.onnx`` with ``meta{suffix}.json``): checked, or made anew."""

    def __init__(self, folder: Path, suffix: str, min_cosine: float, threads: int | None,
                 embed_torch, embed_onnx):
        self.folder = folder
        self.target = folder / f"model{suffix}.onnx"
        self.meta_path = folder / f"meta{suffix}.json"
        self.lock_path = folder / f".lock{suffix}"
        self.min_cosine = min_cosine
        self.threads = threads
        self.embed_torch = embed_torch
        self.embed_onnx = embed_onnx

    def check(self) -> Any | None:
        """The session if the cached file is whole and still gives the reference vectors, else None."""
        try:
            meta = json.loads(self.meta_path.read_text())
            if self.target.stat().st_size != meta["size"] or _sha256(self.target) != meta["sha256"]:
                return None
            session = _session(self.target, self.threads)
            reference = np.asarray(meta["reference"], dtype=np.float32)
            got = self.embed_onnx(session, list(meta["texts"]))
            if float(_cosines(got, reference).min()) < self.min_cosine:
                return None
            return session
        except Exception as exc:  # noqa: BLE001 - unreadable, truncated, wrong graph: make it again
            log.debug("onnx cache %s unusable: %s", self.target, exc)
            return None

    def load(self, make) -> tuple[Any, Path]:
        """The checked session, after ``make(tmp_path)`` writes the graph where none is usable."""
        session = self.check()
        if session is not None:
            return session, self.target
        with _lock(self.lock_path):
            session = self.check()  # another process may have made it while this one waited
            if session is not None:
                return session, self.target
            log.info("exporting the sentence encoder to ONNX: %s", self.target)
            for stale in (self.target, self.meta_path):
                stale.unlink(missing_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix="model.", suffix=".onnx.tmp", dir=self.folder)
            os.close(fd)
            tmp = Path(tmp_name)
            try:
                make(tmp)
                session = _session(tmp, self.threads)
                texts = list(VALIDATION_TEXTS)
                reference = self.embed_torch(texts)
                cos = float(_cosines(self.embed_onnx(session, texts), reference).min())
                if cos < self.min_cosine:
                    raise OnnxUnavailable(f"{self.target.name} disagrees with torch: min cosine {cos:.6f} "
                                          f"< {self.min_cosine}")
                meta = {"format": FORMAT, "size": tmp.stat().st_size, "sha256": _sha256(tmp),
                        "min_cosine": cos, "texts": texts, "reference": reference.astype(float).tolist()}
                os.chmod(tmp, 0o644)  # mkstemp made it owner-only
                os.replace(tmp, self.target)
                meta_tmp = self.meta_path.with_suffix(".json.tmp")
                meta_tmp.write_text(json.dumps(meta))
                os.replace(meta_tmp, self.meta_path)
                # the session read the whole file when it was made: the rename is safe
                return session, self.target
            except OnnxUnavailable:
                raise
            except Exception as exc:  # noqa: BLE001 - exporter or runtime failure: the caller uses torch
                raise OnnxUnavailable(f"ONNX export failed: {exc}") from exc
            finally:
                tmp.unlink(missing_ok=True)
