"""The pipeline in the job layer: every stored mail is analysed once per pipeline version.

Stored mail asks for analysis after its unit of work commits; the job runs the whole batch through
the pipeline at once (batching is where the speed is), stores each result with the pipeline version
and the stages that ran, and marks a mail whose stage failed instead of losing it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy.orm import Session

from assistant.alerts.service import AlertService
from assistant.jobs.context import JobContext
from assistant.jobs.registry import job, periodic
from assistant.priority.service import prioritize, reprioritize_waiting, rescore_recent
from assistant.suggestions.service import SuggestionService
from crm.mail.attachments import store_attachments
from crm.mail.repository import EmailRepository
from crm.mail.tables import EmailAnalysis
from crm.org.settings import OrgSettings
from crm.rules.runner import apply_rules
from crm.users.repository import UserRepository
from crm.users.service import UserService
from nlp.pipeline import MessageInput, Pipeline

__all__ = ["request_analysis", "analyze_emails", "pipeline_version", "ANALYZE_BATCH", "JOB_MAILS"]

log = logging.getLogger("assistant.analysis")
ANALYZE_BATCH = 64  # messages per pipeline batch
# Mails per mail.analyze job (the pipeline still takes them ANALYZE_BATCH at a time). Publishing a job
# costs about a millisecond (a queue row and its commit, kombu's message): when every 64 stored mails
# made a job of their own, that was a tenth of a mailbox sync's storing time.
JOB_MAILS = 256


def pipeline_version(pipeline: Pipeline) -> str:
    return f"{pipeline.version}:{'+'.join(pipeline.names)}"


def request_analysis(runtime, session: Session, email_ids: Iterable[int]) -> list[str]:
    """Ask for analysis of these mails, in jobs of up to ``JOB_MAILS``, once ``session`` commits."""
    ids = sorted(set(email_ids))
    return [runtime.enqueue(session, "mail.analyze", ids[start:start + JOB_MAILS])
            for start in range(0, len(ids), JOB_MAILS)]


def analyze_emails(session: Session, pipeline: Pipeline, email_ids: list[int], *, force: bool = False) -> int:
    """Analyse the mails that have no result for this pipeline version; returns how many ran."""
    version = pipeline_version(pipeline)
    repo = EmailRepository(session)
    emails = repo.by_ids(email_ids)
    done = repo.analyses(email_ids, version)
    todo = [e for e in emails if force or e.id not in done]
    if not todo:
        return 0
    org = OrgSettings(session).get()
    context = {"competitors": org.competitors}  # the insight tags look for the admin's competitor list
    inputs = [MessageInput(id=str(e.id), raw=e.raw, date=e.date, context=context) for e in todo]
    for email in todo:
        store_attachments(session, email)
    suggestions = SuggestionService(session)
    results: dict[int, dict] = {}
    for email, doc in zip(todo, pipeline.pipe(inputs, batch_size=ANALYZE_BATCH)):
        row = done.get(email.id) or EmailAnalysis(email_id=email.id, pipeline_version=version)
        row.components = pipeline.names
        row.result = doc.result()
        row.state = "partial" if doc.errors else "done"
        session.add(row)
        email.analysis_state = "failed" if doc.errors else "done"
        suggestions.derive(email, row.result, org)
        apply_rules(session, email, doc)  # admin-defined parsing rules, once per mail
        results[email.id] = row.result
    session.flush()
    # The owner's inbox order and live alerts come last: they read the links and suggestions made above.
    prioritize(session, todo, results, weights=org.priority_weights)
    _alert_owners(session, todo, results)
    session.flush()
    return len(todo)


def _alert_owners(session: Session, emails, results: dict[int, dict]) -> None:
    alerts, users, owners = AlertService(session), UserRepository(session), {}
    for email in emails:
        if email.owner_id is None or email.direction != "in":
            continue
        if email.owner_id not in owners:
            user = users.get(email.owner_id)
            owners[email.owner_id] = UserService(session).identity_for(user) if user and user.is_active else None
        alerts.on_analysed(email, results[email.id], owners[email.owner_id])


@job("mail.analyze", max_retries=2)
def analyze_job(ctx: JobContext, email_ids: list[int]) -> dict:
    count = analyze_emails(ctx.session, ctx.runtime.pipeline, email_ids)
    return {"analyzed": count, "asked": len(email_ids)}


@job("inbox.reprioritize")
def reprioritize_job(ctx: JobContext) -> dict:
    """Hourly: "waiting N days" grows while a mail waits for an answer, so its score is recomputed."""
    return {"rescored": reprioritize_waiting(ctx.session)}


periodic("inbox.reprioritize", 3600)


@job("inbox.rescore")
def rescore_job(ctx: JobContext) -> dict:
    """After an admin changes the priority weights: the last 30 days of mail re-ordered."""
    return {"rescored": rescore_recent(ctx.session)}
