"""A thread's summary from the analyses of its messages (the JSON results the pipeline returns).

No model runs here: each message was analysed once when it arrived, and the thread view combines
those results — who took part, what was asked and is still open, how the mood moved, and a one-line
TL;DR of the thread (its first ask and where it stands now).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["summarize_thread"]

_REQUEST_THRESHOLD = 0.5


def _sender(result: Mapping[str, Any]) -> str | None:
    sender = (result.get("headers") or {}).get("from") or {}
    return sender.get("name") or sender.get("address") or None


def _date(result: Mapping[str, Any]) -> str | None:
    return (result.get("headers") or {}).get("date")


def summarize_thread(results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """``results``: the messages' analyses, in any order (sorted by their Date header, stable otherwise)."""
    ordered = sorted(enumerate(results), key=lambda p: (_date(p[1]) is None, _date(p[1]) or "", p[0]))
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
        items.append({"id": r.get("id"), "from": who, "date": _date(r), "tldr": summary.get("tldr")})
        for s in r.get("sentences") or []:
            if (s.get("request") or 0.0) >= _REQUEST_THRESHOLD:
                asks.append({"id": r.get("id"), "from": who, "date": _date(r), "text": s["text"],
                             "confidence": s["request"]})
        sentiment = r.get("sentiment")
        if sentiment:
            trend.append(sentiment.get("score"))
    # An ask counts as answered once someone else wrote after it.
    open_asks = []
    for ask in asks:
        later = [m for m in items if m["date"] and ask["date"] and m["date"] > ask["date"] and m["from"] != ask["from"]]
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
