"""Incremental IMAP sync of a mailbox's chosen folders, by UIDVALIDITY + UID.

For each folder the stored state is (uidvalidity, last_uid, highest_modseq). A pass:

1. EXAMINEs the folder (read-only: nothing is ever marked \\Seen). A new UIDVALIDITY means the folder
   was recreated: its state is reset and everything is read again; de-duplication by content hash and
   Message-ID keeps each message stored once, and the old rows are pointed at their new UIDs.
2. Brings flags of mail already stored up to date: with CONDSTORE, only what changed since the stored
   HIGHESTMODSEQ; without it, by fetching the FLAGS of every known UID.
3. Fetches UIDs above last_uid in batches (BODY.PEEK[] + FLAGS). Each batch is stored, threaded and
   linked, its analysis asked for, and last_uid advanced *in one unit of work*: an interrupted sync
   resumes after the last committed batch, losing nothing and storing nothing twice. Batches fetched
   ahead that are already waiting when the storing gets to them are stored together, up to
   ``JOIN_BATCHES`` batches in one unit of work.

   A folder with more than ``defer_over`` new messages (the first sync of a big mailbox) is stored
   raw, with its envelopes, de-duplicated, but not threaded or linked in the sync: the
   ``mail.process_stored`` job, asked for with the first and the last batch of the pass, does that
   afterwards in batches and asks for the analysis (see :mod:`crm.mail.processing`). Small syncs
   (new mail arriving) keep doing it inline, so new mail is linked at once.

   Batches are fetched ahead of the storing: by a forked child process for a big pass (fetching and
   reading envelopes then use the other core, see :mod:`mailio.imap.fetcher`), on a thread for a
   small one; a big pass also has its WAL checkpoints run on a thread of their own (``crm.db``). The
   child's first batch is small (``FIRST_BATCH``), so that the storing starts early, and the parent
   loads the job layer's publishing while it waits for it.

A dropped connection is healed by :class:`~mailio.imap.client.ImapConnection` (reconnect with backoff,
then the batch is fetched again); the batch being stored when the process dies is simply fetched again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

from assistant.analysis import request_analysis
from crm.db import background_checkpoints, utcnow
from crm.mail.processing import has_unprocessed
from crm.mail.service import Incoming, MailStore
from mailio.imap import fetcher
from mailio.imap.client import FolderInfo, ImapConnection, fetch_messages
from mailio.mailboxes.account import ServerAccount
from mailio.mailboxes.errors import FolderMissing, UidValidityChanged
from mailio.mailboxes.repository import FolderRepository, SyncedMailRepository
from mailio.mailboxes.tables import Mailbox, MailboxFolder
from models import memory
from nlp.parsing.envelope import Envelope

__all__ = ["ImapSync", "SyncReport", "Progress", "DEFAULT_BATCH", "JOIN_BATCHES", "DEFER_OVER", "normalise_flags",
           "RECONNECT_RETRIES", "RECONNECT_BACKOFF_S"]

log = logging.getLogger("mailio.imap")

DEFAULT_BATCH = 250  # messages per FETCH (see bench/imap_sync.py)
# Batches per transaction at most, when fetched batches wait to be stored (a big pass): every commit
# writes each index page that its mail touched, and random keys (content hash, Message-ID) touch most
# of them, so four batches in one commit write them once instead of four times.
JOIN_BATCHES = 4
# With a child fetching, its first FETCH is this small: the parent, idle until a first batch arrives,
# starts storing (and paying a process's first-store costs) while the child fetches the rest.
FIRST_BATCH = 50
DEFER_OVER = 1000  # more new messages than this in a folder: threading and linking run as a job afterwards
_FLAG_CHUNK = 1000  # UIDs per FETCH FLAGS
_CHECKPOINT_OVER = 4  # batches in a pass above which WAL checkpoints run on a thread of their own
_PROCESS_OVER = 8  # batches in a pass above which a child process fetches them (see mailio.imap.fetcher)
RECONNECT_RETRIES = 5  # reconnects within one pass before the job layer's own retry takes over
RECONNECT_BACKOFF_S = 0.5  # doubling: 0.5, 1, 2, 4, 8 s
Progress = Callable[[int, int, str], None]


def normalise_flags(raw: tuple | list) -> list[str]:
    """Flags as sorted text; \\Recent is per-session noise, not a property of the mail."""
    flags = {f.decode() if isinstance(f, bytes) else str(f) for f in raw}
    flags.discard("\\Recent")
    return sorted(flags)


@dataclass
class SyncReport:
    fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    flags_updated: int = 0
    resets: list[str] = field(default_factory=list)
    more: bool = False  # stopped at the time budget with mail left to fetch
    missing: list[str] = field(default_factory=list)  # chosen folders the server does not have
    reconnects: int = 0
    supports_idle: bool | None = None
    processing_asked: bool = False  # mail.process_stored asked for (mail stored without threads/links)

    def as_dict(self) -> dict:
        return {"fetched": self.fetched, "stored": self.stored, "duplicates": self.duplicates,
                "flags_updated": self.flags_updated, "resets": self.resets, "more": self.more,
                "reconnects": self.reconnects, "missing": self.missing}


@dataclass
class _Plan:
    """One folder's work for this pass."""

    name: str
    state_id: int
    info: FolderInfo
    last_uid: int
    pending: list[int]


class ImapSync:
    """One pass over a mailbox's folders; ``run`` may be called by a job, the CLI or the bench."""

    def __init__(self, runtime, mailbox_id: int, *, batch_size: int = DEFAULT_BATCH,
                 progress: Progress | None = None, budget_s: float | None = None, use_condstore: bool = True,
                 retries: int | None = None, backoff_s: float | None = None, prefetch: bool = True,
                 defer_over: int | None = DEFER_OVER):
        self.runtime = runtime
        self.mailbox_id = mailbox_id
        self.batch_size = max(1, batch_size)
        self.progress = progress or (lambda done, total, message: None)
        self.deadline = time.monotonic() + budget_s if budget_s else None
        self.use_condstore = use_condstore
        self.retries = RECONNECT_RETRIES if retries is None else retries
        self.backoff_s = RECONNECT_BACKOFF_S if backoff_s is None else backoff_s
        self.prefetch = prefetch
        self.defer_over = defer_over  # None: always thread and link inline
        self.report = SyncReport()
        self.owner_id: int | None = None
        self.done = self.total = 0  # messages of the chosen folders already stored / on the server
        self.account: ServerAccount | None = None
        self.child_reconnects = 0  # made by fetching processes (see _fetched)

    # --- the pass ----------------------------------------------------------------------------------
    def run(self) -> SyncReport:
        with self.runtime.unit() as session:
            mailbox = session.get(Mailbox, self.mailbox_id)
            account = ServerAccount.of(mailbox, self.runtime.settings)
            self.account = account
            self.owner_id = mailbox.owner_id
            folders = list(dict.fromkeys(mailbox.folders or ["INBOX"]))
        with ImapConnection(account, retries=self.retries, backoff_s=self.backoff_s) as conn:
            try:
                caps = conn.capabilities()
                self.report.supports_idle = "IDLE" in caps
                condstore = self.use_condstore and conn.enable_condstore()
                plans = []
                for name in folders:
                    try:
                        plans.append(self._plan(conn, name, condstore))
                    except FolderMissing:
                        # One folder renamed or deleted on the server must not stop the others.
                        self.report.missing.append(name)
                total = sum(p.info.exists for p in plans)
                remaining = sum(len(p.pending) for p in plans)
                self.done, self.total = max(0, total - remaining), total
                self.progress(self.done, self.total, "checking folders")
                for plan in plans:
                    try:
                        finished = self._fetch_new(conn, plan)
                    except UidValidityChanged:
                        # Recreated while we read it: plan it again (its state is reset) and go on.
                        finished = self._fetch_new(conn, self._plan(conn, plan.name, condstore))
                    if not finished:
                        self.report.more = True
                        break
            finally:
                self.report.reconnects = conn.reconnects + self.child_reconnects
        self._ask_processing()
        return self.report

    def _ask_processing(self) -> None:
        """At the end of a pass (or of its time budget): mail stored without threading and linking,
        by this pass or by an earlier one that was interrupted, is handed to ``mail.process_stored``."""
        with self.runtime.unit() as session:
            if has_unprocessed(session, self.owner_id):
                self.runtime.enqueue(session, "mail.process_stored", self.owner_id, owner_id=self.owner_id)
                self.report.processing_asked = True

    def _out_of_time(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    # --- planning and flags -------------------------------------------------------------------------
    def _plan(self, conn: ImapConnection, name: str, condstore: bool) -> _Plan:
        info = conn.run(lambda c: conn.refresh(c, name))
        with self.runtime.unit() as session:
            state = FolderRepository(session).get_or_add(self.mailbox_id, name)
            stored_modseq = state.highest_modseq
            if state.uidvalidity is not None and state.uidvalidity != info.uidvalidity:
                log.warning("uidvalidity changed: folder is read again",
                            extra={"mailbox_id": self.mailbox_id, "folder": name})
                SyncedMailRepository(session).forget_uids(self.mailbox_id, name)
                state.last_uid, state.highest_modseq, stored_modseq = 0, None, None
                self.report.resets.append(name)
            state.uidvalidity = info.uidvalidity
            state.server_count = info.exists
            state_id, last_uid = state.id, state.last_uid
        if last_uid > 0:
            self._sync_flags(conn, name, info, last_uid, stored_modseq if condstore else None, condstore)
        elif condstore and info.highest_modseq is not None:
            self._save_modseq(state_id, info.highest_modseq)
        if info.uidnext is not None and info.uidnext <= last_uid + 1:
            pending: list[int] = []  # nothing arrived since the last pass: no SEARCH needed
        else:
            found = conn.run(lambda c: (conn.examine(c, name, expect_uidvalidity=info.uidvalidity),
                                        c.search(["UID", f"{last_uid + 1}:*"]))[1])
            # "n:*" always matches the highest UID, even when it is below n
            pending = sorted(uid for uid in found if uid > last_uid)
        return _Plan(name=name, state_id=state_id, info=info, last_uid=last_uid, pending=pending)

    def _save_modseq(self, state_id: int, modseq: int) -> None:
        with self.runtime.unit() as session:
            session.get(MailboxFolder, state_id).highest_modseq = modseq

    def _sync_flags(self, conn: ImapConnection, name: str, info: FolderInfo, last_uid: int,
                    stored_modseq: int | None, condstore: bool) -> None:
        if condstore and stored_modseq is not None and info.highest_modseq is not None:
            if info.highest_modseq <= stored_modseq:
                return
            # Only what changed since last time (RFC 7162 SEARCH MODSEQ).
            changed = conn.run(lambda c: (conn.examine(c, name, expect_uidvalidity=info.uidvalidity),
                                          c.search(["MODSEQ", str(stored_modseq + 1)]))[1])
            uids = sorted(uid for uid in changed if uid <= last_uid)
            with self.runtime.unit() as session:
                known = SyncedMailRepository(session).flags_by_uid(self.mailbox_id, name, uids)
        else:
            with self.runtime.unit() as session:
                known = SyncedMailRepository(session).flags_by_uid(self.mailbox_id, name)
            uids = sorted(known)
        changes: list[tuple[int, list[str]]] = []
        for start in range(0, len(uids), _FLAG_CHUNK):
            chunk = uids[start:start + _FLAG_CHUNK]
            fetched = conn.run(lambda c, chunk=chunk: (
                conn.examine(c, name, expect_uidvalidity=info.uidvalidity), c.fetch(chunk, ["FLAGS"]))[1])
            for uid, data in fetched.items():
                if uid in known and b"FLAGS" in data:
                    flags = normalise_flags(data[b"FLAGS"])
                    if flags != sorted(known[uid][1]):
                        changes.append((known[uid][0], flags))
        with self.runtime.unit() as session:
            SyncedMailRepository(session).set_flags(changes)
            state = FolderRepository(session).get_or_add(self.mailbox_id, name)
            if condstore and info.highest_modseq is not None:
                state.highest_modseq = info.highest_modseq
        self.report.flags_updated += len(changes)

    # --- new mail ---------------------------------------------------------------------------------
    def _fetch_new(self, conn: ImapConnection, plan: _Plan) -> bool:
        """Fetch and store the folder's new mail; False when the time budget ran out first."""
        batches = [plan.pending[i:i + self.batch_size] for i in range(0, len(plan.pending), self.batch_size)]
        if not batches:
            self._touch(plan)
            return True
        defer = self.defer_over is not None and len(plan.pending) > self.defer_over

        def fetch(uids: list[int]) -> tuple[list[Incoming], list[Envelope]]:
            fetched = conn.run(lambda c: (conn.examine(c, plan.name, expect_uidvalidity=plan.info.uidvalidity),
                                          fetch_messages(c, uids))[1])
            items: list[Incoming] = []
            for uid in uids:
                if uid not in fetched:
                    continue  # expunged between SEARCH and FETCH: nothing to store
                raw, flags = fetched[uid]
                items.append(Incoming(raw=raw, mailbox_id=self.mailbox_id, folder=plan.name, uid=uid,
                                      flags=normalise_flags(flags)))
            return items, MailStore.envelopes(items)

        # A pass of many batches writes tens of MB: the WAL is copied into the database on a thread
        # of its own meanwhile, instead of inside this thread's commits (see crm.db). The fetching
        # process is forked before that thread starts. The garbage collector runs rarely meanwhile
        # (see models.memory.bulk).
        many = len(batches) > _CHECKPOINT_OVER
        remaining = len(plan.pending)
        with self._fetched(conn, plan, batches, fetch) as (fetched, waiting), \
                (background_checkpoints(self.runtime.engine) if many else nullcontext()), \
                (memory.bulk() if many else nullcontext()):
            for uids, items, envelopes in _joined(fetched, waiting, self.batch_size * JOIN_BATCHES):
                remaining -= len(uids)
                self._store(plan, uids, items, envelopes, remaining, defer=defer)
                self.done += len(uids)
                self.progress(self.done, self.total, f"{plan.name}: {plan.info.exists - remaining}"
                                                     f"/{plan.info.exists}")
                if remaining and self._out_of_time():
                    return False
        return True

    @contextmanager
    def _fetched(self, conn: ImapConnection, plan: _Plan, batches: list[list[int]], fetch):
        """The batches as ``(uids, items, envelopes)``, in order, fetched ahead of the storing, and a
        function that says whether the next one has arrived already.

        A big pass is fetched by a child process (:mod:`mailio.imap.fetcher`): fetching and reading
        envelopes then run on the other core instead of taking turns with storing on the GIL. A small
        one (new mail arriving) is fetched on a thread, one batch ahead: forking costs more than it
        saves there.
        """
        process = None
        if self.prefetch and len(batches) > _PROCESS_OVER and fetcher.available():
            first, rest = batches[0][:FIRST_BATCH], batches[0][FIRST_BATCH:]
            try:
                process = fetcher.FetchProcess(self.account, mailbox_id=self.mailbox_id, folder=plan.name,
                                               uidvalidity=plan.info.uidvalidity,
                                               batches=[first, *([rest] if rest else []), *batches[1:]],
                                               retries=self.retries, backoff_s=self.backoff_s)
            except (AssertionError, OSError) as exc:
                # e.g. a daemonic worker process may not have children: fetch on a thread instead
                log.warning("fetching on a thread: no child process", extra={"reason": str(exc)[:200]})
        if process is not None:
            conn.close()  # the child logs in on its own; this connection would idle meanwhile
            self.runtime.prepare_publishing()  # while the child logs in and fetches the first batch
            with process:
                try:
                    yield iter(process), process.waiting
                finally:
                    self.child_reconnects += process.reconnects
            return

        def threaded():
            # While one batch is stored, the next one is fetched and its envelopes read (hashes and
            # headers: no database needed); the socket, hashing and SQLite release the GIL.
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="imap-prefetch") as pool:
                ahead: Future | None = pool.submit(fetch, batches[0]) if self.prefetch else None
                for index, uids in enumerate(batches):
                    items, envelopes = ahead.result() if ahead is not None else fetch(uids)
                    ahead = None
                    if self.prefetch and index + 1 < len(batches):
                        ahead = pool.submit(fetch, batches[index + 1])
                    yield uids, items, envelopes

        generator = threaded()
        try:
            yield generator, lambda: False  # one batch ahead at most: nothing to join
        finally:
            generator.close()  # a pending prefetch is waited for, and its batch dropped

    def _store(self, plan: _Plan, uids: list[int], items: list[Incoming], envelopes: list[Envelope],
               remaining: int, *, defer: bool = False) -> None:
        with self.runtime.unit() as session:
            results = MailStore(session).store_batch_with_envelopes(items, envelopes, owner_id=self.owner_id,
                                                                    source="imap", objects=False, process=not defer)
            created = {id(r.email) for r in results if r.created}
            new_ids = []
            for item, result in zip(items, results, strict=True):
                email = result.email
                if result.created:
                    new_ids.append(email.id)
                    continue
                self.report.duplicates += 1
                # Already stored (a resync, or the same mail seen elsewhere first): record where it
                # lives now, unless it belongs to another folder or mailbox of this owner.
                if id(email) not in created and email.mailbox_id == self.mailbox_id and (
                        email.folder == plan.name or email.uid is None):
                    email.folder, email.uid, email.flags = plan.name, item.uid, item.flags
            state = session.get(MailboxFolder, plan.state_id)
            state.last_uid = max(state.last_uid or 0, max(uids))
            state.uidvalidity = plan.info.uidvalidity
            state.server_count = plan.info.exists
            state.synced_count = max(0, plan.info.exists - remaining)
            state.last_sync_at = utcnow()
            if not defer:
                request_analysis(self.runtime, session, new_ids)
            # else: mail.process_stored asks for it, once the mail is threaded and linked
        self.report.fetched += len(items)
        self.report.stored += len(new_ids)

    def _touch(self, plan: _Plan) -> None:
        with self.runtime.unit() as session:
            state = session.get(MailboxFolder, plan.state_id)
            state.server_count = plan.info.exists
            state.synced_count = plan.info.exists
            state.last_sync_at = utcnow()


def _joined(batches: Iterator[tuple[list[int], list[Incoming], list[Envelope]]], waiting: Callable[[], bool],
            limit: int) -> Iterator[tuple[list[int], list[Incoming], list[Envelope]]]:
    """The batches in order, each joined with those after it that have arrived already, up to ``limit``
    messages: the storing then never waits for a batch it could have stored on its own. An error met
    while joining is raised after what came before it is handed on (and stored)."""
    for uids, items, envelopes in batches:
        uids, items, envelopes = list(uids), list(items), list(envelopes)
        step = len(uids)  # the batch size (a big pass's first batch and the last one may be smaller)
        failed: BaseException | None = None
        while len(uids) + step <= limit and waiting():
            try:
                more = next(batches, None)
            except Exception as exc:  # noqa: BLE001 - raised below, once this group is stored
                failed = exc
                break
            if more is None:
                break
            uids += more[0]
            items += more[1]
            envelopes += more[2]
        yield uids, items, envelopes
        if failed is not None:
            raise failed
