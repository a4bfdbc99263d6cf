"""The API of this feature for in-process tests: our routers, the real error handlers and sessions.

Built here rather than with api.app.create_app so these tests do not depend on how the rest of
the app is wired; the browser test runs the real `mailassist serve`.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from starlette.middleware.sessions import SessionMiddleware

from api.errors import install_error_handlers
from api.routes import dropbox as dropbox_routes
from api.routes import sending as sending_routes
from api.deps import SESSION_USER
from api.web import send_pages
from assistant.jobs.embedded import EmbeddedWorker
from assistant.runtime import Runtime

__all__ = ["make_app"]


def make_app(runtime: Runtime, *, run_worker: bool) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        worker = EmbeddedWorker(runtime, with_beat=False) if run_worker else None
        if worker is not None:
            assert worker.start()
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()

    app = FastAPI(lifespan=lifespan)
    app.state.runtime = runtime
    install_error_handlers(app)
    app.add_middleware(SessionMiddleware, secret_key="test-secret", session_cookie="mailassist_session")
    app.include_router(sending_routes.router)
    app.include_router(dropbox_routes.router)
    app.include_router(send_pages.pages)

    # Tests sign in by user id here; the real /login (password form) belongs to api.web.pages.
    @app.post("/test-sign-in/{user_id}")
    def sign_in(user_id: int, request: Request) -> dict:
        request.session[SESSION_USER] = user_id
        return {}

    return app


