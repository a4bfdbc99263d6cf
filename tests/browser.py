"""A real service process and a real headless Chromium driven by Playwright, for UI tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


def chromium_path() -> str:
    path = os.environ.get("MAILASSIST_TEST_CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.skip("no Chromium: run the suite with `make test`, which installs it")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    def __init__(self, data_dir: Path, **env: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, MAILASSIST_DATA_DIR=str(data_dir), MAILASSIST_PORT=str(self.port),
                        MAILASSIST_BASE_URL=self.url, MAILASSIST_LOG_FORMAT="text", PYTHONPATH=str(REPO),
                        MAILASSIST_ADMIN_PASSWORD="browser-test-pw", **env)
        self.log = data_dir.parent / "service.log"
        self.process: subprocess.Popen | None = None

    def cli(self, *args: str) -> str:
        result = subprocess.run([sys.executable, "-m", "assistant.cli", *args], env=self.env, capture_output=True,
                                timeout=300)
        assert result.returncode == 0, result.stderr.decode()
        return result.stdout.decode()

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve"], env=self.env,
                                        stdout=self.log.open("ab"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"service did not start:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()


@contextmanager
def running_service(data_dir: Path, **env: str) -> Iterator[Service]:
    service = Service(data_dir, **env)
    service.cli("setup")
    service.start()
    try:
        yield service
    finally:
        service.stop()


@contextmanager
def browser_page() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(15000)
            yield page
        finally:
            browser.close()


def sign_in(page, service: Service, email: str = "admin@mailassist.local", password: str = "browser-test-pw"):
    page.goto(f"{service.url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
