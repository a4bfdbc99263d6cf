"""The ASGI entry point `mailassist serve` runs (one per web worker process)."""

from __future__ import annotations

from api.app import create_app
from assistant.logs import configure_logging
from assistant.runtime import Runtime
from assistant.settings import get_settings

_settings = get_settings()
configure_logging(_settings.log_level, _settings.log_format)
app = create_app(Runtime(_settings))
