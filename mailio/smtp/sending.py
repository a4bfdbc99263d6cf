"""Sending a mail: compose it once into the outbox, then let the ``mail.send`` job deliver it.

The outbox row holds the exact bytes, the Message-ID and the envelope, built once at compose
time: every retry sends the same message, and a repeated request with the same idempotency key
returns the row it created the first time instead of making another.
"""

from __future__ import annotations

import html as html_lib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.errors import BadInput, Conflict
from crm.db import utcnow
from crm.mail.sharing import MailReader
from crm.users.service import Identity
from mailio.compose.headers import Mailbox, check_header_value, parse_mailbox
from mailio.compose.message import AttachmentData, Draft, build_message
from mailio.compose.replies import Original, forward_subject, read_original, reply_subject, thread_references
from mailio.smtp.addresses import FromAddressService
from mailio.smtp.relay import RelayService
from mailio.smtp.repository import OutboxRepository, PreferencesRepository
from mailio.smtp.tables import Outbox

__all__ = ["Recipient", "ComposeRequest", "SendService", "SEND_JOB", "BATCH_JOB", "BATCH", "owner_key"]

SEND_JOB = "mail.send"
BATCH_JOB = "mail.send_batch"
BATCH = 100  # mails per batch job: one SMTP connection and one storing transaction each
# Due "now" when send_at is at most this far ahead: a clock a little off should not delay a mail.
_NOW_SLACK_S = 1.0


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str = ""


@dataclass
class ComposeRequest:
    to: list[Recipient] = field(default_factory=list)
    cc: list[Recipient] = field(default_factory=list)
    bcc: list[Recipient] = field(default_factory=list)
    subject: str | None = None  # None: "Re: …" / "Fwd: …" of the original, or empty
    text: str | None = None
    html: str | None = None
    attachments: list[AttachmentData] = field(default_factory=list)
    reply_to_email_id: int | None = None
    reply_all: bool = False
    forward_email_id: int | None = None
    sender: str | None = None
    sender_name: str | None = None
    send_at: datetime | None = None
    idempotency_key: str | None = None
    signature: bool = True
    quote: bool = True


def owner_key(owner_id: int, key: str) -> str:
    """Keys are the client's own: one client's key never collides with another user's."""
    return f"{owner_id}:{key}"


def _boxes(field_name: str, items: list[Recipient]) -> list[Mailbox]:
    return [parse_mailbox(f"{field_name}[{i}]", r.address, r.name) for i, r in enumerate(items)]


def _pairs_to_boxes(pairs: list[tuple[str, str]], skip: set[str]) -> list[Mailbox]:
    out: list[Mailbox] = []
    for name, addr in pairs:
        try:
            box = parse_mailbox("to", addr, name.replace("\r", " ").replace("\n", " "))
        except BadInput:
            continue  # an unusable address in someone else's header is left out of the reply, not fatal
        if box.address not in skip:
            skip.add(box.address)
            out.append(box)
    return out


def _text_with(text: str | None, extra: str) -> str:
    return f"{text.rstrip()}\n\n{extra}" if text else extra


def _html_with(html: str, extra_text: str, *, quote: bool) -> str:
    escaped = html_lib.escape(extra_text).replace("\n", "<br>\n")
    if quote:
        return f'{html}\n<blockquote type="cite">{escaped}</blockquote>'
    return f"{html}\n<div>{escaped}</div>"


class SendService:
    def __init__(self, runtime, session: Session, who: Identity):
        self.runtime = runtime
        self.session = session
        self.who = who
        self.outbox = OutboxRepository(session)
        self.prefs = PreferencesRepository(session)
        self.addresses = FromAddressService(session, runtime.settings)
        # Looked up once per service (one request, or one batch), not once per mail.
        self._relay_ok = False
        self._senders: list[Mailbox] | None = None
        self._preferences = None

    @property
    def senders(self) -> list[Mailbox]:
        if self._senders is None:
            self._senders = self.addresses.senders(self.who)
        return self._senders

    @property
    def preferences(self):
        if self._preferences is None:
            self._preferences = self.prefs.of(self.who.user_id)
        return self._preferences

    def existing(self, key: str | None) -> Outbox | None:
        return self.outbox.by_key(owner_key(self.who.user_id, key)) if key else None

    def submit(self, req: ComposeRequest, *, enqueue: bool = True) -> tuple[Outbox, bool]:
        """The outbox row for this request, and whether it was created now (False: a repeat).

        The ``mail.send`` job is asked for when the unit commits (at ``send_at`` for a later mail).
        """
        [(row, created)] = self.submit_many([req], enqueue=False)
        if created and enqueue:
            self.runtime.enqueue(self.session, SEND_JOB, row.id, eta=self.due(row), owner_id=self.who.user_id)
        return row, created

    def submit_many(self, reqs: list[ComposeRequest], *, enqueue: bool = True) -> list[tuple[Outbox, bool]]:
        """Many mails in one go (mass sending): one lookup of keys, one INSERT, batch jobs.

        With ``enqueue`` the mails due now go out in ``mail.send_batch`` jobs of ``BATCH`` (one SMTP
        connection each) and later ones in their own ``mail.send`` at their time; without it the
        caller sends them.
        """
        keys = []
        for req in reqs:
            key = (req.idempotency_key or "").strip()
            keys.append(check_header_value("idempotency_key", key, max_length=150) if key else None)
        existing = self.outbox.by_keys([owner_key(self.who.user_id, k) for k in keys if k])
        out: list[tuple[Outbox, bool]] = []
        new: list[Outbox] = []
        for req, key in zip(reqs, keys):
            found = existing.get(owner_key(self.who.user_id, key)) if key else None
            if found is not None:
                out.append((found, False))
                continue
            self._require_relay()
            draft = self._draft(req)
            built = build_message(draft, max_bytes=self.runtime.settings.max_message_bytes)
            stored_key = owner_key(self.who.user_id, key or uuid.uuid4().hex)
            row = Outbox(owner_id=self.who.user_id, idempotency_key=stored_key, state="queued", raw=built.raw, message_id=built.message_id, mail_from=built.mail_from,
                         recipients=built.recipients, send_at=draft.date if req.send_at else None, attempts=0)
            if key:
                existing[row.idempotency_key] = row  # the same key twice in one batch is one mail
            new.append(row)
            out.append((row, True))
        self.session.add_all(new)
        try:
            self.session.flush()
        except IntegrityError:
            # The same key arrived twice at once; the other request made the row. The client's
            # retry of this one will get it.
            raise Conflict("a request with this idempotency key is being processed; repeat it to get its result",
                           code="idempotency_conflict") from None
        if enqueue:
            now = [r.id for r in new if self.due(r) is None]
            for start in range(0, len(now), BATCH):
                self.runtime.enqueue(self.session, BATCH_JOB, now[start:start + BATCH], owner_id=self.who.user_id)
            for row in new:
                if self.due(row) is not None:
                    self.runtime.enqueue(self.session, SEND_JOB, row.id, eta=row.send_at, owner_id=self.who.user_id)
        return out

    def _require_relay(self) -> None:
        if not self._relay_ok:  # refuse early when nothing can send; checked once per service
            RelayService(self.session, self.runtime.settings).config()
            self._relay_ok = True

    @staticmethod
    def due(row: Outbox) -> datetime | None:
        """When the send job should run: None for now, else the row's send_at."""
        if row.send_at and (row.send_at - utcnow()).total_seconds() > _NOW_SLACK_S:
            return row.send_at
        return None

    # --- building the draft ----------------------------------------------------------------------
    def _draft(self, req: ComposeRequest) -> Draft:
        if req.reply_to_email_id is not None and req.forward_email_id is not None:
            raise BadInput("a mail is a reply or a forward, not both", code="reply_and_forward",
                           details={"field": "forward_email_id"})
        sender = self.addresses.resolve_sender(self.who, req.sender, req.sender_name, senders=self.senders,
                                               default=self.preferences.default_from)
        to, cc, bcc = _boxes("to", req.to), _boxes("cc", req.cc), _boxes("bcc", req.bcc)
        subject = check_header_value("subject", req.subject) if req.subject is not None else None
        send_at = req.send_at
        if send_at is not None and send_at.tzinfo is None:
            send_at = send_at.replace(tzinfo=timezone.utc)  # a time without a zone is read as UTC
        draft = Draft(sender=sender, to=to, cc=cc, bcc=bcc, subject=subject or "", text=req.text, html=req.html,
                      attachments=list(req.attachments),
                      date=send_at if send_at and send_at > utcnow() else utcnow())
        if req.reply_to_email_id is not None:
            self._as_reply(draft, req, subject)
        elif req.forward_email_id is not None:
            self._as_forward(draft, req, subject)
        prefs = self.preferences
        if req.signature and prefs.signature:
            signature = f"-- \n{prefs.signature.strip()}"
            if draft.html is not None:
                draft.html = _html_with(draft.html, signature, quote=False)
            draft.text = _text_with(draft.text, signature) if draft.text is not None or draft.html is None else None
        draft.font = prefs.font
        return draft

    def _original(self, email_id: int, *, attachments: bool = False) -> Original:
        email = MailReader(self.session, self.who).get(email_id, need="full")
        return read_original(email, with_attachments=attachments)

    def reply_defaults(self, email_id: int, *, reply_all: bool = False) -> tuple[list[Mailbox], list[Mailbox], str]:
        """Who a reply goes to (to, cc) and its subject: what the compose page shows pre-filled."""
        original = self._original(email_id)
        return (*self._reply_targets(original, reply_all), reply_subject(original.email.subject or ""))

    def forward_subject(self, email_id: int) -> str:
        return forward_subject(self._original(email_id).email.subject or "")

    def _reply_targets(self, original: Original, reply_all: bool) -> tuple[list[Mailbox], list[Mailbox]]:
        mine = {a.address for a in self.senders}
        # Replying to our own sent mail goes to its recipients, not back to ourselves.
        targets = original.to if original.email.direction == "out" else original.reply_to
        to = _pairs_to_boxes(targets, set(mine))
        cc = _pairs_to_boxes(original.to + original.cc, mine | {b.address for b in to}) if reply_all else []
        return to, cc

    def _as_reply(self, draft: Draft, req: ComposeRequest, subject: str | None) -> None:
        original = self._original(req.reply_to_email_id)
        email = original.email
        if not (draft.to or draft.cc or draft.bcc):
            draft.to, draft.cc = self._reply_targets(original, req.reply_all)
        draft.subject = subject if subject is not None else reply_subject(email.subject or "")
        draft.in_reply_to = email.message_id
        draft.references = thread_references(email)
        if req.quote and original.text:
            quote = original.quoted()
            draft.text = _text_with(draft.text, quote) if (draft.text is not None or draft.html is None) else None
            if draft.html is not None:
                draft.html = _html_with(draft.html, quote, quote=True)

    def _as_forward(self, draft: Draft, req: ComposeRequest, subject: str | None) -> None:
        original = self._original(req.forward_email_id, attachments=True)
        draft.subject = subject if subject is not None else forward_subject(original.email.subject or "")
        draft.references = thread_references(original.email)
        block = original.forwarded()
        draft.text = _text_with(draft.text, block) if (draft.text is not None or draft.html is None) else None
        if draft.html is not None:
            draft.html = _html_with(draft.html, block, quote=False)
        draft.attachments = [*original.attachments, *draft.attachments]
