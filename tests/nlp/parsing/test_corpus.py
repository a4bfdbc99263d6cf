"""Every file of the public MIME torture set and of the SpamAssassin corpus parses: no exception escapes,
the body is text, and whatever could not be decoded is named in the problems instead of being dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.parsing.component import make_parser
from nlp.parsing.parse import parse_raw
from nlp.pipeline import Doc, MessageInput
from tests.nlp.parsing.conftest import corpus_files

pytestmark = pytest.mark.corpus

_parse_stage = make_parser()


def _check(path: Path | None) -> None:
    raw = path.read_bytes()  # type: ignore[union-attr]
    message = parse_raw(raw)  # the parser itself, not the component's safety net, must not raise
    assert isinstance(message.body, str)
    assert "\r" not in message.body
    assert all(isinstance(p, str) and p for p in message.problems)
    assert not any(p.startswith("parser failed") for p in message.problems)
    if "\ufffd" in message.body and b"\xef\xbf\xbd" not in raw:
        # Replacement characters the sender did not write: the loss must be named.
        assert any("replaced" in p or "detected" in p or "failed" in p or "base64" in p for p in message.problems), \
            message.problems
    for attachment in message.attachments:
        assert attachment.size >= 0 and len(attachment.sha256) == 64
    doc = Doc(MessageInput(id=path.name, raw=raw))  # type: ignore[union-attr]
    _parse_stage([doc])
    json.dumps(doc.out)  # the result is plain JSON
    assert doc["lines"] == doc.out["body"].split("\n")


@pytest.mark.parametrize("path", corpus_files("mime", "flanker", "messages"))
def test_flanker_mime_file_parses(path):
    _check(path)


@pytest.mark.parametrize("path", corpus_files("corpus", "spamassassin"))
def test_spamassassin_message_parses(path):
    _check(path)
