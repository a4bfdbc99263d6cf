"""Health, metrics, errors and the OpenAPI document."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from tests.conftest import bearer, make_settings


def test_health_reports_the_database_and_the_job_layer(worker_client, client):
    assert worker_client.get("/health").json() == {"status": "ok", "database": "ok", "jobs": "embedded"}
    # A second app on the same data directory finds the worker running elsewhere and says so.
    assert client.get("/health").json()["jobs"] == "embedded (other process)"


def test_health_is_503_when_the_database_is_gone(client, runtime):
    runtime.engine.dispose()
    (runtime.settings.data_dir / "mailassist.sqlite").unlink()
    (runtime.settings.data_dir / "mailassist.sqlite").mkdir()  # a directory: SQLite cannot open it
    response = client.get("/health")
    assert response.status_code == 503 and response.json()["database"].startswith("error")


def test_metrics_count_requests_by_route(client):
    client.get("/health")
    text = client.get("/metrics").text
    assert 'mailassist_http_requests_total{method="GET",route="/health",status="200"}' in text


def test_metrics_can_be_switched_off(tmp_path):
    from assistant.runtime import Runtime
    from crm.migrate import upgrade

    runtime = Runtime(make_settings(tmp_path / "d", metrics="off"))
    upgrade(runtime.engine)
    with TestClient(create_app(runtime, run_worker=False)) as off:
        assert off.get("/metrics").status_code == 404
    runtime.dispose()


def test_metrics_limited_to_loopback_refuse_other_hosts(runtime):
    with TestClient(create_app(runtime, run_worker=False), client=("203.0.113.9", 5555)) as remote:
        assert remote.get("/metrics").status_code == 403


def test_errors_are_json_with_a_stable_code_and_request_id(client, admin, make_key):
    key = make_key(admin, "mail:read")
    response = client.get("/v1/emails/999", headers={**bearer(key), "X-Request-ID": "trace-me"})
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "email 999 not found",
                                         "request_id": "trace-me"}}
    bad_sort = client.get("/v1/emails?sort=raw", headers=bearer(key))
    assert bad_sort.status_code == 422 and bad_sort.json()["error"]["code"] == "bad_sort"


def test_openapi_declares_the_errors_and_the_security_scheme(client):
    spec = client.get("/openapi.json").json()
    responses = spec["paths"]["/v1/emails"]["get"]["responses"]
    assert {"401", "403", "422"} <= set(responses)
    assert spec["components"]["securitySchemes"]["api_key"] == {
        "type": "http", "scheme": "bearer", "description": "Authorization: Bearer <api key>"}
    assert spec["paths"]["/v1/emails"]["get"]["security"] == [{"api_key": []}]
