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

from nbgrader.preprocessors import NbGraderPreprocessor

from endtrafficking.grading import code_answers
from endtrafficking.grading.execute import error_output
from endtrafficking.grading.verify import _HANDLERS as HANDLERS
from endtrafficking.grading.verify import UnsafeFile, _calls, graded_cells, verify_submission
from endtrafficking.safe_save import atomic_write

FLAGS_FILE = "flags.json"
CLAIMED = "ClaimedPoints"


def claimed_points(output: Any) -> float | None:
    """The points a test cell's result claims (nbgrader's partial credit), or None."""
    if output.get("output_type") != "execute_result":
        return None
    text = output.get("data", {}).get("text/plain")
    text = text[0] if isinstance(text, list) and len(text) == 1 else text
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


class CapClaimedPoints(NbGraderPreprocessor):
    """Turn a test cell's result that claims impossible points into a failure of that cell.

    nbgrader takes a number a test cell returns as partial credit: above the cell's
    maximum it stops grading the whole submission, below 0 it gives full points. A
    course test returns nothing, so such a result comes from the learner's code: the
    cell fails here (the grader's own check then decides, and the disagreement is
    flagged).
    """

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        """Replace an impossible claimed score by an error output."""
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code" or not meta.get("grade"):
            return cell, resources
        top = float(meta.get("points", 0) or 0)
        for i, output in enumerate(cell.get("outputs", [])):
            claimed = claimed_points(output)
            if claimed is not None and not 0 <= claimed <= top:
                message = f"This test cell claimed {claimed:g} points; it is worth at most {top:g}."
                cell.outputs[i] = error_output(CLAIMED, message)
        return cell, resources


def _test_cells(notebook: Path) -> dict[str, str]:
    """grade_id -> source of every autograded test cell of a source notebook."""
    data = json.loads(notebook.read_text(encoding="utf-8"))
    found = {}
    for cell in data.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution"):
            source = cell.get("source", "")
            found[str(meta["grade_id"])] = "".join(source) if isinstance(source, list) else source
    return found


def _typed_answers(path: Path) -> dict[str, Any]:
    try:
        return code_answers.answers(path)
    except (OSError, UnsafeFile, ValueError, TypeError, RecursionError):
        return {}


def verified_points(submitted: Path, source: Path) -> dict[tuple[str, str], float]:
    """(notebook, grade_id) -> the grader's own points, for every cell it can check.

    Saved work and saved answers are checked by :func:`.verify.verify_submission`;
    typed answers by :mod:`.code_answers`. A cell neither can check is left out.
    """
    verdicts = {
        (v.notebook, v.grade_id): v for v in verify_submission(source.name, submitted, source)
    }
    points = {}
    for notebook in sorted(source.glob("*.ipynb")):
        values: dict[str, Any] | None = None
        for grade_id, text, max_points in _cells_with_points(notebook):
            key = (notebook.stem, grade_id)
            typed = code_answers.typed_work_call(text)
            if code_answers.checkable(text) or typed is not None:
                if values is None:
                    values = _typed_answers(submitted / notebook.name)
                ok = (
                    _typed_work_ok(typed, values, submitted)
                    if typed
                    else not code_answers.check_cell(text, values)
                )
                points[key] = max_points if ok else 0.0
            elif key in verdicts and all(c.name in HANDLERS for c in _calls(text)):
                points[key] = float(verdicts[key].points)
    return points


def _typed_work_ok(typed: tuple[str, str, str], values: dict[str, Any], submitted: Path) -> bool:
    """Does a typed answer match the learner's saved work (``check_work(ex, key, answer)``)?"""
    from endtrafficking.errors import CourseInputError
    from endtrafficking.grading.checks import run_check
    from endtrafficking.grading.verify import READ_ERRORS, _Checker
    from endtrafficking.grading.work_files import WorkFileError

    exercise, key, name = typed
    value = values.get(name, code_answers.NOT_PLAIN)
    if value is code_answers.NOT_PLAIN:
        return False
    checker = _Checker(submitted)
    try:
        return not run_check(exercise, key, checker.work_folder(exercise), value)
    except (WorkFileError, UnsafeFile, CourseInputError, *READ_ERRORS):
        return False
    finally:
        checker.close()


def _cells_with_points(notebook: Path) -> list[tuple[str, str, float]]:
    tests = _test_cells(notebook)
    return [(gid, tests[gid], points) for gid, points, _c in graded_cells(notebook) if gid in tests]


def apply_verdicts(coursedir: Any, assignment: str, student: str) -> list[str]:
    """Write the grader's own score of each autograded cell; return the disagreements."""
    from nbgrader.api import Gradebook, MissingEntry

    submitted = Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))
    source = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
    disagreements = []
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        for (notebook, grade_id), own in verified_points(submitted, source).items():
            try:
                grade = gb.find_grade(grade_id, notebook, assignment, student)
            except MissingEntry:
                continue
            points = max(0.0, min(own, float(grade.max_score)))
            kernel = None if grade.auto_score is None else float(grade.auto_score)
            if kernel != points:
                said = "no score" if kernel is None else f"{kernel:g}"
                disagreements.append(
                    f"{notebook}/{grade_id}: the kernel gave {said}, the grader's check {points:g}"
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
