"""Shared by the tests under tests/nlp: one default pipeline (and so one encoder) per test session."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from nlp.pipeline import MessageInput, Pipeline


def make_mail(text: str, *, sender: str = "Dana Whitfield <dana@brightpath.io>", subject: str = "Hello",
              headers: dict[str, str] | None = None) -> MessageInput:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "Alex Morgan <alex@example.com>"
    msg["Subject"] = subject
    msg["Date"] = "Tue, 24 Nov 2026 10:00:00 +0000"
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(text)
    return MessageInput(id=subject, raw=bytes(msg))


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline.from_config()


@pytest.fixture(scope="session")
def analyze(pipeline):
    def run(text: str, **kwargs) -> dict:
        return pipeline(make_mail(text, **kwargs)).result()

    return run
