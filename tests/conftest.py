"""Settings shared by every test.

Every test gets its own working folder (``ENDTRAFFICKING_WORK``), so no test
writes learner files into the repository, and matplotlib draws off-screen.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_work_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point the learner's working folder at a fresh temporary folder."""
    monkeypatch.setenv("ENDTRAFFICKING_WORK", str(tmp_path_factory.mktemp("work")))
    monkeypatch.setenv("ENDTRAFFICKING_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def repo_root() -> Path:
    """The repository root."""
    return REPO_ROOT


def in_ci() -> bool:
    """True under CI, where a missing browser, proxy or root is a failure, not a skip."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-goldens`` rewrites golden files on purpose instead of comparing."""
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite the golden files under tests/**/files/ instead of comparing to them",
    )
    parser.addoption(
        "--update-visual",
        action="store_true",
        default=False,
        help="rewrite the reference screenshots in tests/browser/visual_refs/ on purpose",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Start installing the wheel in the background if its tests are selected."""
    import wheel_support

    wheel_support.start_if_selected([str(item.path) for item in items])


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop and remove a background wheel install."""
    import wheel_support

    wheel_support.stop()
