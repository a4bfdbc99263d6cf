"""POST /v1/analyze answers exactly what `mailassist analyze --json` prints."""

from __future__ import annotations

import base64

from crm.demo import DEMO_DIR
from nlp.interface import analyze_objects
from tests.conftest import bearer


def test_the_api_and_the_machine_interface_agree(client, runtime, admin, make_key):
    key = make_key(admin, "analyze")
    body = {"id": "m1", "raw_b64": base64.b64encode((DEMO_DIR / "03-complaint.eml").read_bytes()).decode()}
    answer = client.post("/v1/analyze", json=body, headers=bearer(key))
    assert answer.status_code == 200
    assert answer.json() == next(analyze_objects(runtime.pipeline, [body]))
    result = answer.json()
    assert result["id"] == "m1" and "charged twice" in result["new_text"]
    assert "Can you look into it?" not in result["new_text"]  # the quoted older message is not new text
    assert {z["zone"] for z in result["zones"]} >= {"new_text", "quote_header", "quoted"}


def test_bad_inputs_get_clear_4xx(client, admin, make_key):
    key = make_key(admin, "analyze")
    both = client.post("/v1/analyze", json={"raw": "x", "text": "y"}, headers=bearer(key))
    assert both.status_code == 422 and both.json()["error"]["code"] == "bad_input"
    bad = client.post("/v1/analyze", json={"raw_b64": "%%%"}, headers=bearer(key))
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "bad_base64"
    date = client.post("/v1/analyze", json={"text": "hi", "date": "tomorrow"}, headers=bearer(key))
    assert date.status_code == 422 and date.json()["error"]["code"] == "bad_date"
