"""Postal addresses in signatures, English/European and Japanese: which lines, and their parts.

``address_line(text)`` says whether one (folded) line is part of an address and what it holds;
``parse_address(lines)`` joins the lines of one address and splits it into street, city, region,
postal code and country. Forms recognised:
- US/Canada "City, ST 12345(-6789)" / "City, Province A1A 1A1"; UK postcodes "London EC1A 1BB";
  continental "12345 Berlin", "D-10115 Berlin", "75001 Paris"; street lines with a house number and a
  street word ("1400 Smith Street", "Musterstraße 12", "12 rue de la Paix", "Suite 3640");
  a country name on its own line;
- Japanese "〒100-0005 東京都千代田区丸の内1-2-3 丸の内ビル5F", also without 〒 when a prefecture and a
  city/ward follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.signature.patterns import (
    CA_PROVINCES,
    COUNTRIES,
    JP_PREFECTURES,
    STREET_SUFFIXES_DE,
    STREET_WORDS,
    US_STATES,
)
from nlp.signature.text import MAX_LINE, clean, fold

__all__ = ["Address", "AddressLine", "address_line", "parse_address", "strip_address_label"]

_STATE_NAMES = {v.lower(): k for k, v in US_STATES.items()}
_PROVINCE_NAMES = {v.lower(): k for k, v in CA_PROVINCES.items()}
_REGION_CODES = "|".join(sorted(set(US_STATES) | set(CA_PROVINCES)))
_REGION_NAMES = "|".join(re.escape(n) for n in sorted({*US_STATES.values(), *CA_PROVINCES.values()}, key=len,
                                                      reverse=True))
# "San Francisco, CA  94104", "Houston, Texas 77002-7361", "Boulder, CO. 80301", "Toronto, ON M5V 2T6"
_US_CITY_LINE = re.compile(
    r"(?P<city>[A-Za-z][A-Za-z .'’-]{0,40}?)\s*,?\s+(?P<region>" + _REGION_CODES + r"|" + _REGION_NAMES +
    r")\.?,?\s+(?P<postal>\d{5}(?:-\d{4})?|[A-Z]\d[A-Z] ?\d[A-Z]\d)\b")
# UK postcode, with the town before it: "London EC1A 1BB"
_UK_POSTCODE = re.compile(r"\b(?P<postal>(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2})\b")
# Continental: "10115 Berlin", "D-10115 Berlin", "F-75001 Paris", "1010 Wien", "8001 Zürich"
_EU_CITY_LINE = re.compile(
    r"^(?:(?P<cc>[A-Z]{1,2})-(?=\d{4})|(?=\d{5}))(?P<postal>\d{4,5})\s+"
    r"(?P<city>[A-ZÄÖÜÉÈ][\wÄÖÜäöüßéèêàâçôûîÉ .'’()-]{1,40})$")
# A house number then up to five words then a street word; or a suite/floor/room/P.O. box entry.
_STREET_WORD_RE = "|".join(re.escape(w) for w in sorted(set(STREET_WORDS), key=len, reverse=True))
_STREET_EN = re.compile(
    r"^(?:\d{1,6}[A-Za-z]?(?:-\d{1,4})?|one|two)\s+(?:[\w.'’-]+\s+){0,5}?(?:" + _STREET_WORD_RE +
    r")(?![\w])", re.IGNORECASE)
_STREET_UNIT = re.compile(
    r"^(?:suite|ste\.?|floor|fl\.?|room|rm\.?|unit|apt\.?|building|bldg\.?|level|p\.?\s?o\.?\s+box|"
    r"postfach|b\.?p\.?)\s*#?\s*\d", re.IGNORECASE)
_FLOOR = re.compile(r"^\d{1,3}(?:st|nd|rd|th)\s+floor\b", re.IGNORECASE)
_STREET_DE = re.compile(
    r"\b[\wÄÖÜäöüß.-]*(?:" + "|".join(re.escape(s) for s in STREET_SUFFIXES_DE) + r")\s+\d{1,4}\s?[a-zA-Z]?\b",
    re.IGNORECASE)
_STREET_DE_SPLIT = re.compile(r"^(?:[A-ZÄÖÜ][\wäöüß.-]+\s){1,3}(?:Straße|Strasse|Str\.|Weg|Platz|Allee)\s+\d{1,4}",
                              re.IGNORECASE)
_STREET_FR = re.compile(r"^\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd\.?|place|chemin|allée|"
                        r"quai|impasse|route|cours)\b", re.IGNORECASE)
_COUNTRY_LINE = re.compile(r"^(?:" + "|".join(re.escape(c) for c in sorted(COUNTRIES, key=len, reverse=True)) +
                           r")\.?$", re.IGNORECASE)
# Japanese
_JP_POSTAL = re.compile(r"〒\s*(?P<postal>\d{3}-?\d{4})")
_JP_POSTAL_BARE = re.compile(r"^\s*(?P<postal>\d{3}-\d{4})\s")
_JP_PREF = re.compile("(?P<pref>" + "|".join(JP_PREFECTURES) + ")")
_JP_CITY = re.compile(r"(?P<city>[^\s\d,、]{1,8}?(?:市|区|町|村|郡))")
_JP_WORDS = re.compile(r"(?:丁目|番地|番町|\d+-\d+(?:-\d+)?|ビル|[0-9]+階|[0-9]+F\b)")
_ANY_DIGIT = re.compile(r"\d")
# What the two costliest patterns need (their postal code; a space before the house number): a linear
# scan for it first spares their search on most lines (the city pattern backtracks at every position).
_US_POSTAL = re.compile(r"\d{5}|[A-Z]\d[A-Z] ?\d[A-Z]\d")
_SPACE_DIGIT = re.compile(r"\s\d")
_LABEL = re.compile(r"^\s*(?:address|addr\.?|adresse|anschrift|dirección|indirizzo|住所|所在地|本社|"
                    r"head office|office)\s*[:：]\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class AddressLine:
    kind: str  # postal (holds a postal code), street, country, jp
    strength: float  # how sure: 1.0 postal code / Japanese, 0.6 street, 0.5 country


@dataclass
class Address:
    text: str  # the lines joined with ", "
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    country_region: str | None = None  # ISO 3166 code, for phone numbers

    def parts(self) -> dict[str, str | None]:
        return {"street": self.street, "city": self.city, "region": self.region,
                "postal_code": self.postal_code, "country": self.country}


def strip_address_label(text: str) -> str:
    return _LABEL.sub("", text, count=1)


def address_line(text: str) -> AddressLine | None:
    """Whether a signature line is (part of) a postal address; ``text`` as written (it is folded here)."""
    if len(text) > MAX_LINE:
        return None
    s = clean(strip_address_label(fold(text)))
    if not s:
        return None
    if not _ANY_DIGIT.search(s):  # only a country or a prefecture line can do without a number
        if _COUNTRY_LINE.match(s):
            return AddressLine("country", 0.5)
        pref = _JP_PREF.search(s)
        return AddressLine("jp", 0.9) if pref and _JP_CITY.search(s, pref.end()) else None
    if _JP_POSTAL.search(s):
        return AddressLine("jp", 1.0)
    pref = _JP_PREF.search(s)
    if pref and _JP_CITY.search(s, pref.end()):
        return AddressLine("jp", 0.9)
    if pref and _JP_WORDS.search(s):
        return AddressLine("jp", 0.8)
    if _JP_POSTAL_BARE.match(s) and pref:
        return AddressLine("jp", 1.0)
    if _US_POSTAL.search(s) and _US_CITY_LINE.search(s):
        return AddressLine("postal", 1.0)
    if _UK_POSTCODE.search(s) and re.search(r"[A-Za-z]{3,}", _UK_POSTCODE.sub("", s)):
        return AddressLine("postal", 0.9)
    for part in _segments(s):
        if _EU_CITY_LINE.match(part) and not _STREET_EN.match(part):
            return AddressLine("postal", 0.8)
    if (_STREET_EN.match(s) or _STREET_UNIT.match(s) or _FLOOR.match(s) or (_SPACE_DIGIT.search(s) and _STREET_DE.search(s))
            or _STREET_FR.match(s) or _STREET_DE_SPLIT.match(s)):
        return AddressLine("street", 0.6)
    if _COUNTRY_LINE.match(s):
        return AddressLine("country", 0.5)
    return None


def _segments(s: str) -> list[str]:
    return [p.strip() for p in re.split(r"\s*[,|·•]\s*|\s{2,}", s) if p.strip()]


def parse_address(lines: list[str]) -> Address:
    """Join an address's lines (as written) with ", " and split it into its parts."""
    cleaned = [clean(strip_address_label(line)) for line in lines]
    cleaned = [c for c in cleaned if c]
    text = ", ".join(cleaned)
    address = Address(text=text)
    folded = [fold(c) for c in cleaned]
    if any(_JP_POSTAL.search(f) or _JP_PREF.search(f) for f in folded):
        _parse_japanese(folded, address)
        return address
    street: list[str] = []
    for line in folded:
        segments = _segments(line)
        rest: list[str] = []
        for seg in segments:
            if address.country is None and _COUNTRY_LINE.match(seg):
                address.country = seg.rstrip(".")
                address.country_region = COUNTRIES.get(seg.rstrip(".").lower())
                continue
            rest.append(seg)
        joined = ", ".join(rest)
        us = _US_CITY_LINE.search(joined)
        if us and address.postal_code is None:
            before = joined[: us.start()].strip(" ,")
            if before:
                street.append(before)
            city = us.group("city").strip(" ,")
            # "1400 Smith Street Houston, TX" on one line: the city is what follows the street word.
            city_street = _STREET_EN.match(city)
            if city_street:
                street.append(city[: city_street.end()].strip(" ,"))
                city = city[city_street.end():].strip(" ,") or None
            address.city = city
            region = us.group("region")
            address.region = region
            address.postal_code = us.group("postal")
            code = region.upper() if region.upper() in US_STATES or region.upper() in CA_PROVINCES else \
                _STATE_NAMES.get(region.lower()) or _PROVINCE_NAMES.get(region.lower())
            if code and address.country_region is None:
                address.country_region = "CA" if code in CA_PROVINCES and code not in US_STATES else "US"
            continue
        eu = next(((seg, m) for seg in rest if (m := _EU_CITY_LINE.match(seg)) and not _STREET_EN.match(seg)),
                  None)
        if eu and address.postal_code is None:
            seg, m = eu
            address.postal_code = m.group("postal")
            address.city = m.group("city").strip()
            street.extend(s for s in rest if s is not seg)
            continue
        uk = _UK_POSTCODE.search(joined)
        if uk and address.postal_code is None and re.search(r"[A-Za-z]{3,}", _UK_POSTCODE.sub("", joined)):
            address.postal_code = uk.group("postal")
            head = [s for s in rest if uk.group("postal") not in s]
            holder = next(s for s in rest if uk.group("postal") in s)
            town = holder.replace(uk.group("postal"), "").strip(" ,")
            if town:
                address.city = town
            elif head:
                address.city = head.pop()
            street.extend(head)
            if address.country_region is None:
                address.country_region = "GB"
            continue
        street.extend(rest)
    address.street = ", ".join(street) or None
    return address


def _parse_japanese(folded: list[str], address: Address) -> None:
    text = " ".join(folded)
    postal = _JP_POSTAL.search(text) or _JP_POSTAL_BARE.search(text)
    rest = text
    if postal:
        code = postal.group("postal")
        address.postal_code = code if "-" in code else f"{code[:3]}-{code[3:]}"
        rest = (text[: postal.start()] + " " + text[postal.end():]).strip()
    country = re.search(r"(日本|Japan)\s*$", rest)
    if country:
        address.country = country.group(1)
        rest = rest[: country.start()].strip()
    address.country_region = "JP"
    pref = _JP_PREF.search(rest)
    if pref:
        address.region = pref.group("pref")
        rest = rest[pref.end():]
    city = _JP_CITY.match(rest.strip())
    if city:
        name = city.group("city")
        address.city = name
        rest = rest.strip()[city.end():]
        ward = re.match(r"[^\s\d,、]{1,5}?区", rest)  # 横浜市西区: the ward belongs with the city
        if name.endswith("市") and ward:
            address.city = name + ward.group(0)
            rest = rest[ward.end():]
    address.street = rest.strip(" ,") or None
