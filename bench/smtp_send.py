"""Sending 1,000 mails to an aiosmtpd sink: a plain aiosmtplib loop next to our whole sending path.

    .venv/bin/python bench/smtp_send.py [--mails 1000] [--rounds 3] [--batch 100]

(a) plain: one aiosmtplib connection, an EmailMessage built and sent per mail (``send_message``).
(b) ours: for every mail, compose (address checks, header-injection checks, MIME build, one
    Message-ID) into an Outbox row (``SendService.submit_many``), committed in units of ``--batch``;
    then the ``mail.send_batch``
    job function runs inline with a JobContext for each unit: claim (committed), one SMTP connection
    per unit, record, store the sent copies (``MailStore.store_batch``: threads and links), ask for
    analysis, and enqueue ``mail.append_sent`` per mail (the user has an IMAP mailbox with a Sent
    folder; the append jobs are queued in the SQLite job queue, not run). SQLite database, WAL.
(c) ours, one job per mail: the same path through ``mail.send`` (one connection per mail), as a
    single API request sends; shown for scale, not the target.

The sink is an aiosmtpd Controller in its own process (so it does not share a GIL with the sender)
that counts messages and keeps nothing. Each variant runs in its own process, round after round in
turn; the best round is reported. CPU: the sender process's CPU time in the timed run (its SMTP
thread included, the sink's not), which a busy machine disturbs less than wall time. Memory: the
process's peak RSS during the timed run (interpreter and libraries included) and its growth over
the RSS at the start of the run. Target: ours ≥ 0.7× the plain loop in mails/s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VARIANTS = ("plain", "ours", "ours-per-mail")
WARM_UP = 20
LABELS = {"plain": "(a) plain aiosmtplib loop", "ours": "(b) ours: compose → outbox → send_batch → stored",
          "ours-per-mail": "(c) ours, one mail.send job per mail"}


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    """Peak RSS since the last _reset_peak (Linux VmHWM), else since the process started."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> float:
    """Start the peak over at the current RSS (Linux: clear_refs 5), so the timed run's own peak shows;
    e.g. hashing the bench user's password (argon2, 64 MiB) would otherwise set it. Returns the RSS."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    return _rss_mb()


# --- the sink: its own process, counts what it accepts ---------------------------------------------
def run_sink(port: int) -> None:
    import threading

    from aiosmtpd.controller import Controller

    class Count:
        n = 0

        async def handle_DATA(self, server, session, envelope):
            Count.n += 1
            return "250 OK"

    controller = Controller(Count(), hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    print("ready", flush=True)
    for line in sys.stdin:  # "count" → prints the count; EOF → stop
        if line.strip() == "count":
            print(Count.n, flush=True)
    controller.stop()
    threading.Event().set()


# --- (a) the plain loop ----------------------------------------------------------------------------
def run_plain(port: int, mails: int) -> dict:
    import asyncio
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid

    import aiosmtplib

    async def main(mails: int) -> None:
        smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=30, start_tls=False)
        await smtp.connect()
        for i in range(mails):
            msg = EmailMessage()
            msg["From"] = "Rep <rep@example.test>"
            msg["To"] = f"Customer {i} <customer{i}@client.test>"
            msg["Subject"] = f"Offer {i}"
            msg["Date"] = formatdate(localtime=True)
            msg["Message-ID"] = make_msgid(domain="example.test")
            msg.set_content(f"Hello customer {i},\n\nhere is our offer.\n\nRep\n")
            await smtp.send_message(msg)
        await smtp.quit()

    asyncio.run(main(WARM_UP))  # imports and first-use caches, outside the timed run
    base = _reset_peak()
    start, cpu = time.perf_counter(), time.process_time()
    asyncio.run(main(mails))
    return {"seconds": time.perf_counter() - start, "cpu_s": time.process_time() - cpu, "peak_mb": _peak_mb(),
            "growth_mb": _peak_mb() - base}


# --- (b)/(c) our path ------------------------------------------------------------------------------
def run_ours(port: int, mails: int, batch: int, per_mail: bool) -> dict:
    sys.path.insert(0, str(REPO))
    import logging

    logging.disable(logging.WARNING)
    from assistant.jobs.context import JobContext
    from assistant.jobs.registry import JOBS
    from assistant.jobs.tables import JobRun
    from assistant.runtime import Runtime
    from assistant.settings import Settings
    from crm.mail.tables import Email, EmailLink
    from crm.migrate import upgrade
    from crm.records.tables import Contact
    from crm.users.service import UserService
    from mailio.mailboxes.tables import Mailbox
    from mailio.smtp.jobs import send_batch, send_one
    from mailio.smtp.relay import RelayChange, RelayService
    from mailio.smtp.sending import ComposeRequest, Recipient, SendService
    from mailio.smtp.tables import Outbox
    from sqlalchemy import func, select

    modules = ["mailio.smtp.jobs"]
    try:
        import mailio.imap.jobs  # noqa: F401  (IMAP sync's append job, when it exists)
        modules.append("mailio.imap.jobs")
    except ImportError:
        pass
    data = Path(tempfile.mkdtemp(prefix="smtp-bench-"))
    runtime = Runtime(Settings(data_dir=data, job_modules=modules, log_format="text", log_level="WARNING"))
    upgrade(runtime.engine)
    with runtime.unit() as session:
        users = UserService(session)
        user = users.create_user("rep@example.test", "bench-password", name="Rep")
        who = users.identity_for(user)
        RelayService(session, runtime.settings).put(RelayChange(host="127.0.0.1", port=port, security="none"))
        session.add(Mailbox(owner_id=user.id, kind="imap", host="127.0.0.1", port=1, username="rep@example.test",
                            secret=b"-", sent_folder="Sent"))
        # A known customer for every tenth mail, so linking has work to do.
        session.add_all([Contact(owner_id=user.id, email=f"customer{i}@client.test") for i in range(0, mails, 10)])

    def ctx(session) -> JobContext:
        return JobContext(runtime, session, "bench", 0)

    def send(first_mail: int, count: int) -> None:
        for first in range(first_mail, first_mail + count, batch):
            last = min(first_mail + count, first + batch)
            with runtime.unit() as session:
                requests = [ComposeRequest(to=[Recipient(f"customer{i}@client.test", f"Customer {i}")],
                                           subject=f"Offer {i}", text=f"Hello customer {i},\n\nhere is our offer.\n")
                            for i in range(first, last)]
                ids = [row.id for row, _ in SendService(runtime, session, who).submit_many(requests, enqueue=False)]
            with runtime.unit() as session:
                if per_mail:
                    for outbox_id in ids:
                        send_one(ctx(session), outbox_id)
                else:
                    send_batch(ctx(session), ids)

    send(mails, WARM_UP)  # imports, the job queue and first-use caches, outside the timed run
    base = _reset_peak()
    start, cpu = time.perf_counter(), time.process_time()
    send(0, mails)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    with runtime.unit() as session:
        sent = session.scalar(select(func.count()).select_from(Outbox).where(Outbox.state == "sent"))
        stored = session.scalar(select(func.count()).select_from(Email).where(Email.source == "sent"))
        links = session.scalar(select(func.count()).select_from(EmailLink))
        appends = session.scalar(select(func.count()).select_from(JobRun).where(JobRun.name == "mail.append_sent"))
    runtime.dispose()
    assert sent == mails + WARM_UP and stored == mails + WARM_UP, (sent, stored)
    return {"seconds": seconds, "cpu_s": cpu, "peak_mb": _peak_mb(), "growth_mb": _peak_mb() - base,
            "stored": stored - WARM_UP,
            "links": links, "append_jobs": appends - WARM_UP if "mail.append_sent" in JOBS else "not registered"}


# --- the driver ------------------------------------------------------------------------------------
def _machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()} ({platform.system()})"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--per-mail-mails", type=int, default=200, help="mails for (c), which is slow")
    parser.add_argument("--worker", choices=VARIANTS + ("sink",), help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker == "sink":
        run_sink(args.port)
        return
    if args.worker:
        result = (run_plain(args.port, args.mails) if args.worker == "plain" else
                  run_ours(args.port, args.mails, args.batch, per_mail=args.worker == "ours-per-mail"))
        print(json.dumps(result))
        return

    port = _free_port()
    sink = subprocess.Popen([sys.executable, __file__, "--worker", "sink", "--port", str(port)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert sink.stdout.readline().strip() == "ready"
        best: dict[str, dict] = {}
        for _ in range(args.rounds):
            for variant in VARIANTS:
                count = args.per_mail_mails if variant == "ours-per-mail" else args.mails
                out = subprocess.run([sys.executable, __file__, "--worker", variant, "--port", str(port),
                                      "--mails", str(count), "--batch", str(args.batch)],
                                     capture_output=True, text=True, timeout=600)
                if out.returncode != 0:
                    raise SystemExit(f"{variant} failed:\n{out.stderr[-3000:]}")
                result = json.loads(out.stdout.strip().splitlines()[-1])
                result["mails"] = count
                if variant not in best or result["seconds"] < best[variant]["seconds"]:
                    best[variant] = result
        sink.stdin.write("count\n")
        sink.stdin.flush()
        received = int(sink.stdout.readline())
    finally:
        sink.stdin.close()
        sink.wait(30)
    print(f"machine: {_machine()}")
    expected = args.rounds * (2 * (args.mails + WARM_UP) + args.per_mail_mails + WARM_UP)
    print(f"{args.mails} mails per run ({args.per_mail_mails} for (c)), after {WARM_UP} untimed warm-up mails; "
          f"best of {args.rounds} rounds; units of {args.batch} for (b)")
    print(f"the sink accepted {received} mails in all ({expected} expected)")
    print(f"{'variant':52} {'mails/s':>8} {'seconds':>8} {'CPU s':>6} {'CPU ms/mail':>11} {'peak RSS':>9} "
          f"{'growth':>7}")
    for variant in VARIANTS:
        r = best[variant]
        print(f"{LABELS[variant]:52} {r['mails'] / r['seconds']:8.0f} {r['seconds']:8.2f} {r['cpu_s']:6.2f} "
              f"{1000 * r['cpu_s'] / r['mails']:11.2f} {r['peak_mb']:7.0f}MB {r['growth_mb']:5.1f}MB")
    ours = best["ours"]
    print(f"(b) stored {ours['stored']} sent mails with {ours['links']} record links; "
          f"mail.append_sent jobs queued: {ours['append_jobs']}")
    rate = {v: best[v]["mails"] / best[v]["seconds"] for v in VARIANTS}
    ratio = rate["ours"] / rate["plain"]
    print(f"ratio ours/plain: {ratio:.2f}x (target >= 0.70x): {'met' if ratio >= 0.7 else 'NOT met'}")
    print(f"ratio one-job-per-mail/plain: {rate['ours-per-mail'] / rate['plain']:.2f}x")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} (on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
