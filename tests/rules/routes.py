"""Walking an app's routes (FastAPI keeps included routers as nested nodes)."""

from __future__ import annotations

from fastapi.routing import APIRoute

__all__ = ["walk"]


def walk(routes, prefix: str = ""):
    """Every endpoint with its full path."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "original_router"):
            yield from walk(route.original_router.routes, prefix + route.include_context.prefix)
