"""Extractors, transforms and conditions on real-shaped mail (nlp.rules: pure, no database)."""

from __future__ import annotations

import base64
import time
from datetime import date, datetime
from decimal import Decimal

import pytest

from nlp.rules.conditions import match_rule, sender_approved
from nlp.rules.definition import Mapping, RuleDefinition, RuleError, parse_definition
from nlp.rules.engine import evaluate, extract_mapping
from nlp.rules.mailview import MailView, view_from_raw
from nlp.rules.safe_regex import Budget
from nlp.rules.transforms import parse_number, split_name
from tests.rules.forms import build


def value(view: MailView, extractor: dict, *transforms: dict):
    result = extract_mapping(Mapping(field="x", extractor=extractor, transforms=list(transforms)), view, Budget())
    assert result.error is None, result.error
    return result.value


FORM_TEXT = """New submission

Name: Ann Lee
E-mail : ann@example.test
【会社名】株式会社テスト
電話番号：０３－１１１１－２２２２
Message:
first line
second line

Thanks
Address
1 Main St
Springfield
Budget | $1,200
"""


@pytest.mark.parametrize("labels, multiline, expected", [
    (["Name"], False, "Ann Lee"),
    (["Email", "E-mail"], False, "ann@example.test"),  # a synonym, and a space before the colon
    (["会社名"], False, "株式会社テスト"),  # 【label】value
    (["電話番号"], False, "０３－１１１１－２２２２"),  # full-width colon
    (["Message"], True, "first line\nsecond line"),  # the label alone, the value under it, to the blank line
    (["Message"], False, "first line"),
    (["Address"], True, "1 Main St\nSpringfield"),  # stops at the next "label | value" line
    (["Budget"], False, "$1,200"),
    (["name"], False, "Ann Lee"),  # labels compare without case
])
def test_label_lines_in_their_many_forms(labels, multiline, expected):
    view = MailView(body=FORM_TEXT)
    assert value(view, {"type": "label", "labels": labels, "multiline": multiline}) == expected


def test_a_missing_label_or_empty_value_finds_nothing():
    view = MailView(body="Name:\nEmail: a@b.test\n")
    result = extract_mapping(Mapping(field="x", extractor={"type": "label", "labels": ["Name"]}), view, Budget())
    assert result.value is None and result.error is None
    required = Mapping(field="x", extractor={"type": "label", "labels": ["Phone"]}, required=True)
    assert extract_mapping(required, view, Budget()).code == "missing"


def test_between_markers_regex_header_and_message_fields():
    raw = (b"From: Shop <shop@example.test>\nTo: me@example.test\nSubject: Order #4411 shipped\n"
           b"X-Order-Id: 4411\nDate: Tue, 10 Nov 2026 10:00:00 +0000\n\n"
           b"Hello,\nyour order (ref. AB-77) will arrive on Friday.\nTracking number: 1Z999 -- carrier UPS\n")
    view = view_from_raw(raw)
    assert value(view, {"type": "between", "start": "(ref. ", "end": ")"}) == "AB-77"
    assert value(view, {"type": "between", "start": "Tracking number:"}) == "1Z999 -- carrier UPS"
    assert value(view, {"type": "regex", "pattern": r"Order #(?P<value>\d+)", "on": "subject"}) == "4411"
    assert value(view, {"type": "regex", "pattern": r"carrier (?P<carrier>\w+)", "group": "carrier"}) == "UPS"
    assert value(view, {"type": "header", "name": "X-Order-Id"}) == "4411"
    assert value(view, {"type": "message", "field": "from_addr"}) == "shop@example.test"
    assert value(view, {"type": "message", "field": "from_name"}) == "Shop"


def test_html_table_cells_by_row_and_by_column_label():
    view = view_from_raw(build("order_html", 0))
    assert value(view, {"type": "html_table", "label": "Customer"}) == "Bob Martinez"
    assert value(view, {"type": "html_table", "label": "order total:"}) == "$1,249.90"  # case, colon
    assert value(view, {"type": "html_table", "label": "Item", "by": "column", "row": 2}) == "Mounting kit"
    assert value(view, {"type": "html_table", "label": "Qty", "by": "column"}) == "10"


def test_json_paths_in_a_body_and_in_an_attachment():
    view = view_from_raw(build("webhook_json", 0))
    assert value(view, {"type": "json", "path": "$.data.contact.email"}) == "priya@globex.example"
    assert value(view, {"type": "json", "path": "data['location'].city"}) == "London"
    assert value(view, {"type": "json", "path": "$.data.consent"}) == "true"
    raw = (b"From: a@x.test\nSubject: export\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
           b"--b\nContent-Type: text/plain\n\nSee attached.\n--b\nContent-Type: application/json\n"
           b"Content-Disposition: attachment; filename=\"lead-77.json\"\nContent-Transfer-Encoding: base64\n\n"
           + base64.encodebytes(b'{"leads": [{"name": "Kim", "tags": ["a", "b"]}]}') + b"--b--\n")
    view = view_from_raw(raw)
    assert value(view, {"type": "json", "path": "leads[0].name"}) == "Kim"  # auto: found in the attachment
    assert value(view, {"type": "json", "path": "$.leads[0].tags", "source": "attachment:lead-*.json"}) == "a, b"
    bad = extract_mapping(Mapping(field="x", extractor={"type": "json", "path": "leads[x]"}), view, Budget())
    assert "JSON path 'leads[x]'" in bad.error


def test_csv_attachment_columns():
    csv_text = "\ufeffFull name;E-mail;Amount\nKim Park;kim@x.test;1.200,50\nLee Roy;lee@x.test;99\n"
    raw = ("From: crm-export@x.test\nSubject: leads\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
           "--b\nContent-Type: text/plain\n\nAttached.\n--b\nContent-Type: text/csv; charset=utf-8\n"
           "Content-Disposition: attachment; filename=\"leads-2026-11.csv\"\n\n" + csv_text + "--b--\n").encode()
    view = view_from_raw(raw)
    assert value(view, {"type": "csv", "column": "e-mail"}) == "kim@x.test"
    assert value(view, {"type": "csv", "column": "Full name", "row": 2, "attachment": "leads-*.csv"}) == "Lee Roy"
    assert value(view, {"type": "csv", "column": "Amount"}, {"type": "number"}) == Decimal("1200.50")


def test_signature_fields_come_from_the_pipeline_signature():
    signature = {"fields": {"name": "Ann Lee", "company": "Acme", "title": "CTO",
                            "phones": [{"type": "fax", "number": "+15550001"}, {"type": "mobile", "number": "+15550002"},
                                       {"type": "work", "number": "+15550003"}],
                            "emails": ["ann@acme.test"], "name_parts": {"given": "Ann", "family": "Lee"},
                            "address_parts": {"city": "Boston"}}}
    view = view_from_raw(b"From: ann@acme.test\nSubject: hi\n\nHi\n", signature)
    got = {f: value(view, {"type": "signature", "field": f}) for f in
           ("company", "title", "phone", "mobile", "fax", "email", "given_name", "family_name", "city")}
    assert got == {"company": "Acme", "title": "CTO", "phone": "+15550003", "mobile": "+15550002", "fax": "+15550001",
                   "email": "ann@acme.test", "given_name": "Ann", "family_name": "Lee", "city": "Boston"}


@pytest.mark.parametrize("name, given, family", [
    ("Sarah Chen", "Sarah", "Chen"),
    ("Chen, Sarah", "Sarah", "Chen"),
    ("Dr. Jonathan Q. Appleseed-Harrington", "Jonathan Q.", "Appleseed-Harrington"),
    ("山田 太郎", "太郎", "山田"),  # Japanese: family name first
    ("鈴木　一郎 様", "一郎", "鈴木"),  # ideographic space, honorific
    ("Madonna", "Madonna", None),
])
def test_names_split_into_given_and_family(name, given, family):
    assert split_name(name) == (given, family)


@pytest.mark.parametrize("text, number", [
    ("$1,249.90", Decimal("1249.90")), ("1.250,00 €", Decimal("1250.00")), ("¥120,000-", Decimal("120000")),
    ("12,5", Decimal("12.5")), ("EUR 3.75", Decimal("3.75")), ("12k", Decimal("12000")),
    ("３万円", Decimal("30000")), ("(42.00)", Decimal("-42.00")), ("1.250.000", Decimal("1250000")),
])
def test_numbers_and_amounts(text, number):
    assert parse_number(text) == number


def test_transforms_chain_and_fail_with_the_reason():
    view = MailView(body="Phone: ０３－１２３４－５６７８\nWhen: 2026年12月3日\nDue: 03/12/2026\nLevel: Hot\nEmpty:\n")
    assert value(view, {"type": "label", "labels": ["Phone"]}, {"type": "phone", "region": "JP"}) == "+81312345678"
    assert value(view, {"type": "label", "labels": ["When"]}, {"type": "date", "languages": ["ja"]}) == date(2026, 12, 3)
    assert value(view, {"type": "label", "labels": ["Due"]}, {"type": "date", "format": "%d/%m/%Y"}) == date(2026, 12, 3)
    assert value(view, {"type": "label", "labels": ["Level"]},
                 {"type": "map", "table": {"hot": "qualified", "cold": "new"}}) == "qualified"
    assert value(view, {"type": "label", "labels": ["Nope"]}, {"type": "default", "value": "web form"}) == "web form"
    assert value(view, {"type": "label", "labels": ["Level"]}, {"type": "case", "to": "upper"}) == "HOT"
    assert value(view, {"type": "label", "labels": ["Phone"]},
                 {"type": "replace", "pattern": r"[^0-9０-９]", "replacement": ""}) == "０３１２３４５６７８"
    failed = extract_mapping(Mapping(field="phone", extractor={"type": "label", "labels": ["Level"]},
                                     transforms=[{"type": "phone"}]), view, Budget())
    assert failed.code == "transform_failed" and "'Hot' is not a phone number" in failed.error
    timed = extract_mapping(Mapping(field="when", extractor={"type": "label", "labels": ["When"]},
                                    transforms=[{"type": "date", "format": "%Y-%m-%d %H:%M"}]), view, Budget())
    assert "does not have the format" in timed.error
    at = value(view, {"type": "label", "labels": ["Due"]}, {"type": "date", "format": "%d/%m/%Y"})
    assert not isinstance(at, datetime)


def test_conditions_senders_and_all_or_any():
    view = view_from_raw(build("web_form", 0))
    assert sender_approved(["wordpress@acme-widgets.example"], view.from_addr)
    assert sender_approved(["acme-widgets.example"], view.from_addr)
    assert sender_approved(["@example"], view.from_addr)  # a domain covers its subdomains
    assert not sender_approved(["widgets.example", "other@acme-widgets.example"], view.from_addr)

    def rule(match="all", senders=("acme-widgets.example",), **condition):
        return RuleDefinition(name="r", module="leads", senders=list(senders), match=match,
                              conditions=[condition] if condition else [])

    budget = Budget()
    assert match_rule(rule(on="subject", op="contains", value="new CONTACT form"), view, budget).matched
    assert match_rule(rule(on="header", header="X-Mailer", op="regex", value=r"^WPMailSMTP/"), view, budget).matched
    assert match_rule(rule(on="body", op="not_contains", value="unsubscribe"), view, budget).matched
    assert match_rule(rule(on="to", op="equals", value="sales@acme-widgets.example"), view, budget).matched
    assert not match_rule(rule(on="subject", op="equals", value="New contact"), view, budget).matched
    missed = match_rule(rule(senders=["other.example"], on="subject", op="contains", value="form"), view, budget)
    assert not missed.matched and "not approved" in missed.reasons[0]
    either = RuleDefinition(name="r", module="leads", match="any", conditions=[
        {"on": "subject", "op": "contains", "value": "nothing like it"}, {"on": "from", "op": "contains",
                                                                          "value": "Acme Widgets"}])
    assert match_rule(either, view, budget).matched
    both = either.model_copy(update={"match": "all"})
    assert not match_rule(both, view, budget).matched


def test_a_pathological_regex_is_cut_off_with_a_clear_error():
    view = MailView(body="a" * 50_000 + "!", subject="x")
    rule = parse_definition({"name": "bad", "module": "leads", "conditions": [{"on": "subject", "op": "contains",
                                                                              "value": "x"}],
                             "mappings": [{"field": "company", "extractor": {"type": "regex",
                                                                             "pattern": r"(?P<value>(a+)+$)"}},
                                          {"field": "email", "extractor": {"type": "label", "labels": ["Email"]}}]})
    started = time.monotonic()
    evaluation = evaluate(rule, view)
    elapsed = time.monotonic() - started
    [company, email] = evaluation.fields
    assert company.code == "regex_timeout" and "ran longer than" in company.error and "mappings[0]" in company.error
    assert email.error is None  # the other fields are still read
    assert elapsed < 5  # cut off (the limit is a fraction of a second; generous for a loaded machine)
    condition = parse_definition({"name": "bad", "module": "leads", "mappings": rule.model_dump()["mappings"][1:],
                                  "conditions": [{"on": "body", "op": "regex", "value": r"^(a|aa)+$"}]})
    cut = evaluate(condition, view)
    assert not cut.matched and cut.code == "regex_timeout" and "conditions[0]" in cut.error


def test_definitions_name_what_is_wrong():
    with pytest.raises(RuleError) as bad_type:
        parse_definition({"name": "r", "module": "leads",
                          "mappings": [{"field": "email", "extractor": {"type": "xpath", "path": "//a"}}]})
    assert bad_type.value.where.startswith("mappings[0].extractor") and "'email'" in bad_type.value.message
    with pytest.raises(RuleError) as missing:
        parse_definition({"name": "r", "module": "leads",
                          "mappings": [{"field": "phone", "extractor": {"type": "label", "labels": []}}]})
    assert "mappings[0].extractor.labels" in missing.value.message and "'phone'" in missing.value.message
    with pytest.raises(RuleError, match="senders"):
        parse_definition({"name": "r", "module": "leads", "senders": ["not an address"]})
