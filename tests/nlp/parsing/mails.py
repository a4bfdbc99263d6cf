"""Mail the tests write themselves, with the stdlib ``email`` package (the parser under test is not used)."""

from __future__ import annotations

from email.header import Header
from email.message import EmailMessage, Message
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr

__all__ = [
    "PNG",
    "EmailMessage",
    "Header",
    "MIMEApplication",
    "MIMEBase",
    "MIMEImage",
    "MIMEMultipart",
    "MIMEText",
    "formataddr",
    "headers",
    "multipart",
    "raw_text_mail",
    "text_part",
    "to_bytes",
]

# A 1x1 transparent PNG.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000100e5273ede0000000049454e44ae426082")


def headers(msg: Message, subject: str = "Test", sender: str = "Ann Smith <ann@example.com>",
            to: str = "bob@example.org", date: str = "Mon, 15 Jan 2024 10:00:00 +0900", **extra: str) -> Message:
    if "Subject" not in msg:
        msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = to
    msg["Date"] = date
    msg["Message-ID"] = "<m1@example.com>"
    for name, value in extra.items():
        msg[name.replace("_", "-")] = value
    return msg


def text_part(text: str, charset: str = "utf-8", subtype: str = "plain", cte: str | None = None) -> MIMEText:
    part = MIMEText(text, subtype, charset)
    if cte == "8bit":
        del part["Content-Transfer-Encoding"]
        part["Content-Transfer-Encoding"] = "8bit"
        part.set_payload(text.encode(charset))
    return part


def raw_text_mail(body: bytes, charset: str | None, *, cte: str = "8bit", extra: str = "") -> bytes:
    """A single-part text/plain message with ``body`` bytes exactly as given (no re-encoding)."""
    ctype = f"text/plain; charset={charset}" if charset else "text/plain"
    head = (f"From: Ann <ann@example.com>\r\nTo: bob@example.org\r\nSubject: charset test\r\n"
            f"Date: Mon, 15 Jan 2024 10:00:00 +0900\r\nMessage-ID: <c1@example.com>\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: {ctype}\r\nContent-Transfer-Encoding: {cte}\r\n{extra}\r\n")
    return head.encode("ascii") + body


def multipart(subtype: str, *parts: Message, **params: str) -> MIMEMultipart:
    msg = MIMEMultipart(subtype, **params)
    for part in parts:
        msg.attach(part)
    return msg


def to_bytes(msg: Message) -> bytes:
    return msg.as_bytes()
