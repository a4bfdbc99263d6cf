"""Fixtures for the zoning tests: one zoner per session, and the shared public data when present."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import Settings
from nlp.pipeline import Doc, MessageInput
from nlp.zoning.component import make_zone
from nlp.zoning.zoner import Zoner


@pytest.fixture(scope="session")
def zoner() -> Zoner:
    return Zoner()


@pytest.fixture(scope="session")
def zone_component():
    return make_zone()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = Settings().shared_data_dir
    if not (path / "replies").is_dir():
        pytest.skip(f"shared public data not found at {path} (set MAILASSIST_SHARED_DATA_DIR)")
    return path


def zone_doc(component, text: str) -> Doc:
    """Run the zone component on a bare body, as the pipeline does after the parse stage."""
    doc = Doc(MessageInput(text=text))
    doc["body"] = text
    component([doc])
    return doc


def zones_by_line(doc: Doc) -> list[tuple[str, str]]:
    return list(zip(doc["body"].split("\n"), doc["zones"]))
