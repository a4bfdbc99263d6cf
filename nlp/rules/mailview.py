"""What rules read of a mail: addresses, subject, decoded headers, body text, HTML, attachments, signature.

Built from the parse stage's :class:`~nlp.parsing.message.ParsedMessage` (in the pipeline) or from raw
bytes (dry runs, learning from a pasted sample). Attachment bytes are decoded only when a rule asks
for them, and capped.
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from nlp.parsing.charsets import decode_bytes
from nlp.parsing.html_text import html_to_text
from nlp.parsing.message import ParsedMessage
from nlp.parsing.parse import parse_raw, parse_text
from nlp.parsing.transfer import decode_transfer
from nlp.parsing.words import decode_words

__all__ = ["MailView", "AttachmentView", "view_of", "view_from_raw", "view_from_text", "MAX_ATTACHMENT_BYTES"]

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024  # of one attachment a rule reads (CSV, JSON)
_TEXTUAL = ("text/", "application/json", "application/csv", "application/x-csv", "application/vnd.ms-excel")


@dataclass
class AttachmentView:
    name: str
    content_type: str
    _part: Any = None  # the MIME part, decoded on first use
    _data: bytes | None = None

    @property
    def data(self) -> bytes:
        if self._data is None:
            payload, _ = decode_transfer(self._part.payload, self._part.transfer_encoding) if self._part else (b"", None)
            self._data = payload[:MAX_ATTACHMENT_BYTES]
        return self._data

    @property
    def text(self) -> str:
        charset = self._part.charset if self._part is not None else None
        return decode_bytes(self.data, charset).text.replace("\r\n", "\n")

    @property
    def textual(self) -> bool:
        name = self.name.lower()
        return self.content_type.startswith(_TEXTUAL) or name.endswith((".csv", ".json", ".txt", ".tsv"))

    def matches(self, pattern: str) -> bool:
        return fnmatch.fnmatch(self.name.lower(), (pattern or "*").lower())


@dataclass
class MailView:
    from_addr: str = ""
    from_name: str = ""
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    subject: str = ""
    date: datetime | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)  # decoded, in order
    body: str = ""
    html: str | None = None
    attachments: list[AttachmentView] = field(default_factory=list)
    json_parts: list[str] = field(default_factory=list)  # application/json body parts, as text
    signature: dict[str, Any] = field(default_factory=dict)  # the signature stage's "fields"
    _cache: dict[str, Any] = field(default_factory=dict)

    def header(self, name: str) -> list[str]:
        name = name.strip().lower()
        return [value for key, value in self.headers if key.lower() == name]

    def attachment(self, pattern: str) -> AttachmentView | None:
        return next((a for a in self.attachments if a.matches(pattern)), None)

    def json_document(self, source: str = "auto") -> tuple[Any, str] | None:
        """The JSON a rule reads, and where it came from: the body, a JSON part, or an attachment."""
        if source in self._cache:
            return self._cache[source]
        candidates: list[tuple[str, str]] = []
        if source.startswith("attachment:"):
            found = self.attachment(source.split(":", 1)[1])
            if found is not None:
                candidates.append((found.text, f"attachment {found.name}"))
        else:
            candidates.append((self.body, "body"))
            if source == "auto":
                candidates += [(text, "JSON part") for text in self.json_parts]
                candidates += [(a.text, f"attachment {a.name}") for a in self.attachments
                               if a.name.lower().endswith(".json") or a.content_type == "application/json"]
        result = None
        for text, where in candidates:
            document = _load_json(text)
            if document is not None:
                result = (document, where)
                break
        self._cache[source] = result
        return result

    @property
    def html_text(self) -> str:
        """The HTML part as text (tables as "cell | cell" lines), for a mail whose plain part says little."""
        if "html_text" not in self._cache:
            self._cache["html_text"] = html_to_text(self.html, []) if self.html else ""
        return self._cache["html_text"]

    def tables(self) -> list:
        """The HTML part's tables (``nlp.rules.html_tables``), read once however many mappings ask."""
        if "tables" not in self._cache:
            from nlp.rules.html_tables import tables_of

            self._cache["tables"] = tables_of(self.html) if self.html else []
        return self._cache["tables"]

    def csv_rows(self, attachment: AttachmentView) -> list[list[str]]:
        key = f"csv:{attachment.name}"
        if key not in self._cache:
            from nlp.rules.extractors import csv_rows

            self._cache[key] = csv_rows(attachment.text)
        return self._cache[key]

    def texts(self) -> list[tuple[str, str]]:
        """The texts a person can highlight a value in: the body, the HTML part's text when it differs,
        then each textual attachment."""
        out = [("body", self.body)]
        if self.html and self.html_text.strip() and self.html_text.strip() != self.body.strip():
            out.append(("html", self.html_text))
        out += [(f"attachment:{a.name}", a.text) for a in self.attachments if a.textual]
        return out

    def text_of(self, source: str) -> str:
        if source in ("body", "", None):
            return self.body
        if source == "html":
            return self.html_text
        if source.startswith("attachment:"):
            found = self.attachment(source.split(":", 1)[1])
            return found.text if found is not None else ""
        return self.body


def _load_json(text: str) -> Any:
    text = text.strip()
    if not text:
        return None
    start = min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=-1)
    if start < 0 or start > 2000:
        return None
    end = max(text.rfind("}"), text.rfind("]"))
    if end <= start:
        return None
    try:
        return json.loads(text[start:end + 1])
    except (ValueError, RecursionError):
        return None


def _signature_fields(signature: dict[str, Any] | None) -> dict[str, Any]:
    if not signature:
        return {}
    return dict(signature.get("fields") or {})


def view_of(message: ParsedMessage, signature: dict[str, Any] | None = None) -> MailView:
    """The view of a parsed message; ``signature`` is the pipeline's ``signature`` output, if it ran."""
    view = MailView(
        from_addr=(message.from_.address.lower() if message.from_ else ""),
        from_name=(message.from_.name if message.from_ else ""),
        to=[a.address.lower() for a in message.to], cc=[a.address.lower() for a in message.cc],
        subject=message.subject or "", date=message.date, body=message.body, html=message.html,
        signature=_signature_fields(signature),
    )
    if message.headers is not None:
        view.headers = [(name, decode_words(value)) for name, value in message.headers.items]
    if message.root is not None:
        for part in message.root.walk():
            if part.is_multipart:
                continue
            named = part.filename
            is_file = part.disposition == "attachment" or named is not None
            if part.content_type == "application/json" and not is_file:
                data, _ = decode_transfer(part.payload[:MAX_ATTACHMENT_BYTES], part.transfer_encoding)
                view.json_parts.append(decode_bytes(data, part.charset).text)
            elif is_file:
                view.attachments.append(AttachmentView(decode_words(named) if named else f"part-{part.section}",
                                                       part.content_type, _part=part))
    if not view.body.strip() and view.json_parts:
        view.body = view.json_parts[0]  # a webhook mail: its JSON is what a person reads and highlights
    return view


def view_from_raw(raw: bytes, signature: dict[str, Any] | None = None) -> MailView:
    return view_of(parse_raw(raw), signature)


def view_from_text(text: str) -> MailView:
    """A pasted sample: a whole message when it starts with headers, else a bare body."""
    head = text.lstrip()[:2000]
    first = head.split("\n", 1)[0]
    if ":" in first and any(line.lower().startswith(("from:", "subject:", "to:", "date:"))
                            for line in head.split("\n")[:30]):
        return view_from_raw(text.encode("utf-8"))
    return view_of(parse_text(text))
