"""Linking mail to records: people by address, their accounts, and deals by rule.

Deal rule: a mail goes on a deal's timeline when the conversation is already on that deal (the deal
"named in the thread"), or when the person's contact or account has exactly one open deal.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from crm.mail.repository import EmailRepository, LinkRepository
from crm.mail.tables import Email, EmailLink
from crm.records.modules import OPEN_STAGES

__all__ = ["link_emails", "link_existing_mail"]


def link_emails(session: Session, owner_id: int | None, emails: list[Email]) -> list[EmailLink]:
    repo = LinkRepository(session)
    mine = repo.own_addresses(owner_id)
    roles: dict[int, list[tuple[str, str]]] = {}
    for email in emails:
        pairs = [("from", email.from_addr)] + [("to", a) for a in email.to_addrs or []] + \
                [("cc", a) for a in email.cc_addrs or []]
        roles[email.id] = [(role, addr.lower()) for role, addr in pairs if addr and addr.lower() not in mine]
    contacts, leads = repo.people_by_address({a for pairs in roles.values() for _, a in pairs})
    contacts_by_addr: dict[str, list] = {}
    for contact in contacts:
        contacts_by_addr.setdefault(contact.email.lower(), []).append(contact)
    leads_by_addr: dict[str, list] = {}
    for lead in leads:
        leads_by_addr.setdefault(lead.email.lower(), []).append(lead)
    deals = repo.open_deals([c.id for c in contacts], [c.account_id for c in contacts], OPEN_STAGES)
    thread_deal = repo.thread_deals([e.thread_id for e in emails])
    existing = repo.existing([e.id for e in emails])
    created: list[EmailLink] = []

    def add(email: Email, module: str, record_id: int, reason: str) -> None:
        key = (email.id, module, record_id)
        if key not in existing:
            existing.add(key)
            link = EmailLink(email_id=email.id, module=module, record_id=record_id, reason=reason)
            session.add(link)
            created.append(link)

    for email in emails:
        people = []
        for role, addr in roles[email.id]:
            for contact in contacts_by_addr.get(addr, []):
                add(email, "contacts", contact.id, role)
                people.append(contact)
                if contact.account_id:
                    add(email, "accounts", contact.account_id, "account")
            for lead in leads_by_addr.get(addr, []):
                add(email, "leads", lead.id, role)
        if email.thread_id in thread_deal:
            add(email, "deals", thread_deal[email.thread_id], "deal-thread")
            continue
        for person in people:
            mine_deals = [d for d in deals if d.contact_id == person.id or
                          (person.account_id and d.account_id == person.account_id)]
            if len({d.id for d in mine_deals}) == 1:
                add(email, "deals", mine_deals[0].id, "deal-single-open")
                thread_deal[email.thread_id] = mine_deals[0].id
                break
    session.flush()
    return created


def link_existing_mail(session: Session, address: str) -> int:
    """Link mail stored before a person's address was known (a new contact, a changed email)."""
    emails = EmailRepository(session).involving(address)
    by_owner: dict[int | None, list[Email]] = {}
    for email in emails:
        by_owner.setdefault(email.owner_id, []).append(email)
    return sum(len(link_emails(session, owner, batch)) for owner, batch in by_owner.items())
