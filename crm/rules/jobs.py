"""Rule jobs: run a rule on stored mail in the background (after an admin activates it, say).

Rules on arriving mail need no job of their own: the analysis job calls ``crm.rules.runner.apply_rules``
for each mail it analyses, once per mail.
"""

from __future__ import annotations

from assistant.jobs.context import JobContext
from assistant.jobs.registry import PermanentError, job
from assistant.errors import MailassistError
from crm.rules.service import RuleService
from crm.users.repository import UserRepository
from crm.users.service import UserService

__all__ = ["apply_rule_job", "BATCH"]

BATCH = 50


@job("rules.apply", max_retries=2)
def apply_rule_job(ctx: JobContext, rule_id: int, email_ids: list[int], user_id: int) -> dict:
    """Idempotent: a mail the rule already created a record from is skipped, an update is written once.

    Each batch commits on its own (so progress shows, and a rerun after a crash skips what was done).
    """
    user = UserRepository(ctx.session).get(user_id)
    if user is None or not user.is_active:
        raise PermanentError(f"user {user_id} is gone")
    who = UserService(ctx.session).identity_for(user)
    outcomes: dict[str, int] = {}
    for start in range(0, len(email_ids), BATCH):
        with ctx.runtime.unit() as session:
            service = RuleService(session, who)
            for email_id in email_ids[start:start + BATCH]:
                try:
                    entries = service.apply(rule_id, [email_id])
                except MailassistError as exc:
                    if exc.code == "rule_not_found":
                        raise PermanentError(exc.message) from None
                    outcomes["missing"] = outcomes.get("missing", 0) + 1  # the mail was deleted
                    continue
                for entry in entries:
                    outcomes[entry.outcome] = outcomes.get(entry.outcome, 0) + 1
        ctx.progress(min(start + BATCH, len(email_ids)), len(email_ids),
                     ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())), force=True)
    return outcomes
