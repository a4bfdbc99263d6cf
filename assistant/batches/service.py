"""Batches of analysis for apps: accepted at once, run in the job layer, polled or called back."""

from __future__ import annotations

import hashlib
import ipaddress
import socket
import hmac
import json
import secrets
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from assistant.batches.repository import BatchRepository
from assistant.batches.tables import AnalysisBatch, AnalysisBatchItem
from assistant.errors import BadInput, NotFound
from assistant.settings import Settings
from crm.users.service import Identity
from mailio.secrets import decrypt_secret, encrypt_secret

__all__ = ["BatchService", "MAX_ITEMS", "sign", "check_webhook_url"]

MAX_ITEMS = 1000


def check_webhook_url(url: str, *, allow_private: bool) -> None:
    """An http(s) URL whose host resolves only to public addresses (unless the deployment allows private)."""
    parsed = urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise BadInput("webhook_url must be an http(s) URL", code="bad_webhook_url")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parsed.hostname, parsed.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise BadInput("webhook_url: the host does not resolve", code="bad_webhook_url") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise BadInput("webhook_url points at a private or loopback address", code="bad_webhook_url")


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The X-Mailassist-Signature header: t=<unix time>,v1=<HMAC-SHA256 of "t.body">."""
    stamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


class BatchService:
    def __init__(self, session: Session, settings: Settings):
        self.session = session
        self.settings = settings
        self.repo = BatchRepository(session)

    def create(self, who: Identity, items: list[dict[str, Any]], webhook_url: str | None) -> tuple[AnalysisBatch,
                                                                                                   str | None]:
        if not items:
            raise BadInput("a batch needs at least one item", code="empty_batch")
        if len(items) > MAX_ITEMS:
            raise BadInput(f"a batch holds at most {MAX_ITEMS} items", code="batch_too_large")
        if webhook_url:
            check_webhook_url(webhook_url, allow_private=self.settings.webhook_allow_private)
        secret = secrets.token_urlsafe(32) if webhook_url else None
        batch = AnalysisBatch(id=str(uuid.uuid4()), owner_id=who.user_id, total=len(items), webhook_url=webhook_url,
                              webhook_secret=encrypt_secret(self.settings, secret) if secret else None,
                              webhook_state="pending" if webhook_url else None)
        self.session.add(batch)
        self.session.add_all(AnalysisBatchItem(batch_id=batch.id, position=i, input=item)
                             for i, item in enumerate(items))
        self.session.flush()
        return batch, secret

    def get(self, who: Identity, batch_id: str) -> AnalysisBatch:
        batch = self.repo.get(batch_id)
        if batch is None or (batch.owner_id != who.user_id and not who.has("admin")):
            raise NotFound(f"batch {batch_id} not found")
        return batch

    def results(self, batch: AnalysisBatch, offset: int, limit: int) -> list[dict[str, Any]]:
        return [item.result for item in self.repo.results(batch.id, offset, limit) if item.result is not None]

    def webhook_payload(self, batch: AnalysisBatch) -> tuple[bytes, dict[str, str]]:
        body = json.dumps({"id": batch.id, "state": batch.state, "total": batch.total, "done": batch.done,
                           "results": f"{self.settings.base_url}/v1/analyze/batch/{batch.id}"}).encode()
        secret = decrypt_secret(self.settings, batch.webhook_secret)
        return body, {"Content-Type": "application/json", "X-Mailassist-Signature": sign(secret, body),
                      "X-Mailassist-Batch": batch.id}
