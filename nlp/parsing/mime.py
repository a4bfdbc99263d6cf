"""The MIME tree of a message, split with ``bytes.find`` on boundaries.

Each level scans only its own bytes once, so the cost is the message size times the nesting depth,
and both the depth and the number of parts are capped: a message with 100,000 nested multiparts is
read to ``max_depth`` and marked, never walked to the bottom. Leaf payloads stay transfer-encoded
until a later step asks for them (most attachment bytes are never decoded twice).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nlp.parsing.headers import HeaderMap, split_head
from nlp.parsing.params import parse_content_type, parse_disposition

__all__ = ["MAX_DEPTH", "MAX_PARTS", "Part", "parse_tree"]

MAX_DEPTH = 20  # multipart nesting; real mail stays under 6
MAX_PARTS = 500
# Lines that start like a delimiter but are not one ("--b1" when the boundary is "b"), per message:
# each costs a Python step, so a message built of them is cut here instead of walked.
MAX_FALSE_DELIMITERS = 10_000


@dataclass(slots=True, eq=False)
class Part:
    section: str  # "" for the message itself, then "1", "1.2"... as IMAP numbers parts
    headers: HeaderMap
    maintype: str
    subtype: str
    params: dict[str, str]
    disposition: str | None
    disp_params: dict[str, str]
    payload: bytes  # still transfer-encoded; empty for a split multipart
    depth: int
    children: list[Part] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        return f"{self.maintype}/{self.subtype}"

    @property
    def is_multipart(self) -> bool:
        return self.maintype == "multipart"

    @property
    def filename(self) -> str | None:
        name = self.disp_params.get("filename") or self.params.get("name")
        return name.strip() or None if name else None

    @property
    def content_id(self) -> str | None:
        cid = self.headers.get("content-id")
        if not cid:
            return None
        cid = cid.strip().strip("<>").strip()
        return cid[:500] or None

    @property
    def transfer_encoding(self) -> str | None:
        return self.headers.get("content-transfer-encoding")

    @property
    def charset(self) -> str | None:
        return self.params.get("charset")

    @property
    def label(self) -> str:
        return f"part {self.section}" if self.section else "message"

    def walk(self):
        """Every part, depth first, in document order (iterative: no recursion limit to hit)."""
        stack = [self]
        while stack:
            part = stack.pop()
            yield part
            stack.extend(reversed(part.children))


def parse_tree(data: bytes, problems: list[str], *, max_depth: int = MAX_DEPTH,
               max_parts: int = MAX_PARTS) -> Part:
    """The MIME tree of ``data`` (line endings already "\\n"); what could not be read goes to ``problems``."""
    headers, body, head_problems = split_head(data, mbox=True)
    problems.extend(head_problems)
    root = _make_part("", headers, body, 0, None, problems)
    budget = [max_parts, MAX_FALSE_DELIMITERS]  # parts and false delimiters left, for every level
    cut_reported = False
    stack = [root]
    while stack:
        part = stack.pop()
        if not part.is_multipart:
            continue
        if part.depth >= max_depth:
            problems.append(f"{part.label}: MIME nesting deeper than {max_depth} levels; "
                            "inner parts not read")
            part.payload = b""
            continue
        boundary = part.params.get("boundary", "")
        chunks, closed = _split(part.payload, boundary, budget)
        if not chunks:
            if chunks is None:
                what = "without its boundary" if boundary else "without a boundary parameter"
            else:
                what = "with no parts between its boundaries"
            problems.append(f"{part.label}: multipart {what}; read as text")
            part.maintype, part.subtype = "text", "plain"
            continue
        if budget[1] < 0 and not cut_reported:
            problems.append(f"more than {MAX_FALSE_DELIMITERS} lines looked like MIME boundaries; "
                            "the rest of the message was not split")
            cut_reported = True
        if budget[0] < 0:
            if not cut_reported:
                problems.append(f"more than {max_parts} MIME parts; the rest were not read")
                cut_reported = True
        elif not closed:
            problems.append(f"{part.label}: multipart without its closing boundary")
        part.payload = b""
        default = "message/rfc822" if part.subtype == "digest" else "text/plain"
        prefix = f"{part.section}." if part.section else ""
        for number, chunk in enumerate(chunks, 1):
            child_headers, child_body, child_problems = split_head(chunk)
            section = f"{prefix}{number}"
            problems.extend(f"part {section}: {p}" for p in child_problems)
            child = _make_part(section, child_headers, child_body, part.depth + 1, default, problems)
            part.children.append(child)
        stack.extend(reversed(part.children))
    return root


def _make_part(section: str, headers: HeaderMap, body: bytes, depth: int, default: str | None,
               problems: list[str]) -> Part:
    main, sub, params, valid = parse_content_type(headers.get("content-type"), default or "text/plain")
    if not valid:
        label = f"part {section}" if section else "message"
        problems.append(f"{label}: unreadable Content-Type; read as {main}/{sub}")
    disposition, disp_params = parse_disposition(headers.get("content-disposition"))
    return Part(section, headers, main, sub, params, disposition, disp_params, body, depth)


def _split(body: bytes, boundary: str, budget: list[int]) -> tuple[list[bytes] | None, bool]:
    """The parts between ``--boundary`` lines, and whether the closing ``--boundary--`` was seen."""
    if not boundary:
        return None, False
    delim = b"--" + boundary.encode("latin-1", errors="replace")
    size = len(delim)
    at = 0 if body.startswith(delim) and _is_delimiter(body, size) else _next(body, delim, 0, budget)
    if at < 0:
        return None, False
    chunks: list[bytes] = []
    while True:
        after = at + size
        if body.startswith(b"--", after):
            return chunks, True
        if budget[0] <= 0:
            budget[0] = -1  # tells the caller that parts were left unread
            return chunks, True
        eol = body.find(b"\n", after)
        if eol < 0:  # a delimiter on the last line, with nothing after it
            return chunks, False
        nxt = _next(body, delim, eol, budget)
        budget[0] -= 1
        if nxt < 0:
            chunks.append(body[eol + 1:])
            return chunks, False
        chunks.append(body[eol + 1:nxt - 1] if nxt - 1 > eol else b"")
        at = nxt


def _next(body: bytes, delim: bytes, start: int, budget: list[int]) -> int:
    """Where the next delimiter line starts (after its "\\n"), or -1."""
    needle = b"\n" + delim
    size = len(delim)
    pos = start
    while True:
        hit = body.find(needle, pos)
        if hit < 0:
            return -1
        if _is_delimiter(body, hit + 1 + size):
            return hit + 1
        budget[1] -= 1
        if budget[1] < 0:
            return -1
        pos = hit + 1


def _is_delimiter(body: bytes, after: int) -> bool:
    """A boundary line is the delimiter, then "--" or only whitespace up to the end of the line."""
    if body.startswith(b"--", after):
        return True
    eol = body.find(b"\n", after, after + 256)  # transport padding is short; bound the look
    tail = body[after:eol] if eol >= 0 else body[after:after + 256]
    return not tail.strip() and (eol >= 0 or after + 256 > len(body))
