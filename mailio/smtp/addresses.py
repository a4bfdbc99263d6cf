"""From-addresses: who may send as which address, and proving an address by a mailed code.

An address becomes usable once someone who reads its mailbox types back the 6-digit code we
mailed to it. Only an HMAC of the code is stored (keyed with the service's encryption key, so a
leaked database row does not give the code away by trying all million), and it expires. Each
wrong try takes a fifth of the code's lifetime away, so after five wrong codes it is dead and a
new one must be mailed: guessing one in a million five times is hopeless.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy.orm import Session

from assistant.errors import BadInput, Conflict, Forbidden, NotFound
from assistant.settings import Settings
from crm.db import utcnow
from crm.users.service import Identity
from mailio.compose.headers import Mailbox, check_header_value, parse_mailbox, stored_name
from mailio.smtp.repository import FromAddressRepository, PreferencesRepository
from mailio.smtp.tables import FromAddress

__all__ = ["FromAddressService", "WrongCode", "CODE_TTL", "WRONG_CODE_PENALTY"]

CODE_TTL = timedelta(minutes=30)
WRONG_CODE_PENALTY = CODE_TTL / 5
SCOPES = ("org", "user")


class WrongCode(BadInput):
    """A wrong code. The caller must commit before answering: the shortened life is the brute-force guard."""

    code = "wrong_code"


def _code_hash(settings: Settings, row_id: int, code: str) -> str:
    key = hashlib.sha256(b"from-address-code:" + settings.credentials_key().encode()).digest()
    return hmac.new(key, f"{row_id}:{code}".encode(), hashlib.sha256).hexdigest()


class FromAddressService:
    def __init__(self, session: Session, settings: Settings):
        self.session = session
        self.settings = settings
        self.addresses = FromAddressRepository(session)
        self.prefs = PreferencesRepository(session)

    # --- who may see and change what -------------------------------------------------------------
    def listed(self, who: Identity) -> list[FromAddress]:
        return self.addresses.all() if who.has("admin") else self.addresses.usable_by(who.user_id)

    def _manageable(self, who: Identity, address_id: int) -> FromAddress:
        row = self.addresses.get(address_id)
        if row is None or (row.scope == "user" and row.owner_id != who.user_id and not who.has("admin")):
            raise NotFound(f"from-address {address_id} not found")
        if row.scope == "org" and not who.has("admin"):
            raise Forbidden("only an admin manages org-wide from-addresses", code="missing_scope",
                            details={"scope": "admin"})
        return row

    # --- adding, verifying, removing -------------------------------------------------------------
    def add(self, who: Identity, address: str, *, display_name: str = "", scope: str = "user") -> FromAddress:
        if scope not in SCOPES:
            raise BadInput(f"scope must be one of {SCOPES}", code="bad_scope", details={"field": "scope"})
        if scope == "org" and not who.has("admin"):
            raise Forbidden("only an admin adds org-wide from-addresses", code="missing_scope",
                            details={"scope": "admin"})
        if scope == "user" and not who.has("mail:send"):
            raise Forbidden("this needs the 'mail:send' scope", code="missing_scope", details={"scope": "mail:send"})
        box = parse_mailbox("address", address)
        check_header_value("display_name", display_name, max_length=200)
        owner = who.user_id if scope == "user" else None
        if self.addresses.same(box.address, scope, owner) is not None:
            raise Conflict(f"{box.address} is already a from-address here", code="from_address_exists")
        row = FromAddress(address=box.address.lower(), display_name=display_name.strip() or box.name,
                          scope=scope, owner_id=owner, added_by=who.user_id)
        return self.addresses.add(row)

    def issue_code(self, row: FromAddress) -> str:
        """A fresh code (any older one stops working); the plaintext is returned to be mailed, once."""
        code = f"{secrets.randbelow(10**6):06d}"
        row.code_hash = _code_hash(self.settings, row.id, code)
        row.code_expires_at = utcnow() + CODE_TTL
        self.session.flush()
        return code

    def verify(self, who: Identity, address_id: int, code: str) -> FromAddress:
        row = self._manageable(who, address_id)
        if row.verified_at is not None:
            return row
        now = utcnow()
        if not row.code_hash or row.code_expires_at is None or row.code_expires_at <= now:
            raise BadInput("the code has expired or was never sent: ask for a new one", code="code_expired",
                           details={"field": "code"})
        given = (code or "").strip()
        if not hmac.compare_digest(row.code_hash, _code_hash(self.settings, row.id, given)):
            row.code_expires_at -= WRONG_CODE_PENALTY
            self.session.flush()
            raise WrongCode("wrong code", details={"field": "code"})
        row.verified_at, row.code_hash, row.code_expires_at = now, None, None
        return row

    def can_resend(self, who: Identity, address_id: int) -> FromAddress:
        row = self._manageable(who, address_id)
        if row.verified_at is not None:
            raise Conflict(f"{row.address} is already verified", code="already_verified")
        return row

    def delete(self, who: Identity, address_id: int) -> None:
        self.addresses.delete(self._manageable(who, address_id))

    # --- sending as ------------------------------------------------------------------------------
    def senders(self, who: Identity) -> list[Mailbox]:
        """Every address ``who`` may send as: their login email first, then verified ones."""
        user = self.prefs.user(who.user_id)
        name = stored_name(user.name if user else "")
        found = [Mailbox(name, who.email.lower())]
        for row in self.addresses.usable_by(who.user_id):
            if row.verified_at is not None and row.address != found[0].address:
                found.append(Mailbox(stored_name(row.display_name) or name, row.address))
        return found

    def resolve_sender(self, who: Identity, address: str | None, name: str | None = None, *,
                       senders: list[Mailbox] | None = None, default: str | None = None) -> Mailbox:
        """The From of a new mail: the asked address (or the default one) if ``who`` may use it.

        ``senders`` and ``default`` let a caller composing many mails look them up once.
        """
        if address is None or not address.strip():
            address = default or self.prefs.of(who.user_id).default_from or who.email
        if name:
            check_header_value("from_name", name, max_length=200)
        box = parse_mailbox("from", address)
        for allowed in senders if senders is not None else self.senders(who):
            if allowed.address == box.address.lower():
                return Mailbox(name.strip() if name else (box.name or allowed.name), allowed.address)
        raise BadInput(f"you may not send as {box.address}: use your own address or a verified from-address",
                       code="from_not_allowed", details={"field": "from"})
