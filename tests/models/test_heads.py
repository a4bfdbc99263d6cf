"""The small heads, the shipped weights, the evaluation helpers (no encoder, no public data needed)."""

from __future__ import annotations

import numpy as np
import pytest

from models.evaluate.feedback import feedback_accuracy, label_set
from models.evaluate.summary import rouge, tokens
from models.heads.fit import fit_head
from models.heads.linear import LinearHead
from nlp.classify.component import MODELS_DIR
from nlp.classify.labels import EMOTIONS, INTENTS, SENTIMENTS

TEXTS = ["please send the report", "could you send me the file", "thanks for the update", "great news thanks",
         "send the invoice please", "thank you so much"] * 3
Y = np.array([1, 1, 0, 0, 1, 0] * 3)


def _dense(n, seed=0):
    return np.random.default_rng(seed).normal(size=(n, 8)).astype(np.float32)


def test_fit_is_deterministic_and_round_trips(tmp_path):
    a = fit_head("t", ["request"], "sigmoid", TEXTS, _dense(len(TEXTS)), Y.reshape(-1, 1), min_df=1)
    b = fit_head("t", ["request"], "sigmoid", TEXTS, _dense(len(TEXTS)), Y.reshape(-1, 1), min_df=1)
    np.testing.assert_array_equal(a.w_full, b.w_full)
    loaded = LinearHead.load(a.save(tmp_path / "t.npz"))
    p = loaded.predict_proba(["please send the slides"], _dense(1, 1))[0, 0]
    q = loaded.predict_proba(["thanks a lot"], _dense(1, 1))[0, 0]
    assert p > 0.5 > q
    # rows without an embedding use the lexical weights
    lex = loaded.predict_proba(["please send the slides"], _dense(1, 1), np.array([False]))
    assert lex[0, 0] > 0.5


@pytest.mark.parametrize("name, labels, kind", [
    ("intent/weights/request.npz", ["request"], "sigmoid"),
    ("intent/weights/intents.npz", list(INTENTS), "sigmoid"),
    ("emotion/weights/emotion.npz", list(EMOTIONS), "softmax"),
    ("emotion/weights/sentiment.npz", list(SENTIMENTS), "softmax"),
])
def test_shipped_weights_are_small_and_labelled(name, labels, kind):
    path = MODELS_DIR / name
    assert path.stat().st_size < 5_000_000
    head = LinearHead.load(path)
    assert head.labels == labels and head.kind == kind
    assert head.meta["version"] == "2026-11-27"
    assert (MODELS_DIR / name.split("/")[0] / "CARD.md").is_file()


def test_rouge_on_word_tokens():
    assert tokens("Meeting: Tues, 8/10!") == ["meeting", "tues", "8", "10"]
    r1, r2, rl = rouge("meeting confirmation tuesday", ["meeting confirmation", "meeting confirmed"])
    assert r1 == pytest.approx((0.8 + 0.4) / 2)
    assert r2 == pytest.approx((2 / 3 + 0) / 2)
    assert rl == pytest.approx(r1)


def test_feedback_accuracy_reads_label_sets():
    assert label_set([{"label": "request"}, {"label": "question"}]) == {"request", "question"}
    assert label_set('"grateful"') == {"grateful"} and label_set({"label": "negative"}) == {"negative"}
    rows = [("intent", ["request"], ["request"]), ("intent", ["request"], ["question"]),
            ("emotion", {"label": "happy"}, "happy")]
    result = feedback_accuracy(rows)
    assert result["intent"] == {"n": 2, "correct": 1, "accuracy": 0.5}
    assert result["emotion"]["accuracy"] == 1.0


def test_report_feedback_from_the_database(tmp_path, capsys):
    import sqlite3
    from types import SimpleNamespace

    from models.evaluate.feedback import report_feedback

    settings = SimpleNamespace(effective_database_url=f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert report_feedback(settings, None, ("intent",)) == {}
    assert "no feedback yet" in capsys.readouterr().out
    with sqlite3.connect(tmp_path / "db.sqlite") as conn:
        conn.execute("CREATE TABLE feedback (id INTEGER PRIMARY KEY, target TEXT, predicted JSON, corrected JSON)")
        conn.execute("""INSERT INTO feedback (target, predicted, corrected) VALUES
                        ('intent', '[{"label": "request"}]', '[{"label": "request"}]'),
                        ('intent', '["request"]', '["question"]'), ('priority', '"high"', '"low"')""")
    result = report_feedback(settings, None, ("intent",))
    assert result == {"intent": {"n": 2, "correct": 1, "accuracy": 0.5}}
    assert "feedback intent: accuracy 0.500 on 2 corrections" in capsys.readouterr().out
