"""English time expressions: a table of patterns, one handler each (see ``base`` for the conventions)."""

from __future__ import annotations

import re
from datetime import date, timedelta

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

__all__ = ["find_times", "MONTHS", "WEEKDAYS"]

IC = re.IGNORECASE  # the flag of case-insensitive rules
MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tues": 1,
    "tue": 1,
    "wednesday": 2,
    "weds": 2,
    "wed": 2,
    "thursday": 3,
    "thurs": 3,
    "thu": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tues|thurs|weds)"
_NUM = (
    r"(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2}|a\s+couple\s+of|"
    r"a\s+few|couple\s+of)"
)
_MERIDIEM = r"(a\.m\.|p\.m\.|am\b|pm\b)"
_NOT_A_TIME_AFTER = (
    r"(?!\s*(?:%|percent|people|persons|attendees|guests|items|units|pieces|pcs|copies|"
    r"seats|"
    r"licen[cs]es|users|dollars|euros|usd|eur|gbp|yen|minutes|mins?\b|hours|hrs|days|weeks|"
    r"months|"
    r"years|times|pages|slides|x\b|[.,]\d|-\d|/\d))"
)


def _day(m: re.Match, first: date, last: date | None = None, **kw) -> list[DayMention]:
    return [DayMention(m.start(), m.end(), first=first, last=last or first, **kw)]


def _meridiem(text: str | None) -> str | None:
    if not text:
        return None
    return "am" if text.lower().startswith("a") else "pm"


# --- handlers -----------------------------------------------------------------------------------
def _relative_day(m, ctx):
    word = m.group(1).lower()
    if word in ("tomorrow", "tmrw", "tmr"):
        return _day(m, ctx.today + timedelta(days=1))
    if word == "tonight":
        start, end = WINDOWS["evening"]
        return [*_day(m, ctx.today), TimeMention(m.start(), m.end(), start, end, window=True)]
    return _day(m, ctx.today)


def _day_after_tomorrow(m, ctx):
    return _day(m, ctx.today + timedelta(days=2))


def _yesterday(m, ctx):
    return [*_day(m, ctx.today - timedelta(days=1), past=True), Marker(m.start(), m.end(), "past")]


def _this_part(m, ctx):
    start, end = WINDOWS[m.group(1).lower()]
    return [*_day(m, ctx.today, implied_today=True), TimeMention(m.start(), m.end(), start, end, window=True)]


def _weekday(m, ctx):
    qualifier = (m.group(1) or "").lower().split()
    word = qualifier[-1] if qualifier else ""
    q = {"this": "this", "next": "next", "following": "next", "last": "last", "coming": None}.get(word)
    mentions = [DayMention(m.start(), m.end(), weekday=WEEKDAYS[m.group(2).lower()], qualifier=q)]
    if q == "last":
        mentions.append(Marker(m.start(), m.end(), "past"))
    return mentions


def _week(m, ctx):
    which = " ".join(m.group(1).lower().split())
    monday = week_monday(ctx.today)
    if which in ("next", "the following", "the coming", "coming", "the next"):
        monday += timedelta(days=7)
    elif which == "last":
        return [Marker(m.start(), m.end(), "past")]
    first = max(monday, ctx.today)
    return _day(m, first, monday + timedelta(days=4), period=True, ambiguous=True)


def _week_after_next(m, ctx):
    monday = week_monday(ctx.today) + timedelta(days=14)
    return _day(m, monday, monday + timedelta(days=4), period=True, ambiguous=True)


def _week_part(m, ctx):
    part = " ".join(m.group(1).lower().split()).replace("the ", "")
    which = m.group(2).lower()
    monday = week_monday(ctx.today) + timedelta(days=7 if which == "next" else 0)
    friday = monday + timedelta(days=4)
    if part.startswith("end"):
        return _day(m, friday)
    if part in ("early", "beginning of", "start of"):
        return _day(m, max(monday, ctx.today), monday + timedelta(days=2), period=True, ambiguous=True)
    if part in ("mid", "middle of"):
        return _day(m, monday + timedelta(days=2), ambiguous=True)
    # "later this week"
    return _day(m, min(ctx.today + timedelta(days=1), friday), friday, period=True, ambiguous=True)


def _end_of_week(m, ctx):
    friday = week_monday(ctx.today) + timedelta(days=4)
    if friday < ctx.today:
        friday += timedelta(days=7)
    return _day(m, friday)


def _weekend(m, ctx):
    saturday = week_monday(ctx.today) + timedelta(days=5)
    if saturday + timedelta(days=1) < ctx.today:
        saturday += timedelta(days=7)
    return _day(m, max(saturday, ctx.today), saturday + timedelta(days=1), period=True, ambiguous=True)


def _week_marker(m, ctx):
    which = " ".join(m.group(1).lower().split())
    kind = {"next": "week_next", "this": "week_this", "the following": "week_next"}.get(which, "week_next")
    return [Marker(m.start(), m.end(), kind)] + _week(m, ctx)


def _week_of(m, ctx):
    return [DayMention(m.start(), m.end(), week_of=True)]


def _end_of_month(m, ctx):
    offset = 1 if m.group(1) else 0
    first = add_months(ctx.today.replace(day=1), offset)
    return _day(m, month_end(first.year, first.month))


def _month_part_relative(m, ctx):
    part = m.group(1).lower()
    first = add_months(ctx.today.replace(day=1), 1)
    return _month_part(m, first.year, first.month, part)


def _month_period(m, ctx):
    which = m.group(1).lower()
    if which == "last":
        return [Marker(m.start(), m.end(), "past")]
    first = add_months(ctx.today.replace(day=1), 1 if which == "next" else 0)
    return _day(m, max(first, ctx.today), month_end(first.year, first.month), period=True, ambiguous=True)


def _month_year(month: int, ctx: Context) -> int:
    """The year of a month named without one: this year's unless it is over."""
    return ctx.today.year + (1 if month < ctx.today.month else 0)


def _month_part(m, year: int, month: int, part: str):
    part = part.replace("the ", "").strip()
    if part in ("early", "beginning of", "start of", "the beginning of"):
        return _day(m, date(year, month, 1), date(year, month, 10), period=True, ambiguous=True)
    if part in ("mid", "middle of"):
        return _day(m, date(year, month, 11), date(year, month, 20), period=True, ambiguous=True)
    if part == "late":
        return _day(m, date(year, month, 21), month_end(year, month), period=True, ambiguous=True)
    return _day(m, month_end(year, month))  # end of


def _named_month_part(m, ctx):
    part = " ".join(m.group(1).lower().split())
    month = MONTHS[m.group(2).lower()]
    return _month_part(m, _month_year(month, ctx), month, part)


def _named_month(m, ctx):
    month = MONTHS[m.group(2).lower()]
    year = _month_year(month, ctx)
    first = date(year, month, 1)
    return _day(m, max(first, ctx.today), month_end(year, month), period=True, ambiguous=True)


def _end_of_year(m, ctx):
    return _day(m, date(ctx.today.year, 12, 31))


def _quarter(m, ctx):
    words = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
    q = int(m.group(2)) if m.group(2) else words[m.group(3).lower()]
    year = int(m.group(4)) if m.group(4) else ctx.today.year
    first, last = quarter_bounds(year, q)
    if not m.group(4) and last < ctx.today:
        first, last = quarter_bounds(year + 1, q)
    if m.group(1):  # "end of Q3"
        return _day(m, last)
    return _day(m, max(first, ctx.today), last, period=True, ambiguous=True, past=last < ctx.today)


def _this_quarter_end(m, ctx):
    q = (ctx.today.month - 1) // 3 + 1
    return _day(m, quarter_bounds(ctx.today.year, q)[1])


def _month_day(m, ctx):
    month, day = MONTHS[m.group(1).lower()], int(m.group(2))
    return _explicit(m, ctx, month, day, int(m.group(3)) if m.group(3) else None)


def _day_month(m, ctx):
    day, month = int(m.group(1)), MONTHS[m.group(2).lower()]
    return _explicit(m, ctx, month, day, int(m.group(3)) if m.group(3) else None)


def _explicit(m, ctx, month, day, year):
    resolved = resolve_month_day(ctx.today, month, day, year)
    if resolved is None:
        return None
    value, past = resolved
    return _day(m, value, past=past, explicit=True)


def _month_day_range(m, ctx):
    month, first, last = MONTHS[m.group(1).lower()], int(m.group(2)), int(m.group(3))
    if last <= first:
        return None
    start = _explicit(m, ctx, month, first, None)
    if not start:
        return None
    try:
        end = start[0].first.replace(day=last)
    except ValueError:
        return None
    start[0].last, start[0].period = end, True
    return start


def _iso_date(m, ctx):
    return _explicit(m, ctx, int(m.group(2)), int(m.group(3)), int(m.group(1)))


def _slash_date(m, ctx):
    a, b = int(m.group(1)), int(m.group(2))
    year = int(m.group(3)) if m.group(3) else None
    if year is not None and year < 100:
        year += 2000
    if (a, b) == (24, 7):
        return None  # "24/7"
    readings = []
    for month, day in ((a, b), (b, a)) if ctx.md_order == "md" else ((b, a), (a, b)):
        if 1 <= month <= 12 and 1 <= day <= 31:
            readings.append((month, day))
    if not readings:
        return None
    mentions = _explicit(m, ctx, *readings[0], year)
    if mentions and len(readings) == 2 and readings[0] != readings[1]:
        mentions[0].ambiguous = (
            ctx.md_order == "dm"
        )  # US order is the convention where the sender is American
    return mentions


def _ordinal_day(m, ctx):
    return [DayMention(m.start(), m.end(), day_of_month=int(m.group(1)), month_only=True)]


def _offset(m, ctx):
    count = number(m.group(2))
    unit = m.group(3).lower()
    if count is None:
        return None
    fuzzy = "couple" in m.group(2).lower() or "few" in m.group(2).lower()
    if unit.startswith(("minute", "hour")):
        delta = timedelta(minutes=count) if unit.startswith("minute") else timedelta(hours=count)
        return [DayMention(m.start(), m.end(), exact=ctx.now + delta, ambiguous=fuzzy)]
    if unit.startswith("month"):
        return _day(m, add_months(ctx.today, int(count)), ambiguous=fuzzy)
    days = count * (7 if unit.startswith("week") else 1)
    if "business" in unit or "working" in unit:
        value, left = ctx.today, int(count)
        while left:
            value += timedelta(days=1)
            if value.weekday() < 5:
                left -= 1
        return _day(m, value, ambiguous=fuzzy)
    return _day(m, ctx.today + timedelta(days=int(days)), ambiguous=fuzzy)


def _ago(m, ctx):
    return [Marker(m.start(), m.end(), "past")]


def _marker(kind):
    def handler(m, ctx):
        return [Marker(m.start(), m.end(), kind)]

    return handler


def _time_point(m, ctx):
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    resolved = hour_24(hour, minute, _meridiem(m.group(3)))
    if resolved is None:
        return None
    return [TimeMention(m.start(), m.end(), resolved[0], inferred=resolved[1])]


def _time_colon(m, ctx):
    hour, minute = int(m.group(1)), int(m.group(2))
    resolved = hour_24(hour, minute, None)
    if resolved is None:
        return None
    return [TimeMention(m.start(), m.end(), resolved[0], inferred=resolved[1])]


def _time_bare(m, ctx):
    hour = int(m.group(1))
    if not 1 <= hour <= 12:
        return None
    resolved = hour_24(hour, 0, None)
    return [TimeMention(m.start(1), m.end(), resolved[0], inferred=resolved[1])]


_DATE_BEFORE = re.compile(_MONTH + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?\s*$|\b\d{1,2}(?:st|nd|rd|th)\s*$", IC)


def _time_or(m, ctx):
    """ "at 10 or 11": a bare hour after "or" is a time when a time comes just before it."""
    before = m.string[max(0, m.start() - 6) : m.start()].rstrip().lower()
    if not (before[-1:].isdigit() or before.endswith(("am", "pm", "a.m.", "p.m."))):
        return None
    if (
        _DATE_BEFORE.search(m.string[max(0, m.start() - 16) : m.start()])
        and not m.group(2)
        and not m.group(3)
    ):
        # "October 8 or 9": the second number is a day of the same month
        return [DayMention(m.start(1), m.end(1), day_of_month=int(m.group(1)), month_only=True)]
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    resolved = hour_24(hour, minute, _meridiem(m.group(3)))
    if resolved is None or not 1 <= hour <= 12 + 11 * bool(m.group(2)):
        return None
    return [TimeMention(m.start(1), m.end(), resolved[0], inferred=resolved[1])]


def _time_range(m, ctx):
    h1, m1, ap1, h2, m2, ap2 = m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)
    has_from = m.group(0).lower().startswith(("from", "between"))
    if not (has_from or ap1 or ap2 or (m1 and m2)):
        return None  # "2-3 days", "5 to 10 people"
    h1, h2 = int(h1), int(h2)
    mer1, mer2 = _meridiem(ap1), _meridiem(ap2)
    if mer2 and not mer1 and h1 <= 12:
        # "2 to 3:30pm" is afternoon on both sides; "11 to 1pm" starts in the morning.
        mer1 = mer2 if (h1 % 12) <= (h2 % 12) else ("am" if mer2 == "pm" else "pm")
    start = hour_24(h1, int(m1 or 0), mer1)
    if start is None:
        return None
    if not mer2 and mer1 == "pm" and h2 <= 12:
        mer2 = "pm" if h2 % 12 > h1 % 12 else None
    end = hour_24(h2, int(m2 or 0), mer2)
    if end is None:
        return None
    begin, finish = start[0], end[0]
    if finish <= begin and not mer2 and end[0].hour < 12:
        finish = finish.replace(hour=finish.hour + 12) if finish.hour + 12 < 24 else finish
    if finish <= begin:
        return None
    return [TimeMention(m.start(), m.end(), begin, finish, inferred=start[1] and not mer2)]


def _noon(m, ctx):
    word = m.group(1).lower()
    hour = 0 if word == "midnight" else 12
    from datetime import time as clock

    return [TimeMention(m.start(), m.end(), clock(hour))]


def _part_of_day(m, ctx):
    word = m.group(1).lower()
    key = {"lunchtime": "lunch", "lunch time": "lunch"}.get(word, word)
    start, end = WINDOWS[key]
    return [TimeMention(m.start(), m.end(), start, end, window=True)]


def _eod(m, ctx):
    from nlp.activities.timex.base import EOD

    return [TimeMention(m.start(), m.end(), EOD, deadline=True), Marker(m.start(), m.end(), "deadline")]


def _first_thing(m, ctx):
    from datetime import time as clock

    return [TimeMention(m.start(), m.end(), clock(9))]


def _duration(m, ctx):
    count = number(m.group(1).replace("-", " "))
    if count is None:
        return None
    minutes = count * (60 if m.group(2).lower().startswith(("hour", "hr")) else 1)
    return [DurationMention(m.start(), m.end(), int(minutes))]


def _duration_hour_and_half(m, ctx):
    return [DurationMention(m.start(), m.end(), 90)]


# --- the table ------------------------------------------------------------------------------------
RULES = (
    # today, tomorrow, tonight
    Rule(re.compile(r"\b(today|tomorrow|tmrw|tmr|tonight)\b", IC), _relative_day),
    Rule(re.compile(r"\b(?:the\s+)?day\s+after\s+tomorrow\b", IC), _day_after_tomorrow),
    Rule(re.compile(r"\byesterday\b", IC), _yesterday),
    # this morning / afternoon / evening
    Rule(re.compile(r"\bthis\s+(morning|afternoon|evening)\b", IC), _this_part),
    # (this|next|last|coming) Tuesday, Thursday's
    Rule(
        re.compile(
            r"\b(?:((?:this|next|coming|last|the\s+following|following))\s+)?" + _WEEKDAY + r"(?:'s)?\b", IC
        ),
        _weekday,
    ),
    # next week, this week, the following week
    Rule(
        re.compile(
            r"\b(this|next|last|the\s+following|the\s+coming|coming|"
            r"the\s+next)\s+week\b(?!'s\s+\w)",
            IC,
        ),
        _week_marker,
    ),
    Rule(re.compile(r"\b(?:the\s+)?week\s+after\s+next\b", IC), _week_after_next),
    # early / later / end of next week
    Rule(
        re.compile(
            r"\b(early|later|late|mid|(?:the\s+)?end\s+of|(?:the\s+)?beginning\s+of|"
            r"(?:the\s+)?start\s+of|"
            r"(?:the\s+)?middle\s+of)\s+(this|next)\s+week\b",
            IC,
        ),
        _week_part,
    ),
    Rule(re.compile(r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+)?week|EOW)\b", IC), _end_of_week),
    Rule(re.compile(r"\b(?:this|the|over\s+the)\s+weekend\b", IC), _weekend),
    Rule(re.compile(r"\b(?:the\s+)?week\s+of\b", IC), _week_of),
    # end of the month, EOM, end of next month
    Rule(
        re.compile(r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(next\s+)?month|EOM)\b", IC), _end_of_month
    ),
    Rule(
        re.compile(
            r"\b(early|mid|late|(?:the\s+)?beginning\s+of|(?:the\s+)?start\s+of|"
            r"(?:the\s+)?middle\s+of)"
            r"[\s-]+next\s+month\b",
            IC,
        ),
        _month_part_relative,
    ),
    Rule(re.compile(r"\b(next|this|last)\s+month\b", IC), _month_period),
    # early March, mid-November, end of August
    Rule(
        re.compile(
            r"\b(early|mid|late|(?:the\s+)?beginning\s+of|(?:the\s+)?start\s+of|"
            r"(?:the\s+)?middle\s+of|"
            r"(?:the\s+)?end\s+of)[\s-]+" + _MONTH + r"\b(?!\s*\d)",
            IC,
        ),
        _named_month_part,
    ),
    # in September (a month as a period)
    Rule(
        re.compile(
            r"\b(in|during|until|by|for|through)\s+" + _MONTH + r"\b(?!\s*\d)(?!\s+(?:last|"
            r"this)\s+year)",
            IC,
        ),
        _named_month,
    ),
    Rule(
        re.compile(r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?year|year[\s-]end|EOY)\b", IC),
        _end_of_year,
    ),
    # Q3, third quarter, end of Q3
    Rule(
        re.compile(
            r"\b((?:the\s+)?end\s+of\s+(?:the\s+)?)?(?:Q([1-4])|(first|second|third|fourth|1st|2nd|"
            r"3rd|4th)"
            r"\s+quarter)(?:\s+(?:of\s+)?(20\d\d))?\b",
            IC,
        ),
        _quarter,
    ),
    Rule(re.compile(r"\b(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?quarter\b", IC), _this_quarter_end),
    # September 12-13
    Rule(
        re.compile(
            r"\b" + _MONTH + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*(?:-|–|—|to|through|thru|until|"
            r"till)\s*"
            r"(\d{1,2})(?:st|nd|rd|th)?\b(?!:)(?!\s*(?:a\.m\.|p\.m\.|am\b|pm\b))",
            IC,
        ),
        _month_day_range,
    ),
    # March 21(st)(, 2024) and 21(st) (of) March
    Rule(
        re.compile(r"\b" + _MONTH + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?!:)(?:,?\s+(20\d\d)\b)?", IC),
        _month_day,
    ),
    Rule(
        re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"\b\.?(?:,?\s+(20\d\d)\b)?", IC),
        _day_month,
    ),
    # 2024-03-12
    Rule(re.compile(r"\b(20\d\d)-(\d{1,2})-(\d{1,2})\b"), _iso_date),
    # 3/20, 3/20/24
    Rule(re.compile(r"(?<![\d/.])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])"), _slash_date),
    # the 15th
    Rule(
        re.compile(
            r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?" + _MONTH + r"\b)(?!\s+(?:century|"
            r"floor|time|"
            r"anniversary))",
            IC,
        ),
        _ordinal_day,
    ),
    # in two weeks, within a week, in a couple of days
    Rule(
        re.compile(
            r"\b(in|within)\s+(?:the\s+next\s+)?" + _NUM + r"\s+(minute|hour|business\s+day|"
            r"working\s+day|day|week|month)s?\b",
            IC,
        ),
        _offset,
    ),
    Rule(
        re.compile(r"\b(in|within)\s+(?:the\s+next\s+)?(an|a)\s+(hour|minute|week|day|month)\b", IC), _offset
    ),
    Rule(
        re.compile(
            r"\b(\d{1,3}|a|an|one|two|three|four|five|six|a\s+few|a\s+couple\s+of)\s+(?:day|week|"
            r"month|year|hour|minute)s?\s+ago\b",
            IC,
        ),
        _ago,
    ),
    # past words
    Rule(
        re.compile(
            r"\b(?:last\s+(?:night|year|time|quarter)|earlier\s+(?:today|this\s+week)|"
            r"the\s+other\s+day|"
            r"previously|recently)\b",
            IC,
        ),
        _marker("past"),
    ),
    # ASAP
    Rule(
        re.compile(
            r"\b(?:ASAP|as\s+soon\s+as\s+(?:possible|you\s+can)|at\s+your\s+earliest\s+convenience|"
            r"urgently|"
            r"right\s+away|immediately)\b",
            IC,
        ),
        _marker("asap"),
    ),
    # deadline words
    Rule(
        re.compile(
            r"\b(?:by|before|no\s+later\s+than|not\s+later\s+than|until|till|due|deadline|within|"
            r"prior\s+to|"
            r"latest)\b",
            IC,
        ),
        _marker("deadline"),
    ),
    # every Monday, each week, weekly
    Rule(
        re.compile(
            r"\b(?:every|each)\s+(?:first\s+|second\s+|last\s+|other\s+)?(?:day|week|month|morning|"
            r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
            IC,
        ),
        _marker("recurring"),
    ),
    # clock times: 3pm, 2:30 pm, 11 a.m.
    Rule(re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*" + _MERIDIEM, IC), _time_point),
    # 14:00, 9:30
    Rule(
        re.compile(r"(?<![\d:/.])(\d{1,2}):(\d{2})\b(?!\s*(?:a\.m\.|p\.m\.|am\b|pm\b))(?![:.]\d)", IC),
        _time_colon,
    ),
    # at 3, around 10, 4 o'clock
    Rule(
        re.compile(
            r"\b(?:at|@|around|by|from)\s+(\d{1,2})\b(?![:.]\d)(?!\s*(?:a\.m\.|p\.m\.|am\b|pm\b))"
            + _NOT_A_TIME_AFTER,
            IC,
        ),
        _time_bare,
    ),
    Rule(re.compile(r"\b(\d{1,2})\s*o'?clock\b", IC), _time_bare),
    # 10 or 11
    Rule(
        re.compile(
            r"\bor\s+(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*" + _MERIDIEM + r"?(?![\d:])" + _NOT_A_TIME_AFTER, IC
        ),
        _time_or,
    ),
    # ranges: 2-3pm, from 10 to 11, between 1 and 3pm, 9:30 to 12:00
    Rule(
        re.compile(
            r"\b(?:from\s+|between\s+)?(\d{1,2})(?::(\d{2}))?\s*" + _MERIDIEM + r"?\s*(?:-|–|—|to|"
            r"until|till|and)\s*"
            r"(\d{1,2})(?::(\d{2}))?\s*" + _MERIDIEM + r"?(?![\d:])",
            IC,
        ),
        _time_range,
    ),
    # noon, midday, midnight
    Rule(re.compile(r"\b(noon|midday|midnight)\b", IC), _noon),
    # morning, afternoon, evening, lunchtime
    Rule(re.compile(r"\b(morning|afternoon|evening|lunchtime|lunch\s+time)\b", IC), _part_of_day),
    # EOD, COB, end of (the business) day
    Rule(
        re.compile(
            r"\b(?:EOD|COB|EOB|close\s+of\s+(?:business|play)|"
            r"(?:the\s+)?end\s+of\s+(?:the\s+)?(?:business\s+|working\s+|work\s+)?day)\b",
            IC,
        ),
        _eod,
    ),
    Rule(re.compile(r"\bfirst\s+thing(?:\s+in\s+the\s+morning)?\b", IC), _first_thing),
    # 30-minute, an hour, 45 minutes, 1.5 hours
    Rule(
        re.compile(
            r"(?<!in\s)(?<!within\s)\b(\d{1,3}(?:\.\d)?|a|an|one|two|three|four|half\s+an?|"
            r"half-an)[\s-]+(minute|min|hour|hr)s?\b",
            IC,
        ),
        _duration,
    ),
    Rule(re.compile(r"\b(?:an|one)\s+hour\s+and\s+a\s+half\b", IC), _duration_hour_and_half),
)
_PREPARED = prepare(RULES)


def find_times(text: str, ctx: Context) -> TimeInfo:
    return run_rules(text, ctx, _PREPARED, "en")
