"""The hub's shared environment: used only when learners' accounts cannot run this Python,
rebuilt only when the course package changes."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import yaml

from endtrafficking_hub import environment
from endtrafficking_hub.accounts import can_run_as_other_user
from endtrafficking_hub.settings import load_settings

from .conftest import REPO_ROOT, require_root
from .harness import SHARED_DIR

pytestmark = pytest.mark.hub


def test_stamp_follows_the_package_source(tmp_path: Path) -> None:
    """Does the stamp change when a source file changes, and ignore caches?"""
    checkout = tmp_path / "co"
    shutil.copytree(REPO_ROOT / "src" / "endtrafficking_hub", checkout / "src" / "pkg")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO_ROOT / name, checkout / name)
    first = environment.source_stamp(checkout)
    (checkout / "src" / "pkg" / "__pycache__").mkdir(exist_ok=True)
    (checkout / "src" / "pkg" / "__pycache__" / "x.pyc").write_bytes(b"cache")
    assert environment.source_stamp(checkout) == first
    (checkout / "src" / "pkg" / "settings.py").write_text("changed", encoding="utf-8")
    assert environment.source_stamp(checkout) != first


def test_this_checkout_is_found() -> None:
    """Does the package find the checkout it runs from (an editable install)?"""
    assert environment.checkout_of_this_package() == REPO_ROOT


def test_hub_python_is_one_learners_can_run(tmp_path: Path) -> None:
    """Is the chosen Python one an account without rights can run with the course and the
    hub, and is it this one only when that holds for this one too?"""
    require_root()
    path = tmp_path / "workshop.yaml"
    path.write_text(yaml.safe_dump({"shared_dir": str(SHARED_DIR)}), encoding="utf-8")
    python = environment.hub_python(load_settings(path))
    assert can_run_as_other_user(python, environment.IMPORT_CHECK)[0]
    mine, _ = can_run_as_other_user(sys.executable, environment.IMPORT_CHECK)
    assert (python == sys.executable) == mine
    if not mine:
        assert Path(python) == SHARED_DIR / "venv" / "bin" / "python"
        stamp = (SHARED_DIR / "venv" / environment.STAMP).read_text().strip()
        assert stamp == environment.source_stamp(REPO_ROOT)
        absent = "import importlib.util as u; assert u.find_spec('rfc3987_syntax') is None"
        assert can_run_as_other_user(python, absent)[0], "the slow, unused package is back"
