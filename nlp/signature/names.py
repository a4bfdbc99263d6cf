"""Person names on signature lines: Western names with nameparser, Japanese names by script and spacing.

``western_name(segment)`` and ``japanese_name(tokens)`` say whether text is a person's name and split
it; ``sender_match`` scores a candidate against the sender's display name and address, the strongest
evidence a signature line is the author's name. probablepeople settles person vs organisation for
Western candidates that nothing else decides.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from nameparser import HumanName

from nlp.signature.patterns import (
    COMPANY_WORDS,
    DEPARTMENT_WORDS,
    FUNCTION_WORDS,
    NAME_CREDENTIALS,
    NAME_STOPWORDS,
    TITLE_WORDS,
    TITLE_WORDS_JA,
)
from nlp.signature.text import casefold_ascii

__all__ = [
    "PersonName",
    "display_order",
    "japanese_name",
    "probably_person",
    "sender_match",
    "trailing_name",
    "western_name",
]

_PARTICLES = frozenset([
    "van", "von", "de", "der", "den", "du", "da", "di", "del", "della", "dos", "das", "la", "le", "bin",
    "al", "el", "ten", "ter", "y", "zu", "st.", "st",
])
_HONORIFICS = re.compile(r"^(?:(?:dr|mr|mrs|ms|miss|prof|sir|dame|herr|frau|m|mme|mlle|me|sr|sra|dott|ing)\.?\s+)+",
                         re.IGNORECASE)
_TOKEN = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:['’-][A-Za-zÀ-ÖØ-öø-ÿ]+)*|[A-Z]\.?|Mc[A-Z][a-z]+|"
                    r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?|[A-Z]['’][A-Z][a-z]+|[A-ZÀ-ÖØ-Þ]{2,}(?:['’-][A-ZÀ-ÖØ-Þ]{2,})?|[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+[A-Z][a-z]+)$")
_INITIAL = re.compile(r"^[A-Z]\.$")
_CREDENTIALS = frozenset(c.rstrip(".") for c in NAME_CREDENTIALS)
_NOT_NAME = (NAME_STOPWORDS | frozenset(w for w in TITLE_WORDS if " " not in w)
             | frozenset(w for w in COMPANY_WORDS if w.isascii())
             | frozenset(w for w in FUNCTION_WORDS if " " not in w)
             | frozenset(w.rstrip(".") for w in DEPARTMENT_WORDS if " " not in w))
# Japanese: a family name of 1-3 kanji, a given name of 1-4 kanji or kana.
_JA_FAMILY = re.compile(r"^[\u4E00-\u9FFF々〆ヶ]{1,3}$")
_JA_GIVEN = re.compile(r"^[\u4E00-\u9FFF々〆ヶ\u3041-\u309F\u30A1-\u30FA\u30FC]{1,4}$")
_JA_BLOCK_FAMILY = re.compile(r"(?:[課室長都道府県]|株式|有限|合同|.{2,}(?<!長谷|日下)部)$")
_JA_BLOCK_GIVEN = re.compile(r"(?:[部課室長区市様殿]|グループ|チーム|センター|ビル|会社)$")


_UNSET = object()


class PersonName:
    """A name as it should be stored ("Mark D. Guinney", "山田 太郎") and its given and family parts.

    Western parts come from nameparser, parsed on first use (only the name a signature keeps pays)."""

    __slots__ = ("_family", "_given", "text")

    def __init__(self, text: str, given: Any = _UNSET, family: Any = _UNSET):
        self.text = text
        self._given = given
        self._family = family

    def _parse(self) -> None:
        words = self.text.split()
        if len(words) == 1:
            self._given, self._family = words[0], None
            return
        name = HumanName(self.text)
        self._given = name.first or None
        self._family = name.last or None

    @property
    def given(self) -> str | None:
        if self._given is _UNSET:
            self._parse()
        return self._given

    @property
    def family(self) -> str | None:
        if self._family is _UNSET:
            self._parse()
        return self._family

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PersonName) and (self.text, self.given, self.family) == (
            other.text, other.given, other.family)

    def __repr__(self) -> str:
        return f"PersonName({self.text!r})"


@lru_cache(maxsize=4096)
def probably_person(text: str) -> bool | None:
    """probablepeople's verdict: True person, False organisation, None when it cannot tell."""
    import probablepeople

    try:
        _, kind = probablepeople.tag(text)
    except (probablepeople.RepeatedLabelError, ValueError, IndexError):
        return None
    if kind == "Person":
        return True
    if kind == "Corporation":
        return False
    return None


def _strip_credentials(text: str) -> str:
    parts = [p.strip() for p in text.split(",")]
    while len(parts) > 1 and all(w.strip(".").lower() in _CREDENTIALS or w.lower() in _CREDENTIALS
                                 for w in parts[-1].split()):
        parts.pop()
    head = parts[0] if len(parts) == 1 else ", ".join(parts)
    words = head.split()
    while len(words) > 2 and words[-1].strip(",").rstrip(".").lower() in _CREDENTIALS:
        words.pop()
    return " ".join(words).strip(" ,")


def western_name(segment: str, *, allow_single: bool = False) -> PersonName | None:
    """A Western person's name ("Mark D. Guinney, CFA" -> Mark D. Guinney), or None."""
    text = _strip_credentials(_HONORIFICS.sub("", segment.strip()))
    if not text or any(ch.isdigit() for ch in text) or len(text) > 60 or "@" in text:
        return None
    if "," in text:  # "Doe, John" is a list or an inverted name; too ambiguous in a signature
        return None
    words = text.split()
    content = [w for w in words if w.lower() not in _PARTICLES]
    if not content or len(content) > 4 or (len(content) == 1 and not allow_single):
        return None
    for word in words:
        if word.lower() in _PARTICLES:
            continue
        if not _TOKEN.match(word):
            return None
        if word.lower().strip(".") in _NOT_NAME and not _INITIAL.match(word):
            return None
    if all(len(w.rstrip(".")) == 1 for w in content):
        return None
    if len(content) > 1 and all(w.isupper() and len(w) > 1 for w in content) and len(content) > 3:
        return None
    return PersonName(text)


def japanese_name(tokens: list[str]) -> tuple[int, PersonName] | None:
    """The first "family given" pair of tokens that reads as a Japanese name: (index of family, name)."""
    for i in range(len(tokens) - 1):
        family, given = tokens[i], tokens[i + 1]
        if not (_JA_FAMILY.match(family) and _JA_GIVEN.match(given)):
            continue
        if _JA_BLOCK_FAMILY.search(family) or _JA_BLOCK_GIVEN.search(given):
            continue
        if any(t in TITLE_WORDS_JA for t in (family, given)):
            continue
        return i, PersonName(f"{family} {given}", given, family)
    return None


def _name_tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[\s.,'’\-_()（）]+", casefold_ascii(text)) if len(t) > 1]


def display_order(display_name: str | None) -> str | None:
    """"Beck, Sally" (the directory form many mail systems send) -> "Sally Beck"; an address -> None."""
    if not display_name or "@" in display_name:
        return None
    name = display_name.strip().strip('"').strip()
    if name.count(",") == 1:
        family, given = (p.strip() for p in name.split(","))
        if family and given and len(family.split()) <= 2 and len(given.split()) <= 3:
            return f"{given} {family}"
    return name or None


def sender_match(candidate: str, display_name: str | None, address: str | None) -> float:
    """How well a candidate name agrees with the sender: 1.0 all tokens, 0.6 some, 0 none.

    A token matches a token of the display name or of the address's local part, or is a short form of
    one ("Ben" for Benjamin, "Chris" for Christopher: a prefix of three letters or more)."""
    cand = _name_tokens(candidate)
    if not cand:
        return 0.0
    known: set[str] = set()
    display_name = display_order(display_name)
    if display_name:
        shown = casefold_ascii(display_name)
        known.update(_name_tokens(shown))
        compact = re.sub(r"\s+", "", shown)
        if compact and re.sub(r"\s+", "", casefold_ascii(candidate)) == compact:
            return 1.0
    local = (address or "").split("@", 1)[0].lower()
    local_tokens = {t for t in re.split(r"[._\-+0-9]+", local) if len(t) > 1}
    pool = known | local_tokens

    def hit(token: str) -> bool:
        return token in pool or (len(token) >= 3 and any(k.startswith(token) for k in pool if len(k) > len(token)))

    hits = sum(1 for t in cand if hit(t))
    if hits == len(cand):
        return 1.0
    if hits:
        return 0.6
    joined = "".join(cand)
    if len(joined) >= 4 and joined in local.replace(".", "").replace("_", ""):
        return 0.8
    return 0.0


_TRAILING_NAME = re.compile(r"(?:^|[.!?;:)]\s+|\s-{1,2}\s*|^-{1,2}\s*|^~\s*)"
                            r"(?P<name>[A-Z][a-z]{1,15}(?:\s[A-Z]\.?)?(?:\s[A-Z][a-z]{1,20})?)\s*$")


def trailing_name(text: str) -> str | None:
    """A name signed at the end of the author's last line: "... if I remember.  --Sally", "-- Ben"."""
    m = _TRAILING_NAME.search(text.strip()[-60:])
    return m.group("name") if m else None
