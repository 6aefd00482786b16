"""Parallel autograding writes the same gradebook as stock, serial ``nbgrader autograde``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from nbgrader_cohort import GradedCourse

from endtrafficking.grading import results

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow]
ASSIGNMENT = "02_possibility"
#: Every learner: in 02_possibility the runaway learner crashes its kernel and the
#: bad_work learner's inventory is damaged.
SERIAL_LEARNERS = ("reference", "untouched", "partial", "tampered", "runaway", "bad_work")


@pytest.fixture(scope="module")
def serial_course(graded_course: GradedCourse) -> Path:
    """The same submissions, graded by ``nbgrader autograde`` on the command line, serially."""
    root = graded_course.before_grading
    env = dict(
        os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    )
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return root


def _cells(root: Path) -> pd.DataFrame:
    frame = results.cell_scores(results.db_url(root))
    frame = frame[(frame["assignment"] == ASSIGNMENT) & frame["student"].isin(SERIAL_LEARNERS)]
    return frame.reset_index(drop=True)


def _submissions(root: Path) -> pd.DataFrame:
    frame = results.submission_scores(results.db_url(root))
    frame = frame[(frame["assignment"] == ASSIGNMENT) & frame["student"].isin(SERIAL_LEARNERS)]
    return frame.reset_index(drop=True)


def test_parallel_gradebook_equals_serial(graded_course: GradedCourse, serial_course: Path) -> None:
    """Does the parallel run's gradebook hold exactly the serial run's scores?"""
    pd.testing.assert_frame_equal(_cells(graded_course.root), _cells(serial_course))
    pd.testing.assert_frame_equal(_submissions(graded_course.root), _submissions(serial_course))


def test_parallel_run_used_workers(graded_course: GradedCourse) -> None:
    """Were the notebooks executed by the worker processes rather than again by the writer?"""
    learners = [x for r in graded_course.report.autograded for x in r.results]
    assert learners and all(x.executed_by == "worker" for x in learners)


def test_gradebook_is_sound(graded_course: GradedCourse) -> None:
    """Does SQLite find the parallel run's gradebook intact?"""
    import sqlite3

    with sqlite3.connect(graded_course.root / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
