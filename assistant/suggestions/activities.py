"""Suggestions from detected activities: a proposed meeting, task or call, one click from the CRM."""

from __future__ import annotations

import hashlib

from assistant.suggestions.signature import Draft
from crm.mail.tables import Email

__all__ = ["activity_drafts", "MODULE_OF"]

MODULE_OF = {"meeting": "events", "task": "tasks", "call": "calls"}


def activity_drafts(email: Email, result: dict) -> list[Draft]:
    drafts = []
    for activity in result.get("activities") or []:
        module = MODULE_OF.get(activity.get("type"))
        if module is None:
            continue
        when = activity.get("start") or activity.get("due") or ""
        evidence = activity.get("evidence") or ""
        anchor = activity.get("uid") or hashlib.sha1(evidence.encode()).hexdigest()[:12]
        drafts.append(Draft("activity", module, None, None, None, activity,
                            round(float(activity.get("confidence", 0.5)), 3), evidence or None,
                            f"act:{email.id}:{module}:{when}:{anchor}"[:300]))
    return drafts
