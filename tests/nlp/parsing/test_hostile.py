"""Hostile and huge inputs finish (bounded work, linear scans) and every cut is named in the problems.

The timeout only guards against hangs; how fast each case runs is measured in bench/, not here.
"""

from __future__ import annotations

import pytest

from nlp.parsing.component import parse_input
from nlp.parsing.parse import DEFAULT_LIMITS, parse_html, parse_raw, parse_text
from nlp.pipeline import MessageInput
from tests.nlp.parsing.conftest import shared_data_dir

pytestmark = pytest.mark.timeout(10)
N = 100_000


def _head(ctype: str = "text/plain; charset=utf-8", extra: str = "") -> bytes:
    return (f"From: a@example.com\nSubject: hostile\nMIME-Version: 1.0\nContent-Type: {ctype}\n{extra}\n").encode()


def _nested_multipart() -> bytes:
    parts = [_head('multipart/mixed; boundary="b0"')]
    parts += [f'--b{i}\nContent-Type: multipart/mixed; boundary="b{i + 1}"\n\n'.encode() for i in range(N)]
    parts.append(b"--b%d\nContent-Type: text/plain\n\ndeep\n" % N)
    return b"".join(parts)


CASES = {
    "5 MB body": (_head() + b"hello world, a long body line\n" * 180_000, "body over"),
    "1 MB line": (_head() + b"x" * 1_048_576, "body over"),
    "100,000 nested multiparts": (_nested_multipart(), "MIME"),
    "100,000 parts": (_head('multipart/mixed; boundary="b"') + b"--b\nContent-Type: text/plain\n\nx\n" * N,
                      "more than 500 MIME parts"),
    "same boundary nested 100,000 times": (
        _head('multipart/mixed; boundary="b"') + b'--b\nContent-Type: multipart/mixed; boundary="b"\n\n' * N,
        "more than 500 MIME parts"),
    "100,000 quote levels": (_head() + b"> " * N + b"deep\n", None),
    "100,000 nested blockquotes": (_head("text/html") + b"<blockquote>" * N + b"deep" + b"</blockquote>" * N,
                                   "HTML over"),
    "unclosed tags": (_head("text/html") + b"<a" * 500_000, "HTML over"),
    "unclosed quotes in tags": (_head("text/html") + b'<a href="x' * N, "HTML over"),
    "unclosed comments": (_head("text/html") + b"<!-- a" * N, None),
    "deep lists": (_head("text/html") + b"<ul>" * 2000 + b"<li>x" * N, "HTML over"),
    "character references": (_head("text/html") + b"&amp;&#x41;&bogus;" * N, "character references"),
    "100,000 header lines": (b"".join(b"X-H%d: v\n" % i for i in range(N)) + _head(), "header"),
    "huge encoded subject": (b"Subject: " + b"=?utf-8?q?abc?= " * N + b"\n" + _head(), "header"),
    "100,000 addresses": (b"To: " + b", ".join(b"<a%d@x.example>" % i for i in range(N)) + b"\n" + _head(), "header"),
    "junk base64": (_head(extra="Content-Transfer-Encoding: base64\n") + b"!@#$%^&*()=" * 400_000, "base64"),
    "20,000 calendar events": (
        _head("text/calendar") + b"BEGIN:VCALENDAR\n"
        + b"BEGIN:VEVENT\nUID:x\nDTSTART:20240101T100000Z\nEND:VEVENT\n" * 20_000 + b"END:VCALENDAR\n",
        "calendar events"),
    "binary without headers": (bytes(range(256)) * 20_000, "header"),
    "ISO-2022-JP garbage": (_head("text/plain; charset=iso-2022-jp") + b"\x1b$B" + b"\x7f\x7f\x1b(Z" * 200_000,
                            "ISO-2022-JP"),
    "unknown charset, 5 MB": (_head("text/plain; charset=x-bogus") + bytes(range(128, 256)) * 40_000, "x-bogus"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_message_finishes_and_names_its_cuts(name):
    raw, problem = CASES[name]
    message = parse_raw(raw)
    assert isinstance(message.body, str)
    assert len(message.body) <= DEFAULT_LIMITS.max_body_chars
    if problem:
        assert any(problem in p for p in message.problems), message.problems


def test_huge_html_and_text_inputs():
    assert len(parse_html("<p>para <a href='u'>link</a></p>\n" * 200_000).body) <= DEFAULT_LIMITS.max_body_chars
    assert parse_text("x\r\n" * 2_000_000).problems == ["body over 1000000 characters; cut there"]


@pytest.mark.parametrize("name", ["github", "zapier", "mail-parser-reply"])
def test_pathological_reply_fixtures(name):
    path = shared_data_dir() / "replies" / name / "pathological.txt"
    if not path.exists():
        pytest.skip(f"public data not found at {path}: set MAILASSIST_SHARED_DATA_DIR")
    text = path.read_text(encoding="utf-8", errors="replace")
    assert parse_input(MessageInput(text=text), DEFAULT_LIMITS).body == text.replace("\r\n", "\n")
    assert isinstance(parse_raw(path.read_bytes()).body, str)
