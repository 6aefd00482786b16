"""Fixtures of the real-browser tests: Debian's Chromium, a real JupyterLab, screenshots.

- ``browser``: headless Chromium at ``/usr/bin/chromium`` driven by Playwright
  (a Playwright browser download does not work on these machines). Missing
  Chromium fails the test under ``CI=true`` and skips it elsewhere, saying why.
- ``lab_server``: ``jupyter lab`` on 127.0.0.1 (free port, token auth) serving
  a temporary copy of the course, with the news notification and update check
  off; stopped with its kernels after the test.
- ``lab``: one browser page on that server with the steps of :mod:`lab_ui`.
- ``shots``: numbered screenshots in ``test-artifacts/screenshots/<test>/``;
  a failing test keeps them and gets one more, ``NN-failure.png``.
- ``axe_script``: axe-core from ``.node/`` (installed by ``make browser-deps``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DEFAULT_TIMEOUT_MS,
    missing,
    new_page,
    report_failure,
)
from lab_server import LabServer, copy_course, start_lab
from lab_ui import Lab
from playwright.sync_api import Browser, Page, expect, sync_playwright
from screenshots import Screenshots

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO_ROOT / ".node" / "node_modules" / "axe-core" / "axe.min.js"

expect.set_options(timeout=DEFAULT_TIMEOUT_MS)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Remember each phase's report on the test item, so fixtures can see a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    """Debian's Chromium, or a failure (CI) / skip (elsewhere) that says how to install it."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        missing(
            f"Chromium at {CHROMIUM}",
            "run `make browser-deps` as root (it runs `apt-get install -y chromium`)",
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_executable: Path) -> Iterator[Browser]:
    """Headless Chromium driven by Playwright, shared by every browser test."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(chromium_executable), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def lab_server(tmp_path: Path) -> Iterator[LabServer]:
    """JupyterLab on 127.0.0.1 serving a fresh temporary copy of the course."""
    root = copy_course(tmp_path / "course")
    server = start_lab(root, tmp_path / "lab-state")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Screenshots:
    """Numbered screenshots for this test in ``test-artifacts/screenshots/<test>/``."""
    return Screenshots.for_test(request.node.name)


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A fresh browser context and page (no cookies or storage from other tests)."""
    errors: list[str] = []
    request.node.page_errors = errors
    page = new_page(browser, errors)
    try:
        yield page
    finally:
        page.context.close()


@pytest.fixture
def lab(
    request: pytest.FixtureRequest, page: Page, lab_server: LabServer, shots: Screenshots
) -> Iterator[Lab]:
    """JupyterLab in the browser; on failure, a last screenshot and the server's log."""
    view = Lab(page, lab_server)
    yield view
    report_failure(request, view, shots)


@pytest.fixture(scope="module")
def _module_lab(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """The server and page behind :func:`shared_lab`, started once per test module."""
    tmp = tmp_path_factory.mktemp("shared-lab")
    server = start_lab(copy_course(tmp / "course"), tmp / "lab-state")
    errors: list[str] = []
    page = new_page(browser, errors)
    try:
        view = Lab(page, server)
        view.open()
        yield view
    finally:
        page.context.close()
        server.stop()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's browser bundle, installed into ``.node/`` by ``make browser-deps``."""
    if not AXE_SCRIPT.is_file():
        missing(f"axe-core at {AXE_SCRIPT}", "run `make browser-deps` (npm install axe-core@4)")
    return AXE_SCRIPT


@pytest.fixture
def shared_lab(
    request: pytest.FixtureRequest, _module_lab: Lab, shots: Screenshots
) -> Iterator[Lab]:
    """One JupyterLab server and page shared by a test module's tests (tests that only look).

    Faster than a server per test; the tests must not depend on each other's answers.
    """
    yield _module_lab
    report_failure(request, _module_lab, shots)
