"""Learning from a sample: highlighting the values of one mail yields a rule that reads further mails of the
same form, with other values (longer names, missing fields, more lines), the same way."""

from __future__ import annotations

import pytest

from nlp.rules.definition import RuleDefinition, RuleError
from nlp.rules.engine import evaluate, plain_value
from nlp.rules.learner import learn_field, suggest_match
from nlp.rules.mailview import MailView, view_from_raw, view_from_text
from tests.rules.forms import EXPECTED, FILLINGS, build

# What the admin highlights in each sample: (field, field type, where, the highlighted text).
HIGHLIGHTS = {
    "web_form": [("first_name", "text", "body", "Sarah"), ("last_name", "text", "body", "Chen"),
                 ("email", "email", "body", "sarah.chen@northwind.example"),
                 ("company", "text", "body", "Northwind Logistics"), ("phone", "phone", "body", "(415) 555-0134")],
    "order_html": [("order_number", "text", "body", "SF-10482"), ("order_date", "date", "body", "14 November 2026"),
                   ("customer", "text", "body", "Bob Martinez"), ("email", "email", "body", "bob@example.org"),
                   ("total", "money", "body", "$1,249.90")],
    "webhook_json": [("first_name", "text", "body", "Priya"), ("last_name", "text", "body", "Natarajan"),
                     ("email", "email", "body", "priya@globex.example"), ("phone", "phone", "body", "+44 20 7946 0958"),
                     ("title", "text", "body", "Head of Operations"), ("city", "text", "body", "London"),
                     ("country", "text", "body", "United Kingdom")],
    "japanese": [("last_name", "text", "body", "山田"), ("first_name", "text", "body", "太郎"),
                 ("company", "text", "body", "株式会社サクラ商事"), ("phone", "phone", "body", "03-1234-5678"),
                 ("email", "email", "body", "t.yamada@sakura-shoji.example.jp")],
}
EXPECTED_KIND = {"web_form": "label", "order_html": "html_table", "webhook_json": "json", "japanese": "label"}


def learned_rule(form: str) -> tuple[RuleDefinition, list]:
    view = view_from_raw(build(form, 0))
    mappings, learned = [], []
    for field, field_type, source, text in HIGHLIGHTS[form]:
        start = view.text_of(source).index(text)
        result = learn_field(view, field=field, field_type=field_type, selection=text, start=start, source=source)
        mappings.append(result.mapping)
        learned.append(result)
    return RuleDefinition(name=form, module="leads", mappings=mappings), learned


def _plain(values: dict) -> dict:
    return {k: str(plain_value(v)) for k, v in values.items()}


@pytest.mark.parametrize("form", sorted(HIGHLIGHTS))
def test_highlighted_values_become_mappings_that_read_the_sample(form):
    rule, learned = learned_rule(form)
    assert {item.kind for item in learned} == {EXPECTED_KIND[form]}  # labels, cells, paths: not positions
    got = _plain(evaluate(rule, view_from_raw(build(form, 0)), check_match=False).values())
    assert got == {k: str(v) for k, v in EXPECTED[form][0].items() if v is not None}


@pytest.mark.parametrize("form", sorted(HIGHLIGHTS))
@pytest.mark.parametrize("index", [1, 2, 3])
def test_the_learned_rule_reads_further_mails_of_the_same_form(form, index):
    rule, _ = learned_rule(form)
    evaluation = evaluate(rule, view_from_raw(build(form, index)), check_match=False)
    assert not evaluation.failed, evaluation.problems()
    expected = {k: str(v) for k, v in EXPECTED[form][index].items() if v is not None}
    assert _plain(evaluation.values()) == expected, FILLINGS[form][index]


def test_a_value_inside_a_longer_one_gets_a_split_or_markers():
    view = MailView(body="Contact: Ann Lee\nRef: order 77 (priority)\n")
    first = learn_field(view, field="first_name", selection="Ann", start=9)
    assert first.kind == "label" and [t.type for t in first.mapping.transforms][:2] == ["split_name", "trim"]
    ref = learn_field(view, field="x", selection="77", start=view.body.index("77"))
    assert ref.kind == "between" and ref.mapping.extractor.start.endswith("order ")
    other = MailView(body="Contact: Bo Ek\nRef: order 912345 (normal)\n")
    assert evaluate(RuleDefinition(name="r", module="leads", mappings=[first.mapping, ref.mapping]), other,
                    check_match=False).values() == {"first_name": "Bo", "x": "912345"}


def test_a_pasted_body_and_a_value_that_is_not_there():
    view = view_from_text("お名前：佐藤 花子\nご用件：\n資料請求\n")
    assert not view.from_addr and view.body.startswith("お名前")
    learned = learn_field(view, field="notes", selection="資料請求", start=view.body.index("資料請求"))
    assert learned.mapping.extractor.labels[0] == "ご用件"
    with pytest.raises(RuleError, match="not in the sample"):
        learn_field(view, field="notes", selection="nowhere")


def test_pasted_whole_messages_are_parsed():
    raw = build("japanese", 0).decode("ascii")  # ISO-2022-JP is 7-bit: pasteable as it is
    view = view_from_text(raw)
    assert view.from_addr == "form@sakura-kogyo.example.jp" and "お名前：山田 太郎" in view.body


@pytest.mark.parametrize("form, condition", [
    ("web_form", "[Acme Widgets] New contact form submission"), ("order_html", "Order"),
    ("webhook_json", "[FormRelay] Book a demo"), ("japanese", "【お問い合わせ】"),
])
def test_a_sender_and_a_subject_condition_are_suggested(form, condition):
    view = view_from_raw(build(form, 0))
    suggestion = suggest_match(view)
    assert suggestion["senders"] == [view.from_addr]
    assert suggestion["conditions"] == [{"on": "subject", "op": "contains", "value": condition}]


@pytest.mark.parametrize("client", ["gmail", "outlook_ja"])
def test_a_forwarded_sample_suggests_the_original_sender_and_subject(client):
    original = view_from_raw(build("web_form", 0))
    if client == "gmail":
        block = ("---------- Forwarded message ---------\nFrom: Acme Widgets <wordpress@acme-widgets.example>\n"
                 f"Date: Mon, 10 Nov 2026 at 09:10\nSubject: {original.subject}\nTo: <sales@acme-widgets.example>\n")
        subject = f"Fwd: {original.subject}"
    else:
        block = ("-----Original Message-----\n差出人: Acme Widgets <WordPress@acme-widgets.example>\n"
                 f"送信日時: 2026年11月10日 9:10\n件名: {original.subject}\n")
        subject = f"転送: {original.subject}"
    raw = (f"From: Ada <admin@example.test>\nTo: rules+abc@dropbox.mailassist.local\nSubject: {subject}\n"
           f"Message-ID: <fwd-{client}@example.test>\nContent-Type: text/plain; charset=utf-8\n\n"
           f"FYI, make a rule of this one\n\n{block}\n{original.body}").encode("utf-8")
    view = view_from_raw(raw)
    suggestion = suggest_match(view)
    assert suggestion["senders"] == ["wordpress@acme-widgets.example"]  # not the admin who forwarded it
    assert suggestion["conditions"] == [{"on": "subject", "op": "contains",
                                         "value": "[Acme Widgets] New contact form submission"}]
    learned = learn_field(view, field="company", selection="Northwind Logistics",
                          start=view.body.index("Northwind Logistics"))
    assert learned.kind == "label"
    further = view_from_raw(build("web_form", 2))
    rule = RuleDefinition(name="fwd", module="leads", mappings=[learned.mapping])
    assert evaluate(rule, further, check_match=False).values() == {"company": EXPECTED["web_form"][2]["company"]}


def test_a_mail_that_is_not_a_forward_keeps_its_own_sender():
    view = view_from_text("From: a@b.example\nSubject: Fwd nothing here\n\nFrom: c@d.example\n")
    assert suggest_match(view)["senders"] == ["a@b.example"]
