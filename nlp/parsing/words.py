"""Header text: RFC 2047 encoded words and raw 8-bit bytes, decoded without ever raising.

Adjacent encoded words in one charset are joined *before* decoding, because many mailers split a
multi-byte character (Japanese, Chinese) across two words. Raw 8-bit header bytes (RFC 6532 UTF-8, or
a legacy charset written without encoding) are read as UTF-8, else as the body's charset, else cp1252.
"""

from __future__ import annotations

import binascii
import re

from nlp.parsing.charsets import decode_bytes

__all__ = ["MAX_HEADER_CHARS", "collapse", "decode_words", "fix_8bit"]

MAX_HEADER_CHARS = 16 * 1024  # of one decoded header; real subjects and names are far shorter

# =?charset[*lang]?B|Q?payload?= ; the classes exclude "?" so every match is unambiguous (linear).
_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_NOT_B64 = re.compile(r"[^A-Za-z0-9+/=]")


def collapse(text: str) -> str:
    """Unfolded header text with runs of whitespace made one space."""
    return " ".join(text.split())


def fix_8bit(value: str, fallback: str | None = None, problems: list[str] | None = None) -> str:
    """``value`` holds raw header bytes as latin-1 characters; turn them into the text they encode."""
    if value.isascii():
        return value
    try:
        raw = value.encode("latin-1")  # values this package builds hold one byte per character
    except UnicodeEncodeError:
        try:  # stdlib compat32 values carry raw bytes as surrogates
            raw = value.encode("utf-8", errors="surrogateescape")
        except UnicodeEncodeError:
            return value.encode("utf-8", errors="replace").decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    decoded = decode_bytes(raw, fallback, detect=False)
    if decoded.problem and problems is not None:
        problems.append(f"header: raw 8-bit text, {decoded.problem}")
    return decoded.text


def decode_words(value: str | None, fallback: str | None = None, problems: list[str] | None = None) -> str:
    """Decode a header value to display text (encoded words, 8-bit bytes, folded whitespace)."""
    if not value:
        return ""
    if len(value) > MAX_HEADER_CHARS:
        if problems is not None:
            problems.append(f"header over {MAX_HEADER_CHARS} characters; cut there")
        value = value[:MAX_HEADER_CHARS]
    if "=?" not in value:
        return collapse(fix_8bit(value, fallback, problems))
    pieces: list[str] = []
    pending = bytearray()
    pending_charset: str | None = None
    prev_end = 0
    prev_word = False

    def flush() -> None:
        nonlocal pending, pending_charset
        if pending_charset is not None:
            decoded = decode_bytes(bytes(pending), pending_charset, detect=False)
            if decoded.problem and problems is not None:
                problems.append(f"header: {decoded.problem}")
            pieces.append(decoded.text)
        pending = bytearray()
        pending_charset = None

    for match in _WORD.finditer(value):
        gap = value[prev_end:match.start()]
        raw = _payload(match.group(2), match.group(3))
        if raw is None:  # not a valid encoded word: show it as written
            flush()
            pieces.append(fix_8bit(value[prev_end:match.end()], fallback, problems))
            prev_end, prev_word = match.end(), False
            continue
        charset = match.group(1).partition("*")[0].lower()  # RFC 2231 adds "*language"
        if not (prev_word and not gap.strip()):  # whitespace between two encoded words is dropped
            flush()
            pieces.append(fix_8bit(gap, fallback, problems))
        elif charset != pending_charset:
            flush()
        pending_charset = charset
        pending += raw
        prev_end, prev_word = match.end(), True
    flush()
    pieces.append(fix_8bit(value[prev_end:], fallback, problems))
    return collapse("".join(pieces))


def _payload(kind: str, payload: str) -> bytes | None:
    if kind in "bB":
        if _NOT_B64.search(payload):
            return None
        data = payload.rstrip("=")
        if len(data) % 4 == 1:
            data = data[:-1]
        try:
            return binascii.a2b_base64(data + "=" * (-len(data) % 4))
        except binascii.Error:
            return None
    try:
        return binascii.a2b_qp(payload.encode("latin-1", errors="replace"), header=True)
    except (binascii.Error, ValueError):
        return None
