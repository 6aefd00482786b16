"""Every lesson notebook on disk, for the notebook tests.

A test that takes ``notebook_path`` runs once per notebook in ``modules/`` and
``engage_lessons/`` (found by glob, so a new notebook is tested as soon as it
exists), with the path relative to the repository as the test id.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_FOLDERS = ("modules", "engage_lessons")


def notebooks_on_disk(root: Path = REPO_ROOT) -> list[Path]:
    """Every ``.ipynb`` in the lesson folders (checkpoints excluded), sorted."""
    found: list[Path] = []
    for folder in NOTEBOOK_FOLDERS:
        found.extend(
            p for p in (root / folder).glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
        )
    return sorted(found)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``notebook_path`` with every lesson notebook."""
    if "notebook_path" in metafunc.fixturenames:
        paths = notebooks_on_disk()
        metafunc.parametrize(
            "notebook_path", paths, ids=[p.relative_to(REPO_ROOT).as_posix() for p in paths]
        )
