"""`mailassist mailbox ...` in a real process (as `cli.py` will mount it), on the test's database."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

from sqlalchemy import func, select

from crm.mail.tables import Email
from mailio.mailboxes.sync import sync_mailbox
from tests.conftest import REPO, wait_for
from tests.mailio.conftest import MAIL_JOB_MODULES, message

# Until assistant/cli.py mounts it (`app.add_typer(mailbox_app, name="mailbox")`), run the sub-app itself.
_ENTRY = "from mailio.mailboxes.cli import mailbox_app; mailbox_app(prog_name='mailassist mailbox')"


def _env(settings) -> dict[str, str]:
    return dict(os.environ, MAILASSIST_DATA_DIR=str(settings.data_dir), MAILASSIST_LOG_FORMAT="text",
                MAILASSIST_JOB_MODULES=json.dumps(MAIL_JOB_MODULES), PYTHONPATH=str(REPO), COLUMNS="200")


def mailbox_cli(settings, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-c", _ENTRY, *args], env=_env(settings), capture_output=True,
                            timeout=180)
    assert result.returncode == 0, result.stderr.decode()
    return result


def test_list_and_sync_here(runtime, settings, mail_account, make_mailbox):
    mail_account.append([message(i) for i in range(3)])
    box = make_mailbox(mail_account)
    synced = mailbox_cli(settings, "sync", str(box), "--here")
    assert "stored: 3" in synced.stdout.decode()
    listing = mailbox_cli(settings, "list").stdout.decode()
    assert mail_account.username in listing and "INBOX 3/3" in listing and " ok " in listing


def test_sync_follows_the_jobs_progress(runtime, settings, worker, mail_account, make_mailbox):
    mail_account.append([message(i) for i in range(5)])
    box = make_mailbox(mail_account)
    result = mailbox_cli(settings, "sync", str(box))
    assert "following its progress" in result.stderr.decode()
    assert "stored: 5" in result.stdout.decode()


def test_watch_runs_the_idle_watcher_until_told_to_stop(runtime, settings, worker, mail_account,
                                                       make_mailbox):
    box = make_mailbox(mail_account)
    sync_mailbox(runtime, box)
    log = open(settings.data_dir / "watch.log", "wb")
    watcher = subprocess.Popen([sys.executable, "-c", _ENTRY, "watch"], env=_env(settings), stdout=log,
                               stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: b"watcher running" in (settings.data_dir / "watch.log").read_bytes(), timeout=60)
        # Its IDLE comes up a moment after it starts: add a mail every 2 s until a push brings one in.
        added = []

        def synced_by_push() -> bool:
            if _stored(runtime, box):
                return True
            added.append(mail_account.append([message(100 + len(added))]))
            return False

        wait_for(synced_by_push, timeout=60, interval=2.0)
    finally:
        watcher.send_signal(signal.SIGTERM)
        assert watcher.wait(30) == 0


def _stored(runtime, box: int) -> int:
    with runtime.unit() as session:
        return session.scalar(select(func.count()).select_from(Email).where(Email.mailbox_id == box))
