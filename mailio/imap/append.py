"""Putting a message into an IMAP folder (a sent mail into Sent), at most once.

APPEND is not idempotent by itself: a retry after a lost answer would store the mail twice. So the
folder is searched for the Message-ID first, on every attempt, and the append is skipped when the
message is already there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

from mailio.imap.client import ImapConnection
from mailio.mailboxes.account import ServerAccount
from mailio.mailboxes.errors import MailServerError

__all__ = ["append_to_folder", "AppendResult", "find_sent_folder"]

_APPENDUID = re.compile(rb"\[APPENDUID (\d+) (\d+)\]")


@dataclass(frozen=True)
class AppendResult:
    folder: str
    uid: int | None
    uidvalidity: int | None
    already: bool  # found there already: nothing was appended


def find_sent_folder(conn: ImapConnection, preferred: str | None = None) -> str:
    """The configured Sent folder, else the one flagged \\Sent (RFC 6154), else "Sent"."""
    if preferred:
        return preferred
    for name, flags in conn.list_folders():
        if "\\Sent" in flags:
            return name
    return "Sent"


def append_to_folder(account: ServerAccount, folder: str | None, raw: bytes,
                     flags: tuple[str, ...] = ("\\Seen",),
                     *, message_id: str | None) -> AppendResult:
    """Append ``raw`` unless a message with ``message_id`` is already in the folder."""
    if not message_id:
        raise MailServerError("a message without a Message-ID cannot be appended safely (no way to "
                              "tell whether an earlier attempt already did)", code="no_message_id")
    with ImapConnection(account) as conn:
        target = find_sent_folder(conn, folder)

        def op(c: IMAPClient) -> AppendResult:
            if not c.folder_exists(target):
                c.create_folder(target)
            select = c.select_folder(target, readonly=True)
            uidvalidity = int(select[b"UIDVALIDITY"])
            found = c.search(["HEADER", "Message-ID", message_id])
            if found:
                return AppendResult(target, max(found), uidvalidity, already=True)
            answer = c.append(target, raw, flags=flags)
            match = _APPENDUID.search(answer or b"")
            uid = int(match.group(2)) if match else None
            return AppendResult(target, uid, int(match.group(1)) if match else uidvalidity, already=False)

        try:
            return conn.run(op)
        except IMAPClientAbortError:
            raise
        except IMAPClientError as exc:
            raise MailServerError(f"{account.address} refused to store the message in {target!r}: "
                                  f"{exc}") from None
