"""A user's compose settings: default from-address, signature, font."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from assistant.errors import BadInput
from assistant.settings import Settings
from crm.users.service import Identity
from crm.users.tables import UserPreferences
from mailio.smtp.addresses import FromAddressService
from mailio.smtp.repository import PreferencesRepository

__all__ = ["ComposeSettings", "ComposeSettingsService", "FONT"]

# Font names only: the value is written into a CSS declaration of every HTML mail.
FONT = re.compile(r"[A-Za-z0-9 ,'\"-]{1,100}")
_UNSET = object()


@dataclass(frozen=True)
class ComposeSettings:
    default_from: str
    signature: str
    font: str


class ComposeSettingsService:
    def __init__(self, session: Session, settings: Settings, who: Identity):
        self.session = session
        self.settings = settings
        self.who = who
        self.prefs = PreferencesRepository(session)

    def get(self) -> ComposeSettings:
        prefs = self.prefs.of(self.who.user_id)
        return ComposeSettings(prefs.default_from or self.who.email, prefs.signature or "", prefs.font or "")

    def put(self, *, default_from: str | None = None, signature: str | None = None,
            font: str | None = None) -> ComposeSettings:
        """Only the given values change; an empty string clears one."""
        prefs: UserPreferences = self.prefs.of(self.who.user_id)
        if default_from is not None:
            if default_from.strip():
                box = FromAddressService(self.session, self.settings).resolve_sender(self.who, default_from)
                prefs.default_from = box.address
            else:
                prefs.default_from = None
        if signature is not None:
            if len(signature) > 5000:
                raise BadInput("a signature may have at most 5000 characters", code="too_long",
                               details={"field": "signature"})
            prefs.signature = signature.replace("\r\n", "\n").strip() or None
        if font is not None:
            font = font.strip()
            if font and not FONT.fullmatch(font):
                raise BadInput("a font is a list of font names (letters, digits, spaces, commas, quotes)",
                               code="bad_font", details={"field": "font"})
            prefs.font = font or None
        self.session.flush()
        return self.get()
