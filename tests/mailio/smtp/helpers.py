"""Small helpers shared by the sending tests (people, keys, stored mail, reading the outbox)."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from crm.mail.service import MailStore
from crm.records.tables import Contact
from mailio.smtp.tables import Outbox

__all__ = ["parse", "store_incoming", "add_contact", "outbox_row", "ORIGINAL"]

# A customer's mail with Reply-To, Cc, a thread behind it and a PDF: what replies and forwards start from.
ORIGINAL = (b"From: Kim Customer <kim@client.test>\r\n"
            b"Reply-To: Kim Desk <desk@client.test>\r\n"
            b"To: Rep <rep@example.test>, Lee <lee@client.test>\r\n"
            b"Cc: Max <max@client.test>\r\n"
            b"Subject: Pricing for 200 seats\r\n"
            b"Date: Thu, 26 Nov 2026 09:00:00 +0000\r\n"
            b"Message-ID: <orig-1@client.test>\r\n"
            b"References: <root-0@client.test>\r\n"
            b"In-Reply-To: <root-0@client.test>\r\n"
            b"MIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=XX\r\n\r\n"
            b"--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            b"Could you send a quote?\r\nThanks, Kim\r\n"
            b"--XX\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"rfq.pdf\"\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQ=\r\n--XX--\r\n")


def parse(raw: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(raw)


def store_incoming(runtime, owner_id: int, raw: bytes) -> int:
    with runtime.unit() as session:
        return MailStore(session).store(raw, owner_id=owner_id, source="import").email.id


def add_contact(runtime, owner_id: int, email: str, first: str = "", last: str = "") -> int:
    with runtime.unit() as session:
        contact = Contact(owner_id=owner_id, email=email, first_name=first, last_name=last)
        session.add(contact)
        session.flush()
        return contact.id


def outbox_row(runtime, outbox_id: int) -> Outbox:
    with runtime.unit() as session:
        return session.get(Outbox, outbox_id)
