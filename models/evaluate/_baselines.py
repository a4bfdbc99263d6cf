"""Baseline reply parsers, run inside the separate evaluation environment (``.venv-eval``).

Reads ``{"bodies": [str, ...]}`` as JSON on stdin and writes, for every body, what ``talon`` and
``email-reply-parser`` keep as the new text:
``{"talon": [{"text", "signature"} | null], "erp": [str | null], "versions": {...}}``.
talon: ``quotations.extract_from_plain`` then ``signature.bruteforce.extract_signature`` (no ML model
needed). A body that raises or runs over ``PER_BODY_S`` seconds yields ``null``.

Standalone on purpose: it imports nothing from the project, so the project's dependencies never meet
the baselines' (talon pins old libraries).
"""

from __future__ import annotations

import json
import signal
import sys
from importlib import metadata

PER_BODY_S = 10


class _Timeout(Exception):
    pass


def _alarm(signum, frame):  # noqa: ARG001
    raise _Timeout()


def _guarded(fn, body):
    signal.alarm(PER_BODY_S)
    try:
        return fn(body)
    except _Timeout:
        return None
    except Exception:  # a baseline's own bug on one body is its miss, not ours: record and go on
        return None
    finally:
        signal.alarm(0)


def main() -> None:
    signal.signal(signal.SIGALRM, _alarm)
    bodies = json.load(sys.stdin)["bodies"]
    from email_reply_parser import EmailReplyParser
    from talon import quotations
    from talon.signature.bruteforce import extract_signature

    def run_talon(body: str) -> dict:
        reply = quotations.extract_from_plain(body)
        text, sig = extract_signature(reply)
        return {"text": text, "signature": sig or ""}

    out = {
        "talon": [_guarded(run_talon, b) for b in bodies],
        "erp": [_guarded(EmailReplyParser.parse_reply, b) for b in bodies],
        "versions": {name: _version(name) for name in ("talon", "email-reply-parser")},
    }
    json.dump(out, sys.stdout)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


if __name__ == "__main__":
    main()
