"""Lexical features: the tf-idf rows the shipped heads were trained on, value for value."""

from __future__ import annotations

import numpy as np

from nlp.classify.features import Vocabulary, ngrams, row_square_sums, tokens


def test_row_sums_are_bit_for_bit_what_numpy_sums_row_by_row():
    rng = np.random.default_rng(0)
    sizes = np.concatenate([np.arange(0, 300), rng.integers(0, 400, 500)])  # 1-7, 8-128 and longer rows
    indptr = np.concatenate([[0], np.cumsum(sizes)])
    squares = (rng.random(int(indptr[-1])) * 9).astype(np.float32) ** 2
    got = row_square_sums(squares, indptr)
    want = np.array([squares[a:b].sum() for a, b in zip(indptr[:-1], indptr[1:])], dtype=np.float32)
    assert got.dtype == np.float32
    assert got.view(np.int32).tolist() == want.view(np.int32).tolist()


def test_transform_rows_are_l2_normalised_tf_idf_in_column_order():
    texts = ["Please send the signed contract by Friday", "please call me", "", "ご確認ください",
             " ".join(f"word{i}" for i in range(90))]  # a row of over 128 n-grams
    vocab = Vocabulary.fit(texts * 2, min_df=1)
    rows = vocab.transform(texts)
    for i, text in enumerate(texts):
        row = rows.getrow(i)
        cols = sorted({vocab.index[g] for g in ngrams(text)})
        assert row.indices.tolist() == cols
        w = vocab.idf[cols]
        assert row.data.tolist() == (w / float(np.sqrt((w * w).sum()))).tolist() if cols else row.nnz == 0


def test_tokens_mark_the_sentence_and_cut_japanese_into_bigrams():
    assert tokens("Call me at 5? Don't wait!") == ["<s>", "call", "me", "at", "0", "?", "don't", "wait", "!", "</s>"]
    assert tokens("見積書を送付") == ["<s>", "見積", "積書", "書を", "を送", "送付", "</s>"]
