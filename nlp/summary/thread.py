"""A thread's summary from the analyses of its messages (the JSON results the pipeline returns).

No model runs here: each message was analysed once when it arrived, and the thread view combines
those results — who took part, what was asked and is still open, how the mood moved, and a one-line
TL;DR of the thread (its first ask and where it stands now).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from nlp.summary.formulas import is_formula

__all__ = ["summarize_thread"]

_REQUEST_THRESHOLD = 0.5


def _sender(result: Mapping[str, Any]) -> str | None:
    sender = (result.get("headers") or {}).get("from") or {}
    return sender.get("name") or sender.get("address") or None


def _date(result: Mapping[str, Any]) -> str | None:
    return (result.get("headers") or {}).get("date")


def _when(value: str | None) -> datetime | None:
    """An ISO date as an instant: "09:00+09:00" and "00:00+00:00" are the same moment, not two strings."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def summarize_thread(results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """``results``: the messages' analyses, in any order (sorted by their Date header, stable otherwise)."""
    never = datetime.min.replace(tzinfo=UTC)
    ordered = sorted(enumerate(results), key=lambda p: (_when(_date(p[1])) is None, _when(_date(p[1])) or never, p[0]))
    messages = [r for _, r in ordered if not r.get("error")]
    participants: list[str] = []
    items = []
    asks = []
    trend = []
    for r in messages:
        who = _sender(r)
        if who and who not in participants:
            participants.append(who)
        summary = r.get("summary") or {}
        # The readable one-liner when there is one (what the inbox shows), else the telegraphic TL;DR.
        items.append({"id": r.get("id"), "from": who, "date": _date(r),
                      "tldr": summary.get("line") or summary.get("tldr")})
        for s in r.get("sentences") or []:
            # "Hi Dana," or "Best regards" is never an ask, whatever its score.
            if (s.get("request") or 0.0) >= _REQUEST_THRESHOLD and not is_formula(s["text"]):
                asks.append({"id": r.get("id"), "from": who, "date": _date(r), "text": s["text"],
                             "confidence": s["request"]})
        sentiment = r.get("sentiment")
        if sentiment:
            trend.append(sentiment.get("score"))
    # An ask counts as answered once someone else wrote after it.
    open_asks = []
    for ask in asks:
        asked = _when(ask["date"])
        later = [m for m in items if asked and (when := _when(m["date"])) and when > asked and m["from"] != ask["from"]]
        if not later:
            open_asks.append(ask)
    first = next((m["tldr"] for m in items if m["tldr"]), None)
    last = next((m["tldr"] for m in reversed(items) if m["tldr"]), None)
    if not items:
        tldr = ""
    elif len(items) == 1 or first == last:
        tldr = first or ""
    else:
        tldr = f"{len(items)} messages: {first} … latest: {last}"
    if open_asks:
        tldr += f" ({len(open_asks)} open request{'s' if len(open_asks) > 1 else ''})"
    labels: dict[str, int] = {}
    for r in messages:
        for intent in r.get("intents") or []:
            labels[intent["label"]] = labels.get(intent["label"], 0) + 1
    return {
        "tldr": tldr,
        "messages": items,
        "participants": participants,
        "open_requests": open_asks,
        "sentiment_trend": trend,
        "sentiment": (messages[-1].get("sentiment") or {}).get("label") if messages else None,
        "intents": labels,
    }
