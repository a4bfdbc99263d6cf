"""What changed between two versions of a rule, as a list of paths with their old and new values."""

from __future__ import annotations

from typing import Any

__all__ = ["flatten", "diff"]

_MISSING = object()


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """``{"mappings": [{"field": "email"}]}`` → ``{"mappings[0].field": "email"}`` (empty lists and dicts kept)."""
    out: dict[str, Any] = {}
    if isinstance(value, dict) and value:
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            out.update(flatten(item, f"{prefix}[{index}]"))
    else:
        out[prefix] = value
    return out


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> list[dict[str, Any]]:
    """Each path whose value differs, in the new definition's order (then removed paths)."""
    before, after = flatten(old or {}), flatten(new)
    changes = []
    for path, value in after.items():
        previous = before.get(path, _MISSING)
        if previous is _MISSING or previous != value:
            changes.append({"path": path, "old": None if previous is _MISSING else previous, "new": value})
    for path, value in before.items():
        if path not in after:
            changes.append({"path": path, "old": value, "new": None})
    return changes
