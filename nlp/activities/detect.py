"""Activities proposed in the sentences of a mail: meetings, tasks and calls, with their times.

One sentence yields at most one activity. The sentence is read for cues (``patterns``): what kind of
activity it names, whether it asks the reader or promises something, whether it only reports the
past or a notice; and for time (``timex``): the slots it proposes, resolved against the reference
date in the sender's zone, or in the zone the sentence names. What the text leaves open stays open:
a period, a window, an ``ambiguous`` flag and a lower confidence — a past date is never proposed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

from nlp.activities import details
from nlp.activities.patterns import CUES, FYI_PHRASES, Cues
from nlp.activities.timex import find_times
from nlp.activities.timex.base import Context, Slot, TimeInfo
from nlp.activities.timex.zones import offset_name

__all__ = ["Options", "detect_activities", "analyse_sentence", "MAX_SENTENCE_CHARS", "MAX_SENTENCES"]

MAX_SENTENCE_CHARS = 500  # a longer "sentence" (a pasted table, a URL list) is read up to here
MAX_SENTENCES = 100
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_JA_PAST_END = re.compile(r"(?:ました|でした)[。．.!！]*$")
_PAST_TOLERANCE = timedelta(minutes=5)
_TITLES = {"meeting": "Meeting", "call": "Call", "task": "Task"}


@dataclass(frozen=True)
class Options:
    max_sentences: int = MAX_SENTENCES
    max_chars: int = MAX_SENTENCE_CHARS
    min_confidence: float = 0.0
    participants: bool = True  # add the mail's participants to meeting attendees


def _language(text: str, doc_language: str | None) -> str:
    """Japanese script is read with the Japanese rules whatever the document's language; English and
    German with theirs; another language code goes to the dateparser fallback; no language is English."""
    if _KANA.search(text) or (_JAPANESE.search(text) and doc_language not in ("zh", "ko")):
        return "ja"
    if not doc_language or doc_language in ("de", "en") or not re.fullmatch(r"[a-z]{2,3}", doc_language):
        return doc_language or "en"
    return doc_language


def _normalise(text: str, limit: int) -> str:
    text = unicodedata.normalize("NFKC", text[:limit]).replace("’", "'").replace("〜", "~").replace("～", "~")
    return " ".join(text.split())


def _zone_for(info: TimeInfo, ctx: Context) -> tuple[tzinfo, str]:
    if info.zone is not None:
        return info.zone.tz, info.zone.name
    tz = ctx.now.tzinfo or timezone.utc
    offset = ctx.now.utcoffset() or timedelta(0)
    return tz, offset_name(offset)


def _at(day: date, clock: time, tz: tzinfo) -> datetime:
    return datetime.combine(day, clock).replace(tzinfo=tz)


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def _is_past(slot: Slot, ctx: Context, tz: tzinfo) -> bool:
    if slot.past_words:
        return True
    if slot.exact is not None:
        return slot.exact < ctx.now - _PAST_TOLERANCE
    if slot.begin is not None:
        return _at(slot.last, slot.finish or slot.begin, tz) < ctx.now - _PAST_TOLERANCE
    return slot.last < ctx.today


def _meeting_times(slot: Slot, tz: tzinfo, duration: int | None) -> tuple[str, str | None]:
    if slot.exact is not None:
        start = slot.exact.astimezone(tz)
        return _iso(start), _iso(start + timedelta(minutes=duration)) if duration else None
    if slot.begin is not None:
        start = _at(slot.first, slot.begin, tz)
        if slot.finish is not None:
            return _iso(start), _iso(_at(slot.first, slot.finish, tz))
        return _iso(start), _iso(start + timedelta(minutes=duration)) if duration else None
    return slot.first.isoformat(), slot.last.isoformat() if slot.last != slot.first else None


def _due(slot: Slot, tz: tzinfo) -> str:
    if slot.exact is not None:
        return _iso(slot.exact.astimezone(tz))
    if slot.begin is not None and not slot.window:
        return _iso(_at(slot.last, slot.begin, tz))
    if slot.window and slot.finish is not None:
        return _iso(_at(slot.last, slot.finish, tz))  # "by Monday morning": the end of the morning
    return slot.last.isoformat()


@dataclass
class _Reading:
    """What the cues say about one sentence."""

    meeting: re.Match[str] | None
    video: bool
    call: bool
    call_request: bool
    task_verb: bool
    reader: bool
    sender: bool
    proposal: bool
    past: bool
    negation: bool
    fyi: bool
    artifact: bool
    involved: bool  # proposed, asked about (a question), or about I / we / you

    @property
    def forward(self) -> bool:
        return self.proposal or self.reader or self.sender


def _gate(text: str, lower: str, cues: Cues, has_link: bool) -> tuple | None:
    """The cheap first look: does the sentence name a meeting, a call or an action at all?"""
    meeting = cues.meeting.search(text, lower)
    video = has_link or bool(cues.video.search(text, lower))
    call = bool(cues.call.search(text, lower)) and not (
        cues.call_exclude and cues.call_exclude.search(text, lower)
    )
    contact = bool(cues.contact.search(text, lower))
    task_verb = bool(cues.task_verb.search(text, lower))
    if not (meeting or video or call or contact or task_verb):
        return None
    return meeting, video, call, contact, task_verb


def _read(text: str, cues: Cues, gate: tuple, phones: list, fyi_phrase: bool) -> _Reading:
    meeting, video, call, contact, task_verb = gate
    lower = text.lower()
    call_request = bool(cues.call_request and cues.call_request.search(text, lower))
    past = bool(cues.past.search(text, lower))
    if past and cues.past_exempt is not None and cues.past_exempt.search(text, lower):
        past = False
    return _Reading(
        meeting=meeting,
        video=video,
        call=call or bool(contact and phones),
        call_request=call_request,
        task_verb=task_verb,
        reader=bool(cues.reader.search(text, lower)),
        sender=bool(cues.sender.search(text, lower)),
        proposal=bool(cues.proposal.search(text, lower)),
        past=past,
        negation=bool(cues.negation.search(text, lower)),
        fyi=fyi_phrase or bool(cues.fyi.search(text, lower)),
        artifact=bool(cues.artifact.search(text, lower)),
        involved=cues.personal is None or "?" in text or bool(cues.personal.search(text, lower)),
    )


def _kind(reading: _Reading, info: TimeInfo, slots: list[Slot]) -> str | None:
    """Which activity the sentence proposes: a deadline with an action wins, then a call, then a meeting."""
    owner = reading.reader or reading.sender
    timed = bool(slots) or info.asap
    if reading.task_verb and owner and (info.asap or any(s.deadline for s in slots)):
        return "task"
    if reading.call and (reading.forward or reading.call_request):  # asked for or promised, not just named
        if reading.video:  # a Zoom or Teams call is a meeting
            return "meeting" if slots else None
        return "call"
    if (
        (reading.meeting or reading.video)
        and slots
        and not reading.artifact
        and (reading.forward or reading.involved)
    ):
        return "meeting"
    if reading.task_verb and owner and timed:
        return "task"
    return None


def analyse_sentence(
    sentence: str,
    ctx: Context,
    *,
    language: str | None = None,
    signature_phones: Sequence[dict[str, Any]] = (),
    options: Options = Options(),
) -> dict[str, Any] | None:
    """The activity one sentence proposes, or None."""
    lang = _language(sentence, language)
    text = _normalise(sentence, options.max_chars)
    if not text:
        return None
    cues = CUES.get(lang, CUES["other"])
    link, service = (
        details.video_link(text) if "http" in text or cues.video.search(text, text.lower()) else (None, None)
    )
    urls = [(m.start(), m.end()) for m in details.URL.finditer(text)] if "http" in text else []
    cue_text = details.mask(text, urls, "url")
    without_fyi = FYI_PHRASES.sub(" ", cue_text)
    gate = _gate(without_fyi, without_fyi.lower(), cues, link is not None)
    if gate is None:
        return None  # nothing to propose: skip the rest
    phones: list[tuple[int, int, str]] = []
    if gate[2] or gate[3]:  # a call or "reach me": look for the number
        offset = int((ctx.now.utcoffset() or timedelta(0)).total_seconds() // 60)
        phones = details.find_phones(text, details.region_for(lang, offset))
    masked = details.mask(cue_text, [p[:2] for p in phones])
    reading = _read(FYI_PHRASES.sub(" ", masked), cues, gate, phones, without_fyi != cue_text)
    # What the cues alone rule out is ruled out before the dates are read (the costly part).
    if reading.negation or ((reading.past or reading.fyi) and not reading.forward):
        return None
    if (
        lang == "ja"
        and _JA_PAST_END.search(masked)
        and not (cues.past_exempt and cues.past_exempt.search(masked, masked))
    ):
        return None  # a sentence that ends in the past tense reports, whatever else it says
    info = find_times(masked, ctx, lang)
    if (info.recurring or info.past) and not reading.forward:
        return None
    tz, tz_name = _zone_for(info, ctx)
    slots = [s for s in info.slots if not _is_past(s, ctx, tz)]
    if info.slots and not slots:
        return None  # every date it names is past
    if (reading.past or info.past) and not slots and not reading.call_request:
        return None  # "the call you made yesterday": past, and nothing ahead
    kind = _kind(reading, info, slots)
    if kind is None:
        return None

    activity: dict[str, Any] = {
        "type": kind,
        "title": None,
        "start": None,
        "end": None,
        "due": None,
        "timezone": None,
        "alternatives": [],
        "confidence": 0.0,
        "ambiguous": False,
        "evidence": " ".join(sentence.split())[: options.max_chars],
        "source": "text",
    }
    ambiguous = inferred = False
    if kind == "task":
        marked = [s for s in slots if s.deadline]
        slot = (marked or slots or [None])[-1]
        if slot is not None:
            activity["due"] = _due(slot, tz)
            activity["timezone"] = tz_name
            ambiguous, inferred = slot.ambiguous, slot.inferred
        activity["owner"] = "reader" if reading.reader else "sender"
        activity["title"] = activity["evidence"][:120]
        activity["description"] = activity["evidence"]
    else:
        if slots:
            first, rest = slots[0], slots[1:]
            activity["start"], activity["end"] = _meeting_times(first, tz, info.duration)
            activity["timezone"] = tz_name
            seen = {(activity["start"], activity["end"])}
            for slot in rest:
                start, end = _meeting_times(slot, tz, info.duration)
                if (start, end) not in seen:
                    seen.add((start, end))
                    activity["alternatives"].append({"start": start, "end": end})
            ambiguous, inferred = first.ambiguous, first.inferred
        activity["title"] = _title(
            kind,
            reading.meeting.group(0) if (kind == "meeting" and reading.meeting) else None,
            reading.video,
            lang,
        )
        activity["location"] = details.location(text, lang)
        activity["video_link"] = link
        activity["video_service"] = service
        activity["attendees"] = [
            {"name": n, "address": None, "source": "sentence"} for n in details.attendees(text, lang)
        ]
        if kind == "call":
            if phones:
                activity["phone"], activity["phone_source"] = phones[0][2], "sentence"
            else:
                number = _signature_phone(signature_phones)
                activity["phone"], activity["phone_source"] = number, ("signature" if number else None)
    activity["ambiguous"] = bool(ambiguous)
    activity["confidence"] = _confidence(kind, reading, activity, ambiguous, inferred, bool(slots))
    if lang not in CUES:  # the fallback reading of a language without rules
        activity["confidence"] = round(min(activity["confidence"], 0.5), 2)
    return activity


_VERB_TITLES = {
    "meet": "Meeting",
    "meet-up": "Meeting",
    "meetup": "Meeting",
    "see you": "Meeting",
    "chat": "Chat",
    "host you": "Visit",
    "visit": "Visit",
    "come by": "Visit",
    "stop by": "Visit",
    "drop by": "Visit",
    "in person": "Meeting",
    "sit down": "Meeting",
    "get together": "Meeting",
    "catch up": "Catch-up",
}


def _title(kind: str, word: str | None, video: bool, lang: str) -> str:
    if kind == "call":
        return {"ja": "電話", "de": "Telefonat"}.get(lang, "Call")
    if word is None:
        return {"ja": "Web会議", "de": "Videokonferenz"}.get(lang, "Video call") if video else "Meeting"
    if lang == "ja":
        return word
    key = " ".join(word.lower().split())
    if key in _VERB_TITLES:
        return _VERB_TITLES[key]
    if key.startswith(("find", "grab", "get", "have", "spare", "book", "block", "set up")):
        return "Meeting"
    return word[:1].upper() + word[1:]


def _subject(message: Any) -> str | None:
    subject = " ".join((getattr(message, "subject", "") or "").split())
    while True:
        cut = re.sub(
            r"^(?:re|fwd?|aw|wg|sv|vs|tr|返信|転送)\s*(?:\[\d+\])?\s*[:：]\s*",
            "",
            subject,
            flags=re.IGNORECASE,
        )
        if cut == subject:
            break
        subject = cut
    return subject or None


def _signature_phone(phones: Sequence[dict[str, Any]]) -> str | None:
    ranked = sorted(
        (p for p in phones if isinstance(p, dict) and p.get("number") and p.get("type") != "fax"),
        key=lambda p: {"work": 0, "mobile": 1}.get(p.get("type"), 2),
    )
    return ranked[0]["number"] if ranked else None


def _confidence(
    kind: str, reading: _Reading, activity: dict[str, Any], ambiguous: bool, inferred: bool, timed: bool
) -> float:
    score = 0.65
    if reading.forward:
        score += 0.15
    if kind == "task" and (reading.reader or reading.sender):
        score += 0.05
    if activity.get("start") and "T" in (activity["start"] or "") or "T" in (activity.get("due") or ""):
        score += 0.05
    if ambiguous:
        score -= 0.2
    if inferred:
        score -= 0.1
    if not timed:
        score -= 0.1
    if reading.past or reading.fyi:
        score -= 0.1
    return round(min(0.95, max(0.05, score)), 2)


_ORDINAL_END = re.compile(r"(?<![\d.])\d{1,2}\.$")
_MONTH_START = re.compile(
    r"(?:Januar|Jänner|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|November|"
    r"Dezember|Jan|Feb|Mär|Apr|Jun|Jul|Aug|Sep|Sept|Okt|Nov|Dez)\b\.?"
)


def _rejoin(sentences: list[Any]) -> list[tuple[str, int | None, int | None]]:
    """Undo a cut after a German ordinal date ("am 14." | "März um 9 Uhr…")."""
    out: list[tuple[str, int | None, int | None]] = []
    for sentence in sentences:
        text = getattr(sentence, "text", sentence)
        if not isinstance(text, str):
            continue
        start, end = getattr(sentence, "start", None), getattr(sentence, "end", None)
        if out and _ORDINAL_END.search(out[-1][0]) and _MONTH_START.match(text):
            previous = out.pop()
            out.append((f"{previous[0]} {text}", previous[1], end))
            continue
        out.append((text, start, end))
    return out


def detect_activities(
    sentences: Iterable[Any],
    *,
    reference: datetime | None,
    language: str | None,
    signature_phones: Sequence[dict[str, Any]] = (),
    message: Any = None,
    options: Options = Options(),
) -> list[dict[str, Any]]:
    """The activities of a message's sentences (``Sentence`` objects or strings), in order."""
    now = reference if reference is not None and reference.tzinfo is not None else None
    if now is None:
        now = reference.replace(tzinfo=timezone.utc) if reference is not None else datetime.now(timezone.utc)
    order = "md"
    if (
        language not in ("ja",)
        and not -600 <= int((now.utcoffset() or timedelta(0)).total_seconds() // 60) <= -180
    ):
        order = "dm"
    ctx = Context(now=now, md_order=order)
    people = details.participants(message) if options.participants else []
    subject = _subject(message)
    found: list[dict[str, Any]] = []
    seen: dict[tuple, dict[str, Any]] = {}
    for text, start, end in _rejoin(list(sentences)[: options.max_sentences]):
        activity = analyse_sentence(
            text, ctx, language=language, signature_phones=signature_phones, options=options
        )
        if activity is None or activity["confidence"] < options.min_confidence:
            continue
        if start is not None:
            activity["span"] = [start, end]
        if subject and activity["type"] in ("meeting", "call"):
            activity["title"] = f"{activity['title']}: {subject}"[:200]
        if activity["type"] == "meeting" and people:
            named = {a["name"] for a in activity["attendees"]}
            activity["attendees"] += [p for p in people if p["name"] not in named]
        key = (activity["type"], activity["start"], activity["end"], activity["due"])
        if activity["start"] or activity["due"]:
            if key in seen:
                seen[key]["confidence"] = max(seen[key]["confidence"], activity["confidence"])
                continue
            seen[key] = activity
        found.append(activity)
    return found
