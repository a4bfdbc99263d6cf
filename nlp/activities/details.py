"""What else a proposal says: the video link, the phone number, the place, the people."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["video_link", "find_phones", "location", "attendees", "mask", "URL", "VIDEO_HOSTS"]

URL = re.compile(r"https?://[^\s<>\"'()\[\]{}]{1,300}")
# Video conference hosts, as they appear in links.
VIDEO_HOSTS = {
    "zoom.us": "zoom",
    "zoom.com": "zoom",
    "teams.microsoft.com": "teams",
    "teams.live.com": "teams",
    "meet.google.com": "google_meet",
    "webex.com": "webex",
    "whereby.com": "whereby",
    "gotomeeting.com": "gotomeeting",
    "meet.jit.si": "jitsi",
    "skype.com": "skype",
    "chime.aws": "chime",
}
_SERVICES = re.compile(
    r"\b(zoom|teams|google\s+meet|webex|skype|whereby|gotomeeting)\b|(Web会議|オンライン会議)", re.IGNORECASE
)
_HOST = re.compile(r"https?://([^/\s:?#]{1,200})")
_RECORDING = re.compile(r"/rec/|/recording|/play/", re.IGNORECASE)
_REGIONS = {"ja": "JP", "de": "DE"}
_DIGITS_FOR_PHONE = 7
_DIGIT = re.compile(r"\d")


def video_link(text: str) -> tuple[str | None, str | None]:
    """(link, service) of the first video-conference link, or (None, the service named) without one."""
    for m in URL.finditer(text):
        host = _HOST.match(m.group(0))
        if not host:
            continue
        name = host.group(1).lower()
        for suffix, service in VIDEO_HOSTS.items():
            if (name == suffix or name.endswith("." + suffix)) and not _RECORDING.search(m.group(0)):
                return m.group(0).rstrip(".,;:!?。、"), service
    named = _SERVICES.search(text)
    if named:
        word = " ".join((named.group(1) or "").lower().split())
        return None, {"google meet": "google_meet"}.get(word, word or "online")
    return None, None


def region_for(language: str | None, offset_minutes: int | None) -> str:
    if language in _REGIONS:
        return _REGIONS[language]
    if offset_minutes is not None:
        if -600 <= offset_minutes <= -180:
            return "US"
        if offset_minutes == 330:
            return "IN"
        if offset_minutes in (0, 60):
            return "GB"
    return "US"


def find_phones(text: str, region: str) -> list[tuple[int, int, str]]:
    """(start, end, E.164) of the phone numbers in a sentence."""
    if len(_DIGIT.findall(text)) < _DIGITS_FOR_PHONE:
        return []
    import phonenumbers

    found = []
    for match in phonenumbers.PhoneNumberMatcher(
        text, region, leniency=phonenumbers.Leniency.VALID, max_tries=20
    ):
        found.append(
            (
                match.start,
                match.end,
                phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164),
            )
        )
    return found


def mask(text: str, spans: list[tuple[int, int]], word: str = "") -> str:
    """Blank out spans (links, phone numbers) so their digits are not read as times; the span keeps its
    length, and starts with ``word`` ("url") when it is long enough, so cues can still see what was there."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        end = min(end, len(chars))
        for i in range(start, end):
            chars[i] = " "
        if word and end - start > len(word):
            chars[start : start + len(word)] = word
    return "".join(chars)


# --- places ---------------------------------------------------------------------------------------
_PLACE_NOUNS = {
    "office",
    "offices",
    "lobby",
    "room",
    "headquarters",
    "hq",
    "building",
    "café",
    "cafe",
    "restaurant",
    "hotel",
    "campus",
    "site",
    "booth",
    "premises",
    "warehouse",
    "factory",
    "plant",
    "store",
    "shop",
    "bar",
    "centre",
    "center",
    "hall",
    "studio",
    "lab",
    "venue",
    "reception",
    "suite",
}
_DETERMINERS = {"the", "our", "your", "their", "my", "his", "her"}
_NOT_PLACES = {
    "person",
    "touch",
    "advance",
    "time",
    "case",
    "total",
    "general",
    "progress",
    "mind",
    "addition",
    "particular",
    "order",
    "detail",
    "q1",
    "q2",
    "q3",
    "q4",
    "i",
    "the",
    "a",
    "an",
    "am",
    "pm",
}
_STOP_CAPS = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "zoom",
    "teams",
    "google",
    "webex",
    "skype",
    "est",
    "edt",
    "pst",
    "pdt",
    "cet",
    "cest",
    "gmt",
    "utc",
    "jst",
    "bst",
    "ist",
    "et",
    "pt",
    "eod",
    "cob",
    "asap",
    "q1",
    "q2",
    "q3",
    "q4",
    "i",
    "the",
    "tokyo",
    "pacific",
    "eastern",
    "central",
}
_TOKEN = re.compile(r"[A-Za-z0-9][\w'&.-]{0,40}|[^\sA-Za-z0-9]")
_JA_PLACE = re.compile(
    r"((?:弊社|御社|貴社|当社|本社|支社|会議室[A-Za-z0-9]?|オフィス|工場|ショールーム|東京|大阪|名古屋|"
    r"横浜|京都|福岡|札幌|神戸)(?:の?(?:会議室[A-Za-z0-9]?|オフィス|受付|ロビー))?)(?:にて|で|へ)"
)
_DE_PLACE = re.compile(
    r"\b(?:in|im|bei)\s+(unserem|Ihrem|unserer|Ihrer|dem|der|unseren)\s+(Büro|"
    r"Besprechungsraum|"
    r"Konferenzraum|Firmensitz|Hauptsitz|Werk|Räumen|Räumlichkeiten|Office|Showroom)\b|"
    r"\bbei\s+(Ihnen|uns)\b"
)


def location(text: str, language: str) -> str | None:
    if language == "ja":
        m = _JA_PLACE.search(text)
        return m.group(1) if m else None
    if language == "de":
        m = _DE_PLACE.search(text)
        if m:
            return " ".join(m.group(0).split()[1:])
        return None
    tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    for i, (word, _, _) in enumerate(tokens):
        if word.lower() not in ("at", "in"):
            continue
        j = i + 1
        start = tokens[j][1] if j < len(tokens) else None
        if j < len(tokens) and tokens[j][0].lower() in _DETERMINERS:
            j += 1
        picked: list[tuple[str, int, int]] = []
        while j < len(tokens) and len(picked) < 4:
            token = tokens[j][0]
            low = token.lower().rstrip(".")
            if (
                low in _STOP_CAPS
                or low in _NOT_PLACES
                or not (token[0].isupper() or low in _PLACE_NOUNS or (picked and token[0].isdigit()))
            ):
                break
            picked.append(tokens[j])
            j += 1
        if not picked:
            continue
        has_noun = any(t[0].lower().rstrip(".") in _PLACE_NOUNS for t in picked)
        capitalised = picked[0][0][0].isupper() and not picked[0][0][0].isdigit()
        if has_noun or (capitalised and word.lower() in ("at", "in")):
            return text[start : picked[-1][2]].rstrip(".,")
    return None


# --- people ---------------------------------------------------------------------------------------
_NAME_STOP = _STOP_CAPS | {
    "you",
    "me",
    "us",
    "them",
    "our",
    "your",
    "their",
    "team",
    "and",
    "or",
    "mr",
    "ms",
    "mrs",
    "dr",
    "prof",
    "sales",
    "legal",
    "finance",
    "support",
    "it",
}
_JA_NAME = re.compile(r"([一-龥ァ-ヶー]{1,6})(?:様|さん|氏)")
_JA_NOT_NAMES = {"皆", "お客", "各位", "ご担当者", "担当者", "皆さ", "関係者", "お客さ"}
_DE_NAME = re.compile(
    r"\bmit\s+(?:Herrn|Frau|Hr\.|Fr\.)\s+([A-ZÄÖÜ][a-zäöüß]{1,30})(?:\s+und\s+(?:Herrn|"
    r"Frau)\s+([A-ZÄÖÜ][a-zäöüß]{1,30}))?"
)


def attendees(text: str, language: str) -> list[str]:
    """Names of people the sentence says take part ("with Sarah and Tom", 山田様, mit Frau Becker)."""
    if language == "ja":
        return [m.group(1) for m in _JA_NAME.finditer(text) if m.group(1) not in _JA_NOT_NAMES][:10]
    if language == "de":
        return [n for m in _DE_NAME.finditer(text) for n in m.groups() if n][:10]
    names: list[str] = []
    tokens = [m.group(0) for m in _TOKEN.finditer(text)]
    for i, word in enumerate(tokens):
        if word.lower() != "with":
            continue
        j = i + 1
        current: list[str] = []
        while j < len(tokens) and len(names) < 10:
            token = tokens[j]
            low = token.lower().rstrip(".")
            if low in ("and", ",", "&"):
                if current:
                    names.append(" ".join(current))
                    current = []
                j += 1
                continue
            if low in ("you", "me", "us") and not current:
                j += 1
                continue
            if low in ("mr", "ms", "mrs", "dr", "prof") and j + 1 < len(tokens):
                current.append(token)
                j += 1
                continue
            if token[:1].isupper() and token[:1].isalpha() and low not in _NAME_STOP and len(current) < 3:
                current.append(token)
                j += 1
                continue
            break
        if current:
            names.append(" ".join(current))
    return [n for n in names if not n.lower().startswith(("mr", "ms", "dr")) or " " in n][:10]


def participants(message: Any) -> list[dict[str, Any]]:
    """The mail's participants (From, To, Cc) as attendees."""
    if message is None:
        return []
    people = []
    for address in [
        getattr(message, "from_", None),
        *getattr(message, "to", []),
        *getattr(message, "cc", []),
    ]:
        if address is not None and getattr(address, "address", None):
            people.append(
                {"name": address.name or None, "address": address.address, "source": "participants"}
            )
    return people[:50]
