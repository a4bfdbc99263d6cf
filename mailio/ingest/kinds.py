"""Kinds of recipient the ingest server accepts mail for, and what each does with it.

The server asks each kind in turn whether it knows a RCPT address; the first that does owns it:
the BCC dropbox (``dropbox+<token>@...``), and the parsing rules' own addresses (``rules+<token>@...`` or
one an admin chose), whose mail the rules turn into records.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email import policy
from email.parser import BytesHeaderParser
from email.utils import getaddresses
from typing import Any, Protocol

from sqlalchemy.orm import Session

from assistant.analysis import request_analysis
from assistant.errors import BadInput
from crm.mail.linking import link_emails
from crm.mail.repository import LinkRepository
from crm.mail.service import Incoming, MailStore
from crm.records.service import Change, RecordService
from crm.rules.repository import RuleAddressRepository, RuleRepository
from crm.users.service import UserService
from mailio.ingest.dropbox import dropbox_domain, token_of
from mailio.smtp.repository import PreferencesRepository
from nlp.parsing.envelope import decode_header_value
from nlp.rules.conditions import sender_approved

__all__ = ["Target", "RecipientKind", "DropboxKind", "RulesKind", "Refusal"]

log = logging.getLogger("mailio.ingest")


class Refusal(Exception):
    """An SMTP reply refusing the mail (a 4xx or 5xx line); the sender's server sees it."""

    def __init__(self, reply: str):
        super().__init__(reply)
        self.reply = reply


@dataclass(frozen=True)
class Target:
    """One accepted RCPT: the kind that owns it and what that kind needs to deliver (e.g. a user id)."""

    kind: str
    address: str
    key: Any


class RecipientKind(Protocol):
    name: str

    def resolve(self, session: Session, settings, address: str) -> Target | None:
        """The target of ``address`` if this kind knows it, else None."""

    def check_sender(self, session: Session, target: Target, mail_from: str) -> None:
        """Raise :class:`Refusal` when ``mail_from`` may not send to ``target``."""

    def deliver(self, runtime, session: Session, target: Target, raw: bytes) -> None:
        """Take the message (raise :class:`Refusal` to refuse it); commits with ``session``."""


def _split_name(name: str) -> tuple[str | None, str | None]:
    parts = name.replace('"', "").split()
    if not parts:
        return None, None
    if len(parts) == 1:
        return None, parts[0][:120]
    return " ".join(parts[:-1])[:120], parts[-1][:120]


class DropboxKind:
    """``dropbox+<token>@<dropbox domain>``: mail the user sent elsewhere, filed as sent by them."""

    name = "dropbox"

    def resolve(self, session: Session, settings, address: str) -> Target | None:
        token = token_of(address, dropbox_domain(settings))
        if token is None:
            return None
        prefs = PreferencesRepository(session).by_dropbox_token(token)
        user = PreferencesRepository(session).user(prefs.user_id) if prefs else None
        if user is None or not user.is_active:
            return None
        return Target(self.name, address.lower(), user.id)

    def check_sender(self, session: Session, target: Target, mail_from: str) -> None:
        if mail_from.strip().lower() not in PreferencesRepository(session).sender_addresses(target.key):
            raise Refusal("550 5.7.1 the sender is not a verified address of this dropbox's owner")

    def deliver(self, runtime, session: Session, target: Target, raw: bytes) -> None:
        user_id = target.key
        prefs = PreferencesRepository(session)
        own = prefs.sender_addresses(user_id)
        head = BytesHeaderParser(policy=policy.compat32).parsebytes(raw[:2_000_000])
        senders = [a.lower() for _, a in getaddresses([decode_header_value(v) for v in head.get_all("From", [])])]
        if not senders or senders[0] not in own:
            raise Refusal("550 5.7.1 the From header is not a verified address of this dropbox's owner")
        result = MailStore(session).store_batch([Incoming(raw)], owner_id=user_id, source="dropbox",
                                                direction="out")[0]
        if not result.created:
            return  # the same mail again (or already synced from Sent): nothing more to do
        email = result.email
        request_analysis(runtime, session, [email.id])
        creates = prefs.of(user_id).dropbox_creates or "none"
        if creates == "none":
            return
        names = {a.lower(): n for n, a in getaddresses(
            [decode_header_value(v) for v in head.get_all("To", []) + head.get_all("Cc", [])])}
        domain = dropbox_domain(runtime.settings)
        wanted = [a for a in dict.fromkeys([*(email.to_addrs or []), *(email.cc_addrs or [])])
                  if a not in own and not a.endswith("@" + domain)]
        contacts, leads = LinkRepository(session).people_by_address(wanted)
        known = {c.email.lower() for c in contacts} | {lead.email.lower() for lead in leads}
        users = UserService(session)
        who = users.identity_for(users.users.get_or_raise(user_id))
        if not who.has("records:write"):
            log.info("dropbox owner may not create records", extra={"user_id": user_id})
            return
        records = RecordService(session, who, "leads" if creates == "lead" else "contacts")
        for address in wanted:
            if address in known:
                continue
            first, last = _split_name(names.get(address, ""))
            data = {"email": address, "first_name": first, "last_name": last}
            if creates == "lead":
                data["lead_source"] = "dropbox"
            try:
                records.create(data, Change(source="dropbox", email_id=email.id))
            except BadInput as exc:  # an address the CRM will not hold: the mail is kept, the record skipped
                log.info("dropbox recipient not recorded", extra={"code": exc.code})
        link_emails(session, user_id, [email])


class RulesKind:
    """A parser address: mail from senders the rules approve (or from the address's owner, forwarding a
    sample), stored as received by the owner; the analysis job then runs the rules on it, once."""

    name = "rules"

    def resolve(self, session: Session, settings, address: str) -> Target | None:
        found = RuleAddressRepository(session).by_address(address)
        if found is None or not found.active:
            return None
        owner = PreferencesRepository(session).user(found.owner_id)
        if owner is None or not owner.is_active:
            return None
        return Target(self.name, found.address, found.owner_id)

    def check_sender(self, session: Session, target: Target, mail_from: str) -> None:
        sender = mail_from.strip().lower()
        if sender and sender in PreferencesRepository(session).sender_addresses(target.key):
            return
        for rule in RuleRepository(session).all():
            senders = rule.definition.get("senders") or []
            if sender_approved(senders, sender) and (senders or sender):
                return
        raise Refusal("550 5.7.1 the sender is not approved by any parsing rule of this address")

    def deliver(self, runtime, session: Session, target: Target, raw: bytes) -> None:
        result = MailStore(session).store_batch([Incoming(raw)], owner_id=target.key, source="rules",
                                                direction="in")[0]
        if result.created:
            request_analysis(runtime, session, [result.email.id])  # the rules run after the pipeline
