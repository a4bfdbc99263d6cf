"""Re-analysis after a model upgrade: batches, progress, resumable, --since and --force."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from assistant.reanalyze import reanalyze
from crm.mail.service import Incoming, MailStore
from crm.mail.tables import EmailAnalysis
from nlp.pipeline import Pipeline
from tests.conftest import REPO

CONFIG = """
[pipeline]
version = "{version}"
modules = ["tests.assistant.pipeline_for_tests"]
components = ["length"]
[components.length]
factory = "tests.length"
"""


def mail(n: int, day: int) -> bytes:
    return (f"From: a@x.test\nSubject: m{n}\nMessage-ID: <m{n}@x>\nDate: {day:02d} Nov 2026 09:00:00 +0000\n\n"
            f"hello {n}\n").encode()


def use_pipeline(runtime, tmp_path: Path, version: str) -> None:
    path = tmp_path / f"pipeline-{version}.toml"
    path.write_text(CONFIG.format(version=version))
    runtime.__dict__["pipeline"] = Pipeline.from_config(path)  # what a model upgrade changes


def test_reanalysis_runs_in_batches_with_progress_and_skips_what_is_done(runtime, tmp_path, admin):
    from datetime import datetime, timezone

    with runtime.unit() as session:
        MailStore(session).store_batch([Incoming(mail(n, day=1 + n)) for n in range(5)], owner_id=admin.id,
                                       source="test")
    use_pipeline(runtime, tmp_path, "v2")
    seen: list[tuple[int, int]] = []
    assert list(reanalyze(runtime, None, batch_size=2, progress=lambda d, t: seen.append((d, t)))) == [2, 4, 5]
    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert list(reanalyze(runtime, None)) == []  # nothing left for this version
    assert list(reanalyze(runtime, datetime(2026, 11, 4, tzinfo=timezone.utc), force=True)) == [2]
    use_pipeline(runtime, tmp_path, "v3")
    assert list(reanalyze(runtime, None)) == [5]
    with runtime.unit() as session:
        versions = {a.pipeline_version for a in session.query(EmailAnalysis)}
        assert {"v2:length", "v3:length"} <= versions


def test_the_command_refuses_a_bad_date(tmp_path):
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "reanalyze", "--since", "last week"],
                          capture_output=True, text=True, cwd=REPO,
                          env={"MAILASSIST_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert done.returncode != 0 and "is not a date like 2026-11-01" in done.stderr
