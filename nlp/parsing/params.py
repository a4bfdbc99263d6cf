"""Structured header values: ``type/subtype; name="value"; name*=utf-8''%E2%82%AC`` and RFC 2231.

A hand-written scanner (each step a ``str.find`` forward) instead of a regex, so that an unclosed
quote cannot make it quadratic.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from nlp.parsing.charsets import decode_bytes
from nlp.parsing.words import decode_words

__all__ = ["MAX_PARAM_CHARS", "parse_content_type", "parse_disposition", "parse_params"]

MAX_PARAM_CHARS = 8192  # of one structured header: real ones are a few hundred characters


def parse_content_type(value: str | None,
                       default: str = "text/plain") -> tuple[str, str, dict[str, str], bool]:
    """(maintype, subtype, params, valid): an unreadable type falls back to ``default``."""
    if not value:
        main, _, sub = default.partition("/")
        return main, sub, {}, True
    head, _, rest = value[:MAX_PARAM_CHARS].partition(";")
    ctype = "".join(head.split()).lower()
    main, slash, sub = ctype.partition("/")
    params = parse_params(rest)
    if not slash or not main or not sub:
        dmain, _, dsub = default.partition("/")
        return dmain, dsub, params, False
    return main, sub, params, True


def parse_disposition(value: str | None) -> tuple[str | None, dict[str, str]]:
    if not value:
        return None, {}
    head, _, rest = value[:MAX_PARAM_CHARS].partition(";")
    return head.strip().lower() or None, parse_params(rest)


def parse_params(text: str) -> dict[str, str]:
    """Parameters after the first ";", names lower-cased, RFC 2231 continuations joined and decoded."""
    raw: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        eq = text.find("=", i)
        if eq < 0:
            break
        name = text[i:eq]
        semi = name.rfind(";")  # a parameter without a value before this one
        if semi >= 0:
            name = name[semi + 1:]
        name = name.strip().lower()
        j = eq + 1
        while j < n and text[j] in " \t":
            j += 1
        if j < n and text[j] == '"':
            value, i = _quoted(text, j + 1)
        else:
            end = text.find(";", j)
            end = n if end < 0 else end
            value, i = text[j:end].strip(), end + 1
        if name and " " not in name:
            raw.append((name, value))
    return _join_rfc2231(raw)


def _quoted(text: str, start: int) -> tuple[str, int]:
    """The value of a quoted string starting after its opening quote, and where scanning goes on."""
    out: list[str] = []
    pos = start
    while True:
        q = text.find('"', pos)
        if q < 0:  # unclosed: the rest is the value
            out.append(text[pos:])
            return _unescape("".join(out)), len(text)
        backslashes = 0
        k = q - 1
        while k >= pos and text[k] == "\\":
            backslashes += 1
            k -= 1
        out.append(text[pos:q])
        if backslashes % 2:  # an escaped quote belongs to the value
            out.append('"')
            pos = q + 1
            continue
        semi = text.find(";", q + 1)
        return _unescape("".join(out)), (len(text) if semi < 0 else semi + 1)


def _unescape(value: str) -> str:
    if "\\" not in value:
        return value
    return value.replace('\\"', '"').replace("\\\\", "\\")


def _join_rfc2231(raw: list[tuple[str, str]]) -> dict[str, str]:
    params: dict[str, str] = {}
    sections: dict[str, list[tuple[int, bool, str]]] = {}
    for name, value in raw:
        if "*" not in name:
            if name not in params:
                params[name] = value
            continue
        base, _, rest = name.partition("*")
        encoded = rest.endswith("*") or rest == ""
        index_text = rest.rstrip("*")
        index = int(index_text) if index_text.isdigit() else 0
        sections.setdefault(base, []).append((index, encoded, value))
    for base, pieces in sections.items():
        pieces.sort(key=lambda piece: piece[0])
        params[base] = _decode_2231(pieces[:100])  # more continuations than that is hostile
    # Non-standard but common: RFC 2047 encoded words inside a quoted parameter (Outlook, Gmail).
    for key in ("name", "filename"):
        if key in params and "=?" in params[key]:
            params[key] = decode_words(params[key])
    return params


def _decode_2231(pieces: list[tuple[int, bool, str]]) -> str:
    charset = None
    data = bytearray()
    for position, (_, encoded, value) in enumerate(pieces):
        if encoded:
            if position == 0 and value.count("'") >= 2:
                charset, _language, value = value.split("'", 2)
            data += unquote_to_bytes(value)
        else:
            data += value.encode("latin-1", errors="replace")
    return decode_bytes(bytes(data), charset or "utf-8", detect=False).text
