"""Making, listing, accepting and rejecting suggestions; applying one is a normal, recorded record change."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from assistant.errors import BadInput, Conflict, NotFound
from assistant.suggestions.activities import activity_drafts
from assistant.suggestions.repository import SuggestionRepository
from assistant.suggestions.signature import Draft, signature_drafts
from assistant.suggestions.tables import Suggestion
from crm.db import utcnow
from crm.mail.repository import LinkRepository
from crm.mail.tables import Email
from crm.org.settings import OrgSettings, OrgSettingsModel
from crm.records.service import Change, RecordService
from crm.users.repository import UserRepository
from crm.users.service import Identity, UserService

__all__ = ["SuggestionService"]


class SuggestionService:
    def __init__(self, session: Session):
        self.session = session
        self.repo = SuggestionRepository(session)

    # --- making -------------------------------------------------------------------------------------
    def derive(self, email: Email, result: dict, org: OrgSettingsModel | None = None) -> list[Suggestion]:
        """Turn an analysis into suggestions for the mail's owner; repeats and rejected values are skipped."""
        if email.owner_id is None:
            return []
        org = org or OrgSettings(self.session).get()
        drafts = signature_drafts(self.repo, email, result, org) + activity_drafts(email, result)
        known = self.repo.existing_keys(email.owner_id, [d.dedupe_key for d in drafts])
        made = []
        for draft in drafts:
            if draft.dedupe_key in known:
                continue
            known.add(draft.dedupe_key)
            suggestion = Suggestion(owner_id=email.owner_id, email_id=email.id, kind=draft.kind, module=draft.module,
                                    record_id=draft.record_id, field=draft.field, old_value=draft.old_value,
                                    new_value=draft.new_value, confidence=draft.confidence, evidence=draft.evidence,
                                    dedupe_key=draft.dedupe_key)
            self.session.add(suggestion)
            made.append(suggestion)
        self.session.flush()
        for suggestion in made:
            threshold = self._threshold(suggestion, org)
            if threshold is not None and suggestion.confidence >= threshold:
                self._apply(suggestion, self._owner_identity(suggestion.owner_id), {}, state="auto")
        return made

    @staticmethod
    def _threshold(suggestion: Suggestion, org: OrgSettingsModel) -> float | None:
        if suggestion.kind == "new_record":
            return org.signature_autocreate_threshold
        if suggestion.kind == "activity":
            return org.activity_autocreate_threshold
        return None  # an update to a known record is always a person's decision

    def _owner_identity(self, owner_id: int) -> Identity:
        users = UserService(self.session)
        return users.identity_for(UserRepository(self.session).get_or_raise(owner_id))

    # --- reading ------------------------------------------------------------------------------------
    def get(self, suggestion_id: int, who: Identity) -> Suggestion:
        suggestion = self.repo.get(suggestion_id)
        if suggestion is None or (suggestion.owner_id != who.user_id and not who.has("admin")):
            raise NotFound(f"suggestion {suggestion_id} not found")
        return suggestion

    def page(self, who: Identity, **filters: Any):
        if not who.has("admin"):
            filters["owner_id"] = who.user_id
        return self.repo.page(sort="-id", filters=filters, limit=filters.pop("limit", 100))

    # --- deciding -----------------------------------------------------------------------------------
    def accept(self, suggestion_id: int, who: Identity, edits: dict[str, Any] | None = None) -> Suggestion:
        suggestion = self.get(suggestion_id, who)
        if suggestion.state != "pending":
            raise Conflict(f"this suggestion is already {suggestion.state}", code="already_decided")
        return self._apply(suggestion, who, edits or {}, state="accepted")

    def reject(self, suggestion_id: int, who: Identity) -> Suggestion:
        suggestion = self.get(suggestion_id, who)
        if suggestion.state != "pending":
            raise Conflict(f"this suggestion is already {suggestion.state}", code="already_decided")
        suggestion.state, suggestion.decided_by, suggestion.decided_at = "rejected", who.user_id, utcnow()
        return suggestion

    def _apply(self, suggestion: Suggestion, who: Identity, edits: dict[str, Any], *, state: str) -> Suggestion:
        source = "signature" if suggestion.kind != "activity" else "activity"
        change = Change(source=source if state == "accepted" else f"{source}-auto", email_id=suggestion.email_id,
                        detail=suggestion.evidence)
        if suggestion.kind == "contact_update":
            value = edits.get("value", suggestion.new_value)
            RecordService(self.session, who, suggestion.module).update(suggestion.record_id,
                                                                       {suggestion.field: value}, change)
            suggestion.created_record_id = suggestion.record_id
        elif suggestion.kind == "new_record":
            suggestion.created_record_id = self._create_person(suggestion, who, {**suggestion.new_value, **edits},
                                                               change)
        else:
            suggestion.created_record_id = self._create_activity(suggestion, who, {**suggestion.new_value, **edits},
                                                                 change)
        suggestion.state, suggestion.decided_by, suggestion.decided_at = state, who.user_id, utcnow()
        self.session.flush()
        return suggestion

    def _create_person(self, suggestion: Suggestion, who: Identity, payload: dict, change: Change) -> int:
        data = dict(payload)
        company = data.pop("company", None) if suggestion.module == "contacts" else None
        if company:
            account = self.repo.account_by_name(company)
            if account is None:
                account = RecordService(self.session, who, "accounts").create({"name": company}, change)
            data["account_id"] = account.id
        return RecordService(self.session, who, suggestion.module).create(data, change).id

    def _create_activity(self, suggestion: Suggestion, who: Identity, activity: dict, change: Change) -> int:
        email = self.session.get(Email, suggestion.email_id)
        related = self._related(suggestion.email_id)
        text = activity.get("title") or activity.get("description") or (email.subject if email else "") or ""
        description = activity.get("evidence")
        if suggestion.module == "events":
            data = {"title": text or "Meeting", "start": activity.get("start"), "end": activity.get("end"),
                    "timezone": activity.get("timezone"), "location": activity.get("location"),
                    "video_link": activity.get("video_link"), "description": description,
                    "status": "cancelled" if activity.get("status") == "cancelled" else "confirmed",
                    "ical_uid": activity.get("uid")}
            existing = self._event_by_uid(activity.get("uid"), who)
            if existing is not None:  # an invite update or cancellation changes the event it created
                return RecordService(self.session, who, "events").update(existing, _clean(data), change).id
        elif suggestion.module == "tasks":
            data = {"subject": text or "Follow up", "due_date": _as_datetime(activity.get("due")),
                    "description": description}
        elif suggestion.module == "calls":
            data = {"subject": text or "Call", "phone": activity.get("phone"),
                    "scheduled_at": activity.get("start"), "description": description}
        else:
            raise BadInput(f"cannot create {suggestion.module} from a suggestion", code="bad_suggestion")
        return RecordService(self.session, who, suggestion.module).create({**_clean(data), **related,
                                                                            "email_id": suggestion.email_id},
                                                                           change).id

    def _related(self, email_id: int) -> dict[str, int]:
        """The person, account and deal of the mail, so the new activity sits on their records."""
        related: dict[str, int] = {}
        for link in LinkRepository(self.session).for_email(email_id):
            key = {"contacts": "contact_id", "leads": "lead_id", "accounts": "account_id",
                   "deals": "deal_id"}.get(link.module)
            if key and key not in related:
                related[key] = link.record_id
        return related

    def _event_by_uid(self, uid: str | None, who: Identity) -> int | None:
        if not uid:
            return None
        page = RecordService(self.session, who, "events").list(filters={"ical_uid": uid}, limit=1)
        return page.items[0].id if page.items else None


def _clean(data: dict) -> dict:
    return {k: v for k, v in data.items() if v is not None}


def _as_datetime(value: Any) -> Any:
    """A task due on a date is due at the end of that day (in UTC when no zone is known)."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return datetime.fromisoformat(value + "T23:59:00+00:00")
        except ValueError:
            return value
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.fromisoformat(value.isoformat() + "T23:59:00+00:00")
    return value
