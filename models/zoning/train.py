"""Train the zoning model: ``train(shared_data_dir) -> path`` writes ``models/zoning/weights/zoning.npz``.

Data: the *train* split of ``models/datasets/replies_gold.jsonl`` (its txt fixtures carry line zones;
texts are read from ``shared_data_dir/replies``) and the project's synthetic examples
(``models/datasets/zoning_examples.jsonl``, regenerated here from ``examples.py`` if missing). The gold
holdout split and the Quagga sets are never read here.

Model: a one-hidden-layer network (scikit-learn ``MLPClassifier``, seeded) over the line features of
``nlp/zoning/features.py``, plus a zone-transition matrix counted from the labelled sequences; the
pipeline decodes both with Viterbi. Deterministic: the same data and seed give the same weights.
Runs on the CPU in about a minute.

``python -m models.zoning.train [--cv]``: ``--cv`` prints a grouped cross-validation on the training
data (no holdout involved), which is how the options below were chosen.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.zoning.data import Labelled, read_examples, read_gold
from models.zoning.examples import EXAMPLES_PATH, write as write_examples
from nlp.zoning.features import FEATURES, extract, featurize
from nlp.zoning.labels import NEW_TEXT_ZONES, ZONE_INDEX, ZONES
from nlp.zoning.model import DEFAULT_WEIGHTS, ZoningModel

__all__ = ["train", "Options", "fit", "load_training_data", "cross_validate"]

VERSION = "2026-11-27"


@dataclass(frozen=True)
class Options:
    hidden: int = 32  # 0 = multinomial logistic regression
    alpha: float = 1e-3  # L2 penalty of the network
    c: float = 1.0  # inverse L2 strength of the logistic regression
    gold_weight: float = 3.0  # a real fixture counts this many synthetic ones
    trans_weight: float = 1.0  # scale of the log-transition scores in the decode
    prior_weight: float = 0.0  # how much of the log class prior to subtract from the emissions
    max_iter: int = 300
    seed: int = 20261127


def load_training_data(shared_data_dir: Path) -> list[Labelled]:
    if not EXAMPLES_PATH.exists():
        write_examples(EXAMPLES_PATH)
    gold = [g for g in read_gold(shared_data_dir, splits=("train",)) if g.labels is not None]
    return gold + read_examples(EXAMPLES_PATH)


def _matrix(docs: list[Labelled]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lines = [d.text.split("\n") for d in docs]
    X, offsets = featurize(lines)
    y = np.array([ZONE_INDEX[z] for d in docs for z in d.labels], dtype=np.int64)
    return X, y, offsets


def _predict(model: ZoningModel, docs: list[Labelled]) -> tuple[np.ndarray, np.ndarray]:
    batch = extract([d.text.split("\n") for d in docs])
    labels, _ = model.decode(batch)
    return labels, batch.offsets


def _doc_weights(docs: list[Labelled], opts: Options) -> np.ndarray:
    return np.concatenate([
        np.full(len(d.labels), opts.gold_weight if d.kind != "synthetic" else 1.0) for d in docs
    ])


def _transitions(docs: list[Labelled], opts: Options) -> tuple[np.ndarray, np.ndarray]:
    L = len(ZONES)
    counts = np.ones((L, L))  # add-one: every transition stays possible
    first = np.ones(L)
    for d in docs:
        w = opts.gold_weight if d.kind != "synthetic" else 1.0
        idx = [ZONE_INDEX[z] for z in d.labels]
        first[idx[0]] += w
        for a, b in zip(idx, idx[1:]):
            counts[a, b] += w
    trans = np.log(counts / counts.sum(axis=1, keepdims=True))
    start = np.log(first / first.sum())
    return trans * opts.trans_weight, start * opts.trans_weight


def fit(docs: list[Labelled], opts: Options = Options()) -> ZoningModel:
    X, y, _ = _matrix(docs)
    return fit_matrix(X, y, _doc_weights(docs, opts), docs, opts)


def fit_matrix(X: np.ndarray, y: np.ndarray, w: np.ndarray, docs: list[Labelled],
               opts: Options) -> ZoningModel:
    """Fit the classifier on a feature matrix and the transitions on the documents' label sequences."""
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale < 1e-6] = 1.0
    Xs = (X - mean) / scale
    if opts.hidden:
        from sklearn.neural_network import MLPClassifier

        clf = MLPClassifier(hidden_layer_sizes=(opts.hidden,), alpha=opts.alpha, max_iter=opts.max_iter,
                            random_state=opts.seed, early_stopping=False, tol=1e-5)
        clf.fit(Xs, y, sample_weight=w)
        layers = tuple((W.astype(np.float32), b.astype(np.float32))
                       for W, b in zip(clf.coefs_, clf.intercepts_))
    else:
        from sklearn.linear_model import LogisticRegression

        clf = LogisticRegression(C=opts.c, max_iter=2000, random_state=opts.seed)
        clf.fit(Xs, y, sample_weight=w)
        layers = ((clf.coef_.T.astype(np.float32), clf.intercept_.astype(np.float32)),)
    layers = _all_classes(layers, clf.classes_)
    counts = np.bincount(y, weights=w, minlength=len(ZONES)) + 1.0
    prior = np.log(counts / counts.sum()) * opts.prior_weight
    trans, start = _transitions(docs, opts)
    return ZoningModel(layers=layers, transitions=trans, start=start, prior=prior,
                       mean=mean.astype(np.float32), scale=scale.astype(np.float32), version=VERSION)


def _all_classes(layers, classes: np.ndarray):
    """Widen the output layer to every zone (a zone absent from the data gets a very low score)."""
    if len(classes) == len(ZONES):
        return layers
    W, b = layers[-1]
    W2 = np.zeros((W.shape[0], len(ZONES)), dtype=np.float32)
    b2 = np.full(len(ZONES), -30.0, dtype=np.float32)
    W2[:, classes] = W
    b2[classes] = b
    return layers[:-1] + ((W2, b2),)


def save(model: ZoningModel, path: Path = DEFAULT_WEIGHTS) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {
        "features": np.array(FEATURES), "zones": np.array(ZONES), "n_layers": np.array(len(model.layers)),
        "transitions": model.transitions.astype(np.float32), "start": model.start.astype(np.float32),
        "prior": model.prior.astype(np.float32), "mean": model.mean.astype(np.float16),
        "scale": model.scale.astype(np.float32), "version": np.array(model.version),
    }
    for k, (W, b) in enumerate(model.layers):
        arrays[f"W{k}"] = W.astype(np.float16)
        arrays[f"b{k}"] = b.astype(np.float32)
    with path.open("wb") as fh:
        np.savez_compressed(fh, **arrays)
    return path


def train(shared_data_dir: Path | str, *, opts: Options = Options(), path: Path = DEFAULT_WEIGHTS) -> Path:
    """Train on the gold train split and the synthetic examples; write the weights; return their path."""
    docs = load_training_data(Path(shared_data_dir))
    model = fit(docs, opts)
    out = save(model, path)
    from nlp.zoning.model import _load

    _load.cache_clear()
    return out


# --- development: grouped cross-validation on the training data only ----------------------------
def _fold_of(d: Labelled, k: int) -> int:
    import zlib

    return zlib.crc32(d.id.encode()) % k


def cross_validate(shared_data_dir: Path, opts: Options = Options(), k: int = 5) -> dict:
    """Grouped k-fold over the training documents (gold train + synthetic); no holdout involved."""
    from nlp.zoning.features import assemble
    from nlp.zoning.model import viterbi

    docs = load_training_data(Path(shared_data_dir))
    batch = extract([d.text.split("\n") for d in docs])
    X = assemble(batch)
    y = np.array([ZONE_INDEX[z] for d in docs for z in d.labels], dtype=np.int64)
    w = _doc_weights(docs, opts)
    sizes = np.array([len(d.labels) for d in docs])
    doc_of = np.repeat(np.arange(len(docs)), sizes)
    folds = np.array([_fold_of(d, k) for d in docs])
    stats = {"gold_lines": 0, "gold_ok": 0, "syn_lines": 0, "syn_ok": 0, "gold_docs": 0, "gold_exact": 0}
    errors: list[tuple] = []
    for fold in range(k):
        train_rows = folds[doc_of] != fold
        tr_docs = [d for d, f in zip(docs, folds) if f != fold]
        model = fit_matrix(X[train_rows], y[train_rows], w[train_rows], tr_docs, opts)
        te_idx = np.nonzero(folds == fold)[0]
        rows = ~train_rows
        logp = model.log_proba(X[rows])
        te_sizes = sizes[te_idx]
        te_off = np.concatenate(([0], np.cumsum(te_sizes)[:-1]))
        pred = viterbi(logp - model.prior, model.transitions, model.start, te_off)
        yt = y[rows]
        for j, di in enumerate(te_idx):
            d = docs[di]
            a = te_off[j]
            p = pred[a:a + sizes[di]]
            t = yt[a:a + sizes[di]]
            ok = int((p == t).sum())
            key = "syn" if d.kind == "synthetic" else "gold"
            stats[f"{key}_lines"] += len(t)
            stats[f"{key}_ok"] += ok
            lines = d.text.split("\n")
            if key == "gold":
                stats["gold_docs"] += 1
                new = "\n".join(l for l, z in zip(lines, p) if ZONES[z] in NEW_TEXT_ZONES)
                stats["gold_exact"] += " ".join(new.split()) == " ".join(d.new_text.split())
            for i in np.nonzero(p != t)[0][: (50 if key == "gold" else 3)]:
                errors.append((d.id, int(i), ZONES[t[i]], ZONES[p[i]], lines[i][:70]))
    return {
        "gold_line_acc": stats["gold_ok"] / max(stats["gold_lines"], 1),
        "syn_line_acc": stats["syn_ok"] / max(stats["syn_lines"], 1),
        "gold_exact": stats["gold_exact"] / max(stats["gold_docs"], 1),
        "gold_docs": stats["gold_docs"],
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_shared = Path(__file__).resolve().parents[3] / "shared" / "data"
    parser.add_argument("--shared", type=Path, default=default_shared)
    parser.add_argument("--cv", action="store_true")
    parser.add_argument("--hidden", type=int, default=Options.hidden)
    parser.add_argument("--trans", type=float, default=Options.trans_weight)
    parser.add_argument("--prior", type=float, default=Options.prior_weight)
    parser.add_argument("--gold-weight", type=float, default=Options.gold_weight)
    parser.add_argument("--alpha", type=float, default=Options.alpha)
    parser.add_argument("--errors", type=int, default=0)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    opts = Options(hidden=args.hidden, trans_weight=args.trans, prior_weight=args.prior,
                   gold_weight=args.gold_weight, alpha=args.alpha)
    t0 = time.perf_counter()
    if args.cv:
        res = cross_validate(args.shared, opts, k=args.folds)
        errors = res.pop("errors")
        print({k: round(v, 4) if isinstance(v, float) else v for k, v in res.items()},
              f"{time.perf_counter() - t0:.1f}s")
        for e in errors[: args.errors]:
            print(e)
    else:
        print(train(args.shared, opts=opts), f"{time.perf_counter() - t0:.1f}s")


if __name__ == "__main__":
    main()
