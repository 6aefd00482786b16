"""The graded assignments themselves: sources validate, releases hide everything graded."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader_cohort import ASSIGNMENTS, grade_id

from endtrafficking.grading.checkpoint import PREVIEW_FOLDER, REFERENCE_FOLDER
from endtrafficking.grading.verify import ANSWERS_FILE, verify_submission
from endtrafficking.grading.work_files import EXERCISES
from endtrafficking.workspace import REFLECTIONS_FILE

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow]
SUCCESS = "Success! Your notebook passes all the tests."
INVERTED_SUCCESS = "Success! The notebook does not pass any tests."
GRADED_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "MARK SCHEME", "expect_answer")


def _nbgrader(*args: str, cwd: Path) -> subprocess.Popen:
    env = dict(
        os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    )
    return subprocess.Popen(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture(scope="module")
def validation(generated_course: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """``nbgrader validate`` of every source as checked in (it reads the reference work
    beside it) and, at the same time, ``nbgrader validate --invert`` of every release;
    their output by kind."""
    sources = sorted(
        str(p.relative_to(generated_course))
        for p in generated_course.glob("source/*/0[12]_*.ipynb")
    )
    releases = sorted(
        str(p.relative_to(generated_course))
        for p in generated_course.glob("release/*/0[12]_*.ipynb")
    )
    source_run = _nbgrader("validate", *sources, cwd=generated_course)
    release_run = _nbgrader("validate", "--invert", *releases, cwd=generated_course)
    out = {
        "source": source_run.communicate(timeout=900)[0],
        "release": release_run.communicate(timeout=900)[0],
    }
    return out


def _per_notebook(output: str) -> dict[str, str]:
    """Split nbgrader validate's output into one chunk per notebook."""
    chunks = re.split(r"\[ValidateApp \| INFO\] Validating '([^']+)'", output)
    return {
        Path(chunks[i]).parent.name + "/" + Path(chunks[i]).name: chunks[i + 1]
        for i in range(1, len(chunks), 2)
    }


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_passes_validate(validation: dict[str, str], assignment: str) -> None:
    """Does every source notebook pass ``nbgrader validate`` with complete work beside it?
    (The reflection has no code, so there is nothing for nbgrader to run in it.)"""
    results = {
        k: v for k, v in _per_notebook(validation["source"]).items() if k.startswith(assignment)
    }
    assert len(results) == 2, validation["source"][-2000:]
    for name, text in results.items():
        assert SUCCESS in text, f"{name}:\n{text}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_fails_its_tests(
    validation: dict[str, str], generated_course: Path, assignment: str
) -> None:
    """Does every release notebook with tests fail them (``nbgrader validate --invert``)?"""
    results = {
        k: v for k, v in _per_notebook(validation["release"]).items() if k.startswith(assignment)
    }
    with_tests = [
        p.name
        for p in (generated_course / "release" / assignment).glob("*.ipynb")
        if any(
            c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
            for c in nbformat.read(p, as_version=4).cells
        )
    ]
    assert len(with_tests) == 2
    for name in with_tests:
        text = results[f"{assignment}/{name}"]
        assert INVERTED_SUCCESS in text, f"{name}:\n{text}"


def _graded_texts(source: nbformat.NotebookNode) -> list[str]:
    """What only graders may see in a source notebook: each answer assigned in a solution,
    and each solution, hidden-test or mark-scheme region as a whole (whitespace normalised)."""
    texts = []
    for cell in source.cells:
        region: list[str] | None = None
        for line in cell.source.splitlines():
            if re.search(r"BEGIN (SOLUTION|HIDDEN TESTS|MARK SCHEME)", line):
                region = []
            elif re.search(r"END (SOLUTION|HIDDEN TESTS|MARK SCHEME)", line):
                texts.append(" ".join(" ".join(region or []).split()))
                region = None
            elif region is not None:
                region.append(line)
                if cell.cell_type == "code" and " = " in line:  # an answer being assigned
                    texts.append(line.strip())
    return [t for t in texts if t]


def _release_text(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n".join(
        [" ".join(c.source.split()) for c in nb.cells]
        + [line.strip() for c in nb.cells for line in c.source.splitlines()]
    )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_holds_no_graded_text(generated_course: Path, assignment: str) -> None:
    """Is no solution, hidden test or mark scheme text in the release, and no work file,
    reference work or saved answer?"""
    release = generated_course / "release" / assignment
    names = {p.name for p in release.rglob("*")}
    assert PREVIEW_FOLDER not in names and REFERENCE_FOLDER not in names
    assert not names & {ex.file for ex in EXERCISES.values()}
    assert not names & {ANSWERS_FILE, REFLECTIONS_FILE}
    for path in sorted((generated_course / "source" / assignment).glob("*.ipynb")):
        source = nbformat.read(path, as_version=4)
        secret = _graded_texts(source)
        if not path.stem.startswith("02_"):  # exercises hide nothing: the work is checked
            assert secret, f"{path.name} has nothing graded to hide?"
        text = _release_text(release / path.name)
        for marker in GRADED_MARKERS:
            assert marker not in text, f"{marker!r} in release {path.name}"
        for line in secret:
            assert line not in text, f"graded text leaked into release {path.name}: {line!r}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_assignment_has_every_kind_of_item(generated_course: Path, assignment: str) -> None:
    """Does each assignment hold hidden-tested knowledge checks, a widget-work check and a
    manually graded reflection with a mark scheme, one notebook each?"""
    source = generated_course / "source" / assignment
    notebooks = {p.stem: nbformat.read(p, as_version=4) for p in sorted(source.glob("*.ipynb"))}
    assert len(notebooks) == 3
    check, work, reflection = (notebooks[k] for k in sorted(notebooks))
    assert sum("BEGIN HIDDEN TESTS" in c.source for c in check.cells) >= 3
    assert any("checkpoint.open_exercise(" in c.source for c in work.cells)
    assert sum("checkpoint.check_work(" in c.source for c in work.cells) >= 2
    assert sum("checkpoint.check_reading(" in c.source for c in work.cells) == 1
    assert sum("checkpoint.question(" in c.source for c in check.cells) >= 3
    [box] = [c for c in reflection.cells if c.cell_type == "code"]
    assert "checkpoint.reflection()" in box.source and box.metadata["nbgrader"]["locked"]
    tasks = [c for c in reflection.cells if c.metadata.get("nbgrader", {}).get("task")]
    assert len(tasks) == 1 and "BEGIN MARK SCHEME" in tasks[0].source
    assert all(grade_id(c) for nb in notebooks.values() for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_learner_facing_cell_asks_for_code(generated_course: Path, assignment: str) -> None:
    """Does no release notebook hold NotImplementedError, a solution cell to fill in, or an
    unlocked code cell, and does every intro say how to answer without code?"""
    for path in sorted((generated_course / "release" / assignment).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        assert "NotImplementedError" not in path.read_text(encoding="utf-8"), path.name
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            assert not meta.get("solution"), f"{path.name}: {meta.get('grade_id')}"
            if cell.cell_type == "code":
                assert meta.get("locked"), f"{path.name}: an unlocked code cell"
        intro = nb.cells[0].source
        assert "How to answer" in intro and "replace" not in intro and "run the" not in intro


def test_autograded_copy_of_the_source_earns_full_marks(
    generated_course: Path, tmp_path: Path
) -> None:
    """Handed in as the source notebooks with their reference work, does every assignment
    earn its full autograded marks from stock ``nbgrader autograde``, and from the
    grader's own check of the saved files?"""
    import shutil

    from nbgrader.api import Gradebook

    root = tmp_path / "course"
    shutil.copytree(generated_course, root)
    for assignment in ASSIGNMENTS:
        source = root / "source" / assignment
        dest = root / "submitted" / "reference_copy" / assignment
        shutil.copytree(source, dest, ignore=shutil.ignore_patterns(REFERENCE_FOLDER, ".*"))
        for path in (source / REFERENCE_FOLDER).iterdir():
            shutil.copy2(path, dest / path.name)
        verdicts = verify_submission(assignment, dest, root / "source")
        assert verdicts and all(v.points == v.max_points for v in verdicts), verdicts
    run = _nbgrader("autograde", "*", "--student", "reference_copy", cwd=root)  # every assignment
    out = run.communicate(timeout=900)[0]
    assert run.returncode == 0, out[-3000:]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="endtrafficking") as gb:
        for assignment in ASSIGNMENTS:
            sub = gb.find_submission(assignment, "reference_copy")
            grades = [g for nb in sub.notebooks for g in nb.grades if g.auto_score is not None]
            assert grades and sub.max_code_score > 0, assignment
            assert [g.auto_score for g in grades] == [g.max_score for g in grades], assignment
            assert sub.code_score == pytest.approx(sub.max_code_score), assignment
