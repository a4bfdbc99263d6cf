"""Users, passwords and API keys: the rules of identity. No SQL here, no commits."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from assistant.errors import BadInput, Conflict, NotFound
from crm.db import utcnow
from crm.users.repository import ApiKeyRepository, UserRepository
from crm.users.tables import ROLES, ApiKey, User

__all__ = ["SCOPES", "Identity", "UserService", "ROLE_SCOPES"]

SCOPES = ("analyze", "mail:read", "mail:send", "records:read", "records:write", "admin")
# What a signed-in person may do through the web UI, by role.
ROLE_SCOPES = {
    "admin": frozenset(SCOPES),
    "manager": frozenset(SCOPES) - {"admin"},
    "rep": frozenset(SCOPES) - {"admin"},
}
_KEY_PREFIX = "mak"
_hasher = PasswordHasher()


@dataclass(frozen=True)
class Identity:
    """Who is asking: a user, through a session or an API key, with the scopes that grants."""

    user_id: int
    email: str
    role: str
    scopes: frozenset[str] = field(default_factory=frozenset)
    via: str = "session"
    api_key_id: int | None = None
    rate_limit: int | None = None  # analysis calls per minute for this API key (None: the settings' default)

    def has(self, scope: str) -> bool:
        return scope in self.scopes


def _hash_secret(secret: str) -> str:
    # API keys are 256-bit random: a fast hash is enough and lets every request verify cheaply.
    return hashlib.sha256(secret.encode()).hexdigest()


class UserService:
    def __init__(self, session: Session):
        self.users = UserRepository(session)
        self.keys = ApiKeyRepository(session)

    # --- users ----------------------------------------------------------------------------------
    def create_user(self, email: str, password: str | None, *, name: str = "", role: str = "rep") -> User:
        email = email.strip()
        if "@" not in email or len(email) > 320:
            raise BadInput(f"not an email address: {email!r}", code="bad_email")
        if role not in ROLES:
            raise BadInput(f"unknown role {role!r}", code="bad_role", details={"allowed": list(ROLES)})
        if self.users.by_email(email):
            raise Conflict(f"a user with email {email} exists", code="user_exists")
        if password is not None and len(password) < 8:
            raise BadInput("password must have at least 8 characters", code="weak_password")
        user = User(email=email, name=name, role=role,
                    password_hash=_hasher.hash(password) if password else None)
        return self.users.add(user)

    def authenticate(self, email: str, password: str) -> User | None:
        user = self.users.by_email(email)
        if user is None or not user.is_active or not user.password_hash:
            # Same work as a real check, so timing does not reveal which emails exist.
            _hasher.hash(password or "x")
            return None
        try:
            _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        return user

    def set_password(self, user: User, password: str) -> None:
        if len(password) < 8:
            raise BadInput("password must have at least 8 characters", code="weak_password")
        user.password_hash = _hasher.hash(password)

    def identity_for(self, user: User) -> Identity:
        return Identity(user.id, user.email, user.role, ROLE_SCOPES.get(user.role, frozenset()))

    # --- API keys -------------------------------------------------------------------------------
    def create_api_key(self, user: User, scopes: list[str], name: str = "") -> tuple[ApiKey, str]:
        """A new key; the plaintext is returned once and only its hash is stored."""
        unknown = sorted(set(scopes) - set(SCOPES))
        if unknown or not scopes:
            raise BadInput(f"unknown or missing scopes: {unknown or scopes}", code="bad_scope",
                           details={"allowed": list(SCOPES)})
        if "admin" in scopes and user.role != "admin":
            raise BadInput("only an admin may hold an admin-scoped key", code="bad_scope")
        prefix = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        key = ApiKey(user_id=user.id, name=name, prefix=prefix, secret_hash=_hash_secret(secret),
                     scopes=sorted(set(scopes)))
        self.keys.add(key)
        return key, f"{_KEY_PREFIX}_{prefix}_{secret}"

    def resolve_api_key(self, plaintext: str) -> Identity | None:
        parts = plaintext.strip().split("_", 2)
        if len(parts) != 3 or parts[0] != _KEY_PREFIX:
            return None
        key = self.keys.by_prefix(parts[1])
        if key is None or key.revoked_at is not None:
            return None
        if not hmac.compare_digest(key.secret_hash, _hash_secret(parts[2])):
            return None
        user = key.user
        if not user.is_active:
            return None
        now = utcnow()
        # Throttled so that a busy key does not turn every read request into a write.
        if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
            key.last_used_at = now
        return Identity(user.id, user.email, user.role, frozenset(key.scopes), via="api_key", api_key_id=key.id,
                        rate_limit=key.rate_limit_per_minute)

    def revoke_api_key(self, key_id: int, *, by: Identity) -> ApiKey:
        key = self.keys.get(key_id)
        if key is None or (key.user_id != by.user_id and not by.has("admin")):
            raise NotFound(f"api key {key_id} not found")
        key.revoked_at = key.revoked_at or utcnow()
        return key
