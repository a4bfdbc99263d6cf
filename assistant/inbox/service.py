"""The rep's prioritised inbox: rows ready to show (summary, badges, deadline, score with reasons), and
the one-click corrections a rep makes ("not important", a wrong label), stored as feedback."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from assistant.errors import BadInput
from assistant.feedback.tables import Feedback
from assistant.priority.repository import PriorityRepository
from assistant.priority.score import FOLDERS
from assistant.priority.service import mark_not_important, prioritize
from crm.mail.sharing import MailReader
from crm.users.service import Identity
from nlp.classify.labels import EMOTIONS, INTENTS, SENTIMENTS

__all__ = ["InboxService", "INBOX_FOLDERS", "FEEDBACK_TARGETS", "FOLDER_TITLES", "zone_blocks", "row"]

INBOX_FOLDERS = (*FOLDERS, "needs_reply")
FOLDER_TITLES = {"closing": "Closing this month", "deals": "Deals", "customers": "Customers",
                 "prospects": "Prospects", "others": "Others", "needs_reply": "Needs reply"}
FEEDBACK_TARGETS = ("priority", "intent", "emotion", "sentiment")


class InboxService:
    def __init__(self, session: Session, who: Identity):
        self.session, self.who = session, who
        self.repo = PriorityRepository(session)

    def page(self, folder: str | None = None, *, offset: int = 0, limit: int = 50) -> dict[str, Any]:
        if folder is not None and folder not in INBOX_FOLDERS:
            raise BadInput(f"unknown folder {folder!r}", code="bad_folder", details={"allowed": list(INBOX_FOLDERS)})
        emails, total = self.repo.inbox(self.who.user_id, folder=folder, offset=offset, limit=limit)
        results = self.repo.latest_results(e.id for e in emails)
        return {"items": [row(e, results.get(e.id) or {}) for e in emails], "total": total, "offset": offset,
                "limit": limit, "folder": folder, "counts": self.repo.folder_counts(self.who.user_id)}

    def feedback(self, email_id: int, target: str, corrected: Any) -> Feedback:
        """A rep's correction: stored for evaluation and retraining; "not important" also drops the mail."""
        email = MailReader(self.session, self.who).get(email_id, need="full")
        if email.owner_id != self.who.user_id:
            raise BadInput("only the mail's owner can correct what the assistant says about it", code="not_owner")
        result = self.repo.latest_results([email.id]).get(email.id) or {}
        if target == "priority":
            if corrected not in ("not_important", "important"):
                raise BadInput("priority feedback is 'not_important' or 'important'", code="bad_feedback")
            predicted: Any = email.priority
            if corrected == "not_important":
                mark_not_important(email)
            else:  # undo: score it again from the analysis
                email.priority_reasons = None
                prioritize(self.session, [email], {email.id: result})
        elif target == "intent":
            allowed = set(INTENTS)
            if not isinstance(corrected, list) or not set(corrected) <= allowed:
                raise BadInput(f"intent feedback is a list of labels from {sorted(allowed)}", code="bad_feedback")
            predicted = [i.get("label") for i in result.get("intents") or []]
        elif target in ("emotion", "sentiment"):
            allowed = set(EMOTIONS if target == "emotion" else SENTIMENTS)
            if corrected not in allowed:
                raise BadInput(f"{target} feedback is one of {sorted(allowed)}", code="bad_feedback")
            predicted = (result.get(target) or {}).get("label")
        else:
            raise BadInput(f"feedback target is one of {list(FEEDBACK_TARGETS)}", code="bad_feedback")
        entry = Feedback(user_id=self.who.user_id, email_id=email.id, target=target, predicted=predicted,
                         corrected=corrected)
        self.session.add(entry)
        self.session.flush()
        return entry


def row(email, result: dict[str, Any]) -> dict[str, Any]:
    """One inbox line: who, what they want, how they feel, by when, and why it is where it is."""
    signature = ((result.get("signature") or {}).get("fields") or {})
    intents = sorted(result.get("intents") or [], key=lambda i: -float(i.get("confidence", 0)))
    emotion = result.get("emotion") or {}
    return {
        "id": email.id, "subject": email.subject, "from_name": email.from_name, "from_addr": email.from_addr,
        "company": signature.get("company") or _domain(email.from_addr),
        "date": email.date.isoformat() if email.date else None,
        "summary": _summary_line(result) or _first_line(result.get("new_text")),
        "intents": [{"label": i["label"], "confidence": i.get("confidence")} for i in intents[:3]
                    if float(i.get("confidence", 0)) >= 0.5],
        "emotion": ({"label": emotion["label"], "confidence": emotion.get("confidence")}
                    if emotion.get("label") and emotion["label"] != "neutral" else None),
        "deadline": _deadline(result),
        "priority": email.priority, "reasons": email.priority_reasons or [], "folder": email.inbox_folder,
        "needs_reply": email.needs_reply, "analysis_state": email.analysis_state,
    }


def _summary_line(result: dict[str, Any]) -> str | None:
    summary = result.get("summary") or {}
    return summary.get("line") or summary.get("tldr")


def _domain(address: str | None) -> str | None:
    return address.rsplit("@", 1)[-1] if address and "@" in address else None


def _first_line(text: str | None) -> str | None:
    for line in (text or "").splitlines():
        line = line.strip()
        if len(line) > 12 and not line.endswith(","):  # skip "Hi Alex,"
            return line[:200]
    return None


def _deadline(result: dict[str, Any]) -> str | None:
    found: list[str] = []
    for activity in result.get("activities") or []:
        when = activity.get("due") or activity.get("start")
        if when:
            found.append(str(when))
    if not found:
        return None
    try:
        return min(found, key=lambda w: datetime.fromisoformat(w.replace("Z", "+00:00")).timestamp()
                   if "T" in w else datetime.fromisoformat(w).timestamp())
    except ValueError:
        return found[0]


_FOLDED = {"quote_header": "quoted", "quoted": "quoted", "forwarded": "forwarded", "signature": "signature",
           "disclaimer": "disclaimer", "mobile_footer": "footer", "list_footer": "footer"}


def zone_blocks(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The analysed body as consecutive blocks: the author's text open, quotes and signatures folded."""
    lines = (result.get("body") or "").split("\n")
    blocks: list[dict[str, Any]] = []
    for run in result.get("zones") or []:
        text = "\n".join(lines[run["start_line"]:run["end_line"] + 1])
        kind = _FOLDED.get(run["zone"], "text")
        if blocks and blocks[-1]["kind"] == kind:
            blocks[-1]["text"] += "\n" + text
        else:
            blocks.append({"kind": kind, "folded": kind != "text", "text": text})
    return [b for b in blocks if b["text"].strip()]
