"""Request ids, one access line per request, and Prometheus metrics."""

from __future__ import annotations

import ipaddress
import logging
import time
import uuid

from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from starlette.middleware.base import BaseHTTPMiddleware

from assistant.errors import Forbidden, NotFound
from assistant.logs import request_id_var

__all__ = ["install_observability"]

log = logging.getLogger("api.access")


class _Metrics:
    def __init__(self) -> None:
        # A registry per app, so several apps in one process (tests) do not collide.
        self.registry = CollectorRegistry()
        self.requests = Counter("mailassist_http_requests_total", "HTTP requests",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("mailassist_http_request_duration_seconds", "HTTP request latency",
                                 ["route"], registry=self.registry,
                                 buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))


def _route_label(request: Request) -> str:
    route = request.scope.get("route")
    return getattr(route, "path", "unmatched")


def _is_loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in {"testclient", "localhost"}


def install_observability(app: FastAPI, metrics_mode: str) -> None:
    metrics = _Metrics()
    app.state.metrics = metrics

    class RequestLog(BaseHTTPMiddleware):
        async def dispatch(self, request: Request, call_next):
            rid = request.headers.get("x-request-id", "")[:64] or uuid.uuid4().hex[:16]
            token = request_id_var.set(rid)
            start = time.perf_counter()
            status = 500
            try:
                response = await call_next(request)
                status = response.status_code
                response.headers["X-Request-ID"] = rid
                return response
            finally:
                elapsed = time.perf_counter() - start
                route = _route_label(request)
                metrics.requests.labels(request.method, route, str(status)).inc()
                metrics.latency.labels(route).observe(elapsed)
                # Path only, never the query string: it may carry tokens.
                log.info("request", extra={"method": request.method, "path": request.url.path,
                                           "status": status, "ms": round(elapsed * 1000, 1)})
                request_id_var.reset(token)

    app.add_middleware(RequestLog)

    @app.get("/metrics", include_in_schema=False)
    def prometheus(request: Request) -> Response:
        if metrics_mode == "off":
            raise NotFound("metrics are switched off")
        if metrics_mode == "loopback" and not _is_loopback(request.client.host if request.client else None):
            raise Forbidden("metrics are served to loopback only", code="metrics_loopback_only")
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)
