"""Shared helpers for the parse-stage tests: the public data folder and a marker for corpus-wide tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import Settings

FIXTURES = Path(__file__).with_name("fixtures")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "corpus: one test per file of a public mail corpus (../shared/data)")


def shared_data_dir() -> Path:
    return Settings().shared_data_dir


def corpus_files(*parts: str, skip: tuple[str, ...] = ()) -> list:
    """One pytest param per file under ``shared_data_dir()/parts``, or one skipped param when absent."""
    root = shared_data_dir().joinpath(*parts)
    if not root.is_dir():
        reason = f"public data not found at {root}: set MAILASSIST_SHARED_DATA_DIR to run these tests"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="no-data")]
    files = sorted(p for p in root.rglob("*") if p.is_file() and not any(s in p.parts for s in skip))
    return [pytest.param(p, id=str(p.relative_to(root))) for p in files]
