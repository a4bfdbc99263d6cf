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


def test_records_go_to_the_stderr_of_the_moment(monkeypatch):
    import io
    import sys

    configure_logging("INFO", "json")
    first = io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    logging.getLogger("t").info("one")
    first.close()  # what a test runner does to the stderr of a finished test
    second = io.StringIO()
    monkeypatch.setattr(sys, "stderr", second)
    logging.getLogger("t").info("two")
    assert json.loads(second.getvalue().strip())["event"] == "two"
