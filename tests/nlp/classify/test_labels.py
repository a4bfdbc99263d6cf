"""Intents, insights, sentiment and emotion as the default pipeline returns them: real behaviour, real weights."""

from __future__ import annotations

from nlp.pipeline import Pipeline
from nlp.schema import AnalysisResult
from tests.nlp.conftest import make_mail

REQUEST_MAIL = """Hi Sam,

We watched the demo recording yesterday and the team loved the pipeline view. Could you send me pricing
for 50 seats on the Growth plan? We need to decide by Friday.

Thanks,
Dana"""

GRATEFUL_MAIL = """Hi Alex,

Thank you so much for getting the integration live so quickly. We really appreciate all your help, the
whole team is grateful.

Best,
Priya"""

COMPLAINT_MAIL = """Hello,

This is the third time I'm writing about the duplicate charge on our invoice. It is still not fixed and
nobody has replied. This is unacceptable and I'm very frustrated.

Mark"""


def _labels(items):
    return {x["label"]: x for x in items or []}


def test_request_mail_gets_request_with_the_ask_as_evidence(analyze):
    result = analyze(REQUEST_MAIL)
    intents = _labels(result["intents"])
    assert "request" in intents
    assert "pricing" in intents["request"]["evidence"]
    assert 0.5 <= intents["request"]["confidence"] <= 1.0
    ask = next(s for s in result["sentences"] if s["text"].startswith("Could you send me pricing"))
    other = next(s for s in result["sentences"] if s["text"].startswith("We watched"))
    assert ask["request"] > 0.8 > other["request"]
    assert "pricing" in _labels(result["insights"])
    AnalysisResult.model_validate(result)  # the documented keys and types


def test_every_label_has_confidence_and_evidence_sentence(analyze):
    result = analyze(REQUEST_MAIL)
    sentences = {s["text"] for s in result["sentences"]}
    for item in result["intents"] + result["insights"]:
        assert 0.0 <= item["confidence"] <= 1.0
        assert item["evidence"] in sentences
    assert result["sentiment"]["evidence"] in sentences
    assert result["emotion"]["evidence"] in sentences


def test_grateful_mail(analyze):
    result = analyze(GRATEFUL_MAIL)
    assert result["emotion"]["label"] == "grateful"
    assert set(result["emotion"]["scores"]) == {"happy", "enthusiastic", "grateful", "trust", "confused",
                                                "dissatisfied", "frustrated", "neutral"}
    assert "thanks" in _labels(result["intents"])
    assert result["sentiment"]["label"] == "positive" and result["sentiment"]["score"] > 0


def test_complaint_mail_is_negative(analyze):
    result = analyze(COMPLAINT_MAIL)
    assert "complaint" in _labels(result["intents"])
    assert result["sentiment"]["label"] == "negative" and result["sentiment"]["score"] < 0
    assert result["emotion"]["label"] in ("frustrated", "dissatisfied")


def test_competitor_comes_from_the_admin_list(pipeline):
    text = "Hi,\n\nWe are also talking to Zoho about this. Can you match their offer?\n\nTom"
    doc = pipeline(make_mail(text))
    assert "competitor" not in _labels(doc.out["insights"])  # empty list in the default config
    from nlp.pipeline import Doc

    fresh = Doc(make_mail(text))
    fresh["competitors"] = ["Zoho", "HubSpot"]
    pipeline._run([fresh])
    competitor = _labels(fresh.out["insights"])["competitor"]
    assert competitor["names"] == ["Zoho"] and "Zoho" in competitor["evidence"]


def test_japanese_request(analyze):
    text = ("山田様\n\nいつもお世話になっております。\n来週中にお見積書をお送りいただけますでしょうか。\n"
            "よろしくお願いいたします。\n\n佐藤")
    result = analyze(text, sender="佐藤 一郎 <sato@sakura.co.jp>")
    intents = _labels(result["intents"])
    assert "request" in intents and "お見積書" in intents["request"]["evidence"]


def test_auto_reply_is_triaged_without_the_encoder(analyze):
    result = analyze("I am out of the office until Monday with limited access to email.",
                     headers={"Auto-Submitted": "auto-replied"})
    assert result["triage"]["encoder"] is False
    assert result["intents"][0]["label"] == "auto_reply"
    assert result["intents"][0]["evidence"]


def test_components_can_be_disabled():
    lexical = Pipeline.from_config(disable=["embed", "summary", "emotion"])
    result = lexical(make_mail(REQUEST_MAIL)).result()
    assert "emotion" not in result and "summary" not in result and "triage" not in result
    assert "request" in _labels(result["intents"])  # the heads' lexical weights without embeddings
    bare = Pipeline.from_config(disable=["embed", "intent", "insights", "sentiment", "emotion", "summary"])
    assert "intents" not in bare(make_mail(REQUEST_MAIL)).result()
