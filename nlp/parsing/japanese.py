"""Japanese charsets as real mailers write them.

"ISO-2022-JP" mail from Windows is really CP50220/50221: JIS X 0208 plus the NEC and IBM extensions
(①, ㈱, ﾊﾝｶｸ half-width katakana) that Python's strict ``iso2022_jp`` codec rejects. Those are
decoded by moving each JIS pair to its Shift_JIS position and decoding with cp932, which has them all.
Mail labelled ISO-2022-JP that carries 8-bit bytes is Shift_JIS, EUC-JP or UTF-8 under the wrong label.
"""

from __future__ import annotations

import re

__all__ = ["MAX_TRANSCODE_BYTES", "decode_iso2022jp", "guess_japanese", "looks_iso2022jp"]

# The CP50220 transcoder steps through byte pairs in Python; past this size the strict codecs
# with replacement characters are used instead (a Japanese mail body is a few kilobytes).
MAX_TRANSCODE_BYTES = 256 * 1024

# Escape sequences that switch ISO-2022-JP (and its -1/-2/-3/2004 variants) between sets.
_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b(B", b"\x1b(J", b"\x1b(I", b"\x1b$(D", b"\x1b$(Q", b"\x1b$(O")
# A Shift_JIS lead byte that EUC-JP never uses (EUC-JP uses 0x8E/0x8F only as single shifts).
_SJIS_ONLY = re.compile(rb"[\x81-\x8d\x90-\x9f]")
# JIS X 0201 katakana (ESC ( I) 0x21-0x5F sit at 0xA1-0xDF in Shift_JIS.
_KANA_TO_SJIS = bytes(range(128)).replace(bytes(range(0x21, 0x60)), bytes(range(0xA1, 0xE0))) \
    + bytes(range(128, 256))


def looks_iso2022jp(data: bytes) -> bool:
    return any(esc in data for esc in _ESCAPES[:3])


def decode_iso2022jp(data: bytes) -> tuple[str, str | None]:
    """Decode 7-bit ISO-2022-JP with the Windows extensions; the problem is None when nothing was lost."""
    for codec in ("iso2022_jp", "iso2022_jp_ext"):
        try:
            return data.decode(codec), None
        except UnicodeDecodeError:
            continue
    for codec in ("iso2022_jp_2", "iso2022_jp_2004"):  # other languages' sets, JIS X 0213
        try:
            return data.decode(codec), None
        except UnicodeDecodeError:
            continue
    if len(data) > MAX_TRANSCODE_BYTES:
        return data.decode("iso2022_jp_ext", errors="replace"), \
            "ISO-2022-JP with invalid sequences; characters replaced"
    sjis, lost = _to_cp932_bytes(data)
    if not lost:
        try:
            return sjis.decode("cp932"), None
        except UnicodeDecodeError:
            pass
    return sjis.decode("cp932", errors="replace"), "ISO-2022-JP with invalid sequences; characters replaced"


def _to_cp932_bytes(data: bytes) -> tuple[bytes, bool]:
    """Re-encode ISO-2022-JP as Shift_JIS bytes (CP50220 semantics); ``lost`` when a set had no mapping."""
    out = bytearray()
    lost = False
    chunks = data.split(b"\x1b")
    out += chunks[0]
    for chunk in chunks[1:]:
        if chunk[:2] in (b"$B", b"$@"):
            out += _jis_pairs_to_sjis(chunk[2:])
        elif chunk[:3] in (b"$(Q", b"$(O"):  # JIS X 0213 plane 1: same layout as JIS X 0208 for most
            out += _jis_pairs_to_sjis(chunk[3:])
        elif chunk[:2] in (b"(B", b"(J"):
            out += chunk[2:]
        elif chunk[:2] == b"(I":
            out += chunk[2:].translate(_KANA_TO_SJIS)
        else:  # JIS X 0212, other languages or a broken escape: no Shift_JIS position
            lost = True
            out += b"?"
            out += chunk[1:]
    return bytes(out), lost


def _jis_pairs_to_sjis(seg: bytes) -> bytes:
    out = bytearray()
    i, n = 0, len(seg)
    while i < n:
        j1 = seg[i]
        if j1 < 0x21 or j1 > 0x7E or i + 1 >= n:
            out.append(j1)  # a line break or stray byte inside the two-byte run
            i += 1
            continue
        j2 = seg[i + 1]
        if j2 < 0x21 or j2 > 0x7E:
            out.append(j1)
            i += 1
            continue
        s1 = ((j1 + 1) >> 1) + (0x70 if j1 <= 0x5E else 0xB0)
        if j1 & 1:
            s2 = j2 + 0x1F
            if s2 >= 0x7F:
                s2 += 1
        else:
            s2 = j2 + 0x7E
        out.append(s1)
        out.append(s2)
        i += 2
    return bytes(out)


def guess_japanese(data: bytes) -> str | None:
    """The codec of 8-bit Japanese text: UTF-8, Shift_JIS (cp932) or EUC-JP, by strict decoding."""
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    order = ("cp932", "euc_jp") if _SJIS_ONLY.search(data) else ("euc_jp", "cp932")
    for codec in order:
        try:
            data.decode(codec)
            return codec
        except UnicodeDecodeError:
            continue
    return None
