"""The instructor's one-command workflow, end to end, on the graded cohort."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from nbgrader_cohort import ASSIGNMENTS, VARIANTS, GradedCourse

from endtrafficking.grading import collect, pipeline, reference, results

pytestmark = [pytest.mark.nbgrader, pytest.mark.slow]
CANVAS_USER = "48213"


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_grades_csv_from_nbgrader_export(graded_course: GradedCourse) -> None:
    """Does exports/grades.csv hold one row per submission, as nbgrader exports it?"""
    rows = _csv(graded_course.report.outputs["grades"])
    assert len(rows) == len(ASSIGNMENTS) * len(VARIANTS)
    assert {"assignment", "student_id", "raw_score", "score", "max_score"} <= set(rows[0])


def test_lms_csv_has_one_row_per_learner(graded_course: GradedCourse) -> None:
    """Does exports/lms_grades.csv list each learner once with a column per assignment?"""
    rows = _csv(graded_course.report.outputs["lms"])
    assert sorted(r["student_id"] for r in rows) == sorted(VARIANTS)
    for name in (*ASSIGNMENTS, "total", "max_total", "percent", "passed", "pending_manual"):
        assert name in rows[0]
    untouched = next(r for r in rows if r["student_id"] == "untouched")
    assert float(untouched["total"]) == 0 and untouched["passed"] == "False"


def test_cohort_summary_page(graded_course: GradedCourse) -> None:
    """Does the cohort summary show score distributions, most-missed questions and the
    communities by focus area, without naming any learner?"""
    text = graded_course.report.outputs["summary"].read_text(encoding="utf-8")
    for heading in (
        "Score distribution per assignment",
        "Questions most learners missed",
        "communities by focus area",
    ):
        assert heading in text
    assert text.count("<img") >= 2
    assert "4 communities" in text  # reference, partial, runaway and bad_work (04)
    body = text.split("<body>", 1)[1]
    for variant in ("bad_work", "runaway", "untouched", "tampered"):
        assert variant not in body
    assert "q1_test" in body


def test_closing_summary_tells_where_things_are(graded_course: GradedCourse) -> None:
    """Does the run end by saying what it did and where the results are?"""
    out = graded_course.output
    assert f"autograde 03_context: {len(VARIANTS)}/{len(VARIANTS)}" in out
    assert f"feedback 04_engage: {len(VARIANTS)}/{len(VARIANTS)}" in out
    assert "cohort summary:" in out and "lms_grades.csv" in out
    assert "s per notebook" in out


def _canvas_zip(course: Path, target: Path) -> Path:
    """A Canvas-style download of 03_context for one learner (flat, renamed files)."""
    staging = reference.write_submission(course, "03_context", "staging")
    with zipfile.ZipFile(target, "w") as zf:
        for path in sorted(staging.iterdir()):
            if path.name == "timestamp.txt":
                continue
            stem, dot, suffix = path.name.rpartition(".")
            renamed = f"{stem}-1.{suffix}" if path.name == "assessment.json" else path.name
            zf.write(path, f"doejane_{CANVAS_USER}_900{len(renamed)}_{renamed}")
    shutil.rmtree(staging.parent)
    return target


@pytest.fixture(scope="module")
def second_run(graded_course: GradedCourse, tmp_path_factory: pytest.TempPathFactory):
    """After manual grading in the gradebook, run again with a Canvas zip for 03_context."""
    root = graded_course.root
    with results.open_gradebook(results.db_url(root)) as gb:
        for assignment in ASSIGNMENTS:
            submission = gb.find_submission(assignment, "reference")
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.auto_score is None:  # what formgrader does when a grader saves
                        grade.manual_score = grade.max_score
                        grade.needs_manual_grade = False
        gb.db.commit()
    archive = _canvas_zip(root, tmp_path_factory.mktemp("download") / "submissions.zip")
    out = io.StringIO()
    options = pipeline.GradeOptions(root=root, assignments=["03_context"], from_zip=archive, jobs=2)
    return pipeline.run(options, out), out.getvalue()


def test_zip_from_lms_is_collected_and_graded(graded_course: GradedCourse, second_run) -> None:
    """Is a Canvas zip collected under the learner's Canvas id and graded in full?"""
    report, out = second_run
    assert [c.students for c in report.collected] == [[CANVAS_USER]]
    graded = [x.student for r in report.autograded for x in r.results]
    assert graded == [CANVAS_USER]  # nobody else is graded again
    folder = graded_course.root / "submitted" / CANVAS_USER / "03_context"
    assert (folder / "assessment.json").exists()  # Canvas's "-1" re-upload suffix removed
    cells = results.cell_scores(results.db_url(graded_course.root))
    mine = cells[(cells["student"] == CANVAS_USER) & cells["autograded"]]
    assert mine["score"].sum() == mine["max_score"].sum() > 0
    assert "collected 03_context" in out


def test_manual_grades_reach_feedback_and_certificates(
    graded_course: GradedCourse, second_run
) -> None:
    """After manual grading, is the feedback rewritten and a certificate issued to the
    learner who passed, and only to them?"""
    report, _out = second_run
    assert "reference" in report.certificates.issued
    assert "untouched" in report.certificates.below_pass_mark
    page = report.certificates.issued["reference"].read_text(encoding="utf-8")
    assert "Certificate of completion" in page and "100%" in page
    assert "Ending human trafficking in your community" in page
    fb = {f.assignment: f for f in report.feedback}["03_context"]
    assert "reference" in fb.students  # manual grades changed: feedback written again
    rows = {r["student_id"]: r for r in _csv(report.outputs["lms"])}
    assert rows["reference"]["passed"] == "True"


def test_unrecognised_download_is_refused(graded_course: GradedCourse, tmp_path: Path) -> None:
    """Does ``endtrafficking grade --from-folder`` refuse names it cannot place, clearly and
    without a traceback, before grading anything?"""
    download = tmp_path / "download"
    download.mkdir()
    (download / "final version (2).ipynb").write_text("{}", encoding="utf-8")
    env = dict(
        os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "endtrafficking.cli",
            "grade",
            "--course",
            str(graded_course.root),
            "--assignment",
            "01_strategy",
            "--from-folder",
            str(download),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 2
    assert "fit no known layout" in done.stderr and "final version (2).ipynb" in done.stderr
    assert "Traceback" not in done.stderr


def test_collect_from_exchange(generated_course: Path, tmp_path: Path) -> None:
    """Are submissions made through a real nbgrader exchange collected into submitted/?"""
    from nbgrader.apps import FetchAssignmentApp, ReleaseAssignmentApp, SubmitApp

    from endtrafficking.grading.nbgrader_apps import load_app, working_directory

    root = tmp_path / "course"
    shutil.copytree(generated_course, root)
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    home = tmp_path / "home"
    home.mkdir()
    settings = {"Exchange": {"root": str(exchange)}}
    release = load_app(root, ReleaseAssignmentApp, ["01_strategy"], overrides=settings)
    with working_directory(root):
        release.start()
    for app_class in (FetchAssignmentApp, SubmitApp):
        with working_directory(home):
            app = app_class()
            app.initialize(
                ["01_strategy", "--course=endtrafficking", f"--Exchange.root={exchange}"]
            )
            app.start()
        if app_class is FetchAssignmentApp:
            reference.write_reference_work(home / "01_strategy", "01_strategy")
    report = collect.collect_from_exchange(root, "01_strategy", settings)
    assert len(report.students) == 1
    folder = root / "submitted" / report.students[0] / "01_strategy"
    assert (folder / "model_mapping.json").exists() and (folder / "timestamp.txt").exists()


def test_exchange_with_nothing_released(generated_course: Path, tmp_path: Path) -> None:
    """Does collecting from an exchange where nothing was released yet say so, not stop?"""
    root = tmp_path / "course"
    shutil.copytree(generated_course, root)
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    report = collect.collect_from_exchange(
        root, "01_strategy", {"Exchange": {"root": str(exchange)}}
    )
    assert report.students == [] and "nothing to collect" in report.notes[0]


def test_grading_leaves_nothing_for_git(graded_course: GradedCourse, tmp_path: Path) -> None:
    """Is everything a grading run writes in the course folder ignored by git?

    The graded cohort's course folder (generated, collected, autograded, feedback,
    exports, lock) is put in an empty git repository with the repository's
    ``.gitignore``: every file git would offer to add must be a file the repository
    tracks, so an instructor's ``git status`` stays clean after grading.
    """
    repo = Path(__file__).resolve().parents[2]
    tracked = subprocess.run(
        ["git", "ls-files", "course"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.split()
    shutil.copyfile(repo / ".gitignore", tmp_path / ".gitignore")
    shutil.copytree(graded_course.root, tmp_path / "course", symlinks=True)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    offered = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "course"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert tracked, "the repository lists no course files"
    # the cohort's copy of the course follows the repository's symlinks (knowledge_checks/)
    links = tuple(f"{path}/" for path in tracked if (repo / path).is_symlink())
    extra = sorted(p for p in set(offered) - set(tracked) if not p.startswith(links))
    assert not extra, "grading left files git would offer to add:\n" + "\n".join(extra)
