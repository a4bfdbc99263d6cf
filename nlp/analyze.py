"""The analysis of one message, as the CLI and `POST /v1/analyze` return it.

For now the envelope (decoded headers) only; the pipeline stages add their keys as they land.
"""

from __future__ import annotations

from typing import Any

from nlp.parsing.envelope import read_envelope

__all__ = ["analyze_raw"]


def analyze_raw(raw: bytes, *, id: str | None = None) -> dict[str, Any]:
    env = read_envelope(raw)
    return {
        "id": id,
        "envelope": {
            "message_id": env.message_id,
            "subject": env.subject,
            "from": {"name": env.from_name, "address": env.from_addr},
            "to": env.to,
            "cc": env.cc,
            "date": env.date.isoformat() if env.date else None,
            "in_reply_to": env.in_reply_to,
            "references": env.references,
            "size": env.size,
            "problem": env.problem,
        },
    }
