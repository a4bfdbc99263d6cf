"""Talking to the organisation's SMTP relay with aiosmtplib: many mails on one connection.

Each mail gets an :class:`Outcome` that says what the server decided, in the three kinds the
sending job needs: ``sent`` (accepted for at least one recipient), ``temporary`` (4xx, or the
connection failed or timed out: worth retrying) and ``permanent`` (5xx: retrying cannot help).
Every network step is bounded by ``timeout_s``; the password is never part of a repr or a reply.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

import aiosmtplib
from aiosmtplib import (SMTPException, SMTPNotSupported, SMTPRecipientsRefused, SMTPResponseException,
                        SMTPServerDisconnected, SMTPTimeoutError)

__all__ = ["RelayConfig", "Envelope", "Outcome", "deliver", "deliver_sync", "deliver_stream"]

SECURITY = ("ssl", "starttls", "none")


@dataclass(frozen=True)
class RelayConfig:
    host: str
    port: int
    security: str = "starttls"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout_s: float = 30.0


@dataclass(frozen=True)
class Envelope:
    mail_from: str
    recipients: list[str]
    raw: bytes = field(repr=False)


@dataclass(frozen=True)
class Outcome:
    status: Literal["sent", "temporary", "permanent"]
    reply: str
    refused: dict[str, str] = field(default_factory=dict)  # recipients the server refused, with its reply


def _reply(code: int, message: str) -> str:
    return f"{code} {message}".strip()[:2000]


def _kind(code: int) -> Literal["temporary", "permanent"]:
    return "temporary" if 400 <= code < 500 else "permanent"


def _client(config: RelayConfig) -> aiosmtplib.SMTP:
    return aiosmtplib.SMTP(
        hostname=config.host, port=config.port, timeout=config.timeout_s,
        use_tls=config.security == "ssl", start_tls=config.security == "starttls",
        username=config.username or None, password=config.password if config.username else None,
    )


async def _send_one(smtp: aiosmtplib.SMTP, envelope: Envelope) -> Outcome:
    try:
        errors, response = await smtp.sendmail(envelope.mail_from, envelope.recipients, envelope.raw)
    except SMTPRecipientsRefused as exc:
        replies = {r.recipient: _reply(r.code, r.message) for r in exc.recipients}
        # Nobody got it, so a retry cannot duplicate it: retry if any refusal was temporary.
        status = "temporary" if any(400 <= r.code < 500 for r in exc.recipients) else "permanent"
        return Outcome(status, "; ".join(f"{k}: {v}" for k, v in replies.items())[:2000], replies)
    except SMTPResponseException as exc:
        return Outcome(_kind(exc.code), _reply(exc.code, exc.message))
    except (SMTPServerDisconnected, SMTPTimeoutError):
        raise  # the connection is gone: decided by the caller for this mail and the rest
    except (SMTPException, ValueError) as exc:  # e.g. the server lacks an extension the mail needs
        return Outcome("permanent", f"not sent: {exc}"[:2000])
    # Accepted for some: it counts as sent (a retry would send it twice to the others); the
    # refused recipients are reported, never silently retried.
    # aiosmtplib hands back the text of the reply to DATA, whose only success code is 250.
    return Outcome("sent", _reply(250, response), {addr: _reply(r.code, r.message) for addr, r in errors.items()})


async def deliver(config: RelayConfig, envelopes: Sequence[Envelope],
                  on_outcome: Callable[[Outcome], None] | None = None,
                  stop: threading.Event | None = None) -> list[Outcome]:
    """Send each envelope over one connection; one outcome per envelope, in order.

    ``on_outcome`` hears of each outcome as soon as the server has answered for that mail. When
    ``stop`` is set no further mail is started (the list is then shorter than ``envelopes``).
    """
    outcomes: list[Outcome] = []

    def decided(*items: Outcome) -> None:
        for item in items:
            outcomes.append(item)
            if on_outcome is not None:
                on_outcome(item)

    smtp = _client(config)
    try:
        await smtp.connect()
    except SMTPResponseException as exc:  # a greeting or AUTH refused with a code
        decided(*[Outcome(_kind(exc.code), _reply(exc.code, exc.message))] * len(envelopes))
        return outcomes
    except SMTPNotSupported as exc:  # e.g. AUTH configured but not offered: a setup problem, not a blip
        decided(*[Outcome("permanent", f"relay {config.host}:{config.port}: {exc}"[:2000])] * len(envelopes))
        return outcomes
    except (SMTPException, OSError, asyncio.TimeoutError) as exc:
        reason = f"cannot connect to {config.host}:{config.port}: {exc}"[:2000]
        decided(*[Outcome("temporary", reason)] * len(envelopes))
        return outcomes
    try:
        for envelope in envelopes:
            if stop is not None and stop.is_set():
                break
            try:
                outcome = await _send_one(smtp, envelope)
            except (SMTPServerDisconnected, SMTPTimeoutError, OSError, asyncio.TimeoutError) as exc:
                # The connection is gone mid-mail: this one and the rest were not accepted.
                reason = f"connection lost: {exc or type(exc).__name__}"[:2000]
                decided(*[Outcome("temporary", reason)] * (len(envelopes) - len(outcomes)))
                break
            decided(outcome)
    finally:
        try:
            await smtp.quit()
        except (SMTPException, OSError, asyncio.TimeoutError):
            smtp.close()  # the mails are already decided; a failed goodbye changes nothing
    return outcomes


def deliver_sync(config: RelayConfig, envelopes: Sequence[Envelope]) -> list[Outcome]:
    """For job threads and sync endpoints (no running event loop there)."""
    return asyncio.run(deliver(config, envelopes))


_END = object()


def deliver_stream(config: RelayConfig, envelopes: Sequence[Envelope]) -> Iterator[Outcome]:
    """The outcomes one by one while the rest are still being sent (SMTP runs in its own thread).

    The caller records and stores the first mails while the relay works on the next ones. If the
    sending thread dies of a bug, the stream simply ends early: the caller must treat the mails
    without an outcome as undecided (they may have been accepted), never as not sent. If the
    caller stops reading (its own error), no further mail is started: nothing goes out that
    could not be recorded.
    """
    outcomes: queue.Queue = queue.Queue()
    stop = threading.Event()

    def run() -> None:
        try:
            asyncio.run(deliver(config, envelopes, outcomes.put, stop))
        finally:
            outcomes.put(_END)

    thread = threading.Thread(target=run, name="smtp-deliver", daemon=True)
    thread.start()
    try:
        while (item := outcomes.get()) is not _END:
            yield item
    finally:
        stop.set()
        thread.join(timeout=config.timeout_s * 3)
