"""Bytes to text for every charset label found in real mail, never raising.

The declared label is tried first, through an alias table that maps each label to the codec real
senders actually use (Windows mail writes cp932 under "Shift_JIS", GB2312 text contains GBK/GB18030
characters, "ISO-8859-1" text contains cp1252 quotes). When the label is wrong or unknown, the text is
detected (charset-normalizer, on a bounded sample only) and the fallback is reported to the caller,
who records it in ``parse_problems``.
"""

from __future__ import annotations

import codecs
from functools import lru_cache
from typing import NamedTuple

from nlp.parsing.japanese import decode_iso2022jp, guess_japanese, looks_iso2022jp

__all__ = ["DETECT_SAMPLE_BYTES", "Decoded", "codec_for", "decode_bytes"]

# Detection reads at most this much: charset-normalizer is costly and the answer does not improve.
DETECT_SAMPLE_BYTES = 64 * 1024


class Decoded(NamedTuple):
    text: str
    charset: str  # the codec that produced the text
    problem: str | None  # what fell back, for parse_problems; None when the label was right


# Label -> codec, where Python's own alias would be wrong for mail (or does not exist).
_ALIASES: dict[str, str] = {
    # Japanese: Windows writes cp932 (NEC and IBM extensions) under the Shift_JIS label.
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "s-jis": "cp932",
    "ms_kanji": "cp932", "csshiftjis": "cp932", "windows-31j": "cp932", "cswindows31j": "cp932",
    "x-ms-cp932": "cp932", "ms932": "cp932", "x-mac-japanese": "cp932", "shift_jis-2004": "shift_jis_2004",
    "euc-jp": "euc_jp", "x-euc-jp": "euc_jp", "eucjp": "euc_jp", "ujis": "euc_jp", "x-euc": "euc_jp",
    "cseucpkdfmtjapanese": "euc_jp", "cp51932": "euc_jp",
    # Chinese: GB18030 is a superset of GB2312 and GBK, which senders label GB2312.
    "gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030", "euc-cn": "gb18030",
    "x-euc-cn": "gb18030", "csgb2312": "gb18030", "gb_2312-80": "gb18030", "gb_2312": "gb18030",
    "chinese": "gb18030", "iso-ir-58": "gb18030", "windows-936": "gb18030", "gb18030": "gb18030",
    "big5": "cp950", "x-big5": "cp950", "cn-big5": "cp950", "csbig5": "cp950", "big-5": "cp950",
    "big5-hkscs": "big5hkscs", "x-x-big5": "cp950",
    # Korean: cp949 (Unified Hangul) is a superset of EUC-KR.
    "ks_c_5601-1987": "cp949", "ks_c_5601-1989": "cp949", "ks_c_5601": "cp949", "euc-kr": "cp949",
    "ksc5601": "cp949", "korean": "cp949", "x-windows-949": "cp949", "csksc56011987": "cp949",
    # Cyrillic
    "koi8": "koi8_r", "koi8-ru": "koi8_u", "x-mac-cyrillic": "mac_cyrillic", "x-cp1251": "cp1251",
    # Western: C1 controls are never meant in mail; cp1252 puts the curly quotes and the euro there.
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "iso_8859-1": "cp1252", "latin1": "cp1252",
    "latin-1": "cp1252", "l1": "cp1252", "cp819": "cp1252", "ibm819": "cp1252", "x-user-defined": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252", "ansi_x3.4-1968": "cp1252", "iso-ir-6": "cp1252",
    "us": "cp1252", "ansi_x3.4-1986": "cp1252", "iso646-us": "cp1252", "cp367": "cp1252",
    "iso-8859-15": "iso8859_15", "x-mac-roman": "mac_roman", "macintosh": "mac_roman",
    # Visual/implicit Hebrew and Arabic are the plain ISO tables.
    "iso-8859-8-i": "iso8859_8", "iso-8859-8-e": "iso8859_8", "iso-8859-6-i": "iso8859_6",
    "iso-8859-6-e": "iso8859_6", "logical": "iso8859_8", "visual": "iso8859_8",
    # Thai
    "tis-620": "cp874", "windows-874": "cp874", "x-windows-874": "cp874", "iso-8859-11": "cp874",
    # Unicode
    "utf8": "utf-8", "utf-8": "utf-8", "unicode-1-1-utf-8": "utf-8", "x-unicode20utf8": "utf-8",
    "unicode": "utf-16", "ucs-2": "utf-16", "x-unicode-2-0-utf-7": "utf-7", "unicode-1-1-utf-7": "utf-7",
}

# Labels whose text is "ISO-8859-1 or a relative": UTF-8 sent under these labels is common.
_LATIN_FAMILY = frozenset({"cp1252", "iso8859_15", "iso8859_2", "cp1250"})
# Codecs whose bytes are not ASCII-compatible, so the all-ASCII fast path would be wrong.
_NOT_ASCII_SAFE = ("utf_16", "utf_32", "utf_7", "hz", "iso2022", "utf-16", "utf-32", "utf-7")
_ISO2022JP = "iso2022jp"


@lru_cache(maxsize=512)
def codec_for(label: str | None) -> str | None:
    """The codec for a declared label, or None when the label is missing or unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").strip().lower()
    if not name:
        return None
    if name.startswith(("iso-2022-jp", "iso2022jp", "iso2022-jp", "_iso-2022-jp")) \
            or name in ("csiso2022jp", "cp50220", "cp50221", "cp50222", "jis", "x-iso-2022-jp"):
        return _ISO2022JP
    if name in _ALIASES:
        return _ALIASES[name]
    if name.startswith("windows-") and name[8:].isdigit():
        name = "cp" + name[8:]
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        return None


def decode_bytes(data: bytes, label: str | None, *, detect: bool = True) -> Decoded:
    """Decode ``data`` declared as ``label``; ``detect=False`` for short header text (no detection)."""
    codec = codec_for(label)
    if data.isascii() and not (codec and codec.startswith(_NOT_ASCII_SAFE)):
        if b"\x1b" in data and looks_iso2022jp(data):
            # 7-bit Japanese sent unlabelled or as us-ascii: the escape sequences give it away.
            text, problem = decode_iso2022jp(data)
            if codec != _ISO2022JP and not problem:
                problem = (f"charset {_show(label)} was ISO-2022-JP" if label
                           else "no charset; the text was ISO-2022-JP")
            return Decoded(text, "iso2022_jp", problem)
        return Decoded(data.decode("ascii"), codec or "ascii", None)
    if codec == _ISO2022JP:
        if data.isascii():
            text, problem = decode_iso2022jp(data)
            return Decoded(text, "iso2022_jp", problem)
        # 8-bit bytes under a 7-bit label: Shift_JIS, EUC-JP or UTF-8 mislabelled as ISO-2022-JP.
        guess = guess_japanese(data)
        if guess:
            return Decoded(data.decode(guess), guess, f"charset {_show(label)} was {guess}")
        return _fallback(data, label, detect)
    if codec is None:
        return _fallback(data, label, detect)
    if codec in _LATIN_FAMILY:
        # UTF-8 under a Latin label; Latin text almost never forms valid multi-byte UTF-8 sequences.
        try:
            return Decoded(data.decode("utf-8"), "utf-8", f"charset {_show(label)} was utf-8")
        except UnicodeDecodeError:
            pass
        try:
            return Decoded(data.decode(codec), codec, None)
        except UnicodeDecodeError:
            # The five bytes cp1252 leaves undefined: latin-1 maps every byte.
            return Decoded(data.decode("latin-1"), "latin-1", None)
    try:
        return Decoded(data.decode(codec), codec, None)
    except UnicodeDecodeError:
        pass
    except LookupError:  # a codec that exists but cannot decode (e.g. a bytes-to-bytes codec)
        return _fallback(data, label, detect)
    for other in _SIBLINGS.get(codec, ()):
        try:
            return Decoded(data.decode(other), other, f"charset {_show(label)} was {other}")
        except UnicodeDecodeError:
            continue
    return _fallback(data, label, detect, declared=codec)


# When the declared codec fails, the codecs that real senders confuse it with, tried in order.
_SIBLINGS: dict[str, tuple[str, ...]] = {
    "cp932": ("utf-8", "euc_jp", "shift_jis_2004"),
    "euc_jp": ("euc_jis_2004", "utf-8", "cp932"),
    "cp950": ("big5hkscs", "utf-8", "gb18030"),
    "big5hkscs": ("cp950", "utf-8"),
    "cp949": ("utf-8",),
    "gb18030": ("utf-8",),
    "koi8_r": ("koi8_u", "utf-8", "cp1251"),
    "utf-8": (),  # detection decides: cp1252 and others are all plausible
}


def _fallback(data: bytes, label: str | None, detect: bool, declared: str | None = None) -> Decoded:
    """The label is missing, unknown or wrong: try UTF-8, then detect, then replace what is left."""
    shown = _show(label)
    why = f"charset {shown} failed" if declared else (f"charset {shown} unknown" if label else "no charset")
    if declared != "utf-8":
        try:
            text = data.decode("utf-8")
            return Decoded(text, "utf-8", None if not label else f"{why}; decoded as utf-8")
        except UnicodeDecodeError:
            pass
    if detect and _mostly_ascii(data):
        # Western text with a few accented letters or curly quotes: cp1252 is what such senders
        # used, and the detector guesses between a dozen look-alike code pages on so few bytes.
        # (Central European text without a label reads with a few wrong letters: a known limit.)
        try:
            return Decoded(data.decode("cp1252"), "cp1252", f"{why}; decoded as cp1252")
        except UnicodeDecodeError:
            pass
    if detect:
        found = _detect(data)
        if found:
            text = data.decode(found, errors="replace")
            return Decoded(text, found, f"{why}; detected {found}")
    if declared and declared != "utf-8":
        return Decoded(data.decode(declared, errors="replace"), declared,
                       f"{why}; undecodable bytes replaced")
    if not detect:
        # Short header text: cp1252 is the most common unlabelled 8-bit charset, latin-1 maps the rest.
        try:
            return Decoded(data.decode("cp1252"), "cp1252", f"{why}; decoded as cp1252")
        except UnicodeDecodeError:
            return Decoded(data.decode("latin-1"), "latin-1", f"{why}; decoded as latin-1")
    return Decoded(data.decode("utf-8", errors="replace"), "utf-8", f"{why}; undecodable bytes replaced")


def _mostly_ascii(data: bytes) -> bool:
    sample = data[:DETECT_SAMPLE_BYTES]
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    # Under 20 %: Western text (German ~2 %, French ~4 %, Polish ~7 %); CJK, Cyrillic, Greek and
    # Hebrew text is above 50 %.
    return high * 5 < len(sample)


_HIGH_BYTES = bytes(range(0x80, 0x100))
# What real mail is written in; limiting the detector to these makes it faster and keeps it from
# answering with look-alike DOS or Mac code pages.
_CANDIDATES = ["utf_8", "cp1252", "cp1250", "cp1251", "koi8_r", "koi8_u", "cp1253", "cp1254", "cp1255",
               "cp1256", "cp1257", "iso8859_2", "iso8859_5", "iso8859_7", "cp866", "cp932", "euc_jp",
               "gb18030", "big5", "cp949", "cp874", "mac_cyrillic"]


def _detect(data: bytes) -> str | None:
    # Imported here: charset-normalizer costs ~50 ms to import and most runs never need it.
    from charset_normalizer import from_bytes

    best = from_bytes(data[:DETECT_SAMPLE_BYTES], cp_isolation=_CANDIDATES).best()
    if best is None:
        return None
    try:
        return codecs.lookup(best.encoding).name
    except LookupError:
        return None


def _show(label: str | None) -> str:
    return repr(label.strip()[:40]) if label else "(none)"
