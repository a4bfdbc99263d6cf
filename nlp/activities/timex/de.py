"""German time expressions (morgen, nächsten Dienstag, um 15 Uhr, Ende des Monats, bis Freitag, 21.03.…)."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from nlp.activities.timex.base import (
    WINDOWS,
    Context,
    DayMention,
    DurationMention,
    Marker,
    TimeInfo,
    TimeMention,
    add_months,
    hour_24,
    month_end,
    quarter_bounds,
    resolve_month_day,
    week_monday,
)
from nlp.activities.timex.common import Rule, number, prepare, run_rules

__all__ = ["find_times"]

IC = re.IGNORECASE  # the flag of case-insensitive rules
MONTHS = {
    "januar": 1,
    "jan": 1,
    "jänner": 1,
    "februar": 2,
    "feb": 2,
    "märz": 3,
    "maerz": 3,
    "mär": 3,
    "april": 4,
    "apr": 4,
    "mai": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "dezember": 12,
    "dez": 12,
}
WEEKDAYS = {
    "montag": 0,
    "dienstag": 1,
    "mittwoch": 2,
    "donnerstag": 3,
    "freitag": 4,
    "samstag": 5,
    "sonntag": 6,
}
PARTS = {
    "vormittag": "morning",
    "vormittags": "morning",
    "morgen": "morning",
    "morgens": "morning",
    "früh": "morning",
    "nachmittag": "afternoon",
    "nachmittags": "afternoon",
    "abend": "evening",
    "abends": "evening",
    "mittag": "lunch",
    "mittags": "lunch",
}
_MONTH = (
    r"(januar|jänner|februar|märz|maerz|april|mai|juni|juli|august|september|oktober|november|dezember|"
    r"jan|feb|mär|apr|jun|jul|aug|sept?|okt|nov|dez)"
)
_WEEKDAY = r"(montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)"
_PART = r"(vormittags?|nachmittags?|abends?|morgens?|früh|mittags?)"


def _day(m, first: date, last: date | None = None, **kw) -> list[DayMention]:
    return [DayMention(m.start(), m.end(), first=first, last=last or first, **kw)]


def _window_mention(m, word: str) -> TimeMention:
    start, end = WINDOWS[PARTS[word.lower()]]
    return TimeMention(m.start(), m.end(), start, end, window=True)


def _marker(kind):
    def handler(m, ctx):
        return [Marker(m.start(), m.end(), kind)]

    return handler


def _relative(m, ctx):
    word = m.group(1).lower()
    offset = {"heute": 0, "morgen": 1, "übermorgen": 2, "uebermorgen": 2}[word]
    if word == "morgen" and m.group(1) == "Morgen" and m.start() > 0:
        return None  # "am Morgen", "Guten Morgen": the noun
    mentions = _day(m, ctx.today + timedelta(days=offset))
    if m.group(2):
        part = m.group(2).lower()
        if word == "heute" and part in ("morgen", "früh"):
            mentions.append(Marker(m.start(), m.end(), "past"))  # "heute Morgen" has mostly gone by
        mentions.append(_window_mention(m, part))
    return mentions


def _past(m, ctx):
    return [Marker(m.start(), m.end(), "past")]


def _weekday(m, ctx):
    q_word = (m.group(1) or "").lower()
    q = None
    if q_word.startswith(("nächst", "naechst", "kommend")):
        q = "next"
    elif q_word.startswith("übernächst"):
        q = "after_next"
    elif q_word.startswith("dies"):
        q = "this"
    elif q_word.startswith(("letzt", "vergangen")):
        q = "last"
    mentions: list = [DayMention(m.start(), m.end(), weekday=WEEKDAYS[m.group(2).lower()], qualifier=q)]
    if q == "last":
        mentions.append(Marker(m.start(), m.end(), "past"))
    part = m.group(3) or m.group(4)
    if part:
        mentions.append(_window_mention(m, part))
    return mentions


def _week(m, ctx):
    word = m.group(1).lower()
    if word.startswith(("letzt", "vergangen")):
        return [Marker(m.start(), m.end(), "past")]
    weeks = 2 if word.startswith("übernächst") else (0 if word.startswith("dies") else 1)
    monday = week_monday(ctx.today) + timedelta(days=7 * weeks)
    kind = {0: "week_this", 1: "week_next", 2: "week_after_next"}[weeks]
    return [
        Marker(m.start(), m.end(), kind),
        *_day(m, max(monday, ctx.today), monday + timedelta(days=4), period=True, ambiguous=True),
    ]


def _week_part(m, ctx):
    part, which = m.group(1).lower(), (m.group(2) or "").lower()
    monday = week_monday(ctx.today) + timedelta(days=7 if which.startswith(("nächst", "kommend")) else 0)
    friday = monday + timedelta(days=4)
    if part == "ende":
        return _day(m, friday)
    if part == "anfang":
        return _day(m, max(monday, ctx.today), monday + timedelta(days=2), period=True, ambiguous=True)
    return _day(m, monday + timedelta(days=2), ambiguous=True)  # Mitte


def _month_end(m, ctx):
    offset = 1 if m.group(1) else 0
    first = add_months(ctx.today.replace(day=1), offset)
    return _day(m, month_end(first.year, first.month))


def _month_period(m, ctx):
    word = m.group(1).lower()
    if word.startswith(("letzt", "vergangen")):
        return [Marker(m.start(), m.end(), "past")]
    first = add_months(ctx.today.replace(day=1), 0 if word.startswith("dies") else 1)
    return _day(m, max(first, ctx.today), month_end(first.year, first.month), period=True, ambiguous=True)


def _named_month_part(m, ctx):
    part, month = m.group(1).lower(), MONTHS[m.group(2).lower()]
    year = ctx.today.year + (1 if month < ctx.today.month else 0)
    if part == "anfang":
        return _day(m, date(year, month, 1), date(year, month, 10), period=True, ambiguous=True)
    if part == "mitte":
        return _day(m, date(year, month, 11), date(year, month, 20), period=True, ambiguous=True)
    return _day(m, month_end(year, month))


def _year_end(m, ctx):
    return _day(m, date(ctx.today.year, 12, 31))


def _quarter(m, ctx):
    words = {"ersten": 1, "zweiten": 2, "dritten": 3, "vierten": 4}
    q = int(m.group(1)) if m.group(1) else words[m.group(2).lower()]
    first, last = quarter_bounds(ctx.today.year, q)
    if last < ctx.today:
        first, last = quarter_bounds(ctx.today.year + 1, q)
    return _day(m, max(first, ctx.today), last, period=True, ambiguous=True)


def _explicit(m, ctx, month, day, year):
    resolved = resolve_month_day(ctx.today, month, day, year)
    if resolved is None:
        return None
    value, past = resolved
    return _day(m, value, past=past, explicit=True)


def _day_month_name(m, ctx):
    return _explicit(
        m, ctx, MONTHS[m.group(2).lower()], int(m.group(1)), int(m.group(3)) if m.group(3) else None
    )


def _numeric(m, ctx):
    day, month = int(m.group(1)), int(m.group(2))
    year = int(m.group(3)) if m.group(3) else None
    if year is not None and year < 100:
        year += 2000
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return _explicit(m, ctx, month, day, year)


def _iso(m, ctx):
    return _explicit(m, ctx, int(m.group(2)), int(m.group(3)), int(m.group(1)))


def _day_of_month(m, ctx):
    day = int(m.group(1))
    if not 1 <= day <= 31:
        return None
    return [DayMention(m.start(1), m.end(), day_of_month=day, month_only=True)]


def _offset(m, ctx):
    count = number(m.group(1))
    if count is None:
        return None
    unit = m.group(2).lower()
    if unit.startswith("stunde"):
        return [DayMention(m.start(), m.end(), exact=ctx.now + timedelta(hours=count))]
    if unit.startswith("monat"):
        return _day(m, add_months(ctx.today, int(count)))
    days = int(count) * (7 if unit.startswith("woche") else 1)
    return _day(m, ctx.today + timedelta(days=days))


def _uhr(m, ctx):
    resolved = hour_24(int(m.group(1)), int(m.group(2) or 0), None)
    if resolved is None:
        return None
    mentions = [TimeMention(m.start(), m.end(), resolved[0], inferred=resolved[1])]
    return mentions


def _um(m, ctx):
    hour = int(m.group(1))
    if hour > 23:
        return None
    resolved = hour_24(hour, int(m.group(2) or 0), None)
    return [TimeMention(m.start(), m.end(), resolved[0], inferred=resolved[1])] if resolved else None


def _range(m, ctx):
    start = hour_24(int(m.group(1)), int(m.group(2) or 0), None)
    end = hour_24(int(m.group(3)), int(m.group(4) or 0), None)
    if start is None or end is None:
        return None
    begin, finish = start[0], end[0]
    if finish <= begin and finish.hour < 12:
        finish = finish.replace(hour=finish.hour + 12)
    if finish <= begin:
        return None
    return [TimeMention(m.start(), m.end(), begin, finish, inferred=start[1])]


def _part(m, ctx):
    return [_window_mention(m, m.group(1))]


def _noon(m, ctx):
    return [TimeMention(m.start(), m.end(), time(12))]


def _duration(m, ctx):
    count = number(m.group(1))
    if count is None:
        return None
    minutes = count * (60 if m.group(2).lower().startswith("stunde") else 1)
    return [DurationMention(m.start(), m.end(), int(minutes))]


RULES = (
    # heute, morgen, übermorgen (+ Vormittag, Nachmittag…)
    Rule(
        re.compile(r"\b(heute|übermorgen|uebermorgen|morgen|Morgen)\b(?:\s+(?i:" + _PART + r")\b)?"),
        _relative,
    ),
    Rule(
        re.compile(
            r"\b(?:vorgestern|gestern|neulich|kürzlich|letztes\s+Jahr|vor\s+(?:\d+|einer|einem|zwei|"
            r"drei)\s+(?:Tagen?|Wochen?|Monaten?))\b",
            IC,
        ),
        _past,
    ),
    # (nächsten|diesen|letzten) Dienstag(nachmittag)
    Rule(
        re.compile(
            r"\b(?:(nächste[nrms]?|naechste[nrms]?|kommende[nrms]?|übernächste[nrms]?|diese[nrms]?|"
            r"letzte[nrms]?|vergangene[nrms]?)\s+)?"
            + _WEEKDAY
            + r"(?:"
            + _PART
            + r")?(?:\s+"
            + _PART
            + r"\b)?",
            IC,
        ),
        _weekday,
    ),
    # nächste Woche, diese Woche, letzte Woche
    Rule(
        re.compile(
            r"\b(nächste[nr]?|naechste[nr]?|kommende[nr]?|übernächste[nr]?|diese[nr]?|letzte[nr]?|"
            r"vergangene[nr]?)\s+Woche\b",
            IC,
        ),
        _week,
    ),
    # Ende der Woche, Anfang nächster Woche
    Rule(
        re.compile(r"\b(Ende|Anfang|Mitte)\s+(?:der|dieser|(nächster|naechster|kommender))\s+Woche\b", IC),
        _week_part,
    ),
    # Ende des Monats, Ende nächsten Monats
    Rule(re.compile(r"\bEnde\s+(?:des|dieses|(nächsten|naechsten|kommenden))\s+Monats\b", IC), _month_end),
    Rule(
        re.compile(r"\b(nächsten|naechsten|kommenden|diesen|letzten|vergangenen)\s+Monat\b", IC),
        _month_period,
    ),
    # Anfang Januar, Mitte März, Ende August
    Rule(re.compile(r"\b(Anfang|Mitte|Ende)\s+" + _MONTH + r"\b", IC), _named_month_part),
    Rule(re.compile(r"\b(?:Ende\s+des\s+Jahres|Jahresende|bis\s+Jahresende)\b", IC), _year_end),
    # Q3, im dritten Quartal
    Rule(re.compile(r"(?<![A-Za-z])(?:Q([1-4])|(ersten|zweiten|dritten|vierten)\s+Quartal)\b", IC), _quarter),
    # 14. März (2024)
    Rule(re.compile(r"\b(\d{1,2})\.\s*" + _MONTH + r"\b\.?(?:\s+(20\d\d)\b)?", IC), _day_month_name),
    # 21.03., 14.3.2024
    Rule(re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(?:(\d{4}|\d{2})\b)?(?!\d)"), _numeric),
    Rule(re.compile(r"\b(20\d\d)-(\d{1,2})-(\d{1,2})\b"), _iso),
    # (am|bis zum) 15.
    Rule(re.compile(r"\b(?:am|zum|den|bis)\s+(\d{1,2})\.(?!\d)(?!\s*" + _MONTH + r")", IC), _day_of_month),
    # in zwei Wochen, innerhalb von drei Tagen
    Rule(
        re.compile(
            r"\b(?:in|innerhalb\s+(?:von\s+)?)\s*(einer|einem|zwei|drei|vier|fünf|sechs|sieben|acht|"
            r"zehn|\d{1,2}|ein\s+paar)\s+"
            r"(Tag|Tagen|Woche|Wochen|Monat|Monaten|Stunde|Stunden)\b",
            IC,
        ),
        _offset,
    ),
    # so bald wie möglich
    Rule(
        re.compile(
            r"\b(?:umgehend|schnellstmöglich|so\s+bald\s+wie\s+möglich|baldmöglichst|asap|"
            r"dringend)\b",
            IC,
        ),
        _marker("asap"),
    ),
    # bis, spätestens, vor
    Rule(re.compile(r"\b(?:bis|spätestens|innerhalb|Frist)\b", IC), _marker("deadline")),
    Rule(re.compile(r"\b(?:jeden|jede|jedes|wöchentlich|monatlich|täglich)\b", IC), _marker("recurring")),
    # 15 Uhr, 10:30 Uhr, 9.30 Uhr
    Rule(re.compile(r"\b(?:um\s+)?(\d{1,2})(?:[:.](\d{2}))?\s*Uhr\b", IC), _uhr),
    # um 9:30, um 15
    Rule(re.compile(r"\bum\s+(\d{1,2})(?::(\d{2}))?\b(?!\s*Uhr)(?![.:]\d)", IC), _um),
    Rule(re.compile(r"(?<![\d:.])(\d{1,2}):(\d{2})\b(?!\s*Uhr)"), _uhr),
    # von 10 bis 11 Uhr, zwischen 10 und 11 Uhr, 10-11 Uhr
    Rule(
        re.compile(
            r"\b(?:von\s+|zwischen\s+)?(\d{1,2})(?:[:.](\d{2}))?\s*(?:Uhr\s*)?(?:bis|-|–|"
            r"und)\s*(\d{1,2})(?:[:.](\d{2}))?\s*Uhr\b",
            IC,
        ),
        _range,
    ),
    # Vormittag, Nachmittag, Abend (alone)
    Rule(re.compile(r"\b(vormittags?|nachmittags?|abends?|mittags)\b", IC), _part),
    Rule(re.compile(r"\b(?:12\s+Uhr\s+mittags|Mittagszeit)\b", IC), _noon),
    # 30 Minuten, eine Stunde
    Rule(
        re.compile(
            r"\b(\d{1,3}|eine[n]?|zwei|drei|halbe)\s*(Minuten|Minute|Min\.?|Stunden|"
            r"Stunde)\b(?!\s*(?:später|vorher))",
            IC,
        ),
        _duration,
    ),
)
_PREPARED = prepare(RULES)


def find_times(text: str, ctx: Context) -> TimeInfo:
    return run_rules(text, ctx, _PREPARED, "de")
