"""Which language the author wrote in: the bundled fastText 'lite' model, with script rules for short text."""

from __future__ import annotations

from nlp.language.detect import detect_language

__all__ = ["detect_language"]
