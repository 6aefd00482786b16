"""The gradebook as tables, the cohort summary and the certificates, on a real small gradebook."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from endtrafficking.grading import certificates, results, summary

from .gradebook_factory import make_gradebook


@pytest.fixture(scope="module")
def made_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The gradebook, made once (making one runs nbgrader's database migrations)."""
    root = tmp_path_factory.mktemp("gradebook") / "course"
    make_gradebook(root)
    return root


@pytest.fixture
def course(made_once: Path, tmp_path: Path) -> Path:
    """A course root whose gradebook holds three fictional learners (a fresh copy)."""
    shutil.copytree(made_once, tmp_path / "course")
    return tmp_path / "course"


def test_cell_and_submission_tables(course: Path) -> None:
    """Do the tables hold one row per graded cell and per submission, with the right sums?"""
    url = results.db_url(course)
    cells = results.cell_scores(url)
    assert len(cells) == 5 * 3
    subs = results.submission_scores(url).set_index(["assignment", "student"])
    assert subs.loc[("03_context", "ana"), "score"] == 7
    assert subs.loc[("03_context", "ana"), "auto_score"] == 3
    assert subs.loc[("04_engage", "ben"), "needs_manual_grade"]


def test_learner_totals_count_missing_work_as_zero(course: Path) -> None:
    """Does a learner's total count every assignment, a missing one as 0?"""
    maxima = {"03_context": 7.0, "04_engage": 7.0}
    totals = results.learner_totals(results.db_url(course), maxima).set_index("student")
    assert totals.loc["ana", "total"] == 13 and totals.loc["ana", "max_total"] == 14
    assert totals.loc["cy", "missing"] == 1 and totals.loc["cy", "04_engage"] == 0
    assert totals.loc["ben", "pending_manual"] == 1


def test_fingerprints_change_with_manual_grades(course: Path) -> None:
    """Does a submission's fingerprint change when a grader changes a score?"""
    url = results.db_url(course)
    before = results.submission_fingerprints(url)
    with results.open_gradebook(url) as gb:
        gb.find_grade("reflection", "03_reflection", "04_engage", "ben").manual_score = 1
        gb.db.commit()
    after = results.submission_fingerprints(url)
    assert before[("04_engage", "ben")] != after[("04_engage", "ben")]
    assert before[("03_context", "ana")] == after[("03_context", "ana")]


def test_most_missed_questions_first(course: Path) -> None:
    """Are the questions with the fewest full marks listed first, autograded ones only?"""
    missed = summary.most_missed(results.cell_scores(results.db_url(course)))
    assert list(missed["cell"])[:1] == ["q1_test"]
    assert "reflection" not in set(missed["cell"])
    first = missed.iloc[0]
    assert first["assignment"] == "03_context" and first["full marks %"] == pytest.approx(33.3)


def test_summary_page_without_assessments(course: Path, tmp_path: Path) -> None:
    """Does the summary render, name no learner, and say when no assessment was submitted?"""
    path = summary.write_summary(course, tmp_path / "out")
    text = path.read_text(encoding="utf-8")
    assert "No learner has submitted an assessment yet." in text
    assert "awaiting manual grading" in text
    for name in ("ana", "Ana", "Example", "ben"):
        assert f">{name}<" not in text and f" {name} " not in text


def test_certificates_only_for_those_who_passed(course: Path, tmp_path: Path) -> None:
    """Is a certificate written only for a learner over the pass mark with nothing pending?"""
    report = certificates.write_certificates(course, tmp_path / "out", pass_mark=0.7)
    assert list(report.issued) == ["ana"]
    assert report.waiting_for_manual_grading == []
    assert report.below_pass_mark == ["ben"]
    assert report.missing_assignments == ["cy"]  # 04_engage not handed in: no certificate
    page = report.issued["ana"].read_text(encoding="utf-8")
    assert "Ana Example" in page and "93%" in page and "@page" in page


def test_pending_manual_grading_holds_the_certificate(course: Path, tmp_path: Path) -> None:
    """Does work waiting for manual grading hold a certificate back?"""
    report = certificates.write_certificates(course, tmp_path / "out", pass_mark=0.3)
    assert "ben" in report.waiting_for_manual_grading and "ben" not in report.issued


def test_certificate_file_names_are_safe() -> None:
    """Is a learner id turned into a safe file name?"""
    assert certificates.safe_file_name("../../etc/passwd") == "etc_passwd"
    assert certificates.safe_file_name("a b@c") == "a_b_c"


def test_unreadable_assessments_are_counted(tmp_path: Path) -> None:
    """Is a learner whose only submitted assessment is damaged counted, not crashed on,
    and is the most recent readable assessment used for the others?"""
    from endtrafficking.grading.reference import reference_assessment
    from endtrafficking.storage import save_assessment

    bad = tmp_path / "submitted" / "ana" / "03_context"
    bad.mkdir(parents=True)
    (bad / "assessment.json").write_text("{ damaged")
    for assignment in ("03_context", "04_engage"):
        folder = tmp_path / "submitted" / "ben" / assignment
        folder.mkdir(parents=True)
        assessment = reference_assessment()
        assessment.community = f"Ben's {assignment} (fictional)"
        save_assessment(assessment, folder / "assessment.json")
    found, unreadable = summary.learner_assessments(tmp_path)
    assert unreadable == 1
    assert [a.community for a in found] == ["Ben's 04_engage (fictional)"]


def test_totals_use_the_course_maxima_not_the_gradebook(course: Path) -> None:
    """Is the maximum the course's, even for an assignment nobody generated yet?"""
    maxima = {"03_context": 7.0, "04_engage": 7.0, "05_later": 10.0}
    totals = results.learner_totals(results.db_url(course), maxima).set_index("student")
    assert totals.loc["ana", "max_total"] == 24 and totals.loc["ana", "missing"] == 1


def test_an_impossible_score_is_refused(course: Path) -> None:
    """Does a score above its maximum stop the totals, loudly?"""
    with pytest.raises(results.ImpossibleScore, match="ana has 7 points of 3"):
        results.learner_totals(results.db_url(course), {"03_context": 3.0})


def test_totals_of_an_empty_gradebook(tmp_path: Path) -> None:
    """Does a gradebook without learners give an empty table (a first run)?"""
    from nbgrader.api import Gradebook

    from endtrafficking.grading.nbgrader_apps import nbgrader_path

    nbgrader_path()
    (tmp_path / "nbgrader_config.py").write_text("")
    url = results.db_url(tmp_path)
    with Gradebook(url) as gb:
        gb.update_or_create_assignment("03_context")
    totals = results.learner_totals(url, {"03_context": 7.0})
    assert totals.empty and {"student", "total", "missing"} <= set(totals.columns)


def test_course_maxima_come_from_the_sources() -> None:
    """Are the repository course's maxima its source notebooks' points, for every assignment?"""
    from endtrafficking.paths import course_dir

    maxima = results.course_maxima(course_dir())
    assert list(maxima) == results.graded_assignments(course_dir())
    assert len(maxima) == 4 and all(points > 0 for points in maxima.values())
