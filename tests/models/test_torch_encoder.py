"""The torch backend of the sentence encoder: the traced graph gives the eager model's vectors bit for bit,
a sentence gets the same vector whatever else its call holds, and batches run side by side on
single-threaded workers give what they give one after the other."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch

from models.encoder import Encoder, cpu_has_native_bf16
from tests.models import encoder_texts

TEXTS = [
    *encoder_texts.TEXTS,
    " ".join(["word"] * 200),  # as long as the one before: a batch with no padding
    "Yes",
]


@pytest.fixture(scope="module", params=["fp32", "bf16"])
def encoder(request):
    return Encoder(backend="torch", dtype=request.param, max_tokens=48, batch_size=3)


def test_the_traced_graph_gives_the_eager_models_vectors_bit_for_bit(encoder):
    traced = encoder.encode(TEXTS)
    eager, _ = encoder.encode_with_probe(TEXTS)  # the probe runs the eager model, autocast included
    assert traced.shape == (len(TEXTS), 384) and traced.dtype == np.float32
    assert np.array_equal(traced, eager)
    for text in ("ok", TEXTS[2]):  # a batch of one
        assert np.array_equal(encoder.encode([text]), encoder.encode_with_probe([text])[0])
    assert np.array_equal(traced[0], traced[6])
    np.testing.assert_allclose(np.linalg.norm(traced, axis=1), 1.0, atol=1e-5)


def test_batches_run_side_by_side_give_what_they_give_one_after_the_other(encoder, monkeypatch):
    seen: list[tuple[str, int]] = []
    forward = encoder._forward

    def recording(*args, **kwargs):
        seen.append((threading.current_thread().name, torch.get_num_threads()))
        return forward(*args, **kwargs)

    monkeypatch.setattr(encoder, "_forward", recording)
    caller_threads = torch.get_num_threads()
    side_by_side = encoder.encode(TEXTS)
    assert len(seen) >= 3  # 9 distinct texts in batches of 3 at most, on the workers, one intra-op thread each
    assert all(name.startswith("encoder") and threads == 1 for name, threads in seen)
    assert torch.get_num_threads() == caller_threads  # the caller's own setting is left alone

    class InOrder:  # the same batches, one after the other on the calling thread, on one intra-op thread
        @staticmethod
        def map(fn, batches):
            torch.set_num_threads(1)
            try:
                return [fn(batch) for batch in batches]
            finally:
                torch.set_num_threads(caller_threads)

    monkeypatch.setattr(encoder, "_workers", lambda: InOrder())
    seen.clear()
    one_by_one = encoder.encode(TEXTS)
    assert {name for name, _ in seen} == {threading.current_thread().name}
    assert np.array_equal(side_by_side, one_by_one)


def test_a_sentence_gets_the_vector_it_gets_alone_whatever_its_batch(encoder):
    """bf16 on a CPU with native bf16 (where the pipeline uses it) bit for bit; fp32, torch's fallback where
    ONNX Runtime is missing, within float rounding: its matrix products round differently for other batch
    sizes. bf16 emulated on other CPUs (never used there: they take the int8 path) is not held to bits."""
    exact = encoder.dtype == "bf16" and cpu_has_native_bf16()
    atol = 1e-6 if encoder.dtype == "fp32" else 5e-3
    same = np.array_equal if exact else lambda a, b: np.allclose(a, b, rtol=0, atol=atol)
    together = encoder.encode(TEXTS)
    for i, text in enumerate(TEXTS):
        assert same(encoder.encode([text])[0], together[i]), text
    assert same(encoder.encode(list(reversed(TEXTS)))[::-1], together)
    # beside sentences of its own length, and beside longer ones that it would be padded to otherwise
    same_length = ["Could you send me the updated quote by Friday?", "Would you mail me the signed offer by Monday?"]
    mixed = encoder.encode([TEXTS[0], *same_length, TEXTS[2]])
    assert same(mixed[0], together[0]) and same(mixed[3], together[2])
