from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.suggestions.tables import Suggestion
from crm.records.tables import Account, Contact, Lead
from crm.repository import Repository

__all__ = ["SuggestionRepository"]


class SuggestionRepository(Repository[Suggestion]):
    model = Suggestion
    sortable = ("id", "created_at", "confidence")
    filterable = ("state", "kind", "email_id", "module", "record_id", "owner_id")

    def existing_keys(self, owner_id: int | None, keys: Iterable[str]) -> set[str]:
        keys = list(set(keys))
        if not keys:
            return set()
        query = select(Suggestion.dedupe_key).where(Suggestion.dedupe_key.in_(keys),
                                                    Suggestion.owner_id.is_(None) if owner_id is None
                                                    else Suggestion.owner_id == owner_id)
        return set(self.session.scalars(query))

    def contact_by_address(self, address: str) -> Contact | None:
        return self.session.scalar(select(Contact).where(func.lower(Contact.email) == address.lower()).limit(1))

    def lead_by_address(self, address: str) -> Lead | None:
        return self.session.scalar(select(Lead).where(func.lower(Lead.email) == address.lower()).limit(1))

    def contact_by_name_and_company(self, given: str, family: str, company: str) -> Contact | None:
        query = (select(Contact).join(Account, Contact.account_id == Account.id)
                 .where(func.lower(Contact.first_name) == given.lower(), func.lower(Contact.last_name) == family.lower(),
                        func.lower(Account.name) == company.lower()).limit(1))
        return self.session.scalar(query)

    def account_by_name(self, name: str) -> Account | None:
        return self.session.scalar(select(Account).where(func.lower(Account.name) == name.lower()).limit(1))
