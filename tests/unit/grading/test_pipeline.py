"""Pieces of the grading pipeline that need no kernel (the run itself: tests/nbgrader)."""

from __future__ import annotations

import io
import json
import os
import re
import time
from pathlib import Path

import nbformat
import pytest

from endtrafficking.errors import CourseInputError
from endtrafficking.grading import pipeline, plan_checks, reference, sources
from endtrafficking.grading.nbgrader_apps import check_course_root
from endtrafficking.grading.parallel import AutogradeReport, LearnerResult

REPO_COURSE = Path(__file__).resolve().parents[3] / "course"


def test_learner_work_in_source_is_refused(tmp_path: Path) -> None:
    """Is a learner's work file left in a source folder refused before anything is released?"""
    (tmp_path / "source" / "03_context").mkdir(parents=True)
    (tmp_path / "source" / "03_context" / "assessment.json").write_text("{}")
    with pytest.raises(CourseInputError, match="would be released to every learner"):
        sources.check_sources(tmp_path, ["03_context"])


def test_hidden_preview_work_is_allowed(tmp_path: Path) -> None:
    """Is work in the hidden preview folder of a source folder allowed (nbgrader ignores it)?"""
    (tmp_path / "source" / "03_context" / ".endtrafficking").mkdir(parents=True)
    (tmp_path / "source" / "03_context" / ".endtrafficking" / "assessment.json").write_text("{}")
    sources.check_sources(tmp_path, ["03_context"])


def test_regenerate_only_when_source_changed(tmp_path: Path) -> None:
    """Is an assignment regenerated when unknown, unreleased, or its source is newer?"""
    source = tmp_path / "source" / "a1"
    release = tmp_path / "release" / "a1"
    source.mkdir(parents=True)
    release.mkdir(parents=True)
    (source / "n.ipynb").write_text("{}")
    (release / "n.ipynb").write_text("{}")
    old = time.time() - 100
    os.utime(source / "n.ipynb", (old, old))
    assert sources.needs_generating(tmp_path, "a1", set())
    assert not sources.needs_generating(tmp_path, "a1", {"a1"})
    os.utime(source / "n.ipynb", None)
    os.utime(release / "n.ipynb", (old, old))
    assert sources.needs_generating(tmp_path, "a1", {"a1"})


def test_the_course_has_an_assignment_per_step() -> None:
    """Does the repository's course hold one graded assignment per step 01-04?"""
    assert sources.source_assignments(REPO_COURSE) == list(reference.ASSIGNMENT_EXERCISES)


def test_course_root_needs_config(tmp_path: Path) -> None:
    """Is a folder without nbgrader_config.py refused as a course root, with the fix?"""
    with pytest.raises(CourseInputError, match="--course"):
        check_course_root(tmp_path)


def test_config_uses_relative_paths_only() -> None:
    """Does the course's nbgrader config avoid absolute paths and set what grading needs?"""
    text = (REPO_COURSE / "nbgrader_config.py").read_text()
    # No quoted absolute path anywhere: the course root moves with the clone.
    assert not re.search(r"[\"']/[A-Za-z]", text), "absolute path in nbgrader_config.py"
    for needed in (
        "course_id",
        "GuardedExecute",
        "Execute.timeout",
        "memory_limit_mb",
        "add_missing_cells",
    ):
        assert needed in text


def test_unknown_assignment_is_refused(tmp_path: Path) -> None:
    """Does asking for an assignment that is not in source/ name the ones there are?"""
    root = tmp_path / "course"
    (root / "source" / "01_strategy").mkdir(parents=True)
    (root / "nbgrader_config.py").write_text("")
    with pytest.raises(CourseInputError, match="use one of 01_strategy"):
        pipeline.run(pipeline.GradeOptions(root=root, assignments=["05_more"]), io.StringIO())


def test_closing_summary_lists_problems() -> None:
    """Does the closing summary give speed, outputs and every problem to look at?"""
    report = pipeline.PipelineReport(seconds=12)
    graded = AutogradeReport("03_context", seconds=6, notebooks=3)
    graded.results = [
        LearnerResult("amara", incidents=["01_knowledge_check: q1_answer: KernelDied"])
    ]
    report.autograded = [graded]
    report.problems = ["03_context: amara: 01_knowledge_check: q1_answer: KernelDied"]
    report.outputs = {"summary": Path("exports/cohort_summary.html")}
    text = pipeline.closing_summary(report)
    assert "2.00 s per notebook" in text
    assert "cohort summary: exports/cohort_summary.html" in text
    assert "to look at (1)" in text and "KernelDied" in text


def test_reference_submission_leaves_the_release_as_it_is() -> None:
    """With every answer in saved files, is a reference submission's notebook the release?"""
    source = nbformat.read(
        REPO_COURSE / "source" / "03_context" / "01_knowledge_check.ipynb", as_version=4
    )
    assert not any(c.metadata.get("nbgrader", {}).get("solution") for c in source.cells)
    answered = reference.reference_submission(nbformat.from_dict(source), source)
    assert [c.source for c in answered.cells] == [c.source for c in source.cells]


def test_reference_answers_come_from_the_hidden_tests(tmp_path: Path) -> None:
    """Are the reference answers those the hidden tests expect, and the reflection saved?"""
    reference.write_reference_work(tmp_path, "04_engage")
    written = reference.write_reference_answers(tmp_path, "04_engage", REPO_COURSE / "source")
    answers = json.loads(written[0].read_text(encoding="utf-8"))["state"]["answers"]
    assert answers["q2"]["selected"] == ["fill_gap"]
    assert answers["first_priority"]["selected"][0] in plan_checks.top_gap_ids(tmp_path)
    reflection = json.loads(written[1].read_text(encoding="utf-8"))["state"]["answers"]
    assert reflection == {"reflection": reference.REFLECTION_ANSWER}


def test_reference_work_for_unknown_assignment(tmp_path: Path) -> None:
    """Is reference work for an assignment the course does not grade refused?"""
    with pytest.raises(ValueError, match="03_context"):
        reference.write_reference_work(tmp_path, "99_other")


def test_outputs_follow_the_umask(tmp_path: Path) -> None:
    """Are outputs written through a private temporary file made readable as the umask says?"""
    path = tmp_path / "grades.csv"
    path.write_text("x")
    path.chmod(0o600)
    old = os.umask(0o007)
    try:
        pipeline.readable_like_umask(path)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o660
