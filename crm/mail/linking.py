"""Linking mail to records: people by address, their accounts, and deals by rule.

Deal rule: a mail goes on a deal's timeline when the conversation is already on that deal (the deal
"named in the thread"), or when the person's contact or account has exactly one open deal.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy.orm import Session

from crm.mail.repository import EmailRepository, LinkRepository
from crm.mail.tables import Email
from crm.records.modules import OPEN_STAGES

__all__ = ["link_emails", "link_existing_mail"]


def link_emails(session: Session, owner_id: int | None, emails: Sequence[Email], *, fresh: bool = False,
                new_threads: Collection[int] = ()) -> int:
    """Link mail to people, accounts and deals; returns how many links were made.

    A batch costs one query per table (ids and addresses, not whole records) and one multi-row INSERT.
    ``fresh``: the mail was inserted in this unit of work and has no links yet; ``new_threads``:
    threads started in it, which no stored mail (so no deal) is on yet.
    """
    repo = LinkRepository(session)
    mine = repo.own_addresses(owner_id)
    roles: dict[int, list[tuple[str, str]]] = {}
    for email in emails:
        pairs = [("from", email.from_addr)] + [("to", a) for a in email.to_addrs or []] + \
                [("cc", a) for a in email.cc_addrs or []]
        roles[email.id] = [(role, addr.lower()) for role, addr in pairs if addr and addr.lower() not in mine]
    contacts, leads = repo.people_ids_by_address({a for pairs in roles.values() for _, a in pairs})
    contacts_by_addr: dict[str, list[tuple[int, int | None]]] = {}
    for contact_id, email_addr, account_id in contacts:
        contacts_by_addr.setdefault(email_addr.lower(), []).append((contact_id, account_id))
    leads_by_addr: dict[str, list[int]] = {}
    for lead_id, email_addr in leads:
        leads_by_addr.setdefault(email_addr.lower(), []).append(lead_id)
    deals = repo.open_deal_ids([c[0] for c in contacts], [c[2] for c in contacts], OPEN_STAGES)
    single_deal = _single_open_deal(deals)
    thread_deal = repo.thread_deals({e.thread_id for e in emails} - set(new_threads))
    existing = set() if fresh else repo.existing([e.id for e in emails])
    created: list[tuple[int, str, int, str]] = []

    def add(email_id: int, module: str, record_id: int, reason: str) -> None:
        key = (email_id, module, record_id)
        if key not in existing:
            existing.add(key)
            created.append((email_id, module, record_id, reason))

    for email in emails:
        email_id, thread_id = email.id, email.thread_id
        people: list[tuple[int, int | None]] = []
        for role, addr in roles[email_id]:
            for contact in contacts_by_addr.get(addr, ()):
                add(email_id, "contacts", contact[0], role)
                people.append(contact)
                if contact[1]:
                    add(email_id, "accounts", contact[1], "account")
            for lead_id in leads_by_addr.get(addr, ()):
                add(email_id, "leads", lead_id, role)
        if thread_id in thread_deal:
            add(email_id, "deals", thread_deal[thread_id], "deal-thread")
            continue
        for person in people:
            deal_id = single_deal(person)
            if deal_id is not None:
                add(email_id, "deals", deal_id, "deal-single-open")
                thread_deal[thread_id] = deal_id
                break
    repo.add_links(created)
    return len(created)


def _single_open_deal(deals: list[tuple[int, int | None, int | None]]):
    """person (contact id, account id) → the id of the one open deal of the contact or its account, or None."""
    by_contact: dict[int, set[int]] = {}
    by_account: dict[int, set[int]] = {}
    for deal_id, contact_id, account_id in deals:
        if contact_id is not None:
            by_contact.setdefault(contact_id, set()).add(deal_id)
        if account_id is not None:
            by_account.setdefault(account_id, set()).add(deal_id)
    known: dict[tuple[int, int | None], int | None] = {}

    def single(person: tuple[int, int | None]) -> int | None:
        if person not in known:
            contact_id, account_id = person
            ids = by_contact.get(contact_id, set()) | (by_account.get(account_id, set()) if account_id else set())
            known[person] = next(iter(ids)) if len(ids) == 1 else None
        return known[person]

    return single


def link_existing_mail(session: Session, address: str) -> int:
    """Link mail stored before a person's address was known (a new contact, a changed email)."""
    emails = EmailRepository(session).involving(address)
    by_owner: dict[int | None, list[Email]] = {}
    for email in emails:
        by_owner.setdefault(email.owner_id, []).append(email)
    return sum(link_emails(session, owner, batch) for owner, batch in by_owner.items())
