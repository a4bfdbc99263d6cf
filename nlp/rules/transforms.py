"""Transforms: an extracted text cleaned up into the value a field wants.

Each transform takes the value so far (a string, or None when nothing was found) and returns the next
one; a value that cannot be read raises :class:`TransformFailed` with the reason, which names the field
in the parse log.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

from nlp.rules.definition import RuleError
from nlp.rules.safe_regex import Budget, compile_pattern, sub

__all__ = ["TransformFailed", "apply_transforms", "split_name", "parse_number", "OUTPUT_KIND"]

# What a transform hands on, for checking a mapping against its field's type when a rule is saved.
OUTPUT_KIND = {"phone": "phone", "date": "date", "number": "number", "split_name": "text", "case": "text"}

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_NUMBER_CHARS = re.compile(r"[0-9.,]+")
# Multipliers written after a number.
_MULTIPLIERS = {"k": 1000, "m": 1_000_000, "mio": 1_000_000, "bn": 1_000_000_000,
                "千": 1000, "万": 10_000, "億": 100_000_000}  # Japanese


class TransformFailed(RuleError):
    def __init__(self, message: str, where: str = ""):
        super().__init__(message, where, code="transform_failed")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def split_name(name: str) -> tuple[str | None, str | None]:
    """(given, family) of a full name: "Last, First", Japanese/Chinese family-name-first, else Western."""
    text = " ".join(_nfkc(name).replace("\u3000", " ").split())
    for honorific in ("様", "さま", "さん", "殿"):  # Japanese
        if text.endswith(honorific) and len(text) > len(honorific):
            text = text[: -len(honorific)].rstrip()
    if not text:
        return None, None
    if "," in text:
        family, _, given = text.partition(",")
        return given.strip() or None, family.strip() or None
    parts = text.split(" ")
    if _CJK.search(text):
        if len(parts) == 1:
            return None, parts[0]  # no space: where the family name ends cannot be told reliably
        return " ".join(parts[1:]), parts[0]
    if len(parts) == 1:
        return parts[0], None
    from nameparser import HumanName

    parsed = HumanName(text)
    given = " ".join(p for p in (parsed.first, parsed.middle) if p) or parts[0]
    family = " ".join(p for p in (parsed.last, parsed.suffix) if p) or parts[-1]
    return given, family


def parse_number(text: str, decimal: str = "auto") -> Decimal:
    raw = _nfkc(text).strip()
    # "¥120,000-" is a Japanese way to write an amount, not a negative one.
    negative = raw.startswith("-") or (raw.startswith("(") and raw.endswith(")"))
    multiplier = 1
    stripped = raw.lower().rstrip(" .)-").rstrip("円€$£¥ ").rstrip()
    for suffix, factor in sorted(_MULTIPLIERS.items(), key=lambda item: -len(item[0])):
        if stripped.endswith(suffix) and stripped[: -len(suffix)].rstrip()[-1:].isdigit():
            multiplier = factor
            break
    found = _NUMBER_CHARS.findall(raw)
    digits = max(found, key=len) if found else ""
    digits = digits.strip(".,")
    if not digits or not any(ch.isdigit() for ch in digits):
        raise ValueError(f"{text!r} is not a number")
    if decimal == "auto":
        last_dot, last_comma = digits.rfind("."), digits.rfind(",")
        if last_dot >= 0 and last_comma >= 0:
            decimal = "." if last_dot > last_comma else ","
        elif last_dot >= 0 or last_comma >= 0:
            mark = "." if last_dot >= 0 else ","
            groups = digits.split(mark)
            # "1,250" and "1.250.000" group thousands; "12,5" and "3.75" have decimals.
            thousands = len(groups) > 2 or (len(groups[-1]) == 3 and groups[0] != "0")
            decimal = ("," if mark == "." else ".") if thousands else mark
        else:
            decimal = "."
    other = "," if decimal == "." else "."
    cleaned = digits.replace(other, "").replace(decimal, ".")
    try:
        value = Decimal(cleaned) * multiplier
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    return -value if negative else value


def _phone(value: str, region: str) -> str:
    text = _nfkc(value).strip()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"{value!r} is not a phone number ({exc})") from None
    if not phonenumbers.is_possible_number(number):
        raise ValueError(f"{value!r} is not a possible phone number in {region}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _date(value: str, fmt: str | None, languages: list[str], zone: str) -> date | datetime:
    text = _nfkc(value).strip()
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {zone!r}") from None
    if fmt:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            raise ValueError(f"{value!r} does not have the format {fmt!r}") from None
    else:
        import dateparser

        parsed = dateparser.parse(text, languages=languages or None,
                                  settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False})
        if parsed is None:
            raise ValueError(f"{value!r} is not a date I can read (languages {languages})")
    if not parsed.hour and not parsed.minute and not parsed.second and not re.search(r"\d[:時]", text):
        return parsed.date()  # a date written without a time is a date, not midnight somewhere
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def _one(transform: Any, value: Any, budget: Budget, where: str) -> Any:
    kind = transform.type
    if kind == "default":
        return transform.value if value is None or value == "" else value
    if value is None or value == "":
        return value
    if kind == "map":
        key = " ".join(_nfkc(str(value)).casefold().split())
        table = {" ".join(_nfkc(k).casefold().split()): v for k, v in transform.table.items()}
        if key in table:
            return table[key]
        return {"keep": value, "empty": None, "default": transform.default}[transform.otherwise]
    if not isinstance(value, str):
        value = str(value)
    if kind == "trim":
        lines = [" ".join(line.replace("\u3000", " ").split()) for line in value.strip().split("\n")]
        return "\n".join(lines).strip()
    if kind == "case":
        return {"lower": value.lower(), "upper": value.upper(), "title": value.title()}[transform.to]
    if kind == "split_name":
        given, family = split_name(value)
        return given if transform.part == "first" else family
    if kind == "replace":
        compiled = compile_pattern(transform.pattern, where)
        return sub(compiled, transform.replacement, value, budget, where)
    try:
        if kind == "phone":
            return _phone(value, transform.region)
        if kind == "date":
            return _date(value, transform.format, transform.languages, transform.timezone)
        if kind == "number":
            return parse_number(value, transform.decimal)
    except ValueError as exc:
        raise TransformFailed(str(exc), where) from None
    raise RuleError(f"unknown transform {kind!r}", where)


def apply_transforms(transforms: list[Any], value: Any, budget: Budget, where: str = "") -> Any:
    for index, transform in enumerate(transforms):
        value = _one(transform, value, budget, f"{where}.transforms[{index}]" if where else f"transforms[{index}]")
    return value
