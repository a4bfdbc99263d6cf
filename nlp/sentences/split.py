"""Splitting the new text into sentences, in one linear pass.

Mail is hard-wrapped (a sentence runs over several lines) and loosely punctuated (a greeting line
has no full stop), so lines are first joined into paragraphs where they continue each other, then
each paragraph is cut after sentence-final punctuation: . ! ? followed by a space and a capital,
digit or quote (unless the word before is an abbreviation), and 。！？ anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences", "MAX_SENTENCE_CHARS"]

MAX_SENTENCE_CHARS = 1000  # a "sentence" longer than this (a pasted log, a URL list) is cut
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "inc", "ltd", "co", "corp",
    "no", "approx", "fig", "a.m", "p.m", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "ca", "cf", "dept", "est", "tel", "z.b",
    "bzw", "ggf", "usw", "m.e", "s.v.p", "env",
}
# German (and other) dates write the day as an ordinal: "am 14. März" is one sentence.
_MONTHS = {"januar", "jänner", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
           "oktober", "november", "dezember", "jan", "feb", "mär", "apr", "jun", "jul", "aug", "sep", "okt",
           "nov", "dez"}
_FINAL_EN = ".!?"
_FINAL_CJK = "。！？!?"
_BULLETS = ("-", "*", "•", "・", "–", ">")
_SOFT_END = ",;:、，"


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offsets into the text given to split_sentences
    end: int


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of runs of lines that continue each other."""
    spans: list[tuple[int, int]] = []
    pos = 0
    current: tuple[int, int] | None = None
    prev = ""
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            if current:
                spans.append(current)
            current, prev = None, ""
            continue
        joins = (current is not None and len(prev) >= 40 and prev[-1] not in _FINAL_EN + _FINAL_CJK + _SOFT_END
                 and not stripped.startswith(_BULLETS))
        if joins:
            current = (current[0], end)
        else:
            if current:
                spans.append(current)
            current = (start, end)
        prev = stripped
    if current:
        spans.append(current)
    return spans


def _word_before(text: str, index: int) -> str:
    start = index
    while start > 0 and not text[start - 1].isspace() and index - start < 12:
        start -= 1
    return text[start:index].lower().strip("([\"'")


def _cuts(text: str, start: int, end: int) -> list[int]:
    cuts = []
    i = start
    while i < end:
        ch = text[i]
        if ch in _FINAL_CJK and ch not in "!?":
            j = i + 1
            while j < end and text[j] in "」』）)\"'":
                j += 1
            cuts.append(j)
            i = j
            continue
        if ch in _FINAL_EN:
            j = i + 1
            while j < end and text[j] in _FINAL_EN + "\"')]」":
                j += 1
            if j >= end:
                break
            if text[j] in " \n\t":
                k = j
                while k < end and text[k] in " \n\t":
                    k += 1
                nxt = text[k] if k < end else ""
                before = _word_before(text, i)
                abbreviation = ch == "." and before in _ABBREVIATIONS
                single_initial = ch == "." and len(before) == 1
                ordinal_date = ch == "." and before.isdigit() and len(before) <= 2 and \
                    text[k:k + 10].split(" ", 1)[0].strip(",.").lower() in _MONTHS
                if nxt and (nxt.isupper() or nxt.isdigit() or nxt in "\"'(「" or ord(nxt) > 0x3000) \
                        and not abbreviation and not single_initial and not ordinal_date:
                    cuts.append(j)
            elif ch in "!?" and ord(text[j]) > 0x3000:
                cuts.append(j)  # Japanese text after a half-width ! or ?
            i = j
            continue
        i += 1
    return cuts


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    for start, end in _paragraphs(text):
        last = start
        for cut in [*_cuts(text, start, end), end]:
            _add(sentences, text, last, cut)
            last = cut
    return sentences


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        out.append(Sentence(" ".join(text[start:start + MAX_SENTENCE_CHARS].split()), start,
                            start + MAX_SENTENCE_CHARS))
        start += MAX_SENTENCE_CHARS
    if end > start:
        out.append(Sentence(" ".join(text[start:end].split()), start, end))
