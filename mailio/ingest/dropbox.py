"""Each user's BCC dropbox address: ``dropbox+<token>@<dropbox domain>``, secret and regenerable."""

from __future__ import annotations

import re
import secrets

from sqlalchemy.orm import Session

from assistant.errors import BadInput
from assistant.settings import Settings
from crm.users.service import Identity
from crm.users.tables import UserPreferences
from mailio.smtp.repository import PreferencesRepository

__all__ = ["DropboxService", "CREATES", "dropbox_domain", "token_of", "vcard"]

CREATES = ("none", "lead", "contact")
_LOCAL = re.compile(r"dropbox\+([0-9a-f]{24})")


def dropbox_domain(settings: Settings) -> str:
    return getattr(settings, "dropbox_domain", "dropbox.mailassist.local").lower()


def token_of(address: str, domain: str) -> str | None:
    """The token of a dropbox address on ``domain``; None for any other address."""
    local, at, host = address.strip().lower().rpartition("@")
    found = _LOCAL.fullmatch(local) if at and host == domain else None
    return found.group(1) if found else None


def vcard(name: str, address: str) -> str:
    def esc(text: str) -> str:  # RFC 6350 §3.4 text escaping
        return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")

    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{esc(name)}", f"N:{esc(name)};;;;", "ORG:mailassist",
             f"EMAIL;TYPE=INTERNET:{address}", "NOTE:BCC this address to file a mail you send in mailassist.",
             "END:VCARD"]
    return "\r\n".join(lines) + "\r\n"


class DropboxService:
    def __init__(self, session: Session, settings: Settings, who: Identity):
        self.session = session
        self.settings = settings
        self.who = who
        self.prefs = PreferencesRepository(session)

    def _prefs(self) -> UserPreferences:
        prefs = self.prefs.of(self.who.user_id)
        if not prefs.dropbox_token:
            prefs.dropbox_token = secrets.token_hex(12)  # 96 random bits
            self.session.flush()
        return prefs

    def address(self) -> str:
        return f"dropbox+{self._prefs().dropbox_token}@{dropbox_domain(self.settings)}"

    def creates(self) -> str:
        return self._prefs().dropbox_creates or "none"

    def regenerate(self) -> str:
        """A new address; the old one is refused from now on."""
        prefs = self._prefs()
        prefs.dropbox_token = secrets.token_hex(12)
        self.session.flush()
        return self.address()

    def set_creates(self, creates: str) -> str:
        if creates not in CREATES:
            raise BadInput(f"creates must be one of {CREATES}", code="bad_creates", details={"field": "creates"})
        self._prefs().dropbox_creates = creates
        self.session.flush()
        return creates

    def vcard(self) -> str:
        return vcard("mailassist dropbox", self.address())
