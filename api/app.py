"""The FastAPI application: API under /v1, web UI, health, metrics, and the embedded worker."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from api.errors import install_error_handlers
from api.limits import BodyLimit
from api.observability import install_observability
from api.routes import (account, alerts, analyze, dropbox, health, inbox, jobs, mail, mailboxes, records, sending,
                        suggestions, users)
from api.web import pages as web
from api.web import mailbox_pages, record_pages, send_pages
from api.routes import rules as rules_api
from api.web import rules_pages
from assistant.jobs.embedded import EmbeddedWorker
from assistant.runtime import Runtime
from mailio.imap.watcher import IdleWatcher

__all__ = ["create_app", "PUBLIC_PATHS"]

# Paths that answer without an identity; every other route is protected (tests walk them all).
PUBLIC_PATHS = {"/health", "/metrics", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json", "/login",
                "/static"}


def create_app(runtime: Runtime, *, run_worker: bool = True) -> FastAPI:
    settings = runtime.settings

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        worker = watcher = None
        if run_worker and settings.embedded_jobs:
            worker = EmbeddedWorker(runtime)
            if worker.start():  # only the process that runs the jobs watches mailboxes (IMAP IDLE)
                watcher = IdleWatcher(runtime)
                watcher.start()
        app.state.embedded_worker = worker
        try:
            yield
        finally:
            if watcher is not None:
                watcher.stop()
            if worker is not None:
                worker.stop()

    app = FastAPI(title="mailassist", version="0.1.0", lifespan=lifespan,
                  description="Self-hosted, AI-first mail assistant for CRM teams. Apps authenticate with "
                              "`Authorization: Bearer <api key>`; keys carry scopes.")
    app.state.runtime = runtime
    install_error_handlers(app)
    install_observability(app, settings.metrics)
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(SessionMiddleware, secret_key=settings.session_secret(), session_cookie="mailassist_session",
                       max_age=settings.session_max_age_s, same_site="lax", https_only=settings.secure_cookies)
    app.include_router(health.router)
    for module in (account, users, mail, mailboxes, sending, dropbox, records, suggestions, alerts, inbox, jobs,
                   analyze):
        app.include_router(module.router)
    app.include_router(web.public)
    app.include_router(web.pages)
    app.include_router(record_pages.pages)
    app.include_router(mailbox_pages.pages)
    app.include_router(send_pages.pages)
    app.include_router(rules_api.router)  # parsing rules: the API for apps and the admin pages
    app.include_router(rules_pages.pages)
    app.mount("/static", StaticFiles(directory=str(Path(web.__file__).parent / "static")), name="static")
    return app
