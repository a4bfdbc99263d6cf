"""Computing and storing each mail's priority for its owner, in batches (a handful of queries per batch)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy.orm import Session

from assistant.priority.repository import PriorityRepository
from assistant.priority.score import MailContext, Priority, score
from crm.db import utcnow
from crm.mail.tables import Email
from crm.org.settings import OrgSettings
from crm.records.modules import OPEN_STAGES

__all__ = ["prioritize", "contexts", "reprioritize_waiting", "rescore_recent", "preview", "mark_not_important"]


def contexts(session: Session, emails: list[Email]) -> dict[int, MailContext]:
    repo = PriorityRepository(session)
    links = repo.links(e.id for e in emails)
    by_email: dict[int, list] = {}
    for link in links:
        by_email.setdefault(link.email_id, []).append(link)
    contacts = repo.contacts(l.record_id for l in links if l.module == "contacts")
    leads = repo.leads(l.record_id for l in links if l.module == "leads")
    deals = repo.deals(l.record_id for l in links if l.module == "deals")
    accounts = repo.accounts([l.record_id for l in links if l.module == "accounts"] +
                             [c.account_id for c in contacts.values() if c.account_id])
    replied = repo.last_outgoing(e.thread_id for e in emails)
    out: dict[int, MailContext] = {}
    for email in emails:
        ctx = MailContext(received=email.date or email.created_at, direction=email.direction)
        for link in by_email.get(email.id, []):
            if link.module == "contacts" and link.reason == "from" and link.record_id in contacts:
                person = contacts[link.record_id]
                ctx.known_sender, ctx.sender_title = True, person.title
                if person.account_id in accounts:
                    ctx.account_type = accounts[person.account_id].type
            elif link.module == "leads" and link.reason == "from" and link.record_id in leads:
                ctx.known_sender, ctx.is_lead, ctx.sender_title = True, True, leads[link.record_id].title
            elif link.module == "accounts" and link.record_id in accounts and ctx.account_type is None:
                ctx.account_type = accounts[link.record_id].type
            elif link.module == "deals" and link.record_id in deals:
                deal = deals[link.record_id]
                if deal.stage in OPEN_STAGES and (not ctx.deal_open or (deal.amount or 0) > (ctx.deal_amount or 0)):
                    ctx.deal_open, ctx.deal_amount, ctx.deal_close = True, deal.amount, deal.close_date
                    ctx.deal_currency = deal.currency
        answered_at = replied.get(email.thread_id)
        ctx.answered = bool(answered_at and email.date and answered_at > email.date)
        out[email.id] = ctx
    return out


def prioritize(session: Session, emails: list[Email], results: dict[int, dict[str, Any]],
               *, weights: dict[str, float] | None = None, now: datetime | None = None,
               store: bool = True) -> dict[int, Priority]:
    """Score each mail (its analysis result in ``results``); store the score on the mail unless previewing."""
    if weights is None:
        weights = OrgSettings(session).get().priority_weights
    ctxs = contexts(session, emails)
    scored = {}
    for email in emails:
        priority = score(results.get(email.id), ctxs[email.id], weights, now=now)
        if _marked_unimportant(email):
            priority = Priority(0, [{"reason": NOT_IMPORTANT, "points": 0}], priority.folder,
                                priority.needs_reply)
        scored[email.id] = priority
        if store:
            email.priority, email.priority_reasons = priority.score, priority.reasons
            email.inbox_folder, email.needs_reply, email.priority_at = priority.folder, priority.needs_reply, utcnow()
    return scored


def reprioritize_waiting(session: Session, *, days: int = 30) -> int:
    """Rescore the mails still waiting for an answer (their "waiting N days" has grown)."""
    repo = PriorityRepository(session)
    emails = repo.waiting(stale_window(days))
    if emails:
        prioritize(session, emails, repo.latest_results(e.id for e in emails))
    return len(emails)


def rescore_recent(session: Session, *, days: int = 30, chunk: int = 500) -> int:
    """After the weights change: every received mail of the last ``days`` scored again."""
    repo = PriorityRepository(session)
    emails = repo.received_since(stale_window(days))
    for start in range(0, len(emails), chunk):
        part = emails[start:start + chunk]
        prioritize(session, part, repo.latest_results(e.id for e in part))
    return len(emails)


def preview(session: Session, owner_id: int, weights: dict[str, float], *, limit: int = 20) -> list[dict[str, Any]]:
    """How the owner's inbox would re-order under other weights: nothing is stored."""
    repo = PriorityRepository(session)
    emails, _ = repo.inbox(owner_id, limit=200)
    results = repo.latest_results(e.id for e in emails)
    now_rank = {e.id: rank for rank, e in enumerate(emails, start=1)}
    scored = prioritize(session, emails, results, weights=weights, store=False)
    order = sorted(emails, key=lambda e: (-scored[e.id].score, -(e.date.timestamp() if e.date else 0), -e.id))
    return [{"email_id": e.id, "subject": e.subject, "from": e.from_name or e.from_addr,
             "rank": rank, "was_rank": now_rank[e.id], "score": scored[e.id].score, "was_score": e.priority,
             "reasons": scored[e.id].reasons[:4]} for rank, e in enumerate(order[:limit], start=1)]


def mark_not_important(email: Email) -> None:
    email.priority = 0
    email.priority_reasons = [{"reason": NOT_IMPORTANT, "points": 0}]
    email.priority_at = utcnow()


NOT_IMPORTANT = "you marked it not important"


def _marked_unimportant(email: Email) -> bool:
    reasons = email.priority_reasons or []
    return bool(reasons) and reasons[0].get("reason") == NOT_IMPORTANT


def stale_window(days: int = 30) -> datetime:
    return datetime.now(timezone.utc) - timedelta(days=days)
