from __future__ import annotations

import pytest
from pydantic import ValidationError

from assistant.settings import Settings, masked_settings


def test_defaults_are_embedded_sqlite_under_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'data' / 'mailassist.sqlite'}"
    assert settings.embedded_jobs


def test_environment_variables_with_the_prefix_configure_everything(tmp_path, monkeypatch):
    monkeypatch.setenv("MAILASSIST_DATABASE_URL", "postgresql+psycopg://u:pw@db/mailassist")
    monkeypatch.setenv("MAILASSIST_BROKER_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("MAILASSIST_LOG_LEVEL", "DEBUG")
    settings = Settings(data_dir=tmp_path)
    assert settings.effective_database_url.startswith("postgresql+psycopg://")
    assert not settings.embedded_jobs and settings.log_level == "DEBUG"
    assert masked_settings(settings)["effective_database_url"] == "postgresql+psycopg://u:***@db/mailassist"


def test_invalid_values_are_rejected_with_the_field_name(monkeypatch):
    monkeypatch.setenv("MAILASSIST_LOG_LEVEL", "LOUD")
    with pytest.raises(ValidationError, match="log_level"):
        Settings()


def test_generated_keys_are_kept_private_and_stable(tmp_path):
    settings = Settings(data_dir=tmp_path)
    first = settings.session_secret()
    assert Settings(data_dir=tmp_path).session_secret() == first
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0
