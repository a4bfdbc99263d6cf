"""Showing a stored mail to a person: text as text, HTML only after sanitising."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

import nh3

__all__ = ["display_body"]

# No images: remote images are trackers, and inline ones need the attachment view.
_TAGS = {"a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "hr", "i", "li", "ol",
         "p", "pre", "span", "strong", "table", "tbody", "td", "th", "thead", "tr", "u", "ul"}


def display_body(raw: bytes) -> tuple[str, str]:
    """('text', str) or ('html', sanitised html); never raises on broken mail."""
    try:
        msg = BytesParser(policy=policy.default).parsebytes(raw[:5_000_000])
        part = msg.get_body(preferencelist=("html", "plain"))
        if part is None:
            return "text", ""
        content = part.get_content()
    except Exception as exc:  # a broken part must not break the page: show why instead
        return "text", f"[this message could not be decoded: {type(exc).__name__}]"
    if part.get_content_subtype() == "html":
        return "html", nh3.clean(content, tags=_TAGS, link_rel="noopener noreferrer nofollow")
    return "text", content
