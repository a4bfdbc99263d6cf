"""Japanese time expressions (明日, 来週の火曜日, 午後3時, 3時半, 月末, 12/1(火), 来月上旬…).

dateparser does not resolve Japanese relative dates, so these are rules. The text is expected NFKC-
normalised (full-width digits and brackets folded) with 〜/～ written as "~".
"""

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

WEEKDAYS = {"月": 0, "火": 1, "水": 2, "木": 3, "金": 4, "土": 5, "日": 6}
KANJI_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}
_WD_PAREN = r"(?:\s*\(([月火水木金土日])(?:曜日?)?\))?"
_WEEK_WORDS = {
    "再来週": "after_next",
    "来週": "next_week",
    "翌週": "next_week",
    "今週": "this",
    "先週": "last",
}
_PARTS = {
    "上旬": (1, 10),
    "初旬": (1, 10),
    "初め": (1, 10),
    "頭": (1, 3),
    "中旬": (11, 20),
    "下旬": (21, None),
}


def _day(m, first: date, last: date | None = None, **kw) -> list[DayMention]:
    return [DayMention(m.start(), m.end(), first=first, last=last or first, **kw)]


def _relative(offset: int):
    def handler(m, ctx):
        return _day(m, ctx.today + timedelta(days=offset))

    return handler


def _past(m, ctx):
    return [Marker(m.start(), m.end(), "past")]


def _marker(kind):
    def handler(m, ctx):
        return [Marker(m.start(), m.end(), kind)]

    return handler


def _weekday(m, ctx):
    qualifier = _WEEK_WORDS.get(m.group(1) or "")
    mentions = [DayMention(m.start(), m.end(), weekday=WEEKDAYS[m.group(2)], qualifier=qualifier)]
    if qualifier == "last":
        mentions.append(Marker(m.start(), m.end(), "past"))
    return mentions


def _week(m, ctx):
    which, suffix = m.group(1), m.group(2) or ""
    if which == "先週":
        return [Marker(m.start(), m.end(), "past")]
    monday = week_monday(ctx.today) + timedelta(
        days={"this": 0, "next_week": 7, "after_next": 14}[_WEEK_WORDS[which]]
    )
    friday = monday + timedelta(days=4)
    if suffix == "末":
        return _day(m, friday, ambiguous=True)
    return _day(m, max(monday, ctx.today), friday, period=True, ambiguous=True)


def _start_of_next_week(m, ctx):
    return _day(m, week_monday(ctx.today) + timedelta(days=7), ambiguous=True)


def _month_relative(m, ctx):
    offset = {"今月": 0, "来月": 1, "再来月": 2}[m.group(1)]
    first = add_months(ctx.today.replace(day=1), offset)
    return _month_part(m, ctx, first.year, first.month, m.group(2) or "")


def _month_named(m, ctx):
    month = int(m.group(1))
    if not 1 <= month <= 12:
        return None
    year = ctx.today.year + (1 if month < ctx.today.month else 0)
    return _month_part(m, ctx, year, month, m.group(2) or "")


def _this_month_end(m, ctx):
    return _day(m, month_end(ctx.today.year, ctx.today.month))


def _month_part(m, ctx, year: int, month: int, part: str):
    if part == "末":
        return _day(m, month_end(year, month))
    if part in _PARTS:
        lo, hi = _PARTS[part]
        return _day(
            m,
            date(year, month, lo),
            date(year, month, hi) if hi else month_end(year, month),
            period=True,
            ambiguous=True,
        )
    first = date(year, month, 1)
    return _day(m, max(first, ctx.today), month_end(year, month), period=True, ambiguous=True)


def _year_end(m, ctx):
    return _day(m, date(ctx.today.year, 12, 31))


def _fiscal_year_end(m, ctx):
    year = ctx.today.year + (0 if ctx.today.month <= 3 else 1)
    return _day(m, date(year, 3, 31))


def _quarter(m, ctx):
    raw = m.group(1)
    q = int(raw) if raw.isdigit() else KANJI_DIGITS[raw]
    first, last = quarter_bounds(ctx.today.year, q)
    if last < ctx.today:
        first, last = quarter_bounds(ctx.today.year + 1, q)
    if m.group(2) == "末":
        return _day(m, last)
    return _day(m, max(first, ctx.today), last, period=True, ambiguous=True)


def _explicit(m, ctx, month: int, day: int, year: int | None, weekday: str | None):
    resolved = resolve_month_day(ctx.today, month, day, year)
    if resolved is None:
        return None
    value, past = resolved
    return _day(m, value, past=past, explicit=True, weekday=WEEKDAYS[weekday] if weekday else None)


def _month_day(m, ctx):
    return _explicit(
        m, ctx, int(m.group(2)), int(m.group(3)), int(m.group(1)) if m.group(1) else None, m.group(4)
    )


def _slash(m, ctx):
    month, day = int(m.group(1)), int(m.group(2))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return _explicit(m, ctx, month, day, None, m.group(3))


def _day_only(m, ctx):
    day = int(m.group(1))
    if not 1 <= day <= 31:
        return None
    return [
        DayMention(
            m.start(),
            m.end(),
            day_of_month=day,
            month_only=True,
            weekday=WEEKDAYS[m.group(2)] if m.group(2) else None,
        )
    ]


def _offset(m, ctx):
    count = number(m.group(1))
    if count is None:
        return None
    unit = m.group(2)
    if unit == "日":
        return _day(m, ctx.today + timedelta(days=int(count)), ambiguous=m.group(1) == "数")
    if unit == "週間":
        return _day(m, ctx.today + timedelta(days=7 * int(count)))
    return _day(m, add_months(ctx.today, int(count)))


def _hours_later(m, ctx):
    return [DayMention(m.start(), m.end(), exact=ctx.now + timedelta(hours=int(m.group(1))))]


def _clock(prefix: str | None, hour: int, half: str | None, minutes: str | None, colon: str | None):
    minute = 30 if half else int(minutes or colon or 0)
    meridiem = {"午前": "am", "朝": "am", "午後": "pm", "夜": "pm", "夕方": "pm", "昼": "pm"}.get(
        prefix or ""
    )
    if meridiem == "pm" and hour >= 12:
        meridiem = None  # 午後13時
    return hour_24(hour, minute, meridiem)


def _time(m, ctx):
    resolved = _clock(m.group(1), int(m.group(2)), m.group(3), m.group(4), None)
    if resolved is None:
        return None
    return [TimeMention(m.start(), m.end(), resolved[0], inferred=resolved[1])]


def _colon(m, ctx):
    resolved = _clock(m.group(1), int(m.group(2)), None, None, m.group(3))
    if resolved is None:
        return None
    return [TimeMention(m.start(), m.end(), resolved[0], inferred=resolved[1])]


def _range(m, ctx):
    first = _clock(m.group(1), int(m.group(2)), m.group(3), m.group(4), m.group(5))
    second = _clock(m.group(6) or m.group(1), int(m.group(7)), m.group(8), m.group(9), m.group(10))
    if first is None or second is None:
        return None
    begin, finish = first[0], second[0]
    if finish <= begin and finish.hour < 12:
        finish = finish.replace(hour=finish.hour + 12)
    if finish <= begin:
        return None
    return [TimeMention(m.start(), m.end(), begin, finish, inferred=first[1])]


def _window(key: str):
    def handler(m, ctx):
        start, end = WINDOWS[key]
        return [TimeMention(m.start(), m.end(), start, end, window=True)]

    return handler


def _noon(m, ctx):
    return [TimeMention(m.start(), m.end(), time(12))]


def _tonight(m, ctx):
    start, end = WINDOWS["evening"]
    return [*_day(m, ctx.today), TimeMention(m.start(), m.end(), start, end, window=True)]


def _duration_hours(m, ctx):
    minutes = int(m.group(1)) * 60 + (30 if m.group(2) else 0)
    return [DurationMention(m.start(), m.end(), minutes)]


def _duration_minutes(m, ctx):
    return [DurationMention(m.start(), m.end(), int(m.group(1)))]


RULES = (
    # 明日, 明後日, 明々後日, 今日/本日(中)
    Rule(re.compile(r"明々後日|明明後日|しあさって"), _relative(3)),
    Rule(re.compile(r"明後日|あさって"), _relative(2)),
    Rule(re.compile(r"明日|あした"), _relative(1)),
    Rule(re.compile(r"今日|本日|きょう"), _relative(0)),
    Rule(re.compile(r"今夜|今晩"), _tonight),
    # past: 昨日, 先週, 先日, 先ほど…
    Rule(
        re.compile(
            r"一昨日|昨日|おととい|先日|先週|先月|昨年|去年|先ほど|さきほど|先程|前回|過日|今朝|以前|昨晩|昨夜"
        ),
        _past,
    ),
    # 来週の火曜日, 今週金曜日, 火曜(日), 先週金曜日
    Rule(re.compile(r"(再来週|来週|翌週|今週|先週)?(?:の)?([月火水木金土日])曜(?:日)?"), _weekday),
    # 来週(中), 今週中, 今週末
    Rule(re.compile(r"(再来週|来週|翌週|今週|先週)(中|いっぱい|末)?(?!の?[月火水木金土日]曜)"), _week),
    Rule(re.compile(r"週明け"), _start_of_next_week),
    # 今月末, 来月上旬, 月末
    Rule(re.compile(r"(今月|来月|再来月)(末|中旬|中|いっぱい|初め|初旬|上旬|下旬|頭)?"), _month_relative),
    Rule(re.compile(r"(?<![今来\d])月末"), _this_month_end),
    # 2月末, 7月上旬, 9月(中)
    Rule(
        re.compile(r"(?<!\d)(\d{1,2})月(末|中旬|中|いっぱい|初め|初旬|上旬|下旬|頭)?(?![\d0-9])"),
        _month_named,
    ),
    # 年内, 年末, 年度末
    Rule(re.compile(r"年内|(?<!昨)年末(?!年始)"), _year_end),
    Rule(re.compile(r"年度末"), _fiscal_year_end),
    # 第3四半期, Q3
    Rule(re.compile(r"第([1-4一二三四])四半期(中|末)?"), _quarter),
    Rule(re.compile(r"(?<![A-Za-z])Q([1-4])(中|末)?"), _quarter),
    # 2024年12月1日(日), 12月1日
    Rule(re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日" + _WD_PAREN), _month_day),
    # 12/1(火)
    Rule(re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])" + _WD_PAREN), _slash),
    # 15日, 21日(金)
    Rule(re.compile(r"(?<![\d月/年])(\d{1,2})日(?![間後以])" + _WD_PAREN), _day_only),
    # 2週間後, 3日以内, 数日後
    Rule(
        re.compile(r"(\d{1,2}|[一二三四五六七八九十]|数)(日|週間|か月|ヶ月|カ月|ケ月|ヵ月)(?:後|以内|内)"),
        _offset,
    ),
    Rule(re.compile(r"(\d{1,2})時間(?:後|以内)"), _hours_later),
    # 至急, 早急に
    Rule(
        re.compile(r"大至急|至急|早急|急ぎで|できるだけ早く|できる限り早く|なるべく早く|早めに|すぐに"),
        _marker("asap"),
    ),
    # までに, 中に, 以内
    Rule(re.compile(r"までに|まで(?!です)|中に|以内に|期限|締め切り|締切"), _marker("deadline")),
    # 毎週, 毎月
    Rule(re.compile(r"毎週|毎月|毎日|隔週|毎朝|毎年"), _marker("recurring")),
    # 午後3時, 14時, 3時半, 10時30分, 朝9時
    Rule(
        re.compile(r"(午前|午後|朝|夜|夕方|昼)?(?:の)?(\d{1,2})時(?!間)(?:(半)|(\d{1,2})分)?(?:頃|ごろ)?"),
        _time,
    ),
    # 13:00
    Rule(re.compile(r"(午前|午後)?(?<![\d:])(\d{1,2}):(\d{2})(?![\d:])"), _colon),
    # 14時~15時, 13:00~14:00, 10時から11時半
    Rule(
        re.compile(
            r"(午前|午後)?(\d{1,2})(?:時(?!間)(?:(半)|(\d{1,2})分)?|:(\d{2}))\s*(?:~|から|より|-|–)\s*"
            r"(午前|午後)?(\d{1,2})(?:時(?!間)(?:(半)|(\d{1,2})分)?|:(\d{2}))"
        ),
        _range,
    ),
    # 午前中, 午後, 夕方, 夜, 正午
    Rule(re.compile(r"午前中"), _window("morning")),
    Rule(re.compile(r"午後(?!の?\d)"), _window("afternoon")),
    Rule(re.compile(r"夕方(?!の?\d)"), _window("dusk")),
    Rule(re.compile(r"(?<![今昨])夜(?!の?\d)"), _window("evening")),
    Rule(re.compile(r"(?<![今毎])朝(?![\d会礼食])"), _window("morning")),
    Rule(re.compile(r"正午|お昼"), _noon),
    # 1時間(半)ほど, 30分ほど
    Rule(re.compile(r"(\d{1,2})時間(半)?(?!後|以内)"), _duration_hours),
    Rule(re.compile(r"(?<![時\d])(\d{1,3})分(?:間|ほど|程度|くらい|ぐらい)"), _duration_minutes),
)
_PREPARED = prepare(RULES)


def find_times(text: str, ctx: Context) -> TimeInfo:
    return run_rules(text, ctx, _PREPARED, "ja")
