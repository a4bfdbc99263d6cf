"""Time expressions in a sentence, resolved against a reference date: English, Japanese and German rules;
dateparser for other languages."""

from __future__ import annotations

from nlp.activities.timex import de, en, fallback, ja
from nlp.activities.timex.base import Context, Slot, TimeInfo

__all__ = ["find_times", "Context", "Slot", "TimeInfo"]

_MODULES = {"en": en, "ja": ja, "de": de}


def find_times(text: str, ctx: Context, language: str) -> TimeInfo:
    """The slots, zone, duration and markers of one (normalised) sentence: rules for English, Japanese and
    German, dateparser (checked) for the other languages."""
    if language in _MODULES:
        return _MODULES[language].find_times(text, ctx)
    return fallback.find_times(text, ctx, language)
