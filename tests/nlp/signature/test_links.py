"""E-mail addresses, websites and social profiles on a signature line."""

from __future__ import annotations

import pytest

from nlp.signature.links import find_links
from nlp.signature.text import fold


def links(line: str) -> list[tuple[str, str]]:
    return [(x.kind, x.value) for x in find_links(fold(line))]


@pytest.mark.parametrize("line, expected", [
    ("jane.smith@acme.co.uk | www.acme.co.uk", [("email", "jane.smith@acme.co.uk"), ("website", "www.acme.co.uk")]),
    ("E-mail：Suzuki@Sample.co.jp", [("email", "suzuki@sample.co.jp")]),
    ("ＵＲＬ：ｈｔｔｐｓ：／／ｗｗｗ．ｓａｍｐｌｅ．ｃｏ．ｊｐ／", [("website", "https://www.sample.co.jp/")]),
    ("mailto:bob@example.com", [("email", "bob@example.com")]),
    ("Visit example.com.", [("website", "example.com")]),
    ("linkedin.com/in/janesmith", [("social", "https://linkedin.com/in/janesmith")]),
    ("https://www.linkedin.com/in/priya-patel-dev/", [("social", "https://linkedin.com/in/priya-patel-dev")]),
    ("https://twitter.com/acme", [("social", "https://x.com/acme")]),
    ("x.com/acme_jp", [("social", "https://x.com/acme_jp")]),
    ("Twitter: @janesmith_uk", [("social", "https://x.com/janesmith_uk")]),
    ("GitHub: @priyapatel", [("social", "https://github.com/priyapatel")]),
    ("https://www.facebook.com/acme.widgets", [("social", "https://facebook.com/acme.widgets")]),
    ("instagram.com/acme", [("social", "https://instagram.com/acme")]),
    ("https://www.xing.com/profile/Max_Mustermann", [("social", "https://xing.com/profile/Max_Mustermann")]),
    ("https://www.linkedin.com/", [("website", "https://www.linkedin.com/")]),  # no profile: a website
])
def test_links(line: str, expected: list) -> None:
    assert links(line) == expected


@pytest.mark.parametrize("line", ["Acme Co., Ltd.", "Ph.D.", "St. Louis, MO", "U.S.A.", "e.g. the file", "a@b"])
def test_not_links(line: str) -> None:
    assert links(line) == []
