"""What one line of a signature holds: contacts, address, organisation words, or running text.

``LineInfo`` is computed once per candidate line and shared by block detection and field extraction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlp.signature.addresses import AddressLine, address_line
from nlp.signature.companies import (
    company_word,
    is_department,
    is_title,
    ja_company,
    ja_department,
    ja_title,
    legal_form,
    split_segments,
)
from nlp.signature.links import Link, find_links
from nlp.signature.names import japanese_name, western_name
from nlp.signature.patterns import LINE_LABELS
from nlp.signature.phones import Phone, find_phones
from nlp.signature.text import (
    MAX_LINE,
    clean,
    fold,
    has_cjk,
    is_disclaimer,
    is_mobile_footer,
    is_prose,
    is_separator,
    is_sign_off,
)

__all__ = ["LineInfo", "analyse", "is_code", "labelled_field"]

_GREETING = re.compile(r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|hallo|liebe[rs]?|"
                       r"sehr geehrte[rs]?|bonjour|salut|hola|estimad[oa]s?|ciao|buongiorno)\b", re.IGNORECASE)
_JA_GREETING = re.compile(r"(?:お世話になって|様$|様\s*$|各位)")
_ATTACHMENT = re.compile(r"^\s*(?:-\s*|<<\s*)?[\w .()'&,+-]{1,80}\.(?:pdf|docx?|xlsx?|pptx?|wpd|txt|zip|jpe?g|png|"
                         r"gif|tiff?|msg|eml|html?|csv|rtf|xml|ics|vcf)\s*(?:>>)?\s*$", re.IGNORECASE)
_LINE_LABEL = re.compile(r"^\s*(?P<label>" + "|".join(re.escape(k) for k in sorted(LINE_LABELS, key=len, reverse=True))
                         + r")\s*[:：]\s*(?P<value>\S.*)$", re.IGNORECASE)
# Code, queries and markup ("+name:test +(type:[* TO *])", "a[i] = b;"): message content, never a
# signature entry. Runs of "*" count once, so "*** Jane Doe ***" is not code.
_CODE_MARK = re.compile(r"[{}\[\]=;\\]|\*+")
# A numbered reference under the text ("[2] www.example.org"): the message's footnotes.
_FOOTNOTE = re.compile(r"^\s*\[\d{1,3}\]\s")
# An internal extension: "x8321", "Ext. 35614", "ext 204", or a short internal dial alone ("3-7060").
# Contact data for finding the block (no phone field: it has no full number).
_EXTENSION = re.compile(r"(?<![\w.])(?:x|ext\.?|extn\.?|extension)\s*[:.]?\s*\d{3,6}(?![\d-])", re.IGNORECASE)
_SHORT_DIAL = re.compile(r"^\s*\d-\d{4}\s*$")
_QUOTE_HEADER = re.compile(r"^\s*(?:-{2,}\s*original message|from:\s|sent:\s|to:\s|cc:\s|subject:\s|"
                           r"on .{0,80} wrote:|差出人|送信日時|件名)", re.IGNORECASE)


@dataclass
class LineInfo:
    index: int
    text: str  # the line as written
    folded: str
    links: list[Link] = field(default_factory=list)
    phones: list[Phone] = field(default_factory=list)
    address: AddressLine | None = None
    separator: bool = False
    sign_off: bool = False
    prose: bool = False
    disclaimer: bool = False
    mobile_footer: bool = False
    greeting: bool = False
    quote_header: bool = False
    attachment: bool = False  # an attachment's file name (" - report.pdf", "<<memo.doc>>")
    organisation: bool = False  # a legal form or company word
    title: bool = False
    department: bool = False
    name_like: bool = False
    extension: bool = False  # an internal extension ("x8321", "Ext. 35614", "3-7060") on a short line

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def strong(self) -> bool:
        """Contact data no running text has: a phone, an e-mail, a URL, a postal address, a legal form, an
        internal extension on a short line."""
        return bool(self.phones or self.links or self.extension or (self.address and self.address.strength >= 0.8)
                    or (self.organisation and not self.prose))

    @property
    def medium(self) -> bool:
        return (self.title or self.department or self.name_like or self.organisation
                or self.address is not None) and not self.prose

    @property
    def excluded(self) -> bool:
        """Never signature content."""
        return self.disclaimer or self.mobile_footer or self.quote_header or self.attachment

    @property
    def score(self) -> float:
        if self.blank or self.separator:
            return 0.0
        if self.excluded or self.greeting:
            return -2.0
        if self.prose or self.sign_off:
            return -1.0
        if self.strong:
            return 1.0
        if self.medium:
            return 0.6
        s = self.text.strip()
        if len(s) <= 40 and not s.endswith((".", "?", "!", ":", "。", "？")):
            return 0.15
        return -0.3


def is_code(text: str) -> bool:
    """Code, a query or markup: four or more of ``{ } [ ] = ; \\`` and runs of ``*``."""
    return len(_CODE_MARK.findall(text)) >= 4


def labelled_field(text: str) -> tuple[str, str] | None:
    """("title", "Director") for "Title: Director", ("company", …) for "会社名：…"; None for other lines."""
    m = _LINE_LABEL.match(text)
    if not m:
        return None
    return LINE_LABELS[m.group("label").lower()], clean(m.group("value"))


def analyse(index: int, text: str, regions: list[str]) -> LineInfo:
    folded = fold(text)
    info = LineInfo(index=index, text=text, folded=folded)
    stripped = text.strip()
    if not stripped:
        return info
    if len(text) > MAX_LINE:
        info.prose = True
        return info
    info.separator = is_separator(stripped)
    if info.separator:
        return info
    info.disclaimer = is_disclaimer(stripped)
    info.mobile_footer = is_mobile_footer(stripped)
    info.quote_header = bool(_QUOTE_HEADER.match(folded))
    info.sign_off = is_sign_off(stripped)
    info.greeting = bool(_GREETING.match(folded)) or (has_cjk(stripped) and bool(_JA_GREETING.search(stripped)))
    info.links = find_links(folded)
    info.phones = find_phones(folded, text, regions)
    info.address = address_line(text)
    rest = _without(folded, [(x.start, x.end) for x in info.links] + [(p.start, p.end) for p in info.phones])
    info.prose = is_prose(rest) or is_code(rest) or bool(_FOOTNOTE.match(text))
    info.attachment = bool(_ATTACHMENT.match(folded))
    short = clean(rest)
    info.extension = (not info.prose and not info.phones and len(short) <= 40
                      and bool(_EXTENSION.search(short) or _SHORT_DIAL.match(short)))
    body = clean(rest)
    labelled = labelled_field(body) if body else None
    if labelled is not None:
        kind = labelled[0]
        info.organisation = kind == "company"
        info.department = kind == "department"
        info.title = kind == "title"
        info.name_like = kind == "name"
        return info
    if body and not info.prose:
        if has_cjk(body):
            tokens = body.split()
            info.organisation = any(ja_company(t) for t in tokens) or legal_form(body)
            info.title = any(ja_title(t)[1] for t in tokens) or is_title(body)
            info.department = any(ja_department(t) for t in tokens)
            info.name_like = japanese_name(re.sub(r"[(（][^)）]*[)）]", " ", body).split()) is not None
        else:
            segments = split_segments(body)
            info.organisation = any(legal_form(s) or company_word(s) for s in segments)
            info.title = any(is_title(s) for s in segments)
            info.department = any(is_department(s) for s in segments)
            info.name_like = any(western_name(s) is not None for s in segments[:2])
    return info


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    chars = list(text)
    for a, b in spans:
        for i in range(a, min(b, len(chars))):
            chars[i] = " "
    return "".join(chars)
