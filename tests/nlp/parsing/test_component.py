"""The "parse" component inside the pipeline frame: what it assigns and what it writes to the result."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from nlp.pipeline import FACTORIES, MessageInput, Pipeline
from tests.nlp.parsing.mails import headers, multipart, text_part, to_bytes

JA_REPLY = ("鈴木様\n\nお世話になっております。\n承知しました。\n\n"
            "2024年1月15日(月) 10:00 鈴木一郎 <ichiro@example.com>:\n> 見積書をお送りします。")


@pytest.fixture
def pipeline(tmp_path: Path) -> Pipeline:
    config = tmp_path / "parse_only.toml"
    config.write_text('[pipeline]\nversion = "t"\nmodules = ["nlp.parsing.component"]\ncomponents = ["parse"]\n'
                      '[components.parse]\nfactory = "parse"\n')
    return Pipeline.from_config(config)


def test_factory_is_registered_with_what_it_reads_and_assigns(pipeline):
    factory = FACTORIES["parse"]
    assert factory.reads == ("input",)
    assert set(factory.assigns) >= {"message", "body", "lines"}


def test_raw_japanese_mail(pipeline):
    msg = headers(text_part(JA_REPLY, "iso-2022-jp"), subject="Re: お見積り", sender="山田 太郎 <t.yamada@example.jp>")
    doc = pipeline(MessageInput(id="m1", raw=to_bytes(msg)))
    assert doc.errors == []
    assert doc["body"] == doc.out["body"] == JA_REPLY
    assert doc["lines"] == JA_REPLY.split("\n")
    assert doc["message"].subject == "Re: お見積り"
    assert doc.out["headers"]["from"] == {"name": "山田 太郎", "address": "t.yamada@example.jp"}
    assert doc.out["headers"]["date"] == "2024-01-15T10:00:00+09:00"
    assert doc["reference_date"] == datetime.fromisoformat("2024-01-15T10:00:00+09:00")
    assert doc.out["attachments"] == [] and doc.out["calendar"] == []
    assert doc.out["auto"] == {"kind": None, "reasons": []}
    assert doc.out["parse_problems"] == []
    json.dumps(doc.result())


def test_bare_text_and_html_inputs(pipeline):
    when = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    text_doc, html_doc = pipeline.pipe([MessageInput(id="t", text="Hi\r\nthere", date=when),
                                        MessageInput(id="h", html="<p>Hi</p><ul><li>there</li></ul>")])
    assert text_doc.out["body"] == "Hi\nthere" and text_doc["lines"] == ["Hi", "there"]
    assert text_doc["reference_date"] == when
    assert text_doc.out["headers"] == {"message_id": None, "subject": None, "from": None, "to": [], "cc": [],
                                       "date": None, "in_reply_to": None, "references": []}
    assert html_doc.out["body"] == "Hi\n\n- there"
    assert html_doc["reference_date"] is None


def test_result_keys_for_a_message_with_attachments(pipeline):
    pdf = text_part("%PDF", "utf-8")
    pdf.replace_header("Content-Type", "application/pdf")
    pdf.add_header("Content-Disposition", "attachment", filename="a.pdf")
    doc = pipeline(MessageInput(raw=to_bytes(headers(multipart("mixed", text_part("See file."), pdf)))))
    assert set(doc.out) == {"body", "headers", "attachments", "calendar", "auto", "parse_problems"}
    assert set(doc.out["attachments"][0]) == {"name", "content_type", "size", "sha256", "inline", "content_id"}


def test_input_that_is_not_mail_is_kept_and_marked(pipeline):
    doc = pipeline(MessageInput(raw=b"just a line of text, no headers at all"))
    assert doc.out["body"] == "just a line of text, no headers at all"
    assert "no header block: the whole input was read as the body" in doc.out["parse_problems"]
    assert pipeline(MessageInput(raw=b"")).out["parse_problems"] == ["empty message"]
