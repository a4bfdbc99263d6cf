"""Time zones named in mail: abbreviations, "<city> time", UTC offsets, in English, Japanese and German.

Abbreviations that name a region's standard or summer time (EST, PDT, CET, MESZ…) are read as that
region's wall clock (its IANA zone), because writers use "EST" all year to mean New York time; an
explicit offset ("UTC+9", "GMT-05:00") is kept as a fixed offset.
"""

from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from nlp.activities.timex.base import ZoneMention

__all__ = ["find_zones", "zone_by_name", "offset_name", "WINDOWS_TZIDS"]

# Upper-case abbreviations (case-sensitive: "et", "pt", "ist" are words).
ABBREVIATIONS = {
    # North America
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "ET": "America/New_York",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "CT": "America/Chicago",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "MT": "America/Denver",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "PT": "America/Los_Angeles",
    # Europe (MEZ/MESZ are the German names of CET/CEST)
    "GMT": "UTC",
    "UTC": "UTC",
    "BST": "Europe/London",
    "WET": "Europe/Lisbon",
    "WEST": "Europe/Lisbon",
    "CET": "Europe/Berlin",
    "CEST": "Europe/Berlin",
    "MEZ": "Europe/Berlin",
    "MESZ": "Europe/Berlin",
    "EET": "Europe/Athens",
    "EEST": "Europe/Athens",
    # Asia and Pacific
    "JST": "Asia/Tokyo",
    "KST": "Asia/Seoul",
    "IST": "Asia/Kolkata",
    "SGT": "Asia/Singapore",
    "HKT": "Asia/Hong_Kong",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
    "AWST": "Australia/Perth",
    "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland",
}
# "<place> time" (English, lower-cased).
PLACES_EN = {
    "eastern": "America/New_York",
    "new york": "America/New_York",
    "boston": "America/New_York",
    "central": "America/Chicago",
    "chicago": "America/Chicago",
    "mountain": "America/Denver",
    "denver": "America/Denver",
    "pacific": "America/Los_Angeles",
    "california": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "los angeles": "America/Los_Angeles",
    "london": "Europe/London",
    "uk": "Europe/London",
    "dublin": "Europe/Dublin",
    "lisbon": "Europe/Lisbon",
    "paris": "Europe/Paris",
    "berlin": "Europe/Berlin",
    "german": "Europe/Berlin",
    "central european": "Europe/Berlin",
    "amsterdam": "Europe/Amsterdam",
    "madrid": "Europe/Madrid",
    "zurich": "Europe/Zurich",
    "stockholm": "Europe/Stockholm",
    "tokyo": "Asia/Tokyo",
    "japan": "Asia/Tokyo",
    "japanese": "Asia/Tokyo",
    "osaka": "Asia/Tokyo",
    "seoul": "Asia/Seoul",
    "korea": "Asia/Seoul",
    "beijing": "Asia/Shanghai",
    "shanghai": "Asia/Shanghai",
    "china": "Asia/Shanghai",
    "hong kong": "Asia/Hong_Kong",
    "singapore": "Asia/Singapore",
    "india": "Asia/Kolkata",
    "indian": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "dubai": "Asia/Dubai",
    "sydney": "Australia/Sydney",
    "melbourne": "Australia/Melbourne",
    "auckland": "Pacific/Auckland",
    "sao paulo": "America/Sao_Paulo",
    "toronto": "America/Toronto",
}
# Region words that name a zone without "time" when they follow a clock time ("9am Pacific").
REGIONS_AFTER_TIME = {"eastern", "central", "mountain", "pacific"}
# Japanese: "<place>時間".
PLACES_JA = {
    "日本": "Asia/Tokyo",
    "東京": "Asia/Tokyo",
    "ニューヨーク": "America/New_York",
    "米国東部": "America/New_York",
    "東部": "America/New_York",
    "米国西部": "America/Los_Angeles",
    "太平洋": "America/Los_Angeles",
    "西海岸": "America/Los_Angeles",
    "ロンドン": "Europe/London",
    "英国": "Europe/London",
    "イギリス": "Europe/London",
    "ドイツ": "Europe/Berlin",
    "ベルリン": "Europe/Berlin",
    "パリ": "Europe/Paris",
    "フランス": "Europe/Paris",
    "欧州中部": "Europe/Berlin",
    "中央ヨーロッパ": "Europe/Berlin",
    "シンガポール": "Asia/Singapore",
    "香港": "Asia/Hong_Kong",
    "中国": "Asia/Shanghai",
    "上海": "Asia/Shanghai",
    "韓国": "Asia/Seoul",
    "インド": "Asia/Kolkata",
    "シドニー": "Australia/Sydney",
}
# German: "<place> Zeit" / "deutscher Zeit".
PLACES_DE = {
    "deutscher": "Europe/Berlin",
    "deutsche": "Europe/Berlin",
    "mitteleuropäischer": "Europe/Berlin",
    "mitteleuropäische": "Europe/Berlin",
    "new yorker": "America/New_York",
    "londoner": "Europe/London",
    "tokioter": "Asia/Tokyo",
    "japanischer": "Asia/Tokyo",
    "japanische": "Asia/Tokyo",
    "amerikanischer ostküsten": "America/New_York",
    "pazifischer": "America/Los_Angeles",
}
# Windows TZIDs that Outlook writes into invites, to IANA.
WINDOWS_TZIDS = {
    "Tokyo Standard Time": "Asia/Tokyo",
    "Eastern Standard Time": "America/New_York",
    "Central Standard Time": "America/Chicago",
    "Mountain Standard Time": "America/Denver",
    "Pacific Standard Time": "America/Los_Angeles",
    "GMT Standard Time": "Europe/London",
    "W. Europe Standard Time": "Europe/Berlin",
    "Romance Standard Time": "Europe/Paris",
    "Central Europe Standard Time": "Europe/Budapest",
    "Central European Standard Time": "Europe/Warsaw",
    "India Standard Time": "Asia/Kolkata",
    "China Standard Time": "Asia/Shanghai",
    "Singapore Standard Time": "Asia/Singapore",
    "Korea Standard Time": "Asia/Seoul",
    "AUS Eastern Standard Time": "Australia/Sydney",
    "UTC": "UTC",
    "Coordinated Universal Time": "UTC",
}

_ABBR = re.compile(
    r"(?<![A-Za-z])(" + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True)) + r")(?![A-Za-z])"
)
_OFFSET = re.compile(r"(?<![A-Za-z])(?:UTC|GMT)\s?([+\-−])\s?(\d{1,2})(?::?(\d{2}))?(?!\d)")
_PLACE_EN = re.compile(
    r"\b(" + "|".join(sorted(PLACES_EN, key=len, reverse=True)) + r")(?:\s+(?:standard|"
    r"daylight))?\s+time\b",
    re.IGNORECASE,
)
_REGION_EN = re.compile(
    r"(?:am|pm|a\.m\.|p\.m\.|\d)\s*(" + "|".join(sorted(REGIONS_AFTER_TIME)) + r")\b", re.IGNORECASE
)
_PLACE_JA = re.compile(
    r"(" + "|".join(sorted(PLACES_JA, key=len, reverse=True)) + r")(?:標準)?時間(?!後|以内|前)"
)
_PLACE_DE = re.compile(
    r"\b(" + "|".join(sorted(PLACES_DE, key=len, reverse=True)) + r")\s*Zeit\b", re.IGNORECASE
)


@lru_cache(maxsize=256)
def zone_by_name(name: str) -> tzinfo | None:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        return None


def offset_name(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _iana(start: int, end: int, name: str) -> ZoneMention | None:
    tz = zone_by_name(name)
    return ZoneMention(start, end, tz, name) if tz is not None else None


def find_zones(text: str, language: str) -> list[ZoneMention]:
    """The zones named in a sentence, in order (offsets first where they overlap an abbreviation)."""
    found: list[ZoneMention] = []
    for m in _OFFSET.finditer(text):
        sign = -1 if m.group(1) in "-−" else 1
        hours, minutes = int(m.group(2)), int(m.group(3) or 0)
        if hours > 14 or minutes > 59:
            continue
        delta = sign * timedelta(hours=hours, minutes=minutes)
        found.append(ZoneMention(m.start(), m.end(), timezone(delta), offset_name(delta)))
    for m in _ABBR.finditer(text):
        if any(z.start <= m.start() < z.end for z in found):
            continue
        if m.group(1) in ("ET", "CT", "MT", "PT") and not _after_time(text, m.start()):
            continue  # two capitals are a zone only right after a time ("11am ET")
        zone = _iana(m.start(), m.end(), ABBREVIATIONS[m.group(1)])
        if zone:
            found.append(zone)
    if language == "ja":
        for m in _PLACE_JA.finditer(text):
            zone = _iana(m.start(), m.end(), PLACES_JA[m.group(1)])
            if zone:
                found.append(zone)
    if language == "de":
        for m in _PLACE_DE.finditer(text):
            zone = _iana(m.start(), m.end(), PLACES_DE[m.group(1).lower()])
            if zone:
                found.append(zone)
    for m in _PLACE_EN.finditer(text):
        zone = _iana(m.start(), m.end(), PLACES_EN[" ".join(m.group(1).lower().split())])
        if zone:
            found.append(zone)
    for m in _REGION_EN.finditer(text):
        if any(z.start <= m.start(1) < z.end for z in found):
            continue
        zone = _iana(m.start(1), m.end(1), PLACES_EN[m.group(1).lower()])
        if zone:
            found.append(zone)
    found.sort(key=lambda z: z.start)
    return found


def _after_time(text: str, index: int) -> bool:
    before = text[max(0, index - 6) : index].rstrip().lower()
    return before.endswith(("am", "pm", "a.m.", "p.m.")) or (before[-1:].isdigit())
