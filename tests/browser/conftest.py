"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Playwright never downloads a browser here: it launches the Chromium named by $CHROMIUM (set by
scripts/run-tests) or /usr/bin/chromium, and the tests are skipped when there is none. One browser
per module, a fresh context (cookies, storage) per test. The live server makes every test here
transactional: `world` (tests/conftest.py) is built and committed for each, so the server's thread
sees it, and flushed after.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import translation

from thuvien.core.testing import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
HAS_CHROMIUM = Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)
# Without these, Chromium waits on the network (there is none) and on first-run chores.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The live server listens on 127.0.0.1 so "no request leaves 127.0.0.1" is a plain check.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

needs_chromium = pytest.mark.skipif(
    not HAS_CHROMIUM, reason=f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; Django would then refuse
    # ORM calls from the test. Allowed only while the browser runs, then put back.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Traffic:
    """What the pages of one test said and asked for."""

    console: list[str] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)
    csp_headers: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return [line for line in self.console if "Content Security Policy" in line]


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def make_context(browser: Any, live_server: Any, traffic: Traffic) -> Iterator[Any]:
    """Fresh browser profiles whose own language is English: the site must still answer in
    Vietnamese until the person picks English. Every journey is also a CSP check and a check
    that no request leaves the server."""
    contexts = []

    def make(**options: Any) -> Any:
        ctx = browser.new_context(base_url=live_server.url, locale="en-US", **options)
        ctx.set_default_timeout(15_000)
        ctx.on("console", lambda message: traffic.console.append(f"{message.type}: {message.text}"))
        ctx.on("request", lambda request: traffic.hosts.add(_host(request.url)))
        ctx.on("response", lambda response: _record_csp(response, traffic))
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()
    assert traffic.csp_violations() == [], traffic.csp_violations()
    assert traffic.hosts <= {"127.0.0.1", ""}, traffic.hosts


@pytest.fixture
def context(make_context: Any) -> Any:
    return make_context()


def _host(url: str) -> str:
    parts = urlsplit(url)
    return "" if parts.scheme in {"data", "blob", "about"} else parts.hostname or ""


def _record_csp(response: Any, traffic: Traffic) -> None:
    if response.request.resource_type == "document":
        traffic.csp_headers.append(response.headers.get("content-security-policy", ""))


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()


def vi(text: str) -> str:
    """`text` as the Vietnamese catalogue has it (the English text until it is translated)."""
    with translation.override("vi"):
        return translation.gettext(text)


def log_in(page: Any, login: str, password: str = PASSWORD) -> Any:
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(login)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    return page
