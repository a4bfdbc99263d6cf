"""The label sets of the machine interface (see the README's analysis JSON): never rename, only add."""

from __future__ import annotations

__all__ = ["INTENTS", "AUTO_INTENTS", "LEARNED_INTENTS", "INSIGHTS", "EMOTIONS", "SENTIMENTS"]

INTENTS = ("request", "question", "meeting_request", "purchase_interest", "complaint", "cancellation",
           "follow_up", "information", "thanks", "introduction", "auto_reply", "bounce", "bulk")
# Mail no person wrote: recognised from headers by the parse stage, and from the text when there are none.
AUTO_INTENTS = ("auto_reply", "bounce", "bulk")
LEARNED_INTENTS = INTENTS
INSIGHTS = ("pricing", "budget", "competitor", "contract", "timeline", "decision_maker", "not_interested",
            "unsubscribe")
EMOTIONS = ("happy", "enthusiastic", "grateful", "trust", "confused", "dissatisfied", "frustrated", "neutral")
SENTIMENTS = ("positive", "negative", "neutral")
