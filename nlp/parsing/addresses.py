"""Addresses, message ids and dates from header values, bounded and never raising."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from nlp.parsing.message import Address
from nlp.parsing.words import decode_words, fix_8bit

__all__ = ["MAX_ADDRESSES", "MAX_IDS", "parse_addresses", "parse_date", "parse_ids", "split_addresses"]

MAX_ADDRESS_CHARS = 32 * 1024  # of one address header; the stdlib address parser is slow on more
MAX_ADDRESSES = 500
MAX_IDS = 100  # References longer than this keep the newest ids, which are the ones threading needs

# RFC 5322 address-list tokens: quoted string, comment, angle address, separator, or a plain run.
# Alternatives start with distinct characters and no quantifier is nested: one linear pass.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|\([^()]*\)?|<[^<>]*>?|[,;:]|[^",;:<>()]+|[()<>]')


def parse_addresses(values: list[str], fallback: str | None = None,
                    problems: list[str] | None = None) -> list[Address]:
    """Parse address headers *before* decoding display names: a decoded name may contain commas."""
    if not values:
        return []
    text = fix_8bit(", ".join(values)[:MAX_ADDRESS_CHARS], fallback, problems)
    pairs = split_addresses(text)
    if "=?" in text and any("@" not in addr and "=?" in addr for _, addr in pairs):
        # The whole "Name <address>" inside one encoded word, as some generators write it.
        pairs = split_addresses(decode_words(text, fallback, problems))
    out: list[Address] = []
    for name, addr in pairs:
        if name and "=?" in name:
            name = decode_words(name, fallback, problems)
        out.append(Address(name=" ".join(name.split()), address=addr.lower()))
        if len(out) >= MAX_ADDRESSES:
            break
    return out


def split_addresses(text: str) -> list[tuple[str, str]]:
    """(display name, address) pairs of an address list; ~10x faster than ``email.utils.getaddresses``.

    Handles quoted names with commas, comments as names (``a@b (Name)``), route addresses and groups
    (``team: a@b, c@d;``); what is not an address at all is skipped.
    """
    out: list[tuple[str, str]] = []
    words: list[str] = []
    comments: list[str] = []
    angle: str | None = None

    def flush() -> None:
        nonlocal angle
        if angle is not None:
            addr = angle.strip()
            if addr.startswith("@") and ":" in addr:  # obsolete route: <@relay:user@host>
                addr = addr.split(":", 1)[1]
            name = " ".join(" ".join(words).split()) or " ".join(comments)
        else:
            plain = " ".join(words).split()
            at = [w for w in plain if "@" in w]
            addr = at[-1] if at else (plain[-1] if len(plain) == 1 else "")
            name = " ".join(" ".join(comments).split())
        addr = addr.strip().strip("<>").strip()
        if addr and len(out) < MAX_ADDRESSES:
            out.append((name, addr))
        words.clear()
        comments.clear()
        angle = None

    for token in _TOKEN.findall(text):
        first = token[0]
        if first == '"':
            body = token[1:-1] if len(token) > 1 and token.endswith('"') else token[1:]
            words.append(body.replace('\\"', '"').replace("\\\\", "\\"))
        elif first == "(":
            if len(token) > 1:
                comments.append(token[1:-1] if token.endswith(")") else token[1:])
        elif first == "<":
            if len(token) > 1:
                angle = token[1:-1] if token.endswith(">") else token[1:]
        elif token in (",", ";"):
            flush()
        elif token == ":":
            if angle is None:  # a group's name: "undisclosed-recipients:;" has no address of its own
                words.clear()
                comments.clear()
        elif first not in ")>":
            words.append(token)
    flush()
    return out


def parse_ids(value: str | None, *, keep_last: int = MAX_IDS) -> list[str]:
    """Message ids in angle brackets, in order; a bare id (no brackets, no spaces) is kept as is."""
    if not value:
        return []
    tokens = value.replace(",", " ").replace("><", "> <").split()
    ids = [tok for tok in tokens if tok.startswith("<") and tok.endswith(">") and len(tok) > 2]
    if not ids and len(tokens) == 1 and "@" in tokens[0]:
        ids = ["<" + tokens[0].strip("<>") + ">"]
    return ids[-keep_last:]


def parse_date(value: str | None) -> datetime | None:
    """An aware datetime; a Date with no usable zone ("-0000", none) is read as UTC."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(" ".join(value[:200].split()))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
