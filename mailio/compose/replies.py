"""Replies and forwards of a stored mail: recipients, subject, threading headers and the quote.

In-Reply-To is the parent's Message-ID; References is the parent's References plus its
Message-ID (RFC 5322 §3.6.4), trimmed to the first and the last ones so a long thread keeps a
bounded header. A forward starts a new message but keeps References, so our own threading (and
most clients') still puts it with the conversation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesHeaderParser, BytesParser
from email.utils import format_datetime, getaddresses

from crm.mail.tables import Email
from mailio.compose.html_text import html_to_text
from mailio.compose.message import AttachmentData
from nlp.parsing.envelope import decode_header_value

__all__ = ["Original", "read_original", "reply_subject", "forward_subject", "thread_references"]

_RE = re.compile(r"\s*(re|aw|sv|antw)\s*:", re.IGNORECASE)
_FWD = re.compile(r"\s*(fwd?|wg|tr)\s*:", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MAX_REFERENCES = 20
_MAX_QUOTE_CHARS = 200_000


@dataclass
class Original:
    """What a reply or forward needs from the stored mail."""

    email: Email
    reply_to: list[tuple[str, str]]  # Reply-To if it has one, else From
    to: list[tuple[str, str]]
    cc: list[tuple[str, str]]
    text: str
    attachments: list[AttachmentData] = field(default_factory=list)

    def attribution(self) -> str:
        when = format_datetime(self.email.date) if self.email.date else "an unknown date"
        who = f"{self.email.from_name} <{self.email.from_addr}>" if self.email.from_name else self.email.from_addr
        return f"On {when}, {who} wrote:"

    def quoted(self) -> str:
        lines = self.text.rstrip("\n").split("\n")
        return self.attribution() + "\n" + "\n".join(("> " + line) if line else ">" for line in lines) + "\n"

    def forwarded(self) -> str:
        e = self.email
        head = ["---------- Forwarded message ----------", f"From: {e.from_name} <{e.from_addr}>".strip(),
                f"Date: {format_datetime(e.date) if e.date else ''}", f"Subject: {e.subject}",
                f"To: {', '.join(e.to_addrs or [])}"]
        if e.cc_addrs:
            head.append(f"Cc: {', '.join(e.cc_addrs)}")
        return "\n".join(head) + "\n\n" + self.text


def reply_subject(subject: str) -> str:
    return subject if _RE.match(subject) else f"Re: {subject}".strip()


def forward_subject(subject: str) -> str:
    return subject if _FWD.match(subject) else f"Fwd: {subject}".strip()


def thread_references(email: Email) -> list[str]:
    refs = list(dict.fromkeys([*(email.references or []), *([email.message_id] if email.message_id else [])]))
    if len(refs) > _MAX_REFERENCES:
        refs = refs[:1] + refs[-(_MAX_REFERENCES - 1):]
    return refs


def _pairs(values: list[str]) -> list[tuple[str, str]]:
    return [(name, addr) for name, addr in getaddresses([decode_header_value(v) for v in values]) if "@" in addr]


def read_original(email: Email, *, with_attachments: bool = False) -> Original:
    """Never raises on a broken stored mail: what cannot be read is left out of the quote."""
    head = BytesHeaderParser(policy=policy.compat32).parsebytes(email.raw[:2_000_000])
    reply_to = _pairs(head.get_all("Reply-To", [])) or _pairs(head.get_all("From", []))
    text, attachments = "", []
    try:
        msg = BytesParser(policy=policy.default).parsebytes(email.raw)
        part = msg.get_body(preferencelist=("plain", "html"))
        if part is not None:
            content = part.get_content()
            text = html_to_text(content) if part.get_content_subtype() == "html" else content
        if with_attachments:
            for att in msg.iter_attachments():
                data = att.get_payload(decode=True) or b""
                # The name was chosen by whoever sent the original, not by our user: control
                # characters in it are replaced here, so forwarding such a mail still works.
                name = _CONTROL.sub("_", att.get_filename() or "attachment")[:255]
                attachments.append(AttachmentData(name, att.get_content_type(), data))
    except Exception:  # a broken stored mail: reply without its quote rather than not at all
        text = ""
    return Original(email=email, reply_to=reply_to, to=_pairs(head.get_all("To", [])),
                    cc=_pairs(head.get_all("Cc", [])), text=text[:_MAX_QUOTE_CHARS].replace("\r\n", "\n"),
                    attachments=attachments)
