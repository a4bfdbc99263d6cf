"""Cheap lexical features that every classification head shares with the sentence embeddings.

The embeddings say what a sentence is about; these say how it is put: the first word (an imperative
starts with its verb), the last mark (a question ends with "?" or "か？"), "you", modals, prices,
links and the capitals and exclamation marks of marketing mail. They cost a dictionary look-up per
token, so they are also what a head falls back on for sentences the encoder did not embed.

- ``tokens(text)``: lowercased Latin words and numbers, single marks (? ! $ % …), and character
  bigrams of Japanese/Chinese runs (there are no spaces to split on); the sentence start and end are
  marked so that bigrams see "<s> please", "<s> send", "? </s>".
- ``Vocabulary``: uni- and bigrams seen at least ``min_df`` times in training, each with an idf weight;
  ``transform`` gives an L2-normalised sparse tf-idf row per text.
- ``cues(text)``: a few dense, length-free signals (see ``CUE_NAMES``).

Every pattern is a character class or a literal: linear time on any input.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from functools import lru_cache
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse

__all__ = ["tokens", "ngrams", "Vocabulary", "cues", "CUE_NAMES", "is_japanese"]

_MAX_CHARS = 600  # a sentence longer than this is judged by its start: bounded cost per sentence
_TOKEN = re.compile(
    r"[a-z0-9à-ÿ]+(?:'[a-z]+)?"  # Latin words and numbers, "don't", "you're"
    r"|[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]+"  # a Japanese/Chinese run
    r"|[?!$€£¥%？！。、@]"  # marks that carry meaning
)
_CJK_START = "\u3040"
_NUMBER = re.compile(r"\d")
_URL = ("http://", "https://", "www.", "$link")
_JA_CHARS = re.compile(r"[\u3040-\u30ff]")

CUE_NAMES = (
    "question_mark", "exclamations", "caps_ratio", "has_digit", "has_money", "has_url", "log_length",
    "second_person", "first_person", "starts_please", "japanese",
)
_SECOND_PERSON = {"you", "your", "you're", "yours", "you'll", "you've", "you'd", "u"}
_FIRST_PERSON = {"i", "we", "me", "my", "our", "us", "i'm", "we're", "i'd", "we'd", "i'll", "we'll"}
# Japanese second person and request markers are matched as substrings.
_JA_SECOND = ("あなた", "貴社", "御社", "様")
_JA_PLEASE = ("ください", "下さい", "お願い", "いただけ", "頂け")


def is_japanese(text: str) -> bool:
    return _JA_CHARS.search(text[:_MAX_CHARS]) is not None


def tokens(text: str) -> list[str]:
    low = text[:_MAX_CHARS].lower()
    if low.isascii():  # most mail: no Japanese/Chinese runs to cut into bigrams
        return ["<s>", *["0" if tok.isdigit() else tok for tok in _TOKEN.findall(low)], "</s>"]
    out: list[str] = ["<s>"]
    for tok in _TOKEN.findall(low):
        if tok[0] >= _CJK_START and len(tok) > 1 and tok[0] not in "？！。、":
            out.extend(tok[i:i + 2] for i in range(len(tok) - 1))
        else:
            out.append("0" if tok.isdigit() else tok)
    out.append("</s>")
    return out


def ngrams(text: str) -> list[str]:
    return list(_ngrams(text))


@lru_cache(maxsize=8192)  # every head of a batch reads the same sentences: tokenise each once
def _ngrams(text: str) -> tuple[str, ...]:
    toks = tokens(text)
    grams = toks[1:-1]
    grams += [f"{a} {b}" for a, b in zip(toks, toks[1:])]
    return tuple(grams)


# Every vocabulary's terms, numbered once for all of them: a text's n-grams are looked up here once
# (``_known_ids``), and each head maps those numbers to its own columns with one numpy gather per
# batch, instead of a dictionary look-up per n-gram per head.
_SHARED: dict[str, int] = {}
_SHARED_LOCK = threading.Lock()
_GENERATION = 0


def _register(terms: Sequence[str]) -> np.ndarray:
    """Shared ids of ``terms`` (numbering the new ones); a text's cached ids are dropped when terms
    are added, since they may now know more of its n-grams."""
    global _GENERATION
    with _SHARED_LOCK:  # heads may load on two threads at once: one numbering at a time
        size = len(_SHARED)
        ids = np.array([_SHARED.setdefault(t, len(_SHARED)) for t in terms], dtype=np.int64)
        if len(_SHARED) != size:
            _GENERATION += 1  # ids cached before may now miss some of a text's n-grams
        return ids


def _known_ids(text: str) -> np.ndarray:
    """Shared ids of the text's n-grams that some vocabulary has, each once."""
    return _known_ids_of(text, _GENERATION)


@lru_cache(maxsize=8192)
def _known_ids_of(text: str, generation: int) -> np.ndarray:
    # ``generation`` is part of the key: a look-up made while terms were being added is never reused.
    ids = set(map(_SHARED.get, _ngrams(text)))  # one look-up per n-gram, in C
    ids.discard(None)
    # in no particular order: ``Vocabulary.transform`` orders each row's columns itself
    return np.fromiter(ids, dtype=np.int64, count=len(ids))


class Vocabulary:
    """Uni- and bigrams with idf weights; rows are L2-normalised tf-idf (binary tf)."""

    def __init__(self, terms: Sequence[str], idf: np.ndarray):
        self.terms = list(terms)
        self.index = {t: i for i, t in enumerate(self.terms)}
        self.idf = np.asarray(idf, dtype=np.float32)
        self._shared_ids = _register(self.terms)
        self._columns = np.zeros(0, dtype=np.int64)  # shared id → this vocabulary's column, or -1

    def _column_map(self) -> np.ndarray:
        if len(self._columns) < len(_SHARED):  # other vocabularies numbered terms since: extend
            columns = np.full(len(_SHARED), -1, dtype=np.int64)
            columns[self._shared_ids] = np.arange(len(self.terms))
            self._columns = columns
        return self._columns

    def __len__(self) -> int:
        return len(self.terms)

    @classmethod
    def fit(cls, texts: Iterable[str], *, min_df: int = 2, max_terms: int = 50_000) -> Vocabulary:
        df: Counter[str] = Counter()
        n = 0
        for text in texts:
            n += 1
            df.update(set(ngrams(text)))
        kept = sorted((t for t, c in df.items() if c >= min_df), key=lambda t: (-df[t], t))[:max_terms]
        kept.sort()
        idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in kept], dtype=np.float32)
        return cls(kept, idf)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        known = [_known_ids(text) for text in texts]
        sizes = np.fromiter(map(len, known), dtype=np.int64, count=len(known))
        cols = self._column_map()[np.concatenate(known)] if len(known) and sizes.sum() else np.zeros(0, np.int64)
        rows = np.repeat(np.arange(len(texts)), sizes)
        keep = cols >= 0
        rows, cols = rows[keep], cols[keep]
        # columns in order within each row (shared ids need not be): one int64 key per entry sorts in a
        # quarter of a two-key lexsort's time; a column appears once per row, so the order is the same
        order = np.argsort(rows * max(len(self.terms), 1) + cols, kind="stable")
        rows, cols = rows[order], cols[order]
        data = self.idf[cols]
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=len(texts)), out=indptr[1:])
        # Each row L2-normalised exactly as it always was (a float32 sum over the row in column order):
        # the heads are trained on these values, and `mailassist train` must reproduce the shipped
        # weights bit for bit (a logistic regression on 30,000 rows moves by far more than 1e-7).
        data /= np.repeat(np.sqrt(row_square_sums(data * data, indptr)), np.diff(indptr))
        return sparse.csr_matrix((data, cols.astype(np.int32), indptr), shape=(len(texts), len(self.terms)))

    # --- storage (inside a head's .npz) ----------------------------------------------------------------
    def to_arrays(self, prefix: str = "vocab") -> dict[str, np.ndarray]:
        return {f"{prefix}_terms": np.array("\n".join(self.terms)), f"{prefix}_idf": self.idf}

    @classmethod
    def from_arrays(cls, arrays, prefix: str = "vocab") -> Vocabulary:
        joined = str(arrays[f"{prefix}_terms"])
        return cls(joined.split("\n") if joined else [], arrays[f"{prefix}_idf"])


_BLOCK = 8  # numpy sums float32 in 8 running sums, in blocks of 128 at most (pairwise above that)
_PAIRWISE_BLOCK = 128


def row_square_sums(squares: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Each CSR row's sum, bit for bit what ``squares[a:b].sum()`` gives, for all rows at once.

    numpy sums a float32 row of under 8 values one by one from -0.0; up to 128 values in 8 running
    sums (value i into sum i % 8; what is left after the last whole 8 is added one by one to
    ((s0+s1)+(s2+s3))+((s4+s5)+(s6+s7))); longer rows pairwise. Rows of up to 128 values are summed
    here the same way, side by side (a padding 0 changes no sum); longer ones by numpy itself. One row
    per Python iteration cost more than the rest of a head's features (tests check the equality).
    """
    sizes = np.diff(indptr)
    out = np.zeros(len(sizes), dtype=np.float32)
    for row in np.flatnonzero(sizes > _PAIRWISE_BLOCK).tolist():
        out[row] = squares[indptr[row]:indptr[row + 1]].sum()
    rows = np.flatnonzero((sizes > 0) & (sizes <= _PAIRWISE_BLOCK))
    if not len(rows):
        return out
    n = sizes[rows]
    whole = np.where(n < _BLOCK, 0, n - n % _BLOCK)  # how many of a row's values go to the 8 sums
    owner = np.repeat(np.arange(len(rows)), n)  # every value of these rows: its row here ...
    place = np.arange(len(owner)) - np.repeat(np.cumsum(n) - n, n)  # ... and its place in that row
    values = squares[np.repeat(indptr[rows], n) + place]
    in_sums = place < whole[owner]
    blocks = np.zeros((len(rows), _PAIRWISE_BLOCK // _BLOCK, _BLOCK), dtype=np.float32)
    blocks[owner[in_sums], place[in_sums] // _BLOCK, place[in_sums] % _BLOCK] = values[in_sums]
    running = blocks[:, 0].copy()
    for k in range(1, int(whole.max()) // _BLOCK):
        running += blocks[:, k]
    s = running.T
    total = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))
    total[whole == 0] = -0.0  # short rows: one by one from -0.0
    rest = np.zeros((len(rows), _BLOCK - 1), dtype=np.float32)
    rest[owner[~in_sums], (place - whole[owner])[~in_sums]] = values[~in_sums]
    for column in rest.T:
        total += column
    out[rows] = total
    return out


def cues(texts: Sequence[str]) -> np.ndarray:
    """Dense signals, one row per text, columns as ``CUE_NAMES``; all roughly in [0, 1]."""
    rows = np.array([_cue_row(text) for text in texts], dtype=np.float32)  # one conversion for the batch
    return rows.reshape(len(texts), len(CUE_NAMES))


@lru_cache(maxsize=8192)
def _cue_row(text: str) -> tuple[float, ...]:
    t = text[:_MAX_CHARS]
    low = t.lower()
    words = re.findall(r"[a-z']+", low)
    n_letters, n_upper = _letter_counts(t)
    ja = is_japanese(t)
    return (
        float("?" in t or "？" in t or (ja and t.rstrip("。 ").endswith("か"))),
        min(t.count("!") + t.count("！"), 3) / 3.0,
        (n_upper / n_letters) if n_letters >= 4 else 0.0,
        float(_NUMBER.search(t) is not None),
        float(any(c in t for c in "$€£¥") or "円" in t),
        float(any(u in low for u in _URL)),
        min(math.log1p(len(words) + len(t) // 3 * ja), 6.0) / 6.0,
        float(not _SECOND_PERSON.isdisjoint(words) or (ja and any(m in t for m in _JA_SECOND))),
        float(not _FIRST_PERSON.isdisjoint(words)),
        float(low.lstrip("-*• ").startswith(("please", "kindly", "pls")) or (ja and any(m in t for m in _JA_PLEASE))),
        float(ja),
    )


_NOT_LETTER = bytes(c for c in range(128) if not chr(c).isalpha())
_NOT_UPPER = bytes(c for c in range(128) if not chr(c).isupper())


def _letter_counts(t: str) -> tuple[int, int]:
    """Letters below the Japanese range, and how many of them are capitals.

    ASCII text (most mail) is counted by deleting the other bytes in C; anything else char by char.
    """
    if t.isascii():
        raw = t.encode("ascii")
        return len(raw.translate(None, _NOT_LETTER)), len(raw.translate(None, _NOT_UPPER))
    letters = [c for c in t if c.isalpha() and c < _CJK_START]
    return len(letters), sum(c.isupper() for c in letters)
