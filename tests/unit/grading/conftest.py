"""Fixtures of the grading unit tests: folders of complete reference work."""

from __future__ import annotations

from pathlib import Path

import pytest

from endtrafficking.grading.reference import write_reference_work


@pytest.fixture(scope="session")
def reference_folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One folder of complete, consistent work per assignment (built once, never changed)."""
    folders = {}
    for assignment in ("01_strategy", "02_possibility", "03_context", "04_engage"):
        folder = tmp_path_factory.mktemp(assignment)
        write_reference_work(folder, assignment)
        folders[assignment] = folder
    return folders


@pytest.fixture
def work(reference_folders: dict[str, Path], tmp_path: Path):
    """A fresh copy of one assignment's reference work, to damage in a test."""
    import shutil

    def copy(assignment: str) -> Path:
        target = tmp_path / assignment
        shutil.copytree(reference_folders[assignment], target)
        return target

    return copy
