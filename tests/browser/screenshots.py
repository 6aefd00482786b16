"""Numbered screenshots of each step of a browser test, kept in ``test-artifacts/``.

``test-artifacts/screenshots/<test name>/NN-step.png``. A test's folder is
emptied when that test starts again, never when it fails: a failing test keeps
its screenshots, plus one more named ``failure``.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_ROOT = REPO_ROOT / "test-artifacts" / "screenshots"


def folder_name(test_name: str) -> str:
    """A file-system-safe folder name for a test (parametrized ids included)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name).strip("_") or "test"


@dataclass
class Screenshots:
    """Takes ``NN-step.png`` files, numbered in the order the steps happen."""

    folder: Path
    count: int = 0

    @classmethod
    def for_test(cls, test_name: str, root: Path = SCREENSHOT_ROOT) -> Screenshots:
        """A fresh folder for ``test_name`` (the previous run's pictures are replaced)."""
        folder = root / folder_name(test_name)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
        return cls(folder)

    def take(self, page: Page, step: str, *, full_page: bool = False) -> Path:
        """Save a screenshot of ``page`` as the next numbered step."""
        self.count += 1
        path = self.folder / f"{self.count:02d}-{folder_name(step)}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    def take_element(self, page: Page, selector: str, step: str) -> Path:
        """Save a screenshot of one element (for example a widget) as the next step."""
        self.count += 1
        path = self.folder / f"{self.count:02d}-{folder_name(step)}.png"
        page.locator(selector).first.screenshot(path=str(path))
        return path

    def take_failure(self, page: Page) -> Path | None:
        """The last picture of a failed test; never raises (the page may be gone)."""
        try:
            return self.take(page, "failure")
        except PlaywrightError:
            return None
