"""Settings and helpers shared by the browser tests and their fixtures.

Kept out of ``conftest.py`` so that test modules can import them by a name
that no other test folder uses.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import pytest
from playwright.sync_api import Browser, Locator, Page

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
#: Without the networking switches Chromium's own connection attempts are refused in bulk here.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1400, "height": 1000}
#: Playwright waits this long (ms) for an element or an expectation by default.
DEFAULT_TIMEOUT_MS = 30_000


class HasLog(Protocol):
    """A server whose log can be shown when a test fails."""

    def log_tail(self, lines: int = 60) -> str:
        """The last lines of the server's log."""
        ...


class HasPageAndServer(Protocol):
    """A browser view: its page and the server behind it."""

    page: Page
    server: HasLog


class TakesFailureShot(Protocol):
    """The screenshots of a test."""

    folder: Path

    def take_failure(self, page: Page) -> Path | None:
        """The last picture of a failed test."""
        ...


def in_ci() -> bool:
    """True under CI, where a missing browser, proxy or root is a failure, not a skip."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing(what: str, fix: str) -> None:
    """Fail under CI, skip elsewhere; either way say what is missing and how to get it."""
    message = f"{what} is missing: {fix}"
    if in_ci():
        pytest.fail(f"{message} (CI=true: a missing browser tool is a failure)", pytrace=False)
    pytest.skip(message)


def failed(node: pytest.Item) -> bool:
    """Did the setup or the call of this test fail (see the report hook in conftest.py)?"""
    return any(
        getattr(getattr(node, f"report_{phase}", None), "failed", False)
        for phase in ("setup", "call")
    )


def new_page(browser: Browser, errors: list[str]) -> Page:
    """A page in a fresh browser context; JavaScript errors in the page go to ``errors``."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


def download(page: Page, button: Locator, folder: Path) -> Path:
    """Click a download button; wait for the browser's download and save it into ``folder``."""
    with page.expect_download() as info:
        button.click()
    saved = folder / info.value.suggested_filename
    info.value.save_as(saved)
    return saved


def report_failure(
    request: pytest.FixtureRequest, view: HasPageAndServer, shots: TakesFailureShot
) -> None:
    """If the test failed: one last screenshot, the page's errors and the server's log."""
    if not failed(request.node):
        return
    picture = shots.take_failure(view.page)
    print(f"\nScreenshots kept in {shots.folder} (last: {picture})")
    print(f"Errors in the page: {getattr(request.node, 'page_errors', [])}")
    print(f"Server log (end):\n{view.server.log_tail()}")
