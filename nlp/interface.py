"""The machine interface: JSON in, JSON out, the same for `mailassist analyze` and `POST /v1/analyze`.

Input objects carry an ``id`` and one of ``raw_b64`` (lossless), ``raw`` (the message as a string),
``text`` or ``html`` (a bare body), and optionally ``date`` (RFC 2822), the reference for relative
dates when the message has no Date header. An input that cannot be used yields
``{"id", "error": {"code", "message"}}`` and the batch goes on.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Iterator
from datetime import timezone
from email.utils import parsedate_to_datetime
from typing import Any

from nlp.pipeline import MessageInput, Pipeline

__all__ = ["InputError", "to_input", "analyze_objects", "MAX_INPUT_BYTES"]

MAX_INPUT_BYTES = 25 * 1024 * 1024
_SOURCES = ("raw_b64", "raw", "text", "html")


class InputError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def to_input(obj: Any) -> MessageInput:
    if isinstance(obj, InputError):  # a reader that could not even decode the line passes it through
        raise obj
    if not isinstance(obj, dict):
        raise InputError("bad_input", "each input must be a JSON object")
    given = [k for k in _SOURCES if obj.get(k) is not None]
    if len(given) != 1:
        raise InputError("bad_input", f"give exactly one of {', '.join(_SOURCES)}")
    key = given[0]
    value = obj[key]
    if not isinstance(value, str):
        raise InputError("bad_input", f"{key} must be a string")
    if len(value) > MAX_INPUT_BYTES * (4 / 3 if key == "raw_b64" else 1):
        raise InputError("too_large", f"{key} is larger than {MAX_INPUT_BYTES} bytes")
    item = MessageInput(id=None if obj.get("id") is None else str(obj["id"]))
    if key == "raw_b64":
        try:
            item.raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise InputError("bad_base64", "raw_b64 is not valid base64") from None
    elif key == "raw":
        item.raw = value.encode("utf-8", "surrogateescape")
    elif key == "text":
        item.text = value
    else:
        item.html = value
    if obj.get("date") is not None:
        try:
            date = parsedate_to_datetime(str(obj["date"]))
        except (TypeError, ValueError, IndexError):
            raise InputError("bad_date", "date must be an RFC 2822 date, e.g. 'Mon, 23 Nov 2026 09:00:00 +0100'") \
                from None
        item.date = date if date.tzinfo else date.replace(tzinfo=timezone.utc)
    return item


def analyze_objects(pipeline: Pipeline, objects: Iterable[Any], *, batch_size: int = 64) -> Iterator[dict]:
    """One result per input object, in input order; bad inputs become error results, the rest run in batches."""
    results: dict[int, dict] = {}
    indexes: list[int] = []
    batch: list[MessageInput] = []
    next_out = 0

    def run_batch() -> None:
        for index, doc in zip(indexes, pipeline.pipe(batch, batch_size=batch_size)):
            results[index] = doc.result()
        indexes.clear()
        batch.clear()

    for index, obj in enumerate(objects):
        try:
            batch.append(to_input(obj))
            indexes.append(index)
        except InputError as exc:
            results[index] = {"id": obj.get("id") if isinstance(obj, dict) else None,
                              "error": {"code": exc.code, "message": exc.message}}
        if len(batch) >= batch_size:
            run_batch()
        while next_out in results:
            yield results.pop(next_out)
            next_out += 1
    run_batch()
    while next_out in results:
        yield results.pop(next_out)
        next_out += 1
