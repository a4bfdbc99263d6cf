"""Cue patterns: the short list of patterns searched per text never drops a match."""

from __future__ import annotations

import re
from itertools import product

from nlp.classify.patterns import CUE_LABELS, CUES, cue_hits

# Texts at the edges of how a pattern's trigger is read: words joined by marks, optional letters,
# prefixes of longer words, digits before a literal, Japanese and mixed text.
EDGES = [
    "Auto-reply: I am out of office", "autoreply", "auto reply", "Q3 plans are set", "q5", "5.1.1 user unknown",
    "x5.1.1", "so frustrating!", "annoyed", "following up on this", "followup", "switching to another vendor",
    "switch to", "final sign-off", "sign off", "don't email me again", "i'm bob from acme", "save 20% today",
    "20% off everything", "error 550", "it crashed", "per seat", "per user", "café costs", "costé", "cost_x",
    "nice to e-meet you", "会議の日程 meeting", "CEO の承認", "見積 price", "ＣＥＯ", "i've just joined",
    "as soon as possible", "can't afford it", "we went with them", "the mailer-daemon", "re-renew",
    "Thank you!", "ご確認ください", "thanks,", "by the end of the week", "on parental leave until May",
]


def _reference(text: str) -> list[float]:
    """Every pattern searched on every text: what the short list must agree with."""
    low = text[:300].lower()
    return [float(any(re.search(p.lower(), low) for p in CUES[label])) for label in CUE_LABELS]


def test_the_short_list_finds_what_searching_every_pattern_finds():
    texts = EDGES + [f"{a} {b}" for a, b in product(EDGES[:20], EDGES[20:])]
    got = cue_hits(texts)
    for text, row in zip(texts, got):
        assert row.tolist() == _reference(text), text
    assert got.sum() > len(texts)  # the edges do hit: the check above compares something


def test_a_label_fires_on_its_cue_and_not_on_a_longer_word():
    hits = dict(zip(CUE_LABELS, cue_hits(["We are planning the Q3 rollout, see attached"])[0]))
    assert hits["timeline"] == 1.0
    assert hits["thanks"] == 0.0
    hits = dict(zip(CUE_LABELS, cue_hits(["thankfully the pricelist arrived"])[0]))
    assert hits["thanks"] == 0.0 and hits["pricing"] == 0.0
    assert dict(zip(CUE_LABELS, cue_hits(["autoreply"])[0]))["auto_reply"] == 1.0
