"""`mailassist mailbox ...`: list mailboxes, sync one with its progress shown, run the IDLE watcher.

An operator's tool (it reads every mailbox, like an admin). `sync` asks the job layer for the same
``mail.sync_mailbox`` job the UI starts and follows its progress; `--here` runs the sync in this
process instead (no worker needed). `watch` runs the IMAP IDLE watcher in the foreground: for
deployments with Celery workers, once per cluster (embedded mode runs it inside the service).
"""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

__all__ = ["mailbox_app"]

mailbox_app = typer.Typer(help="Mail server accounts (IMAP/POP3) and their sync.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)
_DONE = ("succeeded", "failed")


def _runtime():
    from assistant.logs import configure_logging
    from assistant.runtime import Runtime
    from assistant.settings import get_settings

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)
    return Runtime(settings)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err)


@mailbox_app.command("list")
def list_() -> None:
    """Every mailbox with its state and per-folder progress."""
    from mailio.mailboxes.repository import FolderRepository, MailboxRepository

    runtime = _runtime()
    table = Table("id", "owner", "kind", "account", "state", "last sync", "folders (synced/server)")
    with runtime.unit() as session:
        folders = FolderRepository(session)
        for m in MailboxRepository(session).visible(None):
            states = {f.name: f for f in folders.for_mailbox(m.id)}
            shown = ", ".join(
                f"{name} {states[name].synced_count}/{states[name].server_count}" if name in states
                else f"{name} -" for name in (m.folders or ["INBOX"]))
            table.add_row(str(m.id), str(m.owner_id), m.kind,
                          f"{m.username}@{m.host}:{m.port} ({m.security})",
                          m.state if m.enabled else "disabled",
                          m.last_sync_at.strftime("%Y-%m-%d %H:%M") if m.last_sync_at else "never", shown)
    out.print(table)
    runtime.dispose()


@mailbox_app.command()
def sync(mailbox_id: int,
         here: Annotated[bool, typer.Option("--here",
                                            help="Run the sync in this process, not as a job.")] = False,
         wait: Annotated[bool, typer.Option(help="Follow the job's progress until it ends.")] = True) -> None:
    """Sync a mailbox now, showing progress (the same job as the UI's "Sync now")."""
    from assistant.errors import MailassistError
    from mailio.mailboxes.service import SYNC_JOB
    from mailio.mailboxes.tables import Mailbox

    runtime = _runtime()
    try:
        with runtime.unit() as session:
            mailbox = session.get(Mailbox, mailbox_id)
            if mailbox is None:
                err.print(f"[red]error:[/red] no mailbox {mailbox_id}")
                raise typer.Exit(1)
            owner_id = mailbox.owner_id
            run_id = None if here else runtime.enqueue(session, SYNC_JOB, mailbox_id, owner_id=owner_id)
        if here:
            _sync_here(runtime, mailbox_id)
        elif wait:
            _follow(runtime, run_id)
        else:
            out.print(f"sync job {run_id} queued")
    except MailassistError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(1) from None
    finally:
        runtime.dispose()


def _sync_here(runtime, mailbox_id: int) -> None:
    from mailio.mailboxes.sync import sync_mailbox

    with _progress() as bar:
        task = bar.add_task("syncing", total=None)

        def show(done: int, total: int, message: str) -> None:
            bar.update(task, completed=done, total=total, description=message[:40])

        outcome = sync_mailbox(runtime, mailbox_id, progress=show)
    out.print(", ".join(f"{k}: {v}" for k, v in outcome.result.items()))


def _follow(runtime, run_id: str) -> None:
    from assistant.jobs.tables import JobRun

    err.print(f"sync job {run_id} queued; following its progress (Ctrl-C stops watching, not the sync)")
    with _progress() as bar:
        task = bar.add_task("queued", total=None)
        while True:
            with runtime.unit() as session:
                run = session.get(JobRun, run_id)
            bar.update(task, completed=run.done, total=run.total, description=(run.message or run.state)[:40])
            if run.state in _DONE:
                break
            time.sleep(0.5)
    if run.state == "failed":
        err.print(f"[red]sync failed:[/red] {run.error}")
        raise typer.Exit(1)
    out.print(", ".join(f"{k}: {v}" for k, v in (run.result or {}).items()))


@mailbox_app.command()
def watch() -> None:
    """Run the IMAP IDLE watcher until stopped (SIGTERM/Ctrl-C): new mail is synced as it arrives."""
    import signal
    import threading

    from mailio.imap.watcher import IdleWatcher

    runtime = _runtime()
    watcher = IdleWatcher(runtime)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    watcher.start()
    err.print("IMAP IDLE watcher running; Ctrl-C stops it")
    stop.wait()
    watcher.stop()
    runtime.dispose()
