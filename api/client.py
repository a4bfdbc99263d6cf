"""A small typed client for the analysis API (and the inbox), for apps written in Python.

    from api.client import MailassistClient
    with MailassistClient("http://127.0.0.1:8000", api_key="mak_...") as client:
        result = client.analyze(raw=open("mail.eml", "rb").read())
        print(result.intents, result.summary)
        batch = client.analyze_batch([{"text": "Please call me"}], webhook_url="https://app.example/hook")
        done = client.wait_for_batch(batch.id)

Results are :class:`nlp.schema.AnalysisResult` models (unknown keys kept); errors raise
:class:`ApiError` with the service's error code, and 429 answers are retried after Retry-After.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

import httpx
from pydantic import BaseModel

from nlp.schema import AnalysisResult

__all__ = ["MailassistClient", "ApiError", "Batch", "verify_webhook"]


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


class Batch(BaseModel):
    id: str
    state: str
    total: int
    done: int
    webhook_state: str | None = None
    webhook_secret: str | None = None
    results: list[AnalysisResult] | None = None


class MailassistClient:
    def __init__(self, base_url: str, api_key: str, *, timeout: float = 30.0, max_retries: int = 3,
                 transport: httpx.BaseTransport | None = None):
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout, transport=transport,
                                  headers={"Authorization": f"Bearer {api_key}"})
        self.max_retries = max_retries

    def __enter__(self) -> MailassistClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # --- analysis -----------------------------------------------------------------------------------
    def analyze(self, *, raw: bytes | str | None = None, text: str | None = None, html: str | None = None,
                id: str | None = None, date: str | None = None) -> AnalysisResult:
        """One message, answered synchronously: raw RFC 822 (bytes are sent losslessly) or a bare body."""
        return AnalysisResult.model_validate(self._call("POST", "/v1/analyze",
                                                        json=_item(raw=raw, text=text, html=html, id=id, date=date)))

    def analyze_batch(self, items: list[dict[str, Any]], *, webhook_url: str | None = None) -> Batch:
        """Up to 1,000 items (each like :meth:`analyze`'s arguments); analysed in the background."""
        body: dict[str, Any] = {"items": [_item(**item) for item in items]}
        if webhook_url:
            body["webhook_url"] = webhook_url
        return Batch.model_validate(self._call("POST", "/v1/analyze/batch", json=body))

    def batch(self, batch_id: str, *, offset: int = 0, limit: int = 1000) -> Batch:
        return Batch.model_validate(self._call("GET", f"/v1/analyze/batch/{batch_id}",
                                               params={"offset": offset, "limit": limit}))

    def wait_for_batch(self, batch_id: str, *, timeout: float = 600.0, interval: float = 1.0) -> Batch:
        deadline = time.monotonic() + timeout
        while True:
            batch = self.batch(batch_id)
            if batch.state in ("done", "failed"):
                return batch
            if time.monotonic() > deadline:
                raise TimeoutError(f"batch {batch_id} is still {batch.state} ({batch.done}/{batch.total})")
            time.sleep(interval)

    # --- the rep's inbox ----------------------------------------------------------------------------
    def inbox(self, folder: str | None = None, *, offset: int = 0, limit: int = 50) -> dict[str, Any]:
        params: dict[str, Any] = {"offset": offset, "limit": limit}
        if folder:
            params["folder"] = folder
        return self._call("GET", "/v1/inbox", params=params)

    def feedback(self, email_id: int, target: str, corrected: Any) -> dict[str, Any]:
        return self._call("POST", f"/v1/emails/{email_id}/feedback", json={"target": target, "corrected": corrected})

    # --- plumbing -----------------------------------------------------------------------------------
    def _call(self, method: str, path: str, **kwargs) -> Any:
        for attempt in range(self.max_retries + 1):
            response = self._http.request(method, path, **kwargs)
            if response.status_code == 429 and attempt < self.max_retries:
                time.sleep(min(60.0, float(response.headers.get("retry-after", "1") or 1)))
                continue
            if response.status_code >= 400:
                try:
                    error = response.json().get("error") or {}
                except ValueError:
                    error = {}
                raise ApiError(response.status_code, error.get("code", "http_error"),
                               error.get("message", response.text[:300]))
            return response.json()
        raise AssertionError("unreachable")


def _item(*, raw: bytes | str | None = None, text: str | None = None, html: str | None = None,
          id: str | None = None, date: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {}
    if isinstance(raw, bytes):
        item["raw_b64"] = base64.b64encode(raw).decode()
    elif raw is not None:
        item["raw"] = raw
    for key, value in (("text", text), ("html", html), ("id", id), ("date", date)):
        if value is not None:
            item[key] = value
    return item


def verify_webhook(secret: str, body: bytes, signature_header: str, *, tolerance_s: int = 300) -> bool:
    """Check X-Mailassist-Signature (t=<unix time>,v1=<hex HMAC-SHA256 of "t.body">) on a received webhook."""
    parts = dict(part.split("=", 1) for part in signature_header.split(",") if "=" in part)
    try:
        stamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - stamp) > tolerance_s:
        return False  # an old request replayed
    expected = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))
