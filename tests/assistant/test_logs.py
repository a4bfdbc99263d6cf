from __future__ import annotations

import json
import logging

from assistant.logs import configure_logging, request_id_var


def test_one_json_line_per_event_with_request_id_and_secrets_masked(capsys):
    configure_logging("INFO", "json")
    token = request_id_var.set("req-1")
    try:
        logging.getLogger("t").info("signed in", extra={"user": 3, "password": "hunter2", "api_key": "mak_x"})
    finally:
        request_id_var.reset(token)
    line = capsys.readouterr().err.strip().splitlines()[-1]
    event = json.loads(line)
    assert event["event"] == "signed in" and event["request_id"] == "req-1" and event["user"] == 3
    assert event["password"] == "***" and event["api_key"] == "***" and "hunter2" not in line
