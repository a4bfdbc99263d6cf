"""The priority of a mail for its owner: 0–100, from what the mail says and where it sits in the CRM.

Every point comes with its reason ("open deal €40k closing this month", "frustrated", "asks for a
quote by Friday", "waiting 3 days"), so a rep can see why a mail is on top and an admin can tune the
weights (organisation settings) with a preview of how the inbox re-orders.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

__all__ = ["DEFAULT_WEIGHTS", "MailContext", "Priority", "score", "FOLDERS"]

FOLDERS = ("closing", "deals", "customers", "prospects", "others")

DEFAULT_WEIGHTS: dict[str, float] = {
    "base_known_sender": 20, "base_unknown_sender": 10,
    # what the mail asks or says (intent labels of the analysis, scaled by their confidence)
    "intent_request": 10, "intent_question": 6, "intent_meeting_request": 10, "intent_purchase_interest": 15,
    "intent_complaint": 15, "intent_cancellation": 20, "intent_follow_up": 8, "intent_introduction": 4,
    "intent_thanks": -5, "intent_information": -3,
    # how the sender feels
    "emotion_frustrated": 12, "emotion_dissatisfied": 8, "emotion_confused": 5, "sentiment_negative": 4,
    # time
    "deadline_within_3_days": 12, "deadline_within_week": 6, "waiting_per_day": 3, "waiting_max": 15,
    # CRM context
    "open_deal": 10, "deal_amount_per_decade": 4, "closing_this_month": 12, "customer": 8, "prospect": 4,
    "decision_maker": 5,
}
_AUTOMATIC = {"auto_reply", "bounce", "bulk", "list"}
_DECISION_TITLES = ("ceo", "cfo", "cto", "coo", "founder", "owner", "president", "vp", "vice president", "director",
                    "head of", "partner", "managing", "部長", "社長", "取締役", "本部長", "役員")


@dataclass
class MailContext:
    """What the CRM knows around a mail, gathered by the caller (one query per batch)."""

    known_sender: bool = False
    sender_title: str | None = None
    deal_amount: Decimal | None = None
    deal_currency: str = "EUR"
    deal_close: date | None = None
    deal_open: bool = False
    account_type: str | None = None  # customer | prospect | ...
    is_lead: bool = False
    received: datetime | None = None
    answered: bool = False
    direction: str = "in"


@dataclass
class Priority:
    score: int
    reasons: list[dict[str, Any]] = field(default_factory=list)
    folder: str = "others"
    needs_reply: bool = False


def _money(amount: Decimal, currency: str) -> str:
    symbol = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}.get(currency.upper(), currency.upper() + " ")
    value = float(amount)
    text = f"{value / 1000:.0f}k" if value >= 1000 else f"{value:.0f}"
    return f"{symbol}{text}"


def score(result: dict[str, Any] | None, ctx: MailContext, weights: dict[str, float] | None = None,
          *, now: datetime | None = None) -> Priority:
    w = {**DEFAULT_WEIGHTS, **(weights or {})}
    now = now or datetime.now(timezone.utc)
    result = result or {}
    reasons: list[dict[str, Any]] = []

    def add(points: float, reason: str) -> None:
        if points:
            reasons.append({"reason": reason, "points": round(points, 1)})

    auto = (result.get("auto") or {}).get("kind")
    if ctx.direction != "in":
        return Priority(0, [{"reason": "sent by you", "points": 0}], _folder(ctx, now), False)
    if auto in _AUTOMATIC:
        label = {"auto_reply": "automatic reply", "bounce": "bounce", "bulk": "newsletter", "list": "mailing list"}
        return Priority(2, [{"reason": label[auto], "points": 2}], "others", False)

    add(w["base_known_sender"] if ctx.known_sender else w["base_unknown_sender"],
        "from a CRM contact" if ctx.known_sender else "sender not in the CRM")
    for intent in result.get("intents") or []:
        weight = w.get(f"intent_{intent.get('label')}", 0)
        confidence = float(intent.get("confidence", 0))
        if weight and confidence >= 0.5:
            evidence = intent.get("evidence") or ""
            label = intent["label"].replace("_", " ")
            add(weight * confidence, f"{label}: “{evidence[:60]}”" if evidence else label)
    emotion = result.get("emotion") or {}
    if emotion.get("label") and float(emotion.get("confidence", 0)) >= 0.4:
        add(w.get(f"emotion_{emotion['label']}", 0) * float(emotion["confidence"]), emotion["label"])
    sentiment = result.get("sentiment") or {}
    if sentiment.get("label") == "negative":
        add(w["sentiment_negative"] * min(1.0, abs(float(sentiment.get("score", -0.5)))), "negative tone")

    deadline = _nearest_deadline(result, now)
    if deadline is not None:
        when, evidence = deadline
        days = (when - now).total_seconds() / 86400
        key = "deadline_within_3_days" if days <= 3 else "deadline_within_week" if days <= 7 else None
        if key:
            add(w[key], f"asks for it by {when.strftime('%a %d %b')}" + (f": “{evidence[:50]}”" if evidence else ""))

    needs_reply = not ctx.answered
    if needs_reply and ctx.received:
        waited = (now - ctx.received).total_seconds() / 86400
        if waited >= 1:
            add(min(w["waiting_max"], w["waiting_per_day"] * int(waited)), f"waiting {int(waited)} days")

    if ctx.deal_open:
        add(w["open_deal"], "open deal")
        if ctx.deal_amount:
            decades = math.log10(max(float(ctx.deal_amount), 1))
            add(w["deal_amount_per_decade"] * decades, f"deal worth {_money(ctx.deal_amount, ctx.deal_currency)}")
        if ctx.deal_close and ctx.deal_close.year == now.year and ctx.deal_close.month == now.month:
            add(w["closing_this_month"], "closing this month")
    if ctx.account_type == "customer":
        add(w["customer"], "customer")
    elif ctx.account_type == "prospect" or ctx.is_lead:
        add(w["prospect"], "prospect")
    if ctx.sender_title and any(t in ctx.sender_title.lower() for t in _DECISION_TITLES):
        add(w["decision_maker"], f"decision maker ({ctx.sender_title})")

    total = max(0, min(100, round(sum(r["points"] for r in reasons))))
    reasons.sort(key=lambda r: -abs(r["points"]))
    return Priority(total, reasons, _folder(ctx, now), needs_reply)


def _folder(ctx: MailContext, now: datetime) -> str:
    if ctx.deal_open and ctx.deal_close and (ctx.deal_close.year, ctx.deal_close.month) == (now.year, now.month):
        return "closing"
    if ctx.deal_open:
        return "deals"
    if ctx.account_type == "customer":
        return "customers"
    if ctx.account_type == "prospect" or ctx.is_lead:
        return "prospects"
    return "others"


def _nearest_deadline(result: dict[str, Any], now: datetime) -> tuple[datetime, str] | None:
    best: tuple[datetime, str] | None = None
    for activity in result.get("activities") or []:
        raw = activity.get("due") or activity.get("start")
        if not raw:
            continue
        try:
            when = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        except ValueError:
            continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        if len(str(raw)) == 10:
            when += timedelta(hours=23, minutes=59)
        if when >= now and (best is None or when < best[0]):
            best = (when, activity.get("evidence") or "")
    return best
