"""Organisation lines of a signature: company, department and job title, English/European and Japanese.

Each function looks at one *segment* (a line split at "|", " - ", ", " …) or, for Japanese, one
space-separated token, and says whether it is a company (legal form, company word, the sender's domain),
a department (explicit markers, 部/課/室/グループ, a business function after a title) or a title.
"""

from __future__ import annotations

import re

from nlp.signature.patterns import (
    COMPANY_WORDS,
    DEPARTMENT_SUFFIXES_JA,
    DEPARTMENT_WORDS,
    FUNCTION_WORDS,
    LEGAL_FORMS_EN,
    LEGAL_FORMS_JA,
    TITLE_WORDS,
    TITLE_WORDS_JA,
)

__all__ = [
    "FREEMAIL",
    "company_word",
    "domain_company",
    "domain_labels",
    "is_department",
    "is_title",
    "ja_company",
    "ja_department",
    "ja_title",
    "legal_form",
    "split_segments",
]

# Free-mail and ISP domains say nothing about the sender's company.
FREEMAIL = frozenset(("gmail", "googlemail", "yahoo", "ymail", "hotmail", "outlook", "live", "msn", "aol",
                      "icloud", "me", "mac", "gmx", "web", "t-online", "freenet", "orange", "wanadoo", "free",
                      "laposte", "libero", "protonmail", "proton", "mail", "yandex", "qq", "163", "naver",
                      "docomo", "ezweb", "softbank", "i", "au", "nifty", "biglobe", "ocn", "so-net", "excite",
                      "comcast", "verizon", "att", "sbcglobal", "earthlink", "juno", "netzero", "prodigy",
                      "compuserve", "example"))

_SHORT_FORMS = {f for f in LEGAL_FORMS_EN if len(f.rstrip(".")) <= 3 and "." not in f.rstrip(".")}
_LONG_FORMS = [f for f in LEGAL_FORMS_EN if f not in _SHORT_FORMS]
_LEGAL_END = re.compile(r"(?:^|[\s,])(?:" + "|".join(re.escape(f) for f in sorted(_LONG_FORMS, key=len, reverse=True))
                        + r")\.?$", re.IGNORECASE)
_LEGAL_END_SHORT = re.compile(r"\s(?:" + "|".join(re.escape(f.upper()) for f in sorted(_SHORT_FORMS)) +
                              r"|Inc|Co|Corp|Ltd|Llc|Plc|Kg|Ag|Se)\.?$")
_LEGAL_JA = re.compile("|".join(re.escape(f) for f in LEGAL_FORMS_JA))
_LEGAL_SUFFIX_SEGMENT = re.compile(
    r"^(?:" + "|".join(re.escape(f) for f in sorted(LEGAL_FORMS_EN, key=len, reverse=True)) + r")\.?$", re.IGNORECASE)
_COMPANY_WORD = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in COMPANY_WORDS if w.isascii()) + r")\b",
                           re.IGNORECASE)
_COMPANY_WORD_JA = re.compile("|".join(re.escape(w) for w in COMPANY_WORDS if not w.isascii()))
_TITLE = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w) for w in sorted(TITLE_WORDS, key=len, reverse=True)) +
                    r")(?:in|innen|e)?(?![\w])", re.IGNORECASE)
_DEPARTMENT = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w) for w in DEPARTMENT_WORDS) + r")(?![\w])",
                         re.IGNORECASE)
_FUNCTION = re.compile(r"^(?:(?:global|international|corporate|national|regional|inside|field|key account|"
                       r"emea|apac|americas|europe|japan|us|uk|dach)\s+)*(?:" +
                       "|".join(re.escape(w) for w in sorted(FUNCTION_WORDS, key=len, reverse=True)) +
                       r")(?:\s+(?:&|and|und|et)\s+[\w ]{2,30})?(?:\s+(?:emea|apac|americas|europe|japan|"
                       r"north america|us|uk|dach|international|team))*$", re.IGNORECASE)
_SPLIT = re.compile(r"\s*[|│｜•·▪]\s*|\s+[-–—/]\s+|\t+|\s{3,}|(?<=\S),\s+(?!(?:" +
                    "|".join(re.escape(f) for f in sorted(LEGAL_FORMS_EN, key=len, reverse=True)) +
                    r")\.?(?:\s|$))", re.IGNORECASE)
_JA_TITLE_END = re.compile("(?:" + "|".join(re.escape(w) for w in sorted(TITLE_WORDS_JA, key=len, reverse=True)) +
                           ")$")
_JA_DEPT_END = re.compile("(?:" + "|".join(re.escape(w) for w in sorted(DEPARTMENT_SUFFIXES_JA, key=len,
                                                                          reverse=True)) + ")$")


def split_segments(text: str) -> list[str]:
    """Split a line at the separators people put between title, department and company."""
    return [s.strip(" ,") for s in _SPLIT.split(text) if s and s.strip(" ,")]


def legal_form(segment: str) -> bool:
    s = segment.strip()
    if _LEGAL_JA.search(s):
        return True
    if len(s.split()) < 2 and not re.search(r"[.,]\s*(?:ltd|inc)\.?$", s, re.IGNORECASE):
        return False
    return bool(_LEGAL_END.search(s) or _LEGAL_END_SHORT.search(s))


def company_word(segment: str) -> bool:
    return bool(_COMPANY_WORD.search(segment) or _COMPANY_WORD_JA.search(segment))


def domain_labels(domains: list[str]) -> set[str]:
    """The distinctive label of each domain: acme.co.uk -> acme; free-mail domains are left out."""
    out: set[str] = set()
    for domain in domains:
        parts = [p for p in domain.lower().split(".") if p]
        while len(parts) > 1 and (len(parts[-1]) <= 3 or parts[-1] in ("info", "asia", "tokyo")):
            parts.pop()  # com, co, jp, uk, ne, or
            if len(parts) > 1 and parts[-1] in ("co", "ne", "or", "ac", "go", "com", "org", "net", "gr", "ed"):
                parts.pop()
                break
        label = parts[-1] if parts else ""
        if label and label not in FREEMAIL and len(label) >= 2:
            out.add(label)
    return out


def domain_company(segment: str, labels: set[str]) -> bool:
    """A segment whose first words spell the sender's domain (Acme Widgets Ltd. <- acme.co.uk)."""
    if not labels or any(ch.isdigit() for ch in segment):
        return False
    words = [re.sub(r"[^\w]", "", w).lower() for w in segment.split()]
    words = [w for w in words if w]
    if not words or len(words) > 7:
        return False
    for n in range(1, min(4, len(words)) + 1):
        if "".join(words[:n]) in labels:
            return True
    initials = "".join(w[0] for w in words if w not in ("of", "and", "the", "&"))
    return len(initials) >= 2 and initials in labels


def is_title(segment: str) -> bool:
    s = segment.strip()
    if not s or len(s) > 80 or len(s.split()) > 8 or re.search(r"\d{3,}|@|https?:", s):
        return False
    return bool(_TITLE.search(s))


def is_department(segment: str, *, after_title: bool = False) -> bool:
    s = segment.strip()
    if not s or len(s.split()) > 7 or re.search(r"\d{3,}|@", s):
        return False
    if _DEPARTMENT.search(s):
        return True
    return after_title and bool(_FUNCTION.match(s))


def ja_title(token: str) -> tuple[str | None, str | None]:
    """(department, title) of a Japanese token: 部長 -> (None, 部長); 営業部部長 -> (営業部, 部長)."""
    if len(token) > 16:
        return None, None
    m = _JA_TITLE_END.search(token)
    if not m:
        return None, None
    head = token[: m.start()]
    title = token[m.start():]
    if head and title.endswith("長") and _JA_DEPT_END.search(head) and len(head) >= 2:
        return head, title  # 営業部部長 -> 営業部, 部長
    if head and len(head) > 8:
        return None, None
    return None, token


def ja_department(token: str) -> bool:
    if len(token) > 20 or _LEGAL_JA.search(token):
        return False
    if token.endswith("部") and len(token) < 3:
        return False  # 阿部, 服部: family names
    return bool(_JA_DEPT_END.search(token)) and len(token) >= 2


def ja_company(token: str) -> bool:
    return bool(_LEGAL_JA.search(token)) or bool(_COMPANY_WORD_JA.search(token) and len(token) >= 3)
