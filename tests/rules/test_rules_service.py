"""Rules on stored mail in the job layer: records created and updated, the log, versions, validation, safety."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from assistant.analysis import analyze_emails
from assistant.errors import BadInput
from crm.mail.tables import EmailLink
from crm.records.custom import CustomModuleService
from crm.records.service import RecordService
from crm.records.tables import Lead, RecordHistory
from crm.rules.runner import RuleRunner, view_of_email
from crm.rules.service import RuleService
from crm.rules.tables import ParseLog
from tests.rules.forms import EXPECTED, build
from tests.rules.rules_for_tests import KEY_OF, MODULE_OF, ORDERS_MODULE, RULES


@pytest.fixture
def rules(runtime, who):
    def make(*forms: str) -> dict[str, int]:
        with runtime.unit() as session:
            if "order_html" in forms:
                CustomModuleService(session).create(**ORDERS_MODULE)
            service = RuleService(session, who)
            return {form: service.create(RULES[form]).id for form in forms}

    return make


def analyze(runtime, pipeline, ids: list[int], force: bool = False) -> None:
    with runtime.unit() as session:
        analyze_emails(session, pipeline, ids, force=force)


def record_values(runtime, who, module: str, key: str, value: str) -> list[dict]:
    with runtime.unit() as session:
        service = RecordService(session, who, module)
        return [service.values(r) for r in service.list(filters={key: value}).items]


def logs(runtime, **where) -> list[ParseLog]:
    with runtime.unit() as session:
        query = select(ParseLog).order_by(ParseLog.id)
        for name, value in where.items():
            query = query.where(getattr(ParseLog, name) == value)
        return list(session.scalars(query))


def _subset(record: dict, expected: dict) -> dict:
    return {k: (None if record.get(k) is None else str(record[k])) for k in expected}


@pytest.mark.parametrize("form", ["web_form", "order_html", "webhook_json", "japanese"])
def test_a_notification_creates_its_record_and_a_second_with_the_same_key_updates_it(runtime, pipeline, who, store,
                                                                                      rules, form):
    rule_id = rules(form)[form]
    module, key = MODULE_OF[form], KEY_OF[form]
    [first] = store(form, 0)
    analyze(runtime, pipeline, [first])
    expected = {k: v for k, v in EXPECTED[form][0].items()}
    [record] = record_values(runtime, who, module, key, expected[key])
    assert _subset(record, expected) == {k: (None if v is None else str(v)) for k, v in expected.items()}
    [entry] = logs(runtime, email_id=first)
    assert (entry.outcome, entry.rule_id, entry.rule_version, entry.record_id, entry.module) == \
           ("created", rule_id, 1, record["id"], module)
    assert {f["field"]: f["evidence"] for f in entry.fields}[key]  # every value says where it came from

    [second] = store(form, 4)  # the same key, other values
    analyze(runtime, pipeline, [second])
    [updated] = record_values(runtime, who, module, key, expected[key])
    assert updated["id"] == record["id"]
    assert _subset(updated, EXPECTED[form][4]) == {k: (None if v is None else str(v))
                                                   for k, v in EXPECTED[form][4].items()}
    [entry] = logs(runtime, email_id=second)
    assert (entry.outcome, entry.record_id) == ("updated", record["id"])
    with runtime.unit() as session:
        history = session.scalars(select(RecordHistory).where(RecordHistory.module == module,
                                                              RecordHistory.record_id == record["id"])).all()
        assert {h.source for h in history} == {"rule"}
        assert {h.source_email_id for h in history} == {first, second}
        assert all(f"rule #{rule_id}" in h.source_detail for h in history)
        links = session.scalars(select(EmailLink).where(EmailLink.module == module,
                                                        EmailLink.record_id == record["id"])).all()
        assert {(link.email_id, link.reason) for link in links} >= {(first, "rule"), (second, "rule")}


def test_rules_run_once_per_mail(runtime, pipeline, who, store, rules):
    rules("web_form")
    ids = store("web_form", 0, 1)
    analyze(runtime, pipeline, ids)
    analyze(runtime, pipeline, ids, force=True)  # the pipeline again (a new model, say): the rules do not rerun
    assert [e.outcome for e in logs(runtime)] == ["created", "created"]
    with runtime.unit() as session:
        assert session.scalar(select(func.count()).select_from(Lead)) == 2


def test_unmatched_and_failed_mail_is_kept_and_listed_with_the_reason(runtime, pipeline, who, store, rules):
    rules("web_form")
    with runtime.unit() as session:
        RuleService(session, who).add_address("dropbox.mailassist.local", "leads@parse.example.test")
    # An approved sender whose subject fails the condition; a mail to the parser's address no rule takes;
    # a mail with no company (a required mapping); an ordinary mail (not listed: it was never meant for rules).
    odd = build("web_form", 1).replace(b"New contact form submission", b"Weekly digest")
    to_parser = (b"From: someone@else.example\nTo: leads@parse.example.test\nSubject: lead\n"
                 b"Message-ID: <p1@else.example>\n\nName: X\n")
    no_company = build("web_form", 2).replace(b"Company: Fabrikam", b"Firm: Fabrikam")
    ordinary = b"From: friend@example.org\nTo: admin@example.test\nSubject: lunch?\nMessage-ID: <l@x>\n\nTomorrow?\n"
    with runtime.unit() as session:
        from crm.mail.service import MailStore

        ids = [MailStore(session).store(raw, owner_id=who.user_id, source="imap").email.id
               for raw in (odd, to_parser, no_company, ordinary)]
    analyze(runtime, pipeline, ids)
    by_mail = {e.email_id: e for e in logs(runtime)}
    assert set(by_mail) == set(ids[:3])
    assert by_mail[ids[0]].outcome == "unmatched" and "subject contains 'New contact form submission': no" \
        in by_mail[ids[0]].reason
    assert by_mail[ids[1]].outcome == "unmatched" and "no active rule matches" in by_mail[ids[1]].reason
    failed = by_mail[ids[2]]
    assert failed.outcome == "failed" and "field 'company': is required" in failed.reason
    assert {f["field"]: f["value"] for f in failed.fields}["email"] == "li.wei@fabrikam.example"
    with runtime.unit() as session:
        page = RuleService(session, who).log(failures=True)
        assert {e.email_id for e in page.items} == set(ids[:3])
        assert session.scalar(select(func.count()).select_from(Lead)) == 0


def test_a_value_the_field_refuses_fails_the_mail_naming_the_field(runtime, pipeline, who, store, rules):
    definition = {**RULES["web_form"], "mappings": [*RULES["web_form"]["mappings"][:2],
                                                     {"field": "email", "extractor": {"type": "label",
                                                                                      "labels": ["Budget"]}}]}
    with runtime.unit() as session:
        RuleService(session, who).create(definition)
    [mail] = store("web_form", 0)
    analyze(runtime, pipeline, [mail])
    [entry] = logs(runtime)
    assert entry.outcome == "failed" and "field 'email': '$12,500' is not an email address" in entry.reason


@pytest.mark.parametrize("change, message", [
    ({"mappings": [{"field": "favourite_colour", "extractor": {"type": "label", "labels": ["Colour"]}}]},
     "leads has no field 'favourite_colour'"),
    ({"mappings": [{"field": "email", "extractor": {"type": "regex", "pattern": "(?P<value>[a-z+"}}]},
     "mapping of field 'email': mappings[0].extractor.pattern: invalid regular expression"),
    ({"mappings": [{"field": "email", "extractor": {"type": "regex", "pattern": "[a-z]+@x"}}]},
     "has no group named 'value'"),
    ({"mappings": [{"field": "email", "extractor": {"type": "label", "labels": ["E"]},
                    "transforms": [{"type": "default", "value": "n/a"}]}]},
     "mapping of field 'email': the default 'n/a' does not fit the field"),
    ({"mappings": [{"field": "email", "extractor": {"type": "label", "labels": ["E"]},
                    "transforms": [{"type": "phone"}]}]},
     "mapping of field 'email': a phone transform gives a phone, but the field is of type email"),
    ({"mappings": [{"field": "status", "extractor": {"type": "label", "labels": ["Stage"]},
                    "transforms": [{"type": "map", "table": {"hot": "burning"}}]}]},
     "mapping of field 'status': the mapped value 'burning' does not fit the field"),
    ({"module": "gadgets"}, "module: there is no module 'gadgets'"),
    ({"key_field": None}, "an upsert rule needs a key field"),
    ({"senders": [], "conditions": []}, "needs approved senders or at least one condition"),
    ({"conditions": [{"on": "body", "op": "regex", "value": "(unclosed"}]}, "conditions[0].value: invalid regular"),
    ({"mappings": [{"field": "email", "extractor": {"type": "label"}}]},
     "mappings[0].extractor.labels: Field required (mapping of field 'email')"),
])
def test_a_rule_is_validated_when_saved_and_the_error_names_the_field(runtime, who, change, message):
    with runtime.unit() as session, pytest.raises(BadInput) as refused:
        RuleService(session, who).create({**RULES["web_form"], **change})
    assert message in refused.value.message


def test_a_required_field_of_the_module_must_be_mapped(runtime, who):
    with runtime.unit() as session, pytest.raises(BadInput) as refused:
        RuleService(session, who).create({**RULES["web_form"], "module": "accounts", "action": "create",
                                          "key_field": None, "mappings": [
                                              {"field": "phone", "extractor": {"type": "label", "labels": ["Phone"]}}]})
    assert "field 'name' is required by accounts but no mapping fills it" in refused.value.message


def test_every_change_is_versioned_with_a_diff_and_can_be_restored(runtime, who, rules):
    rule_id = rules("web_form")["web_form"]
    with runtime.unit() as session:
        service = RuleService(session, who)
        edited = {**RULES["web_form"], "name": "Contact form (v2)", "action": "create",
                  "conditions": [{"on": "subject", "op": "contains", "value": "New contact"}]}
        service.update(rule_id, edited)
        service.update(rule_id, edited)  # nothing changed: no new version
        service.set_active(rule_id, False)
        history = service.history(rule_id)
        assert [(v.version, v.change) for v in history] == [(3, "deactivated"), (2, "edited"), (1, "created")]
        assert history[0].changed_by == who.user_id and history[0].diff == [{"path": "active", "old": True,
                                                                            "new": False}]
        assert {d["path"]: (d["old"], d["new"]) for d in history[1].diff} == {
            "name": ("Website contact form", "Contact form (v2)"), "action": ("upsert", "create"),
            "conditions[0].value": ("New contact form submission", "New contact")}
        restored = service.restore(rule_id, 1)
        assert (restored.version, restored.name, restored.active) == (4, "Website contact form", False)
        assert restored.definition["action"] == "upsert"
        assert service.history(rule_id)[0].change == "restored version 1"


def test_dry_run_shows_field_by_field_what_would_happen_and_writes_nothing(runtime, pipeline, who, store, rules):
    rule_id = rules("web_form")["web_form"]
    first, again = store("web_form", 0, 4)
    with runtime.unit() as session:
        [plan] = RuleService(session, who).dry_run(first, rule_id=rule_id)
        assert (plan.outcome, plan.action) == ("created", "create")
        assert {f.field: f.value for f in plan.evaluation.fields}["phone"] == "+14155550134"
        assert {f.field: f.evidence for f in plan.evaluation.fields}["company"] == "Company: Northwind Logistics"
    with runtime.unit() as session:
        assert session.scalar(select(func.count()).select_from(Lead)) == 0
    analyze(runtime, pipeline, [first])
    with runtime.unit() as session:
        plans = RuleService(session, who).dry_run(again)  # every rule
        assert [(p.outcome, p.action) for p in plans] == [("updated", "update")]
        changes = {c["field"]: (c["old"], c["new"]) for c in plans[0].changes}
        assert changes["phone"] == ("+14155550134", "+14155550188") and "email" not in changes


def test_when_several_records_have_the_key_the_policy_decides(runtime, pipeline, who, store):
    with runtime.unit() as session:
        leads = RecordService(session, who, "leads")
        ids = [leads.create({"email": "sarah.chen@northwind.example", "last_name": n}).id for n in ("A", "B")]
        service = RuleService(session, who)
        rule_id = service.create({**RULES["web_form"], "on_many": "skip"}).id
    [mail] = store("web_form", 0)
    analyze(runtime, pipeline, [mail])
    [entry] = logs(runtime)
    assert entry.outcome == "ambiguous" and f"#{ids[0]}, #{ids[1]}" in entry.reason
    with runtime.unit() as session:
        RuleService(session, who).update(rule_id, {**RULES["web_form"], "on_many": "all"})
        entries = RuleService(session, who).apply(rule_id, [mail])
        assert [(e.outcome, e.trigger) for e in entries] == [("updated", "manual")]
    with runtime.unit() as session:
        assert {lead.last_name for lead in session.scalars(select(Lead))} == {"Chen"}


def test_applying_a_rule_to_stored_mail_is_idempotent(runtime, who, store, rules):
    rule_id = rules("japanese")["japanese"]
    ids = store("japanese", 0, 1, 2)
    with runtime.unit() as session:
        first = RuleService(session, who).apply(rule_id, ids)
    with runtime.unit() as session:
        second = RuleService(session, who).apply(rule_id, ids)
        count = session.scalar(select(func.count()).select_from(Lead))
    assert [e.outcome for e in first] == ["created"] * 3 and second == [] and count == 3


def test_a_custom_field_gone_from_the_module_fails_the_rule_not_the_job(runtime, pipeline, who, store, rules):
    rules("order_html")
    with runtime.unit() as session:
        CustomModuleService(session).delete("orders")
    [mail] = store("order_html", 0)
    analyze(runtime, pipeline, [mail])
    [entry] = logs(runtime)
    assert entry.outcome == "failed" and "there is no module 'orders'" in entry.reason


def test_a_signature_field_feeds_a_mapping(runtime, who, store):
    definition = {"name": "sig", "module": "contacts", "action": "create", "senders": ["formrelay.example"],
                  "mappings": [{"field": "email", "extractor": {"type": "message", "field": "from_addr"}},
                               {"field": "title", "extractor": {"type": "signature", "field": "title"}}]}
    [mail] = store("webhook_json", 0)
    with runtime.unit() as session:
        from crm.mail.repository import EmailRepository

        email = EmailRepository(session).get(mail)
        view = view_of_email(session, email, signature={"fields": {"title": "Webhook robot"}})
        plan = RuleRunner(session, who).plan(view, definition=definition)
        assert plan.values == {"email": "hooks@formrelay.example", "title": "Webhook robot"}


@pytest.mark.parametrize("form", ["web_form", "order_html"])
def test_rules_on_either_database(any_db_settings, pipeline, form):
    """The key lookup of a custom module reads its JSON column: the same on SQLite and PostgreSQL."""
    from assistant.runtime import Runtime
    from crm.mail.service import MailStore
    from crm.migrate import upgrade
    from crm.users.service import UserService

    runtime = Runtime(any_db_settings.model_copy(update={"job_modules": []}))
    upgrade(runtime.engine)
    try:
        with runtime.unit() as session:
            users = UserService(session)
            admin = users.identity_for(users.create_user("a@example.test", "password-123", role="admin"))
            if form == "order_html":
                CustomModuleService(session).create(**ORDERS_MODULE)
            RuleService(session, admin).create(RULES[form])
            ids = [MailStore(session).store(build(form, i), owner_id=admin.user_id, source="imap").email.id
                   for i in (0, 4)]
        analyze(runtime, pipeline, ids[:1])
        analyze(runtime, pipeline, ids[1:])
        [record] = record_values(runtime, admin, MODULE_OF[form], KEY_OF[form], EXPECTED[form][4][KEY_OF[form]])
        assert _subset(record, EXPECTED[form][4]) == {k: (None if v is None else str(v))
                                                      for k, v in EXPECTED[form][4].items()}
        assert [e.outcome for e in logs(runtime)] == ["created", "updated"]
    finally:
        runtime.dispose()
