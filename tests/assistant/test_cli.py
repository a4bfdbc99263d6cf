"""The `mailassist` command, run as a user runs it: a real process, real files, a real database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crm.demo import DEMO_DIR
from tests.conftest import REPO


@pytest.fixture
def cli(tmp_path):
    env = dict(os.environ, MAILASSIST_DATA_DIR=str(tmp_path / "data"), MAILASSIST_LOG_FORMAT="text",
               MAILASSIST_ADMIN_PASSWORD="correct horse battery", PYTHONPATH=str(REPO))

    def run(*args: str, input: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "assistant.cli", *args], env=env, input=input,
                                capture_output=True, timeout=120)
        if check and result.returncode != 0:
            raise AssertionError(f"mailassist {' '.join(args)} failed:\n{result.stderr.decode()}")
        return result

    run.env = env
    return run


def test_setup_is_idempotent(cli):
    first = cli("setup").stdout.decode()
    assert "admin account created: admin@mailassist.local" in first
    assert "demo mailbox: 8 new messages" in first
    second = cli("setup").stdout.decode()
    assert "admin account exists" in second and "demo mailbox already loaded" in second


def test_setup_prints_a_generated_admin_password_once(cli):
    env = dict(cli.env)
    del env["MAILASSIST_ADMIN_PASSWORD"]
    run = lambda: subprocess.run([sys.executable, "-m", "assistant.cli", "setup", "--no-demo"], env=env,  # noqa: E731
                                 capture_output=True, timeout=120).stdout.decode()
    assert "password" in run()
    assert "password" not in run()


def test_import_stores_a_directory_and_marks_malformed_files(cli, tmp_path):
    cli("setup", "--no-demo")
    folder = tmp_path / "mail"
    folder.mkdir()
    for eml in DEMO_DIR.glob("*.eml"):
        (folder / eml.name).write_bytes(eml.read_bytes())
    (folder / "broken.eml").write_bytes(b"\xff\xfe\x00garbage without any header\n")
    (folder / "empty.eml").write_bytes(b"")
    result = cli("import", str(folder))
    out, err = result.stdout.decode(), result.stderr.decode()
    assert "10 stored (2 malformed), 0 already there" in out
    assert "broken.eml: no header lines" in err and "empty.eml: empty file" in err
    again = cli("import", str(folder)).stdout.decode()
    assert "0 stored (0 malformed), 10 already there" in again


def test_import_reads_an_mbox(cli, tmp_path):
    import mailbox

    cli("setup", "--no-demo")
    box = mailbox.mbox(str(tmp_path / "in.mbox"))
    for eml in sorted(DEMO_DIR.glob("*.eml"))[:3]:
        box.add(eml.read_bytes())
    box.close()
    assert "3 stored" in cli("import", str(tmp_path / "in.mbox")).stdout.decode()


def test_import_of_a_missing_path_is_a_clear_error(cli):
    cli("setup", "--no-demo")
    result = cli("import", "/nowhere/at/all", check=False)
    assert result.returncode == 1 and "does not exist" in result.stderr.decode()


def test_commands_refuse_an_unmigrated_database(cli):
    result = cli("import", str(DEMO_DIR), check=False)
    assert result.returncode == 1 and "mailassist db upgrade" in result.stderr.decode()


def test_config_masks_secrets(cli):
    env_before = dict(cli.env)
    cli.env.update(MAILASSIST_BROKER_URL="redis://:hunter2@127.0.0.1:6379/0", MAILASSIST_SECRET_KEY="s3cr3t-value")
    try:
        result = cli("config", "--json")
    finally:
        cli.env.clear()
        cli.env.update(env_before)
    text = result.stdout.decode()
    values = json.loads(text)
    assert "hunter2" not in text and "s3cr3t-value" not in text and "correct horse" not in text
    assert values["broker_url"] == "redis://:***@127.0.0.1:6379/0" and values["secret_key"] == "***"
    assert values["jobs"] == "celery workers via broker"


def test_apikey_create_prints_a_working_key(cli):
    cli("setup", "--no-demo")
    result = cli("apikey", "create", "--scope", "analyze", "--scope", "mail:read")
    key = result.stdout.decode().strip()
    assert key.startswith("mak_") and "analyze, mail:read" in result.stderr.decode()
    bad = cli("apikey", "create", "--scope", "root", check=False)
    assert bad.returncode == 1 and "unknown or missing scopes" in bad.stderr.decode()


def test_analyze_reads_a_file_or_stdin_without_a_database(cli, tmp_path):
    sample = DEMO_DIR / "05-japanese-inquiry.eml"
    from_file = json.loads(cli("analyze", str(sample), "--json").stdout)
    from_stdin = json.loads(cli("analyze", "-", "--json", input=sample.read_bytes()).stdout)
    assert from_file["id"] == "05-japanese-inquiry.eml" and from_stdin["id"] == "-"
    assert from_file["headers"]["subject"] == "お打ち合わせのお願い（来週火曜日）" and from_file["language"] == "ja"
    assert {k: v for k, v in from_stdin.items() if k != "id"} == {k: v for k, v in from_file.items() if k != "id"}
    assert "よろしくお願いいたします。" in from_file["new_text"] and "〒100-0005" not in from_file["new_text"]
    assert not (Path(cli.env["MAILASSIST_DATA_DIR"]) / "mailassist.sqlite").exists()
    missing = cli("analyze", str(tmp_path / "nope.eml"), check=False)
    assert missing.returncode == 2 and "cannot read" in missing.stderr.decode()


def test_analyze_batch_keeps_order_ids_and_reports_bad_lines(cli, tmp_path):
    import base64

    raw = (DEMO_DIR / "01-meeting-request.eml").read_bytes()
    lines = [json.dumps({"id": "a", "raw_b64": base64.b64encode(raw).decode()}),
             "this is not json",
             json.dumps({"id": "c", "text": "Hi,\n\nCan you send the contract by Friday?\n\nThanks,\nBo"}),
             json.dumps({"id": "d", "raw_b64": "%%%"}),
             json.dumps({"id": "e", "html": "<p>Hello <b>there</b></p>", "date": "Mon, 23 Nov 2026 09:00:00 +0100"})]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    results = [json.loads(line) for line in cli("analyze", "--batch", str(path), "--json").stdout.splitlines()]
    assert [r.get("id") for r in results] == ["a", None, "c", "d", "e"]
    assert results[1]["error"]["code"] == "bad_json" and results[3]["error"]["code"] == "bad_base64"
    assert results[0]["zones"][0]["start_line"] == 0 and "Thanks," in results[2]["new_text"]
    assert results[4]["body"] == "Hello there"
    unreadable = cli("analyze", "--batch", str(tmp_path / "missing.jsonl"), check=False)
    assert unreadable.returncode == 2
