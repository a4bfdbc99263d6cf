"""The language-neutral half of time expressions: mentions, calendar arithmetic, slots.

A language module (``en``, ``ja``, ``de``) finds *mentions* in a sentence — days and periods, times of
day, durations, zones — and this module turns them into *slots*: the proposed times of the sentence, in
order, with what is uncertain about each kept (a period instead of a day, a guessed am/pm, a "next
Tuesday" that could be either Tuesday). Nothing here guesses a day the text does not support.

Conventions (the labelled set follows them):
- a bare weekday is its next occurrence after the reference day; "next <weekday>" is that weekday in the
  next calendar week (ambiguous when the weekday is still ahead this week); "this <weekday>" this week's;
- a week is Monday to Friday; "end of the week" is Friday; "end of the day" (EOD, COB) is 17:00;
- morning 09-12, afternoon 13-17, evening 18-21 (a window: start and end, ambiguous);
- early/mid/late month: 1-10, 11-20, 21-end;
- a bare hour without am/pm: 1-6 is afternoon, 7-12 morning/noon (marked as inferred);
- a month and day without a year is this year's, unless it was less than 90 days ago (then it is a
  past date, not a proposal), else next year's; a bare "the 15th" is this month's or next month's.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo

__all__ = [
    "Context",
    "DayMention",
    "TimeMention",
    "DurationMention",
    "ZoneMention",
    "Marker",
    "Slot",
    "TimeInfo",
    "add_months",
    "month_end",
    "quarter_bounds",
    "week_monday",
    "resolve_month_day",
    "resolve_day_of_month",
    "hour_24",
    "compose",
    "WINDOWS",
]

# Parts of the day as (start, end) windows.
WINDOWS = {
    "morning": (time(9), time(12)),
    "afternoon": (time(13), time(17)),
    "evening": (time(18), time(21)),
    "lunch": (time(12), time(13)),
    "dusk": (time(17), time(19)),  # Japanese 夕方
}
EOD = time(17)
PAST_MONTH_DAY_WINDOW = 90  # days: a month-day this recent is read as past, not as next year's
_DEADLINE_REACH = 24  # characters from "by"/"before" to the day it governs ("before our call on Monday")


@dataclass(frozen=True)
class Context:
    """What a sentence is resolved against: the reference instant in the sender's zone."""

    now: datetime  # aware; its offset is the sender's zone
    md_order: str = "md"  # how to read 3/4: "md" (US, Japanese) or "dm"

    @property
    def today(self) -> date:
        return self.now.date()


@dataclass
class DayMention:
    """A day or a period of days, or a weekday still to be resolved."""

    start: int
    end: int
    first: date | None = None
    last: date | None = None
    weekday: int | None = None  # 0 = Monday; set for weekday mentions and dates written with one
    # weekday mentions: None (bare), "this", "next" ("next Tuesday"), "next_week" ("Tuesday next week",
    # 来週火曜日: never ambiguous), "after_next", "last"
    qualifier: str | None = None
    period: bool = False  # a week, month, quarter... rather than one day
    past: bool = False  # the text itself says it is past (yesterday, last week)
    ambiguous: bool = False
    exact: datetime | None = None  # an instant ("in an hour")
    time: time | None = None  # a time that comes with the day (EOD)
    explicit: bool = False  # a written date (month and day)
    month_only: bool = False  # a bare day of month whose month may come from an earlier date
    day_of_month: int | None = None
    week_of: bool = False  # "the week of": widens the next day mention to its week
    implied_today: bool = False  # "this afternoon": the day comes with a time window


@dataclass
class TimeMention:
    start: int
    end: int
    begin: time
    finish: time | None = None
    window: bool = False  # a part of the day, not a time
    inferred: bool = False  # am/pm guessed
    deadline: bool = False  # EOD, COB


@dataclass
class DurationMention:
    start: int
    end: int
    minutes: int


@dataclass
class ZoneMention:
    start: int
    end: int
    tz: tzinfo
    name: str  # an IANA name, or an offset like "+09:00"


@dataclass
class Marker:
    """Something said about time that is not a time: past, ASAP, a deadline word, "next week" after days."""

    start: int
    end: int
    kind: str  # "past", "asap", "deadline", "week_next", "week_this", "week_after_next", "recurring"


@dataclass
class Slot:
    first: date
    last: date
    begin: time | None = None
    finish: time | None = None
    window: bool = False
    exact: datetime | None = None
    ambiguous: bool = False
    inferred: bool = False
    past_words: bool = False
    deadline: bool = False  # a deadline word comes just before it ("by Friday")
    period: bool = False
    start: int = 0
    end: int = 0


@dataclass
class TimeInfo:
    slots: list[Slot] = field(default_factory=list)
    duration: int | None = None  # minutes
    zone: ZoneMention | None = None
    past: bool = False  # past words in the sentence (yesterday, last week, ago)
    asap: bool = False
    deadline: bool = False  # a deadline word anywhere
    recurring: bool = False


# --- calendar arithmetic ------------------------------------------------------------------------
def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first_month = 3 * (quarter - 1) + 1
    return date(year, first_month, 1), month_end(year, first_month + 2)


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def resolve_month_day(today: date, month: int, day: int, year: int | None = None) -> tuple[date, bool] | None:
    """A month and day (and year): (the date, whether it is past). None when no such date exists."""
    try:
        if year is not None:
            value = date(year, month, day)
            return value, value < today
        value = date(today.year, month, day)
    except ValueError:
        return None
    if value >= today:
        return value, False
    if (today - value).days <= PAST_MONTH_DAY_WINDOW:
        return value, True
    try:
        return date(today.year + 1, month, day), False
    except ValueError:  # 29 February
        return value, True


def resolve_day_of_month(today: date, day: int) -> date | None:
    """ "The 15th": this month's when still ahead (or today), else next month's."""
    for months in (0, 1, 2):
        first = add_months(today.replace(day=1), months)
        try:
            value = first.replace(day=day)
        except ValueError:
            continue
        if value >= today:
            return value
    return None


def hour_24(hour: int, minute: int, meridiem: str | None) -> tuple[time, bool] | None:
    """A clock time from an hour, minutes and "am"/"pm"/None: (time, whether am/pm was guessed)."""
    if minute > 59 or hour > 24:
        return None
    if meridiem == "am":
        if hour > 12:
            return None
        return time(0 if hour == 12 else hour, minute), False
    if meridiem == "pm":
        if hour > 12:
            return None
        return time(12 if hour == 12 else hour + 12, minute), False
    if hour == 24:
        return time(0, minute), False
    if hour >= 13 or hour == 0:
        return time(hour, minute), False
    if 1 <= hour <= 6:
        return time(hour + 12, minute), True
    return time(hour, minute), hour != 12


def _resolve_weekday(today: date, weekday: int, qualifier: str | None) -> tuple[date, bool, bool]:
    """(date, ambiguous, past) of a weekday mention."""
    ahead = (weekday - today.weekday()) % 7
    if qualifier == "last":
        back = (today.weekday() - weekday) % 7 or 7
        return today - timedelta(days=back), False, True
    if qualifier == "this":
        value = week_monday(today) + timedelta(days=weekday)
        if value < today:
            return value, False, True
        return value, False, False
    if qualifier in ("next", "next_week", "after_next"):
        weeks = 2 if qualifier == "after_next" else 1
        value = week_monday(today) + timedelta(days=7 * weeks + weekday)
        # "next Thursday" said on a Monday could mean this week's Thursday.
        ambiguous = qualifier == "next" and weekday > today.weekday()
        return value, ambiguous, False
    return today + timedelta(days=ahead or 7), False, False


# --- composing mentions into slots ----------------------------------------------------------------
_SEPARATORS = frozenset(
    [
        "",
        ",",
        "or",
        "and",
        "/",
        "か",
        "または",
        "もしくは",
        "oder",
        "und",
        "、",
        "・",
        "the",
        "on",
        "or on",
        "am",
        "oder am",
        "か、",
        "or the",
        "and the",
        "either",
    ]
)


def _gap(text: str, a: int, b: int) -> str:
    return " ".join(text[a:b].replace(",", " , ").split()).strip(" ,").lower()


def compose(
    text: str,
    ctx: Context,
    days: list[DayMention],
    times: list[TimeMention],
    durations: list[DurationMention],
    zones: list[ZoneMention],
    markers: list[Marker],
) -> TimeInfo:
    """Turn the mentions of one sentence into its slots."""
    info = TimeInfo()
    today = ctx.today
    info.past = any(m.kind == "past" for m in markers)
    info.asap = any(m.kind == "asap" for m in markers)
    info.recurring = any(m.kind == "recurring" for m in markers)
    deadlines = [m for m in markers if m.kind == "deadline"]
    info.deadline = bool(deadlines)
    info.zone = zones[0] if zones else None
    info.duration = durations[0].minutes if durations else None

    days = sorted(days, key=lambda d: d.start)
    _merge_weekday_dates(text, days)
    _apply_week_markers(text, days, markers)
    _propagate_qualifiers(text, days)
    _fill_months(days)
    days = _apply_week_of(days)
    for day in days:
        if day.exact is not None and day.first is None:
            day.first = day.last = day.exact.date()
        if day.weekday is not None and day.first is None:
            day.first, ambiguous, past = _resolve_weekday(today, day.weekday, day.qualifier)
            day.last = day.first
            day.ambiguous = day.ambiguous or ambiguous
            day.past = day.past or past
        if day.first is None and day.day_of_month is not None:
            value = resolve_day_of_month(today, day.day_of_month)
            if value is not None:
                day.first = day.last = value
    days = [d for d in days if d.first is not None]
    days = _merge_ranges(text, days)
    days = _drop_covering_periods(days)

    events: list[tuple[int, str, object]] = [(d.start, "day", d) for d in days]
    events += [(t.start, "time", t) for t in times]
    events.sort(key=lambda e: e[0])
    raw: list[dict] = []
    for position, kind, mention in events:
        current = raw[-1] if raw else None
        if kind == "day":
            if current is not None and current["day"] is None and _close(text, current["end"], position):
                current["day"] = mention
                current["end"] = max(current["end"], mention.end)
            else:
                raw.append({"day": mention, "time": None, "start": mention.start, "end": mention.end})
        else:
            if (
                current is not None
                and current["time"] is None
                and (current["day"] is None or current["day"].exact is None)
                and _close(text, current["end"], position)
            ):
                current["time"] = mention
                current["end"] = max(current["end"], mention.end)
            else:
                raw.append({"day": None, "time": mention, "start": mention.start, "end": mention.end})
    # A time after several days applies to the days before it that have none ("Tuesday or Wednesday
    # afternoon"); a time after a dated slot shares its day ("Tuesday at 10 or 11").
    for i in range(len(raw) - 1, -1, -1):
        if (
            raw[i]["time"] is None
            and raw[i]["day"] is not None
            and i + 1 < len(raw)
            and raw[i + 1]["time"] is not None
            and raw[i]["day"].exact is None
            and raw[i]["day"].time is None
            and not raw[i]["day"].period
        ):
            if _disjunction(text, raw[i]["end"], raw[i + 1]["start"]):
                raw[i]["time"] = raw[i + 1]["time"]
    for i in range(1, len(raw)):
        if raw[i]["day"] is None and raw[i - 1]["day"] is not None:
            raw[i]["day"] = raw[i - 1]["day"]

    for item in raw:
        slot = _slot(ctx, item["day"], item["time"])
        if slot is None:
            continue
        slot.start, slot.end = item["start"], item["end"]
        # "by Friday" (before, English and German) or "金曜日までに" (after, Japanese)
        slot.deadline = any(
            0 <= slot.start - m.end <= _DEADLINE_REACH or -2 <= m.start - slot.end <= 2 for m in deadlines
        )
        info.slots.append(slot)
    return info


def _close(text: str, a: int, b: int) -> bool:
    """Two mentions belong to one slot when little but filler words lies between them."""
    gap = _gap(text, a, b)
    return len(gap) <= 24 and " or " not in f" {gap} " and "か" not in gap and " oder " not in f" {gap} "


def _disjunction(text: str, a: int, b: int) -> bool:
    gap = _gap(text, a, b)
    return gap in _SEPARATORS or gap.endswith((" or", "か")) or gap.startswith(("or ", "oder "))


def _merge_weekday_dates(text: str, days: list[DayMention]) -> None:
    """ "Friday, March 8" and "12/3(火)" are one day: keep the date, check the weekday."""
    i = 0
    while i < len(days) - 1:
        a, b = days[i], days[i + 1]
        weekday, dated = (a, b) if a.weekday is not None and a.first is None else (b, a)
        if (
            weekday.weekday is not None
            and weekday.first is None
            and (dated.explicit or dated.day_of_month)
            and _gap(text, a.end, b.start) in ("", ",", "the")
        ):
            dated.start, dated.end = min(a.start, b.start), max(a.end, b.end)
            dated.weekday = weekday.weekday
            days.pop(i if weekday is a else i + 1)
            continue
        i += 1
    for day in days:
        if (
            day.weekday is not None
            and day.first is not None
            and day.first.weekday() != day.weekday
            and not day.period
        ):
            day.ambiguous = True  # the weekday and the date disagree: keep the date, say it is unsure


def _apply_week_markers(text: str, days: list[DayMention], markers: list[Marker]) -> None:
    """ "Thursday or Friday next week": the week marker qualifies the weekdays just before it."""
    for marker in markers:
        if not marker.kind.startswith("week_"):
            continue
        qualifier = {"week_next": "next_week", "week_this": "this", "week_after_next": "after_next"}[
            marker.kind
        ]
        before = [d for d in days if d.end <= marker.start and d.weekday is not None and d.first is None]
        if before and _gap(text, before[-1].end, marker.start) in ("", ",", "of"):
            for day in before:
                if day.qualifier is None:
                    day.qualifier = qualifier


def _propagate_qualifiers(text: str, days: list[DayMention]) -> None:
    """In "next Tuesday or Wednesday", Wednesday is next week's too."""
    chain: list[DayMention] = []
    for day in days:
        if day.weekday is None or day.first is not None:
            chain = []
            continue
        if chain and not _disjunction(text, chain[-1].end, day.start):
            chain = []
        chain.append(day)
        qualifiers = {d.qualifier for d in chain if d.qualifier not in (None, "last")}
        if len(qualifiers) == 1:
            qualifier = qualifiers.pop()
            for d in chain:
                if d.qualifier is None:
                    d.qualifier = qualifier


def _fill_months(days: list[DayMention]) -> None:
    """ "12月5日(木)か6日(金)": a bare day takes the month of the date before it."""
    previous: DayMention | None = None
    for day in days:
        if (
            day.month_only
            and day.first is None
            and previous is not None
            and previous.first is not None
            and previous.explicit
        ):
            try:
                day.first = day.last = previous.first.replace(day=day.day_of_month)
            except ValueError:
                pass
            else:
                day.explicit = True
        if day.explicit:
            previous = day


def _apply_week_of(days: list[DayMention]) -> list[DayMention]:
    out: list[DayMention] = []
    pending: DayMention | None = None
    for day in days:
        if day.week_of:
            pending = day
            continue
        if pending is not None and day.first is not None:
            monday = week_monday(day.first)
            day = replace(
                day,
                start=pending.start,
                first=monday,
                last=monday + timedelta(days=4),
                period=True,
                ambiguous=True,
            )
            pending = None
        out.append(day)
    return out


_RANGE_WORDS = frozenset(
    ["-", "–", "—", "to", "until", "till", "through", "thru", "bis", "~", "から", "より", "and"]
)


def _merge_ranges(text: str, days: list[DayMention]) -> list[DayMention]:
    """ "from March 18 to March 22", "12月28日から1月5日": two days joined by a range word are one period."""
    out: list[DayMention] = []
    for day in days:
        if (
            out
            and not day.period
            and not out[-1].period
            and out[-1].exact is None
            and day.exact is None
            and out[-1].first < day.first
            and (day.first - out[-1].first).days <= 62
        ):
            gap = _gap(text, out[-1].end, day.start)
            before = text[max(0, out[-1].start - 9) : out[-1].start].lower()
            if (
                gap in _RANGE_WORDS
                and (gap != "and" or before.rstrip().endswith("between"))
                and (
                    gap not in ("to", "until", "till")
                    or before.rstrip().endswith("from")
                    or (out[-1].explicit and day.explicit)
                )
            ):
                previous = out.pop()
                out.append(
                    replace(
                        previous, end=day.end, last=day.first, period=True, past=previous.past and day.past
                    )
                )
                continue
        out.append(day)
    return out


def _drop_covering_periods(days: list[DayMention]) -> list[DayMention]:
    """A period that holds a more precise day of the same sentence ("next week, on the 21st") is dropped."""
    precise = [d for d in days if not d.period]
    return [d for d in days if not (d.period and any(d.first <= p.first <= d.last for p in precise))]


def _slot(ctx: Context, day: DayMention | None, when: TimeMention | None) -> Slot | None:
    if day is None and when is None:
        return None
    if day is not None and day.exact is not None:
        return Slot(first=day.exact.date(), last=day.exact.date(), exact=day.exact, past_words=day.past)
    ambiguous = False
    if day is None:
        # A time alone is today's when still ahead, else tomorrow's (which the text did not say).
        first = ctx.today
        candidate = datetime.combine(first, when.begin, ctx.now.tzinfo)
        if candidate < ctx.now:
            first += timedelta(days=1)
            ambiguous = True
        day = DayMention(when.start, when.end, first=first, last=first)
    slot = Slot(
        first=day.first,
        last=day.last or day.first,
        ambiguous=day.ambiguous or ambiguous,
        past_words=day.past,
        period=day.period,
    )
    if when is None and day.time is not None:
        slot.begin = day.time
        return slot
    if when is not None:
        slot.begin, slot.finish, slot.window = when.begin, when.finish, when.window
        slot.inferred = when.inferred
        slot.ambiguous = slot.ambiguous or when.window
        if slot.period:  # "next week in the afternoon": a time over a period says little more
            slot.begin = slot.finish = None
            slot.window = False
    return slot
