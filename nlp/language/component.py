"""Pipeline component "language": the language of the new text (the whole body if zoning is off)."""

from __future__ import annotations

from nlp.language.detect import detect_language
from nlp.pipeline import Doc, component

__all__ = ["make_language"]

_CHARSET_HINTS = {"iso-2022-jp": "ja", "shift_jis": "ja", "euc-jp": "ja", "cp932": "ja", "koi8-r": "ru",
                  "gb2312": "zh", "gbk": "zh", "gb18030": "zh", "big5": "zh", "euc-kr": "ko", "ks_c_5601-1987": "ko"}


def _hint(doc: Doc) -> str | None:
    message = doc.get("message")
    charset = getattr(message, "charset", None) if message is not None else None
    return _CHARSET_HINTS.get((charset or "").lower())


@component("language", reads=("body",), assigns=("language",))
def make_language(min_confidence: float = 0.0):
    def run(docs: list[Doc]) -> None:
        for doc in docs:
            text = doc.get("new_text") or doc["body"]
            lang, confidence = detect_language(text, hint=_hint(doc))
            doc["language"] = lang if confidence >= min_confidence else None
            doc["language_confidence"] = confidence
            doc.out["language"] = doc["language"]

    return run
