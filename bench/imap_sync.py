"""First sync of 10,000 messages from Dovecot: a plain imapclient FETCH loop next to our sync.

    .venv/bin/python bench/imap_sync.py [--messages 10000] [--batch 250] [--rounds 3] [--contacts 0] [--inline]

A real Dovecot (unprivileged, loopback; the tests' helper starts it) gets ``--messages`` generated
mails in INBOX (2-20 KB, mixed: plain, HTML alternatives, small attachments, replies in threads; put
there with MULTIAPPEND). Then, in the same run, each variant in its own process, round after round:

(a) plain: imapclient, EXAMINE INBOX, UID SEARCH, then UID FETCH (BODY.PEEK[] FLAGS) in batches of
    ``--batch``, every message's bytes appended to a list. Nothing else.
(b) ours: ``ImapSync`` — the code the ``mail.sync_mailbox`` job runs — into a fresh SQLite database
    (WAL): per batch, the envelopes read (hash and headers; a pass this big is fetched and its
    envelopes read by a forked child process while the parent stores, see mailio/imap/fetcher.py),
    the raw mail stored (``MailStore.store_batch_with_envelopes``: de-duplication, one INSERT per
    table) and the folder's last UID advanced in the same transaction (batches that have arrived
    by the time the storing gets to them are stored together, up to four per transaction);
    WAL checkpoints run on a thread of their own. A first sync this big (over ``DEFER_OVER`` new messages in the folder)
    leaves threading, linking and asking for the analysis to the ``mail.process_stored`` job
    (queued at the end of the pass); a small sync does them inline, per batch. ``--inline`` makes
    this one do them inline too.
    After the sync, and outside its clock, the processing job's work is run and timed on its own
    (threads, links, the analysis asked for: queued in the SQLite job queue, not run), so the whole
    cost of getting a mailbox in stays visible.

``--contacts N`` first puts N of the mailbox's correspondents in the CRM as contacts, with their
companies as accounts (an open deal on every other one), so that ours also writes links to contacts,
accounts and deals; 0 (the default) stores and threads mail that links to nobody.

The best round of each is reported (messages/s by wall clock), and the ratio within each round (ours
against the plain run just before it: on a machine whose speed drifts, the fairer pairing), with the client's CPU time per
message (user + system, all threads, and ours' fetching child: what the client itself spent, less disturbed by other load on
the machine than the wall clock), its peak RSS (interpreter and libraries included) and the growth
during the run. For ours, the time in ``store_batch_with_envelopes`` and in reading envelopes (on the
fetching thread, overlapping the rest; 0 when a child process read them) is shown apart. The load average is printed before and after:
on a shared machine, other work slows both variants, ours (which needs more CPU) more. Target: ours
≥ 0.7× plain.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

VARIANTS = ("plain", "ours")
LABELS = {"plain": "(a) plain imapclient FETCH loop",
          "ours": "(b) ours: ImapSync → SQLite (stored, de-duplicated)"}
INLINE_LABEL = "(b) ours: ImapSync → SQLite (stored, threaded, linked)"
USER, PASSWORD = "bench@example.test", "bench-password"


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    """CPU of this process and of its children that have ended (ours forks one to fetch)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


# --- the mailbox ---------------------------------------------------------------------------------------
_WORDS = ("please find the proposal attached we would like to schedule a call next week about pricing for "
          "the enterprise plan our team reviewed the contract and has a few questions regarding delivery "
          "timeline budget approval renewal invoice support onboarding integration thanks regards").split()


def _text(rng: random.Random, size: int) -> str:
    words, total = [], 0
    while total < size:
        word = rng.choice(_WORDS)
        words.append(word)
        total += len(word) + 1
    lines = [" ".join(words[i:i + 12]) for i in range(0, len(words), 12)]
    return "\r\n".join(lines)


def generate(count: int, seed: int = 7) -> list[bytes]:
    """Mail with realistic sizes (2-20 KB, most small) and shapes, and threads of replies."""
    rng = random.Random(seed)
    contacts = [(f"Contact {i}", f"contact{i}@client{i % 40}.example") for i in range(300)]
    start = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    out: list[bytes] = []
    subjects: list[tuple[str, str]] = []  # (subject, message-id) of earlier mail, for replies
    for n in range(count):
        size = int(min(20_000, max(2_000, rng.lognormvariate(8.6, 0.6))))  # median ≈ 5.4 KB
        name, addr = rng.choice(contacts)
        mid = f"<bench-{n}-{rng.getrandbits(32):08x}@client.example>"
        headers = [f"From: {name} <{addr}>", "To: Rep <rep@example.test>",
                   f"Date: {format_datetime(start + timedelta(minutes=7 * n))}", f"Message-ID: {mid}",
                   "MIME-Version: 1.0"]
        if subjects and rng.random() < 0.3:
            parent_subject, parent_mid = rng.choice(subjects[-500:])
            headers += [f"Subject: Re: {parent_subject}", f"In-Reply-To: {parent_mid}",
                        f"References: {parent_mid}"]
        else:
            subject = f"{rng.choice(['Question', 'Proposal', 'Meeting', 'Invoice', 'Update'])} #{n}"
            headers.append(f"Subject: {subject}")
            subjects.append((subject, mid))
        shape = rng.random()
        body_text = _text(rng, size)
        if shape < 0.5:
            headers.append("Content-Type: text/plain; charset=utf-8")
            body = body_text
        else:
            boundary = f"b{n:06d}"
            headers.append(f'Content-Type: multipart/{"mixed" if shape > 0.85 else "alternative"}; '
                           f'boundary="{boundary}"')
            half = body_text[: len(body_text) // 2]
            parts = [f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{half}",
                     f"--{boundary}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>{half}</p>"]
            if shape > 0.85:
                blob = rng.randbytes(1500)
                import base64

                encoded = base64.encodebytes(blob).decode().replace("\n", "\r\n")
                parts.append(f"--{boundary}\r\nContent-Type: application/pdf; name=\"doc{n}.pdf\"\r\n"
                             f"Content-Transfer-Encoding: base64\r\n\r\n{encoded}")
            body = "\r\n".join(parts) + f"\r\n--{boundary}--"
        out.append(("\r\n".join(headers) + "\r\n\r\n" + body + "\r\n").encode())
    return out


def fill(server, messages: list[bytes]) -> None:
    from imapclient import IMAPClient

    with IMAPClient(server.host, port=server.imap_port, ssl=False, timeout=60) as client:
        client.login(USER, PASSWORD)
        for start in range(0, len(messages), 500):
            client.multiappend("INBOX", messages[start:start + 500])


# --- (a) the plain loop -----------------------------------------------------------------------------
def run_plain(port: int, batch: int) -> dict:
    from imapclient import IMAPClient

    base = _rss_mb()
    cpu = _cpu_s()
    started = time.perf_counter()
    with IMAPClient("127.0.0.1", port=port, ssl=False, timeout=60) as client:
        client.login(USER, PASSWORD)
        client.select_folder("INBOX", readonly=True)
        uids = client.search("ALL")
        kept: list[bytes] = []
        for start in range(0, len(uids), batch):
            fetched = client.fetch(uids[start:start + batch], ["BODY.PEEK[]", "FLAGS"])
            kept.extend(item[b"BODY[]"] for item in fetched.values())
    seconds = time.perf_counter() - started
    return {"messages": len(kept), "bytes": sum(map(len, kept)), "seconds": seconds, "base_mb": base,
            "peak_mb": _peak_mb(), "cpu_s": _cpu_s() - cpu}


# --- (b) our sync -----------------------------------------------------------------------------------
def add_contacts(session, who, count: int) -> None:
    """The first ``count`` correspondents of :func:`generate` as contacts; their companies as accounts,
    every other one with an open deal."""
    from crm.records.service import RecordService

    accounts: dict[int, int] = {}
    for i in range(min(count, 300)):
        company = i % 40
        if company not in accounts:
            accounts[company] = RecordService(session, who, "accounts").create({"name": f"Client {company}"}).id
            if company % 2 == 0:
                RecordService(session, who, "deals").create({"name": f"Deal {company}", "stage": "proposal",
                                                             "account_id": accounts[company]})
        RecordService(session, who, "contacts").create({"first_name": "Contact", "last_name": str(i),
                                                        "email": f"contact{i}@client{company}.example",
                                                        "account_id": accounts[company]})


def run_ours(port: int, batch: int, contacts: int = 0, inline: bool = False) -> dict:
    from sqlalchemy import func, select

    from assistant.jobs.context import JobContext
    from assistant.jobs.registry import JOBS
    from assistant.jobs.tables import JobRun
    from assistant.runtime import Runtime
    from assistant.settings import Settings
    from crm.mail.service import MailStore
    from crm.mail.tables import Email, EmailLink
    from crm.migrate import upgrade
    from crm.users.service import UserService
    from mailio.imap.sync import ImapSync
    from mailio.mailboxes.schemas import MailboxIn
    from mailio.mailboxes.service import MailboxService

    with tempfile.TemporaryDirectory(prefix="bench-imap-") as tmp:
        settings = Settings(data_dir=Path(tmp) / "data",
                            job_modules=["mailio.mailboxes.jobs", "mailio.imap.jobs"],
                            log_format="text", log_level="WARNING")
        runtime = Runtime(settings)
        upgrade(runtime.engine)
        with runtime.unit() as session:
            users = UserService(session)
            user = users.create_user("rep@example.test", None, role="rep")
            who = users.identity_for(user)
            box = MailboxService(session, settings).create(
                who, MailboxIn(host="127.0.0.1", port=port, security="none", username=USER, password=PASSWORD)).id
            add_contacts(session, who, contacts)
        _ = runtime.celery  # built before the clock starts, as in a running service
        in_store, in_envelopes = [0.0], [0.0]
        store, envelopes = MailStore.store_batch_with_envelopes, MailStore.envelopes

        def timed_store(self, *args, **kwargs):  # measures the real methods, changes nothing
            started = time.perf_counter()
            try:
                return store(self, *args, **kwargs)
            finally:
                in_store[0] += time.perf_counter() - started

        def timed_envelopes(items):
            started = time.perf_counter()
            try:
                return envelopes(items)
            finally:
                in_envelopes[0] += time.perf_counter() - started

        MailStore.store_batch_with_envelopes = timed_store
        MailStore.envelopes = staticmethod(timed_envelopes)
        base = _rss_mb()
        cpu = _cpu_s()
        started = time.perf_counter()
        report = ImapSync(runtime, box, batch_size=batch, **({"defer_over": None} if inline else {})).run()
        seconds = time.perf_counter() - started
        cpu = _cpu_s() - cpu
        with runtime.unit() as session:
            stored = session.scalar(select(func.count()).select_from(Email))
            size = session.scalar(select(func.sum(Email.size)))
            links_in_sync = session.scalar(select(func.count()).select_from(EmailLink))
            unprocessed = session.scalar(select(func.count()).select_from(Email).where(Email.processed.is_(False)))
            owner_id = session.scalar(select(Email.owner_id).limit(1))
            queued = session.scalars(select(JobRun.id).where(JobRun.name == "mail.process_stored")).all()
        # The processing job, as the worker would run it (outside the sync's clock).
        process_s = process_cpu = 0.0
        if queued:
            process_cpu, started = _cpu_s(), time.perf_counter()
            with runtime.unit() as session:
                JOBS["mail.process_stored"].fn(JobContext(runtime, session, queued[0], 0), owner_id, budget_s=3600)
            process_s, process_cpu = time.perf_counter() - started, _cpu_s() - process_cpu
        with runtime.unit() as session:
            links = session.scalar(select(func.count()).select_from(EmailLink))
            left = session.scalar(select(func.count()).select_from(Email).where(Email.processed.is_(False)))
            asked = sum(len(r.args[0]) for r in session.scalars(select(JobRun).where(JobRun.name == "mail.analyze")))
        db_mb = (settings.data_dir / "mailassist.sqlite").stat().st_size / 2**20
        runtime.dispose()
    if left or asked != stored:
        raise SystemExit(f"after processing: {left} messages unprocessed, analysis asked for {asked} of {stored}")
    return {"messages": stored, "bytes": size, "seconds": seconds, "base_mb": base, "peak_mb": _peak_mb(),
            "stored": report.stored, "db_mb": db_mb, "cpu_s": cpu, "store_s": in_store[0],
            "envelopes_s": in_envelopes[0], "links": links, "links_in_sync": links_in_sync,
            "deferred": unprocessed, "process_s": process_s, "process_cpu_s": process_cpu}


# --- driver ------------------------------------------------------------------------------------------
def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    dovecot = subprocess.run(["/usr/sbin/dovecot", "--version"], capture_output=True,
                             text=True).stdout.strip()
    import imapclient
    import sqlalchemy

    return (f"{model}, {os.cpu_count()} cores; Python {platform.python_version()}; imapclient "
            f"{imapclient.__version__}; SQLAlchemy {sqlalchemy.__version__}; SQLite; Dovecot {dovecot}")


def child(variant: str, port: int, batch: int, contacts: int, inline: bool = False) -> dict:
    argv = [sys.executable, __file__, "--child", variant, "--port", str(port), "--batch", str(batch),
            "--contacts", str(contacts)] + (["--inline"] if inline else [])
    out = subprocess.run(argv,
                         capture_output=True, text=True, timeout=1800, cwd=REPO)
    if out.returncode != 0:
        raise SystemExit(f"{variant} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=250)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--contacts", type=int, default=0, help="correspondents put in the CRM first (max 300)")
    parser.add_argument("--inline", action="store_true",
                        help="ours threads and links in the sync, as a small sync does (no deferred processing)")
    parser.add_argument("--child", choices=VARIANTS)
    parser.add_argument("--port", type=int)
    args = parser.parse_args()
    if args.child:
        result = run_plain(args.port, args.batch) if args.child == "plain" else \
            run_ours(args.port, args.batch, args.contacts, args.inline)
        print(json.dumps(result))
        return

    from tests.mailio.dovecot import Dovecot, dovecot_missing

    if (missing := dovecot_missing()):
        raise SystemExit(missing)
    print(f"machine: {machine()}")
    print(f"load average before: {_load()}")
    server = Dovecot()
    server.start()
    try:
        server.add_user(USER, PASSWORD)
        messages = generate(args.messages)
        sizes = sorted(map(len, messages))
        started = time.perf_counter()
        fill(server, messages)
        print(f"mailbox: {len(messages)} messages, {sum(sizes) / 2**20:.1f} MB, "
              f"sizes {sizes[0]}-{sizes[-1]} B "
              f"(median {sizes[len(sizes) // 2]}); MULTIAPPEND took {time.perf_counter() - started:.1f} s; "
              f"batch {args.batch} per FETCH; best of {args.rounds} rounds, each variant in its own process; "
              f"{min(args.contacts, 300)} correspondents in the CRM as contacts")
        best: dict[str, dict] = {}
        per_round: list[float] = []  # plain's time / ours' in the same round: the machine's drift cancels
        for round_ in range(args.rounds):
            for variant in VARIANTS:
                result = child(variant, server.imap_port, args.batch, args.contacts, args.inline)
                if result["messages"] != len(messages):
                    raise SystemExit(f"{variant} saw {result['messages']} messages, expected {len(messages)}")
                rate = result["messages"] / result["seconds"]
                print(f"  round {round_ + 1} {variant:5}: {rate:7.0f} msg/s ({result['seconds']:.2f} s, "
                      f"client CPU {result['cpu_s']:.2f} s; load {_load()})", flush=True)
                if variant not in best or result["seconds"] < best[variant]["seconds"]:
                    best[variant] = result
                if variant == "ours":
                    per_round.append(plain_s / result["seconds"])
                else:
                    plain_s = result["seconds"]
    finally:
        server.cleanup()
    print(f"\nload average after: {_load()} (on {os.cpu_count()} cores; other work on the machine slows both "
          f"variants)")
    for variant in VARIANTS:
        r = best[variant]
        per = 1000 * r["seconds"] / r["messages"]
        cpu = 1000 * r["cpu_s"] / r["messages"]
        rate, mb_s = r["messages"] / r["seconds"], r["bytes"] / r["seconds"] / 2**20
        label = INLINE_LABEL if variant == "ours" and args.inline else LABELS[variant]
        print(f"{label:56} {rate:6.0f} msg/s {mb_s:5.1f} MB/s"
              f" | {per:.2f} ms/msg wall, {cpu:.2f} ms/msg client CPU | peak RSS {r['peak_mb']:.0f} MB "
              f"(+{r['peak_mb'] - r['base_mb']:.0f} MB)")
        if "store_s" in r:
            print(f"{'':56} of which storing (store_batch_with_envelopes) {1000 * r['store_s'] / r['messages']:.2f} "
                  f"ms/msg ({100 * r['store_s'] / r['seconds']:.0f} % of the sync); reading envelopes on the "
                  f"fetching thread {1000 * r['envelopes_s'] / r['messages']:.2f} ms/msg; {r['links_in_sync']} links; "
                  f"database {r['db_mb']:.0f} MB")
            if r["process_s"]:
                print(f"{'':56} then, in the job layer (mail.process_stored, outside the sync's clock): "
                      f"{r['deferred']} messages threaded and linked, their analysis asked for, at "
                      f"{r['deferred'] / r['process_s']:.0f} msg/s ({r['process_s']:.2f} s, CPU "
                      f"{1000 * r['process_cpu_s'] / r['deferred']:.2f} ms/msg); {r['links']} links")
    ratio = best["plain"]["seconds"] / best["ours"]["seconds"]
    cpu_ratio = best["plain"]["cpu_s"] / best["ours"]["cpu_s"]
    print(f"ratio ours/plain: {ratio:.2f}x by wall clock, {cpu_ratio:.2f}x by client CPU  (target >= 0.70x)")
    ordered = sorted(per_round)
    print(f"ratio within each round (ours against the plain run just before it): "
          f"{', '.join(f'{r:.2f}x' for r in per_round)}; median {ordered[len(ordered) // 2]:.2f}x")


if __name__ == "__main__":
    main()
