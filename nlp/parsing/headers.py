"""Header blocks: split from the body and unfolded with plain string operations.

This replaces the stdlib feedparser on the hot path: it is ~10x faster, linear on any input, and
it never builds header objects for headers nobody reads. Values are kept as latin-1 text, which maps
each byte to one character, so no information is lost before a header is decoded on demand
(:func:`nlp.parsing.words.decode_words`).
"""

from __future__ import annotations

import re

__all__ = ["MAX_HEADER_BYTES", "MAX_HEADER_LINES", "HeaderMap", "split_head"]

MAX_HEADER_BYTES = 256 * 1024  # of one header block; more is hostile or broken, and is not parsed
MAX_HEADER_LINES = 2000

# A newline not followed by folding whitespace starts the next field.
_FIELD_SPLIT = re.compile(r"\n(?![ \t])")
# A line break that folds the next line onto this one (RFC 5322 unfolding removes just the break).
_FOLD = re.compile(r"\n(?=[ \t])")
# One unfolded field: a name of printable ASCII without ":", then its value to the end of the line.
_FIELD = re.compile(r"^([!-9;-~]+)[ \t]*:[ \t]*(.*)$", re.MULTILINE)


class HeaderMap:
    """Header fields in order, looked up by lower-case name; values are unfolded latin-1 text.

    Built from two parallel lists with C-level ``map``/``zip``/``dict`` calls (no Python loop per
    field): the parse stage reads ~20 headers of the ~30 a message carries.
    """

    __slots__ = ("_first", "_lower", "names_as_written", "values")

    def __init__(self, items: list[tuple[str, str]] | None = None):
        self.names_as_written: list[str] = [name for name, _ in items or ()]
        self.values: list[str] = [value for _, value in items or ()]
        self._index()

    def _index(self) -> None:
        self._lower = list(map(str.lower, self.names_as_written))
        # The first occurrence wins, as in the stdlib: build from the end so earlier ones overwrite.
        self._first = dict(zip(reversed(self._lower), reversed(self.values)))

    @classmethod
    def from_lists(cls, names: list[str], values: list[str]) -> HeaderMap:
        headers = cls.__new__(cls)
        headers.names_as_written, headers.values = names, values
        headers._index()
        return headers

    @property
    def items(self) -> list[tuple[str, str]]:
        return list(zip(self.names_as_written, self.values))

    def get(self, name: str, default: str | None = None) -> str | None:
        """The first value of ``name`` (lower case)."""
        return self._first.get(name, default)

    def get_all(self, name: str) -> list[str]:
        """Every value of ``name`` (lower case), in order."""
        if name not in self._first:
            return []
        if self._lower.count(name) == 1:
            return [self._first[name]]
        return [value for key, value in zip(self._lower, self.values) if key == name]

    def present(self, names: frozenset[str]) -> set[str]:
        """Which of ``names`` (lower case) the message has: one C-level set intersection."""
        return self._first.keys() & names

    def __contains__(self, name: str) -> bool:
        return name in self._first

    def __len__(self) -> int:
        return len(self.values)

    def names(self) -> list[str]:
        return list(self._first)


def split_head(data: bytes, *, mbox: bool = False) -> tuple[HeaderMap, bytes, list[str]]:
    """Split ``data`` (line endings already "\\n") into its headers, its body and the problems met.

    ``mbox`` skips a leading "From " envelope line, as mbox files and the SpamAssassin corpus have.
    A line that is neither a header nor a continuation ends the headers and starts the body, as in
    the stdlib parser.
    """
    problems: list[str] = []
    start = 0
    if mbox and data.startswith(b"From "):
        nl = data.find(b"\n")
        start = len(data) if nl < 0 else nl + 1
    if data.startswith(b"\n", start):
        return HeaderMap(), data[start + 1:], problems
    end = data.find(b"\n\n", start)
    head_end = len(data) if end < 0 else end + 1  # keep the last header's "\n"
    body_start = len(data) if end < 0 else end + 2
    if head_end - start > MAX_HEADER_BYTES:
        problems.append(f"header block over {MAX_HEADER_BYTES} bytes; the rest of it was not read")
        head_end = start + MAX_HEADER_BYTES
    text = data[start:head_end].decode("latin-1")
    unfolded = _FOLD.sub("", text) if ("\n " in text or "\n\t" in text) else text
    pairs = _FIELD.findall(unfolded)
    lines = unfolded.count("\n") + (0 if unfolded.endswith("\n") else 1)
    if text[:1] not in (" ", "\t") and len(pairs) == lines:
        # Every line is a field or a continuation (nearly all mail): no line-by-line checks needed.
        if len(pairs) > MAX_HEADER_LINES:
            problems.append(f"more than {MAX_HEADER_LINES} header fields; the rest were not read")
            pairs = pairs[:MAX_HEADER_LINES]
        names = [name for name, _ in pairs]
        values = [value for _, value in pairs]
        return HeaderMap.from_lists(names, values), data[body_start:], problems
    fields = _FIELD_SPLIT.split(text)  # one chunk per field, continuation lines included (C speed)
    items: list[tuple[str, str]] = []
    offset = 0
    for number, chunk in enumerate(fields):
        name, colon, value = chunk.partition(":")
        name = name.rstrip()
        if not colon or not name or " " in name or "\t" in name or "\n" in name:
            if number == 0 and chunk[:1] in (" ", "\t"):
                # Folded onto nothing (often a line of spaces before the headers): skipped, as the
                # stdlib does (FirstHeaderLineIsContinuationDefect).
                problems.append("the first header line is a continuation line; it was ignored")
                offset += len(chunk) + 1
                continue
            if not chunk.strip():
                if number == len(fields) - 1:
                    break  # the block's final "\n"
                # A whitespace-only line inside the block: the rest is body, as the stdlib reads it.
                return HeaderMap(items), data[start + offset + len(chunk) + 1:], problems
            # Not a header: the body starts here (stdlib: MissingHeaderBodySeparatorDefect).
            problems.append("a line that is not a header ended the header block")
            return HeaderMap(items), data[start + offset:], problems
        if len(items) >= MAX_HEADER_LINES:
            problems.append(f"more than {MAX_HEADER_LINES} header fields; the rest were not read")
            break
        if "\n" in value:
            value = value.replace("\n", "")  # unfold: continuation lines keep their leading space
        value = value.lstrip(" \t")
        items.append((name, value))
        offset += len(chunk) + 1
    return HeaderMap(items), data[body_start:], problems
