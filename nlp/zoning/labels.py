"""The zone vocabulary, in the order the model's weight columns use."""

from __future__ import annotations

__all__ = ["ZONES", "ZONE_INDEX", "NEW_TEXT_ZONES"]

ZONES: tuple[str, ...] = (
    "new_text", "greeting", "closing", "signature", "mobile_footer", "disclaimer", "list_footer",
    "quote_header", "quoted", "forwarded",
)
ZONE_INDEX: dict[str, int] = {z: i for i, z in enumerate(ZONES)}
# The zones whose lines make up what the author wrote in this message.
NEW_TEXT_ZONES: frozenset[str] = frozenset({"greeting", "new_text", "closing"})
