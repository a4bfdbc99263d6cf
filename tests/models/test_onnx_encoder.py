"""The ONNX Runtime backend of the sentence encoder: same vectors and probe features as torch (fp32), vectors
close to them (int8 weights), and a cache that is exported on first use, checked on load and exported again
when missing or corrupt."""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest

pytest.importorskip("onnxruntime")

from models import onnx_backend  # noqa: E402
from models.encoder import PROBE_DIM, Encoder  # noqa: E402
from tests.models.encoder_texts import TEXTS  # noqa: E402


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    root = tmp_path_factory.mktemp("mailassist-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MAILASSIST_CACHE_DIR", str(root))
        yield root


@pytest.fixture(scope="module")
def torch_encoder():
    return Encoder(backend="torch", dtype="fp32", max_tokens=48, batch_size=3)


@pytest.fixture(scope="module")
def onnx_encoder(cache):
    encoder = Encoder(backend="onnx", dtype="fp32", max_tokens=48, batch_size=3, quantize="none")
    assert encoder.backend == "onnx" and encoder.dtype == "fp32"
    return encoder


def test_onnx_gives_the_torch_vectors_and_probe_features(onnx_encoder, torch_encoder):
    v_onnx, f_onnx = onnx_encoder.encode_with_probe(TEXTS)
    v_torch, f_torch = torch_encoder.encode_with_probe(TEXTS)
    assert v_onnx.shape == v_torch.shape == (len(TEXTS), 384) and v_onnx.dtype == np.float32
    assert f_onnx.shape == f_torch.shape == (len(TEXTS), PROBE_DIM)
    assert np.abs(v_onnx - v_torch).max() < 1e-5
    assert (v_onnx * v_torch).sum(1).min() > 0.99999
    assert np.abs(f_onnx - f_torch).max() < 1e-4
    np.testing.assert_allclose(np.linalg.norm(v_onnx, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(v_onnx[0], v_onnx[6])  # duplicates embedded once
    assert onnx_encoder.encode([]).shape == (0, 384)


def test_batch_of_one_matches_the_batched_vectors(onnx_encoder):
    batched = onnx_encoder.encode(TEXTS)
    for i, text in enumerate(TEXTS[:4]):
        assert np.abs(onnx_encoder.encode([text])[0] - batched[i]).max() < 1e-5


def _files(cache):
    [folder] = [p for p in (cache / "onnx").iterdir() if p.is_dir()]
    return folder / "model.onnx", folder / "meta.json"


def test_a_corrupt_cache_is_exported_again(onnx_encoder, torch_encoder, cache):
    model, meta = _files(cache)
    size = model.stat().st_size
    with open(model, "r+b") as fh:  # damage the weights, keep the size
        fh.seek(size // 2)
        fh.write(b"\xff" * 4096)
    encoder = Encoder(backend="onnx", dtype="fp32", max_tokens=48, quantize="none")
    assert encoder.backend == "onnx"
    assert json.loads(meta.read_text())["sha256"] == onnx_backend._sha256(model)
    assert np.abs(encoder.encode(TEXTS) - torch_encoder.encode(TEXTS)).max() < 1e-5
    model.write_bytes(b"not a model")  # truncated / garbage
    assert Encoder(backend="onnx", dtype="fp32", max_tokens=48, quantize="none").backend == "onnx"
    assert model.stat().st_size == size


def test_a_missing_cache_is_exported_again(onnx_encoder, cache):
    model, meta = _files(cache)
    model.unlink()
    encoder = Encoder(backend="onnx", dtype="fp32", max_tokens=48, quantize="none")
    assert encoder.backend == "onnx" and model.exists() and meta.exists()
    assert not [p for p in model.parent.iterdir() if p.name.endswith(".tmp")]  # no temporary file left


def test_an_export_that_fails_validation_falls_back_to_torch(cache, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("MAILASSIST_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(onnx_backend, "MIN_COSINE", 1.01)  # no export can pass
    with caplog.at_level(logging.WARNING):
        encoder = Encoder(backend="auto", dtype="fp32", max_tokens=48)
    assert encoder.backend == "torch"
    assert "ONNX backend unavailable" in caplog.text
    assert not list((tmp_path / "onnx").rglob("*.onnx"))  # nothing unvalidated is left in the cache
    assert encoder.encode(["hello there"]).shape == (1, 384)


def test_backend_choice(monkeypatch, cache):
    monkeypatch.setattr(onnx_backend, "available", lambda: False)
    assert Encoder(backend="auto", dtype="fp32").backend == "torch"
    monkeypatch.setenv("MAILASSIST_ENCODER_BACKEND", "torch")
    monkeypatch.setattr(onnx_backend, "available", lambda: True)
    assert Encoder(backend="auto", dtype="fp32").backend == "torch"  # the variable overrides "auto" only
    with pytest.raises(ValueError):
        Encoder(backend="tensorrt", dtype="fp32")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Encoder(backend="onnx", dtype="fp32", quantize="int4")  # type: ignore[arg-type]
    torch_int8 = Encoder(backend="torch", dtype="fp32", quantize="int8")  # no int8 torch path: fp32
    assert torch_int8.dtype == "fp32" and not torch_int8.int8


@pytest.fixture(scope="module")
def int8_encoder(onnx_encoder, cache):
    encoder = Encoder(backend="onnx", dtype="fp32", max_tokens=48, batch_size=3, quantize="int8")
    assert encoder.backend == "onnx" and encoder.dtype == "int8"
    assert encoder.onnx_path.name == "model.int8.onnx"
    return encoder


def test_the_int8_graph_is_smaller_and_its_vectors_stay_close(int8_encoder, torch_encoder, cache):
    fp32, _ = _files(cache)
    assert int8_encoder.onnx_path.parent == fp32.parent
    # the matrices shrink to a quarter; the word embeddings (half the file) stay fp32
    assert int8_encoder.onnx_path.stat().st_size < fp32.stat().st_size * 0.7
    v8, f8 = int8_encoder.encode_with_probe(TEXTS)
    v32, f32 = torch_encoder.encode_with_probe(TEXTS)
    cos = (v8 * v32).sum(1)
    assert cos.min() > 0.93 and cos.mean() > 0.97
    assert np.abs(v8 - v32).max() > 1e-4  # really another graph, not the fp32 one
    np.testing.assert_allclose(np.linalg.norm(v8, axis=1), 1.0, atol=1e-5)
    assert f8.shape == f32.shape == (len(TEXTS), PROBE_DIM)


def test_int8_vectors_do_not_depend_on_the_other_sentences_of_the_call(int8_encoder):
    # ONNX Runtime quantises a MatMul input with one scale per tensor: batched, a sentence's vector
    # would move with its neighbours. The int8 path runs each sentence alone.
    together = int8_encoder.encode(TEXTS)
    for i, text in enumerate(TEXTS):
        assert np.array_equal(int8_encoder.encode([text])[0], together[i])
    assert np.array_equal(int8_encoder.encode(list(reversed(TEXTS)))[::-1], together)
    vectors, features = int8_encoder.encode_with_probe(TEXTS[:3])
    assert np.array_equal(vectors, together[:3]) and features.shape == (3, PROBE_DIM)


def test_a_corrupt_int8_graph_is_made_again(int8_encoder, cache):
    folder = int8_encoder.onnx_path.parent
    model, meta = folder / "model.int8.onnx", folder / "meta.int8.json"
    expected = int8_encoder.encode(TEXTS)
    size = model.stat().st_size
    with open(model, "r+b") as fh:
        fh.seek(size // 2)
        fh.write(b"\xff" * 4096)
    again = Encoder(backend="onnx", dtype="fp32", max_tokens=48, quantize="int8")
    assert again.dtype == "int8"
    assert json.loads(meta.read_text())["sha256"] == onnx_backend._sha256(model)
    assert np.abs(again.encode(TEXTS) - expected).max() < 1e-6  # the same quantisation, made again


def test_the_int8_encoder_works_in_a_forked_child(int8_encoder):
    import multiprocessing
    import os

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform")
    expected = int8_encoder.encode(TEXTS[:3])  # the parent's worker threads exist now
    assert np.array_equal(int8_encoder.submit(TEXTS[:3]).result(), expected)  # and its call thread
    read, write = os.pipe()
    int8_encoder._tokenizer_lock.acquire()  # as if the call thread were tokenising at the fork
    pid = os.fork()
    if pid == 0:  # the child: the parent's threads are gone; the encoder must make its own
        import signal

        signal.signal(signal.SIGALRM, lambda *_: os._exit(1))
        signal.alarm(60)  # a child stuck on the parent's threads fails the test instead of hanging it
        try:
            submitted = int8_encoder.submit(TEXTS[:3]).result()  # first, from the call thread
            got = int8_encoder.encode(TEXTS[:3])
            ok = np.array_equal(got, expected) and np.array_equal(submitted, expected)
            os.write(write, b"1" if ok else b"0")
        finally:
            os._exit(0)
    int8_encoder._tokenizer_lock.release()
    os.close(write)
    _, status = os.waitpid(pid, 0)
    assert os.read(read, 1) == b"1" and status == 0
