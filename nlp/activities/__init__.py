"""Activity detection: meetings, tasks and calls proposed in mail, with their times resolved."""

from __future__ import annotations

from nlp.activities.detect import Options, analyse_sentence, detect_activities
from nlp.activities.invites import invite_activities

__all__ = ["Options", "analyse_sentence", "detect_activities", "invite_activities"]
