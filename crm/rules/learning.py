"""Learning from a sample: the admin pastes a mail or picks a stored one, highlights a value, picks a field.

The service finds a mapping that points at the value (``nlp.rules.learner``), shows what it gives on the
sample, and what it gives on other recent mails the rule would match (same approved senders and
conditions), so a mapping that only works on the sample shows at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from assistant.errors import BadInput, Forbidden, NotFound
from crm.mail.sharing import MailReader
from crm.records.service import module_spec
from crm.rules.repository import RuleMailRepository
from crm.rules.runner import view_of_email
from crm.rules.validation import bad_rule
from crm.users.service import Identity
from nlp.rules.conditions import check_conditions, sender_approved
from nlp.rules.definition import Condition, Mapping, RuleError
from nlp.rules.engine import extract_mapping, plain_value
from nlp.rules.learner import learn_field, suggest_match
from nlp.rules.mailview import MailView, view_from_text
from nlp.rules.safe_regex import Budget

__all__ = ["Sample", "LearnService", "MAX_SAMPLE_CHARS"]

MAX_SAMPLE_CHARS = 2_000_000


@dataclass
class Sample:
    view: MailView
    email_id: int | None


class LearnService:
    def __init__(self, session: Session, who: Identity):
        if not who.has("admin"):
            raise Forbidden("parsing rules are managed by admins", code="missing_scope", details={"scope": "admin"})
        self.session = session
        self.who = who
        self.mail = RuleMailRepository(session)

    def sample(self, *, email_id: int | None = None, raw: str | None = None) -> Sample:
        """A stored mail (by id), or a pasted one: a whole message with headers, or just its body."""
        if email_id is not None:
            email = MailReader(self.session, self.who).get(email_id, need="full")
            return Sample(view_of_email(self.session, email), email.id)
        if not raw or not raw.strip():
            raise BadInput("paste a sample mail or choose a stored one", code="no_sample",
                           details={"field": "sample"})
        if len(raw) > MAX_SAMPLE_CHARS:
            raise BadInput(f"the sample is longer than {MAX_SAMPLE_CHARS} characters", code="too_large",
                           details={"field": "sample"})
        return Sample(view_from_text(raw.replace("\r\n", "\n")), None)

    def describe(self, sample: Sample) -> dict[str, Any]:
        """What the editor shows: the texts one can highlight in, and a suggested sender and condition."""
        view = sample.view
        return {"email_id": sample.email_id, "from_addr": view.from_addr, "from_name": view.from_name,
                "subject": view.subject, "has_html": bool(view.html),
                "attachments": [a.name for a in view.attachments],
                "texts": [{"source": source, "text": text} for source, text in view.texts()],
                "suggestion": suggest_match(view)}

    def learn(self, sample: Sample, *, module: str, field: str, selection: str, start: int | None = None,
              source: str = "body", draft: dict[str, Any] | None = None) -> dict[str, Any]:
        try:
            spec, _ = module_spec(self.session, module)
        except NotFound:
            raise BadInput(f"module: there is no module {module!r}", code="bad_rule",
                           details={"where": "module"}) from None
        target = spec.field(field)
        if target is None:
            raise BadInput(f"{spec.name} has no field {field!r}", code="unknown_field",
                           details={"field": field, "allowed": [f.name for f in spec.fields]})
        try:
            learned = learn_field(sample.view, field=field, field_type=target.type, selection=selection,
                                  start=start, source=source)
        except RuleError as exc:
            raise bad_rule(exc, field) from None
        return {
            "mapping": learned.mapping.model_dump(mode="json", exclude_defaults=False),
            "value": plain_value(learned.value), "raw": learned.raw, "evidence": learned.evidence,
            "kind": learned.kind, "notes": learned.notes,
            "alternatives": [m.model_dump(mode="json") for m in learned.alternatives],
            "others": self.others(sample, [learned.mapping], draft),
        }

    def others(self, sample: Sample, mappings: list[Mapping], draft: dict[str, Any] | None,
               limit: int = 5) -> list[dict[str, Any]]:
        """What the mappings give on other recent mails that the draft rule would match."""
        draft = draft or {}
        senders = [str(s).strip().lower() for s in draft.get("senders") or [] if str(s).strip()]
        senders = senders or ([sample.view.from_addr] if sample.view.from_addr else [])
        if not senders:
            return []
        try:
            conditions = [Condition.model_validate(c) for c in draft.get("conditions") or []]
        except ValidationError:
            conditions = []
        out = []
        for email in self.mail.recent(senders=senders, limit=30, exclude=sample.email_id):
            view = view_of_email(self.session, email)
            if view.body == sample.view.body and view.subject == sample.view.subject:
                continue  # the sample itself, stored
            budget = Budget()
            try:
                if not sender_approved(senders, view.from_addr) or \
                        not check_conditions(conditions, draft.get("match", "all"), view, budget).matched:
                    continue
            except RuleError:
                continue
            results = [extract_mapping(m, view, budget, i) for i, m in enumerate(mappings)]
            out.append({"email_id": email.id, "subject": email.subject, "date": email.date,
                        "fields": [r.to_json() for r in results]})
            if len(out) >= limit:
                break
        return out
