"""Put the grader's own scores in the gradebook, and flag a kernel that disagreed.

After nbgrader's ``Autograde`` has saved the scores the learner's kernel produced,
:func:`apply_verdicts` replaces the score of every autograded cell with the
grader's own check of the submitted files (:func:`.verify.verify_submission`,
run in this process, outside the sandbox), never above the cell's maximum. A
cell whose in-kernel score differs is recorded in ``exports/flags.json``: the
closing summary lists it and ``lms_grades.csv`` has a ``flagged`` column, so an
instructor looks at that submission.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from endtrafficking.grading.verify import verify_submission
from endtrafficking.safe_save import atomic_write

FLAGS_FILE = "flags.json"


def apply_verdicts(coursedir: Any, assignment: str, student: str) -> list[str]:
    """Write the verified score of each autograded cell; return the disagreements."""
    from nbgrader.api import Gradebook, MissingEntry

    submitted = Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))
    source = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
    verdicts = verify_submission(assignment, submitted, source)
    disagreements = []
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        for verdict in verdicts:
            try:
                grade = gb.find_grade(verdict.grade_id, verdict.notebook, assignment, student)
            except MissingEntry:
                continue
            points = max(0.0, min(float(verdict.points), float(grade.max_score)))
            kernel = None if grade.auto_score is None else float(grade.auto_score)
            if kernel != points:
                disagreements.append(
                    f"{verdict.notebook}/{verdict.grade_id}: the kernel gave {kernel:g}, "
                    f"the grader's check {points:g}"
                    if kernel is not None
                    else f"{verdict.notebook}/{verdict.grade_id}: no score from the kernel"
                )
            grade.auto_score = points
        gb.db.commit()
    return disagreements


def flags_path(root: Path) -> Path:
    """Where the disagreements of every graded submission are kept."""
    return Path(root) / "exports" / FLAGS_FILE


def read_flags(root: Path) -> dict[str, list[str]]:
    """``{"<assignment>/<student>": [disagreement, ...]}`` (empty when none)."""
    try:
        data = json.loads(flags_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record_flags(root: Path, assignment: str, student: str, found: list[str]) -> None:
    """Remember (or clear, when ``found`` is empty) one submission's disagreements."""
    flags = read_flags(root)
    key = f"{assignment}/{student}"
    if found:
        flags[key] = found
    else:
        flags.pop(key, None)
    path = flags_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(flags, indent=1, sort_keys=True), keep_backup=False)
