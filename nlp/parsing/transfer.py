"""Content-Transfer-Encoding: base64 and quoted-printable decoded by the C codecs in binascii, tolerantly."""

from __future__ import annotations

import binascii

__all__ = ["decode_transfer"]

_B64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
# Every byte that is not base64 data or padding, for bytes.translate(None, delete=...).
_B64_JUNK = bytes(b for b in range(256) if b not in _B64_ALPHABET and b != ord("="))
_IDENTITY = frozenset({"", "7bit", "8bit", "binary", "7-bit", "8-bit", "none"})


def decode_transfer(data: bytes, encoding: str | None) -> tuple[bytes, str | None]:
    """Decoded bytes and a problem (None when clean). Unknown encodings pass the bytes through."""
    cte = (encoding or "").strip().strip("\"'").lower()
    if cte in _IDENTITY:
        return data, None
    if cte == "base64":
        return _base64(data)
    if cte in ("quoted-printable", "quoted_printable", "qp"):
        return binascii.a2b_qp(data), None
    if cte in ("x-uuencode", "uuencode", "x-uue", "uue"):
        return _uudecode(data)
    return data, f"unknown transfer encoding {cte[:40]!r}; bytes kept as sent"


def _base64(data: bytes) -> tuple[bytes, str | None]:
    try:
        out = binascii.a2b_base64(data)
    except binascii.Error:
        out = None
    # a2b_base64 stops at the first padding: text after it (concatenated chunks) would be lost silently.
    if out is not None and len(out) * 4 >= (len(data) * 3) * 0.95 - 8:
        return out, None
    clean = data.translate(None, _B64_JUNK)
    junk = len(data) - len(clean) - data.count(b"\n") - data.count(b" ") - data.count(b"\t")
    if out is not None and len(out) * 4 >= len(clean.replace(b"=", b"")) * 3 - 8:
        if junk > 16 and junk * 10 > len(data):
            return out, "base64 with non-base64 characters; they were skipped"
        return out, None  # only line breaks and padding around whole data
    pieces = []
    for chunk in clean.split(b"="):
        if not chunk:
            continue
        chunk = chunk[: len(chunk) - len(chunk) % 4] if len(chunk) % 4 == 1 else chunk
        chunk += b"=" * (-len(chunk) % 4)
        try:
            pieces.append(binascii.a2b_base64(chunk))
        except binascii.Error:
            continue
    return b"".join(pieces), "broken base64 (bad padding or length); decoded what was readable"


def _uudecode(data: bytes) -> tuple[bytes, str | None]:
    out = bytearray()
    lines = data.split(b"\n")
    started = False
    for line in lines:
        if not started:
            started = line.startswith(b"begin ")
            continue
        if line.strip() in (b"end", b"`", b""):
            if line.strip() == b"end":
                break
            continue
        try:
            out += binascii.a2b_uu(line)
        except binascii.Error:
            # Some encoders write lines a few bytes short: decode what the length byte promises.
            nbytes = (((line[0] - 32) & 63) * 4 + 5) // 3
            try:
                out += binascii.a2b_uu(line[:nbytes])
            except binascii.Error:
                return bytes(out), "broken uuencode; decoded what was readable"
    if not started:
        return data, "uuencode without a begin line; bytes kept as sent"
    return bytes(out), None
