from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.deps import get_runtime

router = APIRouter(tags=["service"])


@router.get("/health", summary="Is the service able to work? (no identity needed)")
def health(request: Request) -> JSONResponse:
    runtime = get_runtime(request)
    checks: dict[str, str] = {}
    try:
        with runtime.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # reported, not raised: health must answer even when broken
        checks["database"] = f"error: {type(exc).__name__}"
    if runtime.settings.embedded_jobs:
        worker = getattr(request.app.state, "embedded_worker", None)
        checks["jobs"] = "embedded" if worker is not None and worker.running else "embedded (other process)"
    else:
        try:
            with runtime.celery.connection_for_read() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as exc:
            checks["broker"] = f"error: {type(exc).__name__}"
    ok = all(not value.startswith("error") for value in checks.values())
    return JSONResponse({"status": "ok" if ok else "degraded", **checks}, status_code=200 if ok else 503)
