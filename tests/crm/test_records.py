"""CRM records through the API: validation, filters, sorting, paging, history, visibility, custom modules."""

from __future__ import annotations

import pytest

from tests.conftest import bearer


@pytest.fixture
def rep_key(make_user, make_key):
    rep = make_user("rep1@example.test")
    return make_key(rep, "records:read", "records:write", "mail:read")


def test_create_read_update_delete_with_history(client, rep_key):
    h = bearer(rep_key)
    account = client.post("/v1/accounts", json={"name": "Northwind", "domain": "northwind.example",
                                                "type": "customer"}, headers=h).json()
    contact = client.post("/v1/contacts", json={"first_name": "Sarah", "last_name": "Chen",
                                                "email": "Sarah.Chen@Northwind.example",
                                                "account_id": account["id"]}, headers=h)
    assert contact.status_code == 201
    body = contact.json()
    assert body["email"] == "sarah.chen@northwind.example" and body["title"] is None
    assert body["title"] == body["mobile"] is None and body["module"] == "contacts"
    updated = client.patch(f"/v1/contacts/{body['id']}", json={"mobile": "+1 617 555 0199"}, headers=h).json()
    assert updated["mobile"] == "+1 617 555 0199"
    history = client.get(f"/v1/contacts/{body['id']}/history", headers=h).json()
    assert [(e["action"], e["field"]) for e in history][-1] == ("update", "mobile")
    assert history[-1]["old_value"] is None and history[-1]["source"] == "api"
    assert client.delete(f"/v1/contacts/{body['id']}", headers=h).status_code == 204
    assert client.get(f"/v1/contacts/{body['id']}", headers=h).status_code == 404


@pytest.mark.parametrize("payload, field", [
    ({"name": "X", "stage": "won-ish"}, "stage"),
    ({"name": "X", "amount": "lots"}, "amount"),
    ({"name": "X", "close_date": "31/12/2026"}, "close_date"),
    ({"stage": "proposal"}, "name"),
])
def test_invalid_values_are_rejected_naming_the_field(client, rep_key, payload, field):
    response = client.post("/v1/deals", json=payload, headers=bearer(rep_key))
    assert response.status_code == 422
    text = str(response.json())
    assert field in text


def test_unknown_fields_are_rejected(client, rep_key):
    response = client.post("/v1/leads", json={"first_name": "A", "favourite_colour": "red"}, headers=bearer(rep_key))
    assert response.status_code == 422


def test_filter_sort_search_and_paging(client, rep_key):
    h = bearer(rep_key)
    for i, stage in enumerate(["proposal", "negotiation", "proposal", "closed_won"]):
        client.post("/v1/deals", json={"name": f"Deal {i}", "stage": stage, "amount": 1000 * (i + 1)}, headers=h)
    page = client.get("/v1/deals?stage=proposal&sort=-amount", headers=h).json()
    assert page["total"] == 2 and [d["name"] for d in page["items"]] == ["Deal 2", "Deal 0"]
    assert page["items"][0]["amount"] == "3000.00"
    second = client.get("/v1/deals?sort=amount&limit=2&offset=2", headers=h).json()
    assert [d["name"] for d in second["items"]] == ["Deal 2", "Deal 3"] and second["total"] == 4
    assert client.get("/v1/deals?q=deal 1", headers=h).json()["total"] == 1
    bad = client.get("/v1/deals?sort=secret_column", headers=h)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "unknown_field"


def test_role_hierarchy_decides_who_sees_records(client, runtime, make_user, make_key):
    manager = make_user("boss@example.test", role="manager")
    rep_a = make_user("a@example.test")
    rep_b = make_user("b@example.test")
    with runtime.unit() as session:
        from crm.users.tables import User

        session.get(User, rep_a.id).manager_id = manager.id
    keys = {u.email: make_key(u, "records:read", "records:write") for u in (manager, rep_a, rep_b)}
    lead_a = client.post("/v1/leads", json={"last_name": "OfA"}, headers=bearer(keys["a@example.test"])).json()
    client.post("/v1/leads", json={"last_name": "OfB"}, headers=bearer(keys["b@example.test"]))
    seen_by_manager = {x["last_name"] for x in client.get("/v1/leads", headers=bearer(keys["boss@example.test"]))
                       .json()["items"]}
    assert seen_by_manager == {"OfA"}
    assert client.get(f"/v1/leads/{lead_a['id']}", headers=bearer(keys["b@example.test"])).status_code == 404
    # Nor can B point a record of theirs at A's lead.
    sneaky = client.post("/v1/tasks", json={"subject": "x", "lead_id": lead_a["id"]},
                         headers=bearer(keys["b@example.test"]))
    assert sneaky.status_code == 404


def test_read_only_keys_cannot_write(client, make_user, make_key):
    key = make_key(make_user("ro@example.test"), "records:read")
    assert client.get("/v1/accounts", headers=bearer(key)).status_code == 200
    assert client.post("/v1/accounts", json={"name": "Nope"}, headers=bearer(key)).status_code == 403


def test_admin_defined_custom_module(client, admin, make_key, rep_key):
    admin_key = make_key(admin, "admin", "records:read", "records:write")
    bad = client.post("/v1/custom-modules", json={"name": "projects", "label": "Projects", "title_field": "name",
                                                  "fields": [{"name": "name", "type": "colour"}]},
                      headers=bearer(admin_key))
    assert bad.status_code == 422 and "colour" in bad.json()["error"]["message"]
    created = client.post("/v1/custom-modules", json={
        "name": "projects", "label": "Projects", "title_field": "name",
        "fields": [{"name": "name", "type": "text", "required": True}, {"name": "budget", "type": "money"},
                   {"name": "phase", "type": "choice", "choices": ["plan", "build", "run"]}]},
        headers=bearer(admin_key))
    assert created.status_code == 201
    assert client.post("/v1/custom-modules", json={"name": "projects", "label": "P", "title_field": "x",
                                                   "fields": [{"name": "x"}]},
                       headers=bearer(rep_key)).status_code == 403
    h = bearer(rep_key)
    record = client.post("/v1/custom/projects", json={"name": "Rollout", "budget": "12000", "phase": "plan"},
                         headers=h)
    assert record.status_code == 201 and record.json()["budget"] == "12000.00"
    assert client.post("/v1/custom/projects", json={"name": "X", "phase": "dream"}, headers=h).status_code == 422
    client.patch(f"/v1/custom/projects/{record.json()['id']}", json={"phase": "build"}, headers=h)
    listed = client.get("/v1/custom/projects?phase=build", headers=h).json()
    assert listed["total"] == 1 and listed["items"][0]["title"] == "Rollout"
