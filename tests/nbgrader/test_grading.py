"""Grading the synthetic cohort: scores, restored tests, endless loops, crashes, bad work files."""

from __future__ import annotations

import html
import re

import nbformat
import pandas as pd
import pytest
from nbgrader_cohort import (
    ASSIGNMENTS,
    BAD_WORK,
    KNOWLEDGE_CHECK,
    RUNAWAY,
    RUNAWAY_CELL,
    RUNAWAY_CODE,
    VARIANTS,
    GradedCourse,
    grade_id,
)

from endtrafficking.grading import results

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow]


@pytest.fixture(scope="module")
def cells(graded_course: GradedCourse) -> pd.DataFrame:
    """Every graded cell of every submission, from the gradebook."""
    return results.cell_scores(results.db_url(graded_course.root))


def auto_score(cells: pd.DataFrame, assignment: str, student: str) -> tuple[float, float]:
    """A submission's autograded points and the most it could get."""
    part = cells[
        (cells["assignment"] == assignment) & (cells["student"] == student) & cells["autograded"]
    ]
    return float(part["score"].sum()), float(part["max_score"].sum())


def cell_score(cells: pd.DataFrame, assignment: str, student: str, cell: str) -> float:
    """The score of one graded cell."""
    row = cells[
        (cells["assignment"] == assignment)
        & (cells["student"] == student)
        & (cells["cell"] == cell)
    ]
    assert len(row) == 1, (assignment, student, cell)
    return float(row["score"].iloc[0])


def autograded(
    course: GradedCourse, assignment: str, student: str, notebook: str
) -> nbformat.NotebookNode:
    """A learner's autograded notebook."""
    return nbformat.read(course.root / "autograded" / student / assignment / notebook, as_version=4)


def outputs_text(cell) -> str:
    """Everything a cell printed or raised, as text."""
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", "") if isinstance(out.get("text"), str) else "")
        parts.append(f"{out.get('ename', '')}: {out.get('evalue', '')}")
    return "\n".join(parts)


def test_every_submission_was_graded(graded_course: GradedCourse, cells: pd.DataFrame) -> None:
    """Did the pipeline grade every learner's every assignment, none left out?"""
    graded = {(r.assignment, x.student) for r in graded_course.report.autograded for x in r.results}
    assert graded == {(a, v) for a in ASSIGNMENTS for v in VARIANTS}
    assert all(x.ok for r in graded_course.report.autograded for x in r.results)
    assert set(cells["student"]) == set(VARIANTS)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_gets_full_marks(cells: pd.DataFrame, assignment: str) -> None:
    """Does the reference submission get every autograded point?"""
    got, most = auto_score(cells, assignment, "reference")
    assert most > 0 and got == most


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_release_gets_nothing(cells: pd.DataFrame, assignment: str) -> None:
    """Does an untouched release get 0 autograded points?"""
    assert auto_score(cells, assignment, "untouched")[0] == 0


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_partial_submission_scores_in_between(cells: pd.DataFrame, assignment: str) -> None:
    """Does a submission with one wrong answer and incomplete work score in between?"""
    got, most = auto_score(cells, assignment, "partial")
    assert 0 < got < most
    assert cell_score(cells, assignment, "partial", "q1_test") == 0  # caught by the hidden test


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_edited_and_deleted_tests_are_restored(
    graded_course: GradedCourse, cells: pd.DataFrame, assignment: str
) -> None:
    """Are test cells a learner emptied or deleted put back from the source and scored?"""
    assert auto_score(cells, assignment, "tampered")[0] == 0
    source_dir = graded_course.root / "source" / assignment
    for path in sorted(source_dir.glob("*.ipynb")):
        source = {grade_id(c): c.source for c in nbformat.read(path, as_version=4).cells}
        graded = autograded(graded_course, assignment, "tampered", path.name)
        tests = {
            grade_id(c): c
            for c in graded.cells
            if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"
        }
        for gid, cell in tests.items():
            assert cell.source.endswith(source[gid].splitlines()[-1]), (path.name, gid)
            assert cell.source.strip() != "pass"
        if path.name == KNOWLEDGE_CHECK:
            assert "missing from the submission" in tests["q1_test"].source
            assert "BEGIN HIDDEN TESTS" in tests["q1_test"].source


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_runaway_cell_fails_alone(
    graded_course: GradedCourse, cells: pd.DataFrame, assignment: str
) -> None:
    """Does an endless loop (interruptible or not) or a kernel crash fail its own cell while
    the rest of the notebook is run and scored?"""
    kind = RUNAWAY[assignment]
    failed = RUNAWAY_CELL[kind]
    got, most = auto_score(cells, assignment, "runaway")
    assert got == most - 1
    assert cell_score(cells, assignment, "runaway", f"{failed}_test") == 0
    assert cell_score(cells, assignment, "runaway", "q3_test") == 1
    nb = autograded(graded_course, assignment, "runaway", KNOWLEDGE_CHECK)
    runaway = next(c for c in nb.cells if RUNAWAY_CODE[kind] in c.source)
    assert ("KernelDied" if kind == "crash" else "CellTimeoutError") in outputs_text(runaway)
    later = next(c for c in nb.cells if grade_id(c) == "q3_test")
    assert later.execution_count is not None  # the notebook went on


def test_incidents_are_reported(graded_course: GradedCourse) -> None:
    """Does the pipeline report every crashed or timed-out cell, naming the learner?"""
    problems = "\n".join(graded_course.report.problems)
    for assignment, kind in RUNAWAY.items():
        what = "KernelDied" if kind == "crash" else "CellTimeoutError"
        found = rf"{assignment}: runaway: 01_knowledge_check: cell \d+: {what}"
        assert re.search(found, problems), problems
    assert "runaway" in graded_course.output


def _feedback_text(course: GradedCourse, assignment: str, student: str) -> str:
    folder = course.root / "feedback" / student / assignment
    return html.unescape(
        " ".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("02_*.html")))
    )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_bad_work_file_explained_in_feedback(
    graded_course: GradedCourse, cells: pd.DataFrame, assignment: str
) -> None:
    """Does a missing or damaged widget-work file fail the work checks with a plain
    message in the feedback, while the knowledge check is still scored?"""
    text = _feedback_text(graded_course, assignment, "bad_work")
    if BAD_WORK[assignment] == "missing":
        assert "was not found in this assignment folder" in text
        assert "How to fix it: open the exercise in the notebook" in text
    else:
        assert "could not be read" in text and ".bak if there is one" in text
    mine = cells[(cells["assignment"] == assignment) & (cells["student"] == "bad_work")]
    knowledge = mine[mine["cell"].str.match(r"q\d_test")]
    assert knowledge["score"].sum() == knowledge["max_score"].sum()
    reads_bad_file = mine["autograded"] & ~mine["cell"].str.match(r"q\d_test")
    if (
        assignment == "04_engage"
    ):  # its damaged file is the plan; one check reads only the assessment
        reads_bad_file &= mine["cell"] != "first_priority_test"
    assert mine[reads_bad_file]["score"].sum() == 0


def test_feedback_for_every_learner(graded_course: GradedCourse) -> None:
    """Is there a feedback page for every notebook of every learner's every assignment?"""
    for assignment in ASSIGNMENTS:
        for variant in VARIANTS:
            folder = graded_course.root / "feedback" / variant / assignment
            assert len(list(folder.glob("*.html"))) == 3, folder


def test_reflections_wait_for_manual_grading(cells: pd.DataFrame) -> None:
    """Is each answered reflection left for a person to grade, with its points?"""
    tasks = cells[~cells["autograded"] & (cells["student"] == "reference")]
    assert len(tasks) == len(ASSIGNMENTS)
    assert tasks["needs_manual_grade"].all()
    assert (tasks["max_score"] == 4).all()


def test_release_is_what_learners_fetch(graded_course: GradedCourse) -> None:
    """Does the untouched learner's autograded notebook keep the release's question cell?"""
    nb = autograded(graded_course, "03_context", "untouched", KNOWLEDGE_CHECK)
    question = next(c for c in nb.cells if grade_id(c) == "q1_choice")
    assert 'checkpoint.question(\n    "q1",' in question.source
