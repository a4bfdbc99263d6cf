"""Text helpers for signature lines: width folding that keeps offsets, decorations, sign-offs, prose.

``fold`` maps a line to one of the *same length*, so that a span found in the folded text (a phone
number written ０３－１２３４－５６７８) is cut from the original line as written.
"""

from __future__ import annotations

import re
import unicodedata

from nlp.signature.patterns import DISCLAIMER_CUES, MOBILE_FOOTER_CUES, SIGN_OFFS

__all__ = [
    "MAX_LINE",
    "casefold_ascii",
    "clean",
    "fold",
    "has_cjk",
    "is_disclaimer",
    "is_mobile_footer",
    "is_prose",
    "is_separator",
    "is_sign_off",
]

# Lines longer than this are body text, never signature content (and keep every regex cheap).
MAX_LINE = 200

_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # full-width ASCII -> ASCII
_FOLD.update({0x3000: 0x20, 0x00A0: 0x20, 0x2007: 0x20, 0x202F: 0x20, 0x2009: 0x20})  # spaces
_FOLD.update({cp: 0x2D for cp in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE63, 0x2500,
                                  0x2501, 0x30FB)})  # dashes (and the katakana middle dot) -> "-"
_FOLD.update({0x3012: 0x3012, 0xFF5E: 0x7E, 0x301C: 0x7E, 0x3001: 0x2C, 0xFF0C: 0x2C})  # 〒 kept; 〜 ~; 、,
_FOLD.update({0x3010: 0x5B, 0x3011: 0x5D, 0xFF08: 0x28, 0xFF09: 0x29})  # 【】 -> [], （） -> ()
_CHOON_IN_DIGITS = re.compile(r"(?<=\d)[ーｰ](?=\d)")  # 03ー1234ー5678: a long-vowel mark used as a hyphen

# Decoration: box drawing, rules, bullets and the ASCII characters people draw frames with.
_DECOR = ("━─―＝=*-_~◆◇■□●○★☆▲△▼▽◎◉※・…+#<>|│┃┏┓┗┛┣┫┳┻╋═║╔╗╚╝┌┐└┘├┤┬┴┼▪▫•·°"
          "〓＿＊－～｜【】〔〕♪♦◈◊✉☎✆📞📱📧🌐")
_DECOR_SET = frozenset(_DECOR)
_EDGE_STRIP = "".join(sorted(_DECOR_SET - set("#+<>"))) + " \t:：,，;；/"
_SIGN_OFF_RE = re.compile(
    r"^\s*(?:" + "|".join(re.escape(s) for s in sorted(SIGN_OFFS, key=len, reverse=True)) + r")\b[\w\s]{0,20}"
    r"[,.!。！、…]*\s*$", re.IGNORECASE)
_SIGN_OFF_JA = re.compile(r"^\s*(?:何卒|引き続き|今後とも|どうぞ)?.{0,20}(?:よろしく|宜しく)お願い(?:いた|致)?し?"
                          r"(?:ます|申し上げます)[。.！!]*\s*$")
_CJK = re.compile(r"[\u3040-\u30FF\u3400-\u9FFF\uF900-\uFAFF]")
_SENTENCE_WORDS = frozenset([
    "the", "a", "an", "and", "to", "of", "is", "are", "was", "were", "be", "we", "i", "you", "it",
    "this", "that", "will", "would", "please", "can", "could", "should", "have", "has", "had", "for",
    "with", "not", "if", "as", "at", "on", "in", "our", "your", "my", "let", "know", "me", "us", "do",
    "does", "did",
])


def fold(text: str) -> str:
    """Full-width ASCII to ASCII, spaces and dashes unified; the result has the same length."""
    out = text.translate(_FOLD)
    if "ー" in out or "ｰ" in out:
        out = _CHOON_IN_DIGITS.sub("-", out)
    return out


def clean(text: str) -> str:
    """A value as it should be stored: decorations and separators stripped from both ends."""
    return " ".join(text.strip(_EDGE_STRIP).split())


def is_separator(line: str) -> bool:
    """A rule, frame or the "-- " delimiter: only decoration characters, at least two of them."""
    s = line.strip()
    return len(s) >= 2 and all(ch in _DECOR_SET or ch.isspace() for ch in s)


def is_sign_off(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > 60:
        return False
    return bool(_SIGN_OFF_RE.match(s) or _SIGN_OFF_JA.match(s))


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def is_disclaimer(line: str) -> bool:
    low = line.lower()
    return any(cue in low for cue in DISCLAIMER_CUES)


def is_mobile_footer(line: str) -> bool:
    low = line.strip().lower()
    return len(low) < 90 and any(cue in low for cue in MOBILE_FOOTER_CUES)


def is_prose(line: str) -> bool:
    """Running text rather than a signature entry: many words, sentence punctuation, function words."""
    s = line.strip()
    if not s:
        return False
    if len(s) > MAX_LINE:
        return True
    if has_cjk(s):
        return (len(s) > 45 and s.count(" ") < 2) or s.endswith(("。", "ます", "です", "でした", "ください"))
    words = s.split()
    if len(words) >= 4 and s[0].islower() and "@" not in s and "://" not in s and not s.startswith("www."):
        return True  # the wrapped end of a sentence
    lowered = [w.strip(",.;:!?()\"'").lower() for w in words]
    function = sum(1 for w in lowered if w in _SENTENCE_WORDS)
    return (len(words) >= 11 or (len(words) >= 6 and function >= 2)
            or (len(words) >= 4 and function >= 2 and s[-1] in ".!?"))


def casefold_ascii(text: str) -> str:
    """Lower-case without accents, for comparing names (Müller ~ muller)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
