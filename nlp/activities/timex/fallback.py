"""Other languages: dateparser (explicit language, RELATIVE_BASE, future preference), checked.

There are no rules for French, Spanish, Italian, Portuguese, Dutch… so ``dateparser.search`` finds the
dates there. It sometimes reads a clock time as a day ("venerdì alle 14" → the 14th), so an answer is
kept only when it agrees with itself: a weekday it names must be the weekday of the date, and a
written year must be the date's year. What survives is still less certain than the rules' answers,
and the detector lowers its confidence accordingly.
"""

from __future__ import annotations

import re
from datetime import time, timedelta

from nlp.activities.timex.base import Context, Slot, TimeInfo
from nlp.activities.timex.zones import find_zones

__all__ = ["find_times"]

_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CLOCK = re.compile(r"\d\s*(?:h\b|h\d|:\d|uhr|am\b|pm\b|heures?|horas?|uur|ore\b)", re.IGNORECASE)
_YEAR = re.compile(r"\b(20\d\d)\b")
_MAX_FOUND = 5


def _weekday_names(language: str) -> dict[str, int]:
    from dateparser.languages import default_loader

    try:
        info = default_loader.get_locale(language).info
    except (KeyError, ValueError):
        return {}
    names: dict[str, int] = {}
    for index, key in enumerate(_WEEKDAY_KEYS):
        for name in info.get(key, []):
            if len(name) > 3:  # "mar" is also a month in some languages
                names[name.lower()] = index
    return names


def find_times(text: str, ctx: Context, language: str) -> TimeInfo:
    from dateparser.search import search_dates

    settings = {
        "RELATIVE_BASE": ctx.now.replace(tzinfo=None),
        "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": "DMY" if ctx.md_order == "dm" else "MDY",
    }
    try:
        found = search_dates(text, languages=[language], settings=settings) or []
    except ValueError:  # a language dateparser does not know
        return TimeInfo()
    weekdays = _weekday_names(language)
    info = TimeInfo(zone=(find_zones(text, language) or [None])[0])
    for matched, value in found[:_MAX_FOUND]:
        lower = matched.lower()
        named = {
            index for name, index in weekdays.items() if re.search(r"\b" + re.escape(name) + r"\b", lower)
        }
        if named and value.weekday() not in named:
            # dateparser read a number as the day ("venerdì alle 14"): keep only the weekday, without a time
            if len(named) == 1:
                weekday = named.pop()
                day = ctx.today + timedelta(days=(weekday - ctx.today.weekday()) % 7 or 7)
                start = max(text.find(matched), 0)
                info.slots.append(Slot(first=day, last=day, start=start, end=start + len(matched)))
            continue
        year = _YEAR.search(matched)
        if (year and int(year.group(1)) != value.year) or value.date() > ctx.today + timedelta(days=400):
            continue
        clock = value.time() if (_CLOCK.search(matched) and value.time() != time(0)) else None
        start = text.find(matched)
        info.slots.append(
            Slot(
                first=value.date(),
                last=value.date(),
                begin=clock,
                start=max(start, 0),
                end=max(start, 0) + len(matched),
            )
        )
    return info
