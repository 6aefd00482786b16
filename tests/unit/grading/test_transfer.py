"""A worker's grades reach the course gradebook; a grade given by hand stays."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from nbgrader.api import Gradebook, MissingEntry

from endtrafficking.grading.nbgrader_apps import nbgrader_path
from endtrafficking.grading.parallel import quiet_known_warnings
from endtrafficking.grading.transfer import copy_submission

COURSE = "endtrafficking"


def _course(path: Path) -> str:
    nbgrader_path()  # nbgrader runs alembic when it makes a gradebook
    url = f"sqlite:///{path}"
    with quiet_known_warnings(), Gradebook(url, COURSE) as gb:
        gb.add_assignment("a1")
        gb.add_notebook("check", "a1")
        gb.add_grade_cell("q1", "check", "a1", max_score=2, cell_type="code")
        gb.add_solution_cell("q1", "check", "a1")
        gb.add_grade_cell("essay", "check", "a1", max_score=4, cell_type="markdown")
    return url


def _worker_copy(main: str, path: Path, student: str) -> str:
    shutil.copyfile(main.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    with quiet_known_warnings(), Gradebook(url, COURSE) as gb:
        gb.update_or_create_student(student, first_name="Ana", last_name="Example")
        gb.update_or_create_submission("a1", student)
        q1 = gb.find_grade("q1", "check", "a1", student)
        q1.auto_score, q1.needs_manual_grade = 2.0, False
        gb.find_comment("q1", "check", "a1", student).auto_comment = "No response."
        gb.find_submission_notebook("check", "a1", student).late_submission_penalty = 0.5
        gb.db.commit()
    return url


def test_first_grades_arrive(tmp_path: Path) -> None:
    """Does a new learner's submission arrive with every value nbgrader wrote?"""
    main = _course(tmp_path / "main.db")
    worker = _worker_copy(main, tmp_path / "worker.db", "ana")
    with quiet_known_warnings():
        copy_submission(worker, main, COURSE, "a1", "ana")
        with Gradebook(main, COURSE) as gb:
            q1 = gb.find_grade("q1", "check", "a1", "ana")
            assert (q1.auto_score, q1.needs_manual_grade) == (2.0, False)
            assert gb.find_comment("q1", "check", "a1", "ana").auto_comment == "No response."
            assert gb.find_student("ana").last_name == "Example"
            notebook = gb.find_submission_notebook("check", "a1", "ana")
            assert notebook.late_submission_penalty == 0.5


def test_a_grade_given_by_hand_stays(tmp_path: Path) -> None:
    """Is an instructor's manual score, given while the worker ran, left alone?"""
    main = _course(tmp_path / "main.db")
    worker = _worker_copy(main, tmp_path / "worker.db", "ana")
    with quiet_known_warnings():
        with Gradebook(main, COURSE) as gb:
            gb.add_student("ana")
            gb.update_or_create_submission("a1", "ana")
            gb.find_grade("essay", "check", "a1", "ana").manual_score = 3.0
            gb.db.commit()
        copy_submission(worker, main, COURSE, "a1", "ana")
        with Gradebook(main, COURSE) as gb:
            assert gb.find_grade("essay", "check", "a1", "ana").manual_score == 3.0
            assert gb.find_grade("q1", "check", "a1", "ana").auto_score == 2.0


def test_a_missing_submission_is_reported(tmp_path: Path) -> None:
    """Does a worker gradebook without the submission raise rather than write nothing?"""
    main = _course(tmp_path / "main.db")
    worker = _worker_copy(main, tmp_path / "worker.db", "ana")
    with quiet_known_warnings(), pytest.raises(MissingEntry):
        copy_submission(worker, main, COURSE, "a1", "ben")
