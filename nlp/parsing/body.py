"""Which parts of a MIME tree are the body a person reads.

- multipart/alternative: the plain-text alternative (the last one, as RFC 2046 orders them); the HTML
  alternative when there is no plain one or the plain one is blank ("view this mail in HTML").
- multipart/mixed (and digest, parallel, unknown multiparts): every inline text child in order, so a
  mailing-list footer part or Apple Mail's text after an inline image stays in the body; an HTML leaf
  beside a plain leaf is the same text twice and is skipped.
- multipart/related: its root (the ``start`` part, else the first); signed and report: the first part;
  encrypted: nothing.
- Never the body: message/rfc822 (a forwarded or bounced message), text parts with
  ``Content-Disposition: attachment``, non-text parts; text parts with a file name only when the
  message has no unnamed text at all (some mailers name their only text part).
"""

from __future__ import annotations

from collections.abc import Callable

from nlp.parsing.mime import Part

__all__ = ["body_kind", "choose_body"]


def body_kind(part: Part, *, top: bool = False) -> str | None:
    """'plain' or 'html' for a leaf that can be body text; a lone top-level text part may carry a name."""
    if part.maintype != "text" or part.subtype not in ("plain", "html"):
        return None
    if part.disposition == "attachment" or (part.filename is not None and not top):
        return None
    return part.subtype


def choose_body(root: Part, is_blank: Callable[[Part], bool]) -> list[Part]:
    """The leaves whose text, joined in order, is the body; ``is_blank`` decodes a leaf to check it."""
    chosen = _Chooser(is_blank).choose(root, top=True)
    if chosen:
        return chosen
    # No unnamed text anywhere: some mailers name their only text part ("body.txt"). An inline
    # named text part is then the body rather than leaving the message without one.
    for part in root.walk():
        if part.maintype == "text" and part.subtype in ("plain", "html") and part.disposition != "attachment":
            return [part]
    return []


class _Chooser:
    def __init__(self, is_blank: Callable[[Part], bool]):
        self.is_blank = is_blank
        self.kinds: dict[int, str | None] = {}

    def kind(self, part: Part) -> str | None:
        """What ``part`` would contribute: 'plain' if any plain text, 'html' if only HTML, else None."""
        if not part.is_multipart:
            return body_kind(part)
        key = id(part)
        if key in self.kinds:
            return self.kinds[key]
        self.kinds[key] = None  # guards against re-entry while computing
        kids = part.children
        if not kids or part.subtype == "encrypted":
            found = None
        elif part.subtype in ("signed", "report"):
            found = self.kind(kids[0])
        elif part.subtype == "related":
            found = self.kind(_related_root(part))
        else:
            kinds = [self.kind(k) for k in kids]
            found = "plain" if "plain" in kinds else ("html" if "html" in kinds else None)
        self.kinds[key] = found
        return found

    def choose(self, part: Part, top: bool = False) -> list[Part]:
        if not part.is_multipart:
            return [part] if body_kind(part, top=top) else []
        kids = part.children
        if not kids or part.subtype == "encrypted":
            return []
        if part.subtype in ("signed", "report"):
            return self.choose(kids[0])
        if part.subtype == "related":
            return self.choose(_related_root(part))
        if part.subtype == "alternative":
            return self._alternative(kids)
        chosen: list[Part] = []
        has_plain = any(not k.is_multipart and body_kind(k) == "plain" for k in kids)
        for kid in kids:
            if has_plain and not kid.is_multipart and body_kind(kid) == "html":
                continue
            chosen.extend(self.choose(kid))
        return chosen

    def _alternative(self, kids: list[Part]) -> list[Part]:
        plain = next((k for k in reversed(kids) if self.kind(k) == "plain"), None)
        html = next((k for k in reversed(kids) if self.kind(k) == "html"), None)
        if plain is not None:
            parts = self.choose(plain)
            if html is None or not all(self.is_blank(p) for p in parts if p.subtype == "plain"):
                return parts
        return self.choose(html) if html is not None else []


def _related_root(part: Part) -> Part:
    start = part.params.get("start", "").strip().strip("<>")
    if start:
        for kid in part.children:
            if kid.content_id == start:
                return kid
    return part.children[0]
