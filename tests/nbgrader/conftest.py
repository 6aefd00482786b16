"""Fixtures of the nbgrader tests: a graded cohort, built once and shared.

See :mod:`nbgrader_cohort` for the learners and how their submissions are made.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from nbgrader_cohort import ASSIGNMENTS, VARIANTS, GradedCourse, copy_course, write_variant

from endtrafficking.grading import pipeline


@pytest.fixture(scope="session")
def generated_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course root copied from the repository, every assignment generated."""
    root = copy_course(tmp_path_factory.mktemp("generated") / "course")
    options = pipeline.GradeOptions(root=root)
    pipeline.generate(options, list(ASSIGNMENTS), io.StringIO())
    return root


@pytest.fixture(scope="session")
def graded_course(generated_course: Path, tmp_path_factory: pytest.TempPathFactory) -> GradedCourse:
    """Every variant learner's submissions, graded once by the pipeline (two workers)."""
    root = tmp_path_factory.mktemp("graded") / "course"
    shutil.copytree(generated_course, root)
    for assignment in ASSIGNMENTS:
        for variant in VARIANTS:
            write_variant(root, assignment, variant)
    before = tmp_path_factory.mktemp("serial") / "course"
    shutil.copytree(root, before)
    out = io.StringIO()
    report = pipeline.run(pipeline.GradeOptions(root=root, jobs=2), out)
    return GradedCourse(root=root, before_grading=before, report=report, output=out.getvalue())
