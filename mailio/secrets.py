"""Mail server passwords encrypted at rest with a key from settings (Fernet: AES + HMAC)."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

from assistant.errors import MailassistError
from assistant.settings import Settings

__all__ = ["encrypt_secret", "decrypt_secret", "SecretUnreadable"]


class SecretUnreadable(MailassistError):
    status = 500
    code = "secret_unreadable"


def _fernet(settings: Settings) -> Fernet:
    # Any string works as the configured key: it is stretched to Fernet's 32 bytes.
    digest = hashlib.sha256(settings.credentials_key().encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_secret(settings: Settings, plaintext: str) -> bytes:
    return _fernet(settings).encrypt(plaintext.encode())


def decrypt_secret(settings: Settings, token: bytes) -> str:
    try:
        return _fernet(settings).decrypt(token).decode()
    except InvalidToken:
        raise SecretUnreadable("a stored password cannot be decrypted: was MAILASSIST_ENCRYPTION_KEY changed?") \
            from None
