"""The rules of mailboxes: who may see and change one, storing the password, testing, starting a sync.

A mailbox belongs to its owner; only the owner or an admin sees or changes it (others get 404, so
nobody learns that someone else's mailbox exists). The password is encrypted on the way in and only
decrypted into a :class:`~mailio.mailboxes.account.ServerAccount` at the moment of connecting.
No SQL here (see the repository) and no commits (the caller's unit of work commits).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from assistant.errors import BadInput, Forbidden, NotFound
from assistant.settings import Settings
from crm.users.repository import UserRepository
from crm.users.service import Identity
from mailio.imap.client import ImapConnection
from mailio.mailboxes.account import ServerAccount
from mailio.mailboxes.errors import MailServerError
from mailio.mailboxes.repository import (
    FolderRepository,
    MailboxRepository,
    PopSeenRepository,
    SyncedMailRepository,
)
from mailio.mailboxes.schemas import (
    ConnectionIn,
    ConnectionResult,
    FolderStatus,
    MailboxIn,
    MailboxStatus,
    MailboxUpdate,
    ServerFolder,
    default_port,
)
from mailio.mailboxes.tables import Mailbox
from mailio.pop.client import close as pop_close
from mailio.pop.client import connect as pop_connect
from mailio.secrets import encrypt_secret

__all__ = ["MailboxService", "CHECK_TIMEOUT_S", "SYNC_JOB"]

CHECK_TIMEOUT_S = 15.0  # a person is waiting for the answer
SYNC_JOB = "mail.sync_mailbox"
# Changing any of these means another account or server: the old sync state means nothing there.
_IDENTITY_FIELDS = ("kind", "host", "port", "username")


class MailboxService:
    def __init__(self, session: Session, settings: Settings):
        self.session = session
        self.settings = settings
        self.mailboxes = MailboxRepository(session)
        self.folders = FolderRepository(session)

    # --- reading -------------------------------------------------------------------------------------
    def visible(self, who: Identity) -> list[Mailbox]:
        return self.mailboxes.visible(None if who.has("admin") else who.user_id)

    def get(self, who: Identity, mailbox_id: int) -> Mailbox:
        mailbox = self.mailboxes.get(mailbox_id)
        if mailbox is None or (mailbox.owner_id != who.user_id and not who.has("admin")):
            raise NotFound(f"mailbox {mailbox_id} not found")
        return mailbox

    def status(self, who: Identity, mailbox_id: int, job=None) -> MailboxStatus:
        mailbox = self.get(who, mailbox_id)
        stored = SyncedMailRepository(self.session).counts_by_folder(mailbox.id)
        states = {f.name: f for f in self.folders.for_mailbox(mailbox.id)}
        names = ["INBOX"] if mailbox.kind == "pop3" else list(dict.fromkeys(mailbox.folders or ["INBOX"]))
        folders = []
        for name in names:
            state = states.get(name)
            # POP3 mail has no folder on the server: it is all the maildrop's
            count = stored.get(None, 0) if mailbox.kind == "pop3" else stored.get(name, 0)
            folders.append(FolderStatus(
                name=name, server_count=state.server_count if state else 0,
                synced_count=state.synced_count if state else 0, stored_count=count,
                last_uid=state.last_uid if state else 0, uidvalidity=state.uidvalidity if state else None,
                last_sync_at=state.last_sync_at if state else None))
        return MailboxStatus(id=mailbox.id, state=mailbox.state, last_error=mailbox.last_error,
                             last_sync_at=mailbox.last_sync_at, folders=folders, job=job)

    # --- changing ------------------------------------------------------------------------------------
    def create(self, who: Identity, data: MailboxIn) -> Mailbox:
        owner_id = who.user_id
        if data.owner_id is not None and data.owner_id != who.user_id:
            if not who.has("admin"):
                raise Forbidden("only an admin may add a mailbox for another user", code="missing_scope")
            if UserRepository(self.session).get(data.owner_id) is None:
                raise BadInput(f"no user {data.owner_id}", code="bad_owner")
            owner_id = data.owner_id
        mailbox = Mailbox(
            owner_id=owner_id, name=data.name or f"{data.username}@{data.host}", kind=data.kind,
            host=data.host,
            port=data.effective_port, security=data.security, username=data.username,
            secret=encrypt_secret(self.settings, data.password.get_secret_value()),
            folders=["INBOX"] if data.kind == "pop3" else data.folders, sent_folder=data.sent_folder,
            leave_on_server=data.leave_on_server, enabled=data.enabled, state="new")
        return self.mailboxes.add(mailbox)

    def update(self, who: Identity, mailbox_id: int, data: MailboxUpdate) -> Mailbox:
        mailbox = self.get(who, mailbox_id)
        changes = data.model_dump(exclude_unset=True)
        password = changes.pop("password", None)
        before = tuple(getattr(mailbox, f) for f in _IDENTITY_FIELDS)
        for key, value in changes.items():
            if value is None and key not in ("sent_folder",):
                continue  # "not given" and "null" mean the same for required settings
            setattr(mailbox, key, value)
        if "security" in changes and "port" not in changes and changes["security"]:
            mailbox.port = default_port(mailbox.kind, mailbox.security)
        if password is not None:
            mailbox.secret = encrypt_secret(self.settings, password.get_secret_value())
        if mailbox.kind == "pop3":
            mailbox.folders = ["INBOX"]
        elif data.folders is not None:
            self.folders.remove_except(mailbox.id, mailbox.folders)
        if tuple(getattr(mailbox, f) for f in _IDENTITY_FIELDS) != before:
            self.folders.reset_all(mailbox.id)
            PopSeenRepository(self.session).forget(mailbox.id)
            mailbox.state, mailbox.supports_idle = "new", None
        self.session.flush()
        return mailbox

    def delete(self, who: Identity, mailbox_id: int) -> None:
        """The mailbox and its sync state go; the mail already stored stays (it is CRM history)."""
        self.mailboxes.delete(self.get(who, mailbox_id))

    def start_sync(self, runtime, who: Identity, mailbox_id: int) -> str:
        mailbox = self.get(who, mailbox_id)
        if not mailbox.enabled:
            raise BadInput("the mailbox is disabled; enable it first", code="mailbox_disabled")
        run_id = runtime.enqueue(self.session, SYNC_JOB, mailbox.id, owner_id=mailbox.owner_id)
        self.session.flush()
        return run_id

    # --- talking to the server -----------------------------------------------------------------------
    def account(self, mailbox: Mailbox) -> ServerAccount:
        return ServerAccount.of(mailbox, self.settings, timeout_s=CHECK_TIMEOUT_S)

    def test(self, who: Identity, mailbox_id: int) -> ConnectionResult:
        mailbox = self.get(who, mailbox_id)
        return check_connection(self.account(mailbox), chosen=mailbox.folders)

    def server_folders(self, who: Identity, mailbox_id: int) -> list[ServerFolder]:
        mailbox = self.get(who, mailbox_id)
        if mailbox.kind != "imap":
            return [ServerFolder(name="INBOX", chosen=True)]
        with ImapConnection(self.account(mailbox), retries=1, backoff_s=0.2) as conn:
            return _folders(conn, mailbox.folders)


def account_of(data: ConnectionIn) -> ServerAccount:
    return ServerAccount(kind=data.kind, host=data.host, port=data.effective_port, security=data.security,
                         username=data.username, password=data.password.get_secret_value(),
                         timeout_s=CHECK_TIMEOUT_S)


def check_connection(account: ServerAccount, chosen: list[str] | None = None) -> ConnectionResult:
    """Log in and list what there is; a failure is an answer (ok=False), not an exception."""
    try:
        if account.kind == "pop3":
            pop = pop_connect(account)
            try:
                pop.stat()
                pop.quit()
            finally:
                pop_close(pop)
            return ConnectionResult(ok=True, folders=[ServerFolder(name="INBOX", chosen=True)])
        with ImapConnection(account, retries=0) as conn:
            caps = conn.capabilities()
            return ConnectionResult(ok=True, folders=_folders(conn, chosen or ["INBOX"]),
                                    supports_idle="IDLE" in caps)
    except MailServerError as exc:
        return ConnectionResult(ok=False, error=exc.message, code=exc.code)


def _folders(conn: ImapConnection, chosen: list[str]) -> list[ServerFolder]:
    found = [ServerFolder(name=name, flags=flags, chosen=name in chosen)
             for name, flags in conn.list_folders()]
    # INBOX first, then by name: the order people expect in a picker
    return sorted(found, key=lambda f: (f.name.upper() != "INBOX", f.name.lower()))
