"""The rules API for apps, and the admin pages, through the real app."""

from __future__ import annotations

import json
import re
import threading
import time

from sqlalchemy import select

from assistant.jobs.tables import JobRun
from crm.records.tables import Lead
from tests.conftest import bearer
from tests.rules.routes import walk
from tests.rules.rules_for_tests import RULES


def test_crud_versions_and_restore(api, admin_key):
    made = api.post("/v1/rules", json=RULES["web_form"], headers=admin_key)
    assert made.status_code == 201, made.text
    rule = made.json()
    assert (rule["version"], rule["active"], rule["definition"]["key_field"]) == (1, True, "email")
    assert [r["id"] for r in api.get("/v1/rules", headers=admin_key).json()] == [rule["id"]]
    edited = api.put(f"/v1/rules/{rule['id']}", json={**RULES["web_form"], "priority": 5}, headers=admin_key).json()
    assert (edited["version"], edited["priority"]) == (2, 5)
    off = api.post(f"/v1/rules/{rule['id']}/deactivate", headers=admin_key).json()
    assert (off["version"], off["active"]) == (3, False)
    versions = api.get(f"/v1/rules/{rule['id']}/versions", headers=admin_key).json()
    assert [(v["version"], v["change"]) for v in versions] == [(3, "deactivated"), (2, "edited"), (1, "created")]
    assert versions[1]["diff"] == [{"path": "priority", "old": 100, "new": 5}]
    restored = api.post(f"/v1/rules/{rule['id']}/versions/1/restore", headers=admin_key).json()
    assert (restored["version"], restored["priority"], restored["active"]) == (4, 100, False)
    current = api.post(f"/v1/rules/{rule['id']}/versions/4/restore", headers=admin_key)
    assert current.status_code == 409
    assert api.delete(f"/v1/rules/{rule['id']}", headers=admin_key).status_code == 204
    assert api.get(f"/v1/rules/{rule['id']}", headers=admin_key).status_code == 404
    assert api.get("/v1/rules", headers=admin_key).json() == []
    # Deleted is not gone: listed, and brought back inactive with every version.
    assert [r["id"] for r in api.get("/v1/rules/deleted", headers=admin_key).json()] == [rule["id"]]
    assert "undelete" in api.get("/admin/rules", headers=admin_key).text
    back = api.post(f"/v1/rules/{rule['id']}/undelete", headers=admin_key).json()
    assert (back["version"], back["active"], back["deleted_at"]) == (6, False, None)
    changes = [v["change"] for v in api.get(f"/v1/rules/{rule['id']}/versions", headers=admin_key).json()]
    assert changes[:2] == ["undeleted", "deleted"] and changes[-1] == "created"
    assert api.post(f"/v1/rules/{rule['id']}/undelete", headers=admin_key).status_code == 404


def test_errors_name_the_field(api, admin_key):
    bad = api.post("/v1/rules", headers=admin_key, json={
        **RULES["web_form"], "mappings": [{"field": "shoe_size", "extractor": {"type": "label", "labels": ["S"]}}]})
    assert bad.status_code == 422
    error = bad.json()["error"]
    assert error["code"] == "bad_rule" and "leads has no field 'shoe_size'" in error["message"]
    assert error["details"]["field"] == "shoe_size" and "email" in error["details"]["allowed"]
    regex = api.post("/v1/rules", headers=admin_key, json={**RULES["web_form"], "mappings": [
        {"field": "phone", "extractor": {"type": "regex", "pattern": "(?P<value>\\d+"}}]}).json()["error"]
    assert "mapping of field 'phone'" in regex["message"] and regex["details"]["field"] == "phone"


def test_only_admins_manage_rules(api, runtime, make_user, make_key):
    rep = make_user("rep@example.test")
    key = bearer(make_key(rep, "records:read", "records:write", "mail:read"))
    assert api.get("/v1/rules", headers=key).status_code == 403
    assert api.get("/admin/rules", headers=key).status_code == 403


def test_learn_from_a_stored_sample_and_see_other_mails(api, admin_key, store):
    sample, *others = store("web_form", 0, 1, 3)
    described = api.post("/v1/rules/sample", json={"email_id": sample}, headers=admin_key).json()
    assert described["suggestion"]["senders"] == ["wordpress@acme-widgets.example"]
    body = described["texts"][0]["text"]
    learned = api.post("/v1/rules/learn", headers=admin_key, json={
        "email_id": sample, "module": "leads", "field": "phone", "selection": "(415) 555-0134",
        "start": body.index("(415) 555-0134"), "draft": described["suggestion"]}).json()
    assert learned["value"] == "+14155550134" and learned["kind"] == "label"
    assert learned["mapping"]["extractor"]["labels"][0] == "Phone"
    assert {o["email_id"]: o["fields"][0]["value"] for o in learned["others"]} == {others[0]: "+12125550199",
                                                                                     others[1]: "+14155550172"}
    pasted = api.post("/v1/rules/learn", headers=admin_key, json={
        "raw": "お名前：山田 太郎\n会社名：株式会社サクラ商事\n", "module": "leads", "field": "company",
        "selection": "株式会社サクラ商事"}).json()
    assert pasted["value"] == "株式会社サクラ商事" and pasted["others"] == []
    missing = api.post("/v1/rules/learn", headers=admin_key, json={
        "email_id": sample, "module": "leads", "field": "company", "selection": "Initech"})
    assert missing.status_code == 422 and "is not in the sample" in missing.json()["error"]["message"]


def test_dry_run_a_draft_and_read_the_parse_log(api, admin_key, store):
    [mail] = store("japanese", 0)
    plans = api.post("/v1/rules/dry-run", json={"email_id": mail, "rule": RULES["japanese"]},
                     headers=admin_key).json()
    [plan] = plans
    assert (plan["outcome"], plan["action"], plan["module"]) == ("created", "create", "leads")
    assert plan["values"] == {"last_name": "山田", "first_name": "太郎", "company": "株式会社サクラ商事",
                              "phone": "+81312345678", "email": "t.yamada@sakura-shoji.example.jp"}
    assert {f["field"]: f["evidence"] for f in plan["fields"]}["phone"] == "電話番号：03-1234-5678"
    pasted = api.post("/v1/rules/dry-run", headers=admin_key,
                      json={"raw": "From: form@sakura-kogyo.example.jp\nSubject: 【お問い合わせ】x\n\n会社名：ミドリ\n",
                            "rule": RULES["japanese"]}).json()
    assert pasted[0]["values"] == {"company": "ミドリ"}
    rule_id = api.post("/v1/rules", json=RULES["japanese"], headers=admin_key).json()["id"]
    api.post(f"/v1/rules/{rule_id}/deactivate", headers=admin_key)
    log = api.get("/v1/rules/log", headers=admin_key).json()
    assert log["total"] == 0


def test_a_pathological_regex_is_cut_off_and_the_service_keeps_serving(api, admin_key, store, runtime):
    [mail] = store("web_form", 0)
    with runtime.unit() as session:  # a body made to make the pattern backtrack
        from crm.mail.tables import Email

        email = session.get(Email, mail)
        email.raw = email.raw.replace(b"Budget: $12,500", b"Budget: " + b"a" * 30_000 + b"!")
    rule = {**RULES["web_form"], "mappings": [*RULES["web_form"]["mappings"],
                                               {"field": "title", "extractor": {"type": "regex",
                                                                                "pattern": r"(?P<value>(a+)+$)"}}]}
    served: list[float] = []

    def ping() -> None:
        while len(served) < 3:
            started = time.monotonic()
            assert api.get("/health").status_code == 200
            served.append(time.monotonic() - started)

    pinger = threading.Thread(target=ping)
    started = time.monotonic()
    pinger.start()
    answer = api.post("/v1/rules/dry-run", json={"email_id": mail, "rule": rule}, headers=admin_key)
    elapsed = time.monotonic() - started
    pinger.join(10)
    assert answer.status_code == 200
    [plan] = answer.json()
    title = {f["field"]: f for f in plan["fields"]}["title"]
    assert title["code"] == "regex_timeout" and "ran longer than" in title["error"]
    assert plan["outcome"] == "failed" and "regular expression" in plan["reason"]
    assert elapsed < 10 and len(served) == 3  # answered, and other requests were served meanwhile
    assert api.get("/v1/rules", headers=admin_key).status_code == 200


def test_parser_addresses(api, admin_key):
    made = api.post("/v1/rules/addresses", headers=admin_key).json()
    assert re.fullmatch(r"rules\+[0-9a-f]{24}@dropbox\.mailassist\.local", made["address"])
    chosen = api.post("/v1/rules/addresses", json={"address": "Leads@Forms.Example.test"}, headers=admin_key)
    assert chosen.json()["address"] == "leads@forms.example.test"
    again = api.post("/v1/rules/addresses", json={"address": "leads@forms.example.test"}, headers=admin_key)
    assert again.status_code == 409
    dropbox = api.post("/v1/rules/addresses", json={"address": "dropbox+abc@x.test"}, headers=admin_key)
    assert dropbox.status_code == 422
    assert len(api.get("/v1/rules/addresses", headers=admin_key).json()) == 2


def test_apply_to_stored_mail_runs_in_the_job_layer(api, admin_key, store, runtime):
    store("web_form", 0, 1)
    rule_id = api.post("/v1/rules", json=RULES["web_form"], headers=admin_key).json()["id"]
    queued = api.post(f"/v1/rules/{rule_id}/apply", json={"recent": 10}, headers=admin_key)
    assert queued.status_code == 202 and len(queued.json()["email_ids"]) == 2
    with runtime.unit() as session:
        run = session.get(JobRun, queued.json()["job_id"])
        assert (run.name, run.args[0]) == ("rules.apply", rule_id)
    from crm.rules.jobs import apply_rule_job
    from assistant.jobs.context import JobContext

    for _ in range(2):  # at least once delivery: twice is the same as once
        with runtime.unit() as session:
            result = apply_rule_job(JobContext(runtime, session, run.id, 1), *run.args)
    assert result == {}  # the second run found everything done
    with runtime.unit() as session:
        assert sorted(lead.email for lead in session.scalars(select(Lead))) == [
            "j.appleseed@contoso.example", "sarah.chen@northwind.example"]


# --- the admin pages ---------------------------------------------------------------------------------
def test_the_editor_learns_dry_runs_and_saves(api, admin_key, store):
    [mail] = store("web_form", 0)
    page = api.get(f"/admin/rules/new?email_id={mail}", headers=admin_key)
    assert page.status_code == 200
    assert 'data-field="first_name"' in page.text and "Name: Sarah Chen" in page.text
    assert "[Acme Widgets] New contact form submission" in page.text  # the suggested condition
    form = {"email_id": str(mail), "name": "Contact form", "module": "leads", "action": "upsert",
            "key_field": "email", "on_many": "first", "senders": "wordpress@acme-widgets.example",
            "conditions": "subject contains New contact form submission", "match": "all", "priority": "100",
            "mappings": "[]"}
    mappings = []
    for field, text in (("first_name", "Sarah"), ("email", "sarah.chen@northwind.example")):
        learned = api.post("/admin/rules/learn", headers=admin_key, data={
            **form, "field": field, "selection": text, "source": "body"})
        assert learned.status_code == 200, learned.text
        mappings.append(learned.json()["mapping"])
    form["mappings"] = json.dumps(mappings)
    fragment = api.post("/admin/rules/dry-run", data=form, headers={**admin_key, "X-Fragment": "1"})
    assert 'data-outcome="created"' in fragment.text and "sarah.chen@northwind.example" in fragment.text
    bad = api.post("/admin/rules/dry-run", data={**form, "conditions": "subject resembles x"},
                   headers={**admin_key, "X-Fragment": "1"})
    assert "condition line 1" in bad.text
    saved = api.post("/admin/rules", data=form, headers=admin_key, follow_redirects=False)
    assert saved.status_code == 303
    rule_url = saved.headers["location"].split("?")[0]
    editor = api.get(rule_url, headers=admin_key).text
    assert "Contact form" in editor and "inactive" in editor and "Name: Sarah Chen" in editor
    refused = api.post(rule_url, data={**form, "mappings": "[{\"field\": \"nope\"}]"}, headers=admin_key)
    assert "mappings[0].extractor: Field required" in refused.text  # the form comes back with the reason
    api.post(f"{rule_url}/activate", headers=admin_key)
    listing = api.get("/admin/rules", headers=admin_key).text
    assert "Contact form" in listing and ">active<" in listing
    history = api.get(f"{rule_url}/history", headers=admin_key).text
    assert "activated" in history and "created" in history and "Restore" in history


def test_the_parse_log_page_lists_failures(api, admin_key, store, pipeline, runtime):
    api.post("/v1/rules", json=RULES["web_form"], headers=admin_key)
    ids = store("web_form", 0)
    odd = store("japanese", 0)  # no rule approves this sender: not listed
    from assistant.analysis import analyze_emails

    with runtime.unit() as session:
        analyze_emails(session, pipeline, ids + odd)
    everything = api.get("/admin/rules/log", headers=admin_key).text
    assert "created" in everything and "Website contact form" in everything
    failures = api.get("/admin/rules/log?failures=1", headers=admin_key).text
    assert "Nothing here." in failures


def test_every_rules_route_refuses_an_anonymous_caller(api, rules_app):
    checked = 0
    for path, route in walk(rules_app.routes):
        if not path.startswith(("/v1/rules", "/admin/rules")):
            continue
        for method in route.methods - {"HEAD"}:
            answer = api.request(method, re.sub(r"\{[^}]+\}", "1", path), headers={"accept": "application/json"})
            assert answer.status_code == 401, (method, path)
            checked += 1
    assert checked >= 30


def test_every_rule_dry_runs_on_any_stored_mail_from_the_pages(api, admin_key, store):
    [mail] = store("japanese", 0)
    api.post("/v1/rules", json=RULES["japanese"], headers=admin_key)
    api.post("/v1/rules", json={**RULES["web_form"], "active": False}, headers=admin_key)
    page = api.get(f"/admin/rules/try?email_id={mail}", headers=admin_key)
    assert page.status_code == 200
    assert page.text.count('class="plan card"') == 2  # active or not, every rule is tried
    assert 'data-outcome="created"' in page.text and "株式会社サクラ商事" in page.text
    assert 'data-outcome="unmatched"' in page.text and "is not approved" in page.text
    assert "not found" in api.get("/admin/rules/try?email_id=999999", headers=admin_key).text
    with_id = api.get(f"/admin/rules/new?email_id={mail}", headers=admin_key).text  # any mail, by its number
    assert 'id="choose-sample-id"' in with_id and "お名前：山田 太郎" in with_id


def test_the_history_page_names_who_changed_the_rule(api, admin_key):
    rule_id = api.post("/v1/rules", json=RULES["web_form"], headers=admin_key).json()["id"]
    api.post(f"/v1/rules/{rule_id}/deactivate", headers=admin_key)
    history = api.get(f"/admin/rules/{rule_id}/history", headers=admin_key).text
    table = history[history.index('id="versions"'):]
    assert table.count("admin@example.test") == 2 and "deactivated" in table
    assert "<code>active</code>: True → False" in history
