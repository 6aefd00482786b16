"""What the course's ``source/`` folder holds: its assignments, and which need generating."""

from __future__ import annotations

from pathlib import Path

from endtrafficking.errors import CourseInputError
from endtrafficking.grading.work_files import EXERCISES


def source_assignments(root: Path) -> list[str]:
    """The assignments in ``source/``, in order."""
    return sorted(
        p.name for p in (root / "source").iterdir() if p.is_dir() and not p.name.startswith(".")
    )


def check_sources(root: Path, assignments: list[str]) -> None:
    """Refuse to release a learner's work file left in a source folder.

    Raises:
        CourseInputError: naming the file; it would be released to every learner and
            copied over each learner's own work when grading.
    """
    work_names = {ex.file for ex in EXERCISES.values()}
    for name in assignments:
        for path in sorted((root / "source" / name).iterdir()):
            if path.name in work_names or path.name.removesuffix(".bak") in work_names:
                raise CourseInputError(
                    "a learner's work file is in a source folder: it would be released to every "
                    "learner and would overwrite each learner's own work when grading.",
                    fix="delete it (work saved while trying a graded notebook belongs in "
                    "the hidden .endtrafficking/ folder, where the notebooks put it).",
                    file=path,
                )


def _newest(folder: Path) -> float:
    times = [
        p.stat().st_mtime
        for p in folder.rglob("*")
        if p.is_file() and ".endtrafficking" not in p.parts
    ]
    return max(times, default=0.0)


def needs_generating(root: Path, assignment: str, known: set[str]) -> bool:
    """True when the release is missing or older than the source, or the gradebook lacks it."""
    release = root / "release" / assignment
    if assignment not in known or not release.is_dir():
        return True
    return _newest(root / "source" / assignment) > _newest(release)
