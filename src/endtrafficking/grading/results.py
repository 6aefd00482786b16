"""The gradebook as tables: scores per submission, per question, and per learner.

The cohort summary, the certificates, the LMS export and the tests (a parallel
run's gradebook equals a serial run's) all read the nbgrader gradebook through
these functions, so they agree on what a score is.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from endtrafficking.errors import CourseInputError

if TYPE_CHECKING:
    from nbgrader.api import Gradebook

SUBMISSION_COLUMNS = (
    "assignment",
    "student",
    "score",
    "max_score",
    "auto_score",
    "manual_score",
    "late_penalty",
    "needs_manual_grade",
    "timestamp",
)
CELL_COLUMNS = (
    "assignment",
    "notebook",
    "cell",
    "student",
    "auto_score",
    "manual_score",
    "score",
    "max_score",
    "autograded",
    "needs_manual_grade",
)


#: The course id of each gradebook URL that :func:`db_url` found in a course's configuration.
_COURSE_IDS: dict[str, str] = {}


def db_url(root: str | Path) -> str:
    """The gradebook URL of the course at ``root`` (see :func:`_configured_url`)."""
    return _configured_url(str(Path(root).resolve()))


@functools.cache
def _configured_url(root: str) -> str:
    """The gradebook URL of the course at ``root``, as its nbgrader configuration says.

    nbgrader's own ``CourseDirectory`` reads it (a hub may point it at PostgreSQL);
    the course id is remembered, so :func:`open_gradebook` opens the course's own rows.
    """
    from nbgrader.apps.baseapp import NbGrader

    from endtrafficking.grading.nbgrader_apps import load_app

    app = load_app(root, NbGrader)
    url = str(app.coursedir.db_url)
    if app.coursedir.course_id:
        _COURSE_IDS[url] = str(app.coursedir.course_id)
    return url


def open_gradebook(url: str) -> Gradebook:
    """nbgrader's Gradebook for ``url``, with its course id when known (a context manager)."""
    from nbgrader.api import Gradebook

    from endtrafficking.grading.nbgrader_apps import nbgrader_path

    nbgrader_path()
    course_id = _COURSE_IDS.get(url)
    return Gradebook(url, course_id) if course_id else Gradebook(url)


def cell_scores(url: str) -> pd.DataFrame:
    """One row per graded cell of every submission (see :data:`CELL_COLUMNS`)."""
    rows = []
    with open_gradebook(url) as gb:
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        rows.append(
                            {
                                "assignment": assignment.name,
                                "notebook": notebook.name,
                                "cell": grade.name,
                                "student": submission.student.id,
                                "auto_score": grade.auto_score,
                                "manual_score": grade.manual_score,
                                "score": float(grade.score),
                                "max_score": float(grade.max_score),
                                "autograded": grade.cell_type == "code",
                                "needs_manual_grade": bool(grade.needs_manual_grade),
                            }
                        )
    frame = pd.DataFrame(rows, columns=list(CELL_COLUMNS))
    return frame.sort_values(["assignment", "student", "notebook", "cell"], ignore_index=True)


def submission_scores(url: str) -> pd.DataFrame:
    """One row per submission (see :data:`SUBMISSION_COLUMNS`)."""
    rows = []
    with open_gradebook(url) as gb:
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                rows.append(
                    {
                        "assignment": assignment.name,
                        "student": submission.student.id,
                        "score": float(submission.score),
                        "max_score": float(submission.max_score),
                        "auto_score": float(sum(nb.code_score for nb in submission.notebooks)),
                        "manual_score": float(
                            sum(nb.written_score + nb.task_score for nb in submission.notebooks)
                        ),
                        "late_penalty": float(submission.late_submission_penalty or 0.0),
                        "needs_manual_grade": bool(submission.needs_manual_grade),
                        "timestamp": submission.timestamp,
                    }
                )
    frame = pd.DataFrame(rows, columns=list(SUBMISSION_COLUMNS))
    return frame.sort_values(["assignment", "student"], ignore_index=True)


def students(url: str) -> pd.DataFrame:
    """The learners in the gradebook: id, first and last name, email (empty if unknown)."""
    with open_gradebook(url) as gb:
        rows = [
            {
                "student": s.id,
                "first_name": s.first_name or "",
                "last_name": s.last_name or "",
                "email": s.email or "",
            }
            for s in gb.students
        ]
    return pd.DataFrame(rows, columns=["student", "first_name", "last_name", "email"])


class ImpossibleScore(CourseInputError):
    """A score above its maximum: something wrote the gradebook that should not have."""


def graded_assignments(root: str | Path) -> list[str]:
    """The assignments a certificate needs: ``graded_assignments`` in ``course.yaml``.

    Read from the course root's ``course.yaml`` (else the package's own). Every one
    counts towards the total, whether it has been generated yet or not.
    """
    import yaml

    from endtrafficking.paths import data_file

    path = Path(root) / "course.yaml"
    data = yaml.safe_load((path if path.exists() else data_file("course.yaml")).read_text("utf-8"))
    listed = data.get("graded_assignments")
    if not listed:
        raise CourseInputError(
            "course.yaml does not list the graded assignments.",
            fix="add graded_assignments: [01_strategy, ...] to course.yaml.",
            file=path,
        )
    return [str(a) for a in listed]


def notebook_points(path: Path) -> float:
    """The points of every graded cell of one source notebook (nbgrader's metadata)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    total = 0.0
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") or meta.get("task"):
            total += float(meta.get("points", 0) or 0)
    return total


def course_maxima(root: str | Path) -> dict[str, float]:
    """The maximum of every graded assignment, from its source notebooks (never the release).

    Raises:
        CourseInputError: a graded assignment has no source folder.
    """
    root = Path(root)
    maxima = {}
    for name in graded_assignments(root):
        folder = root / "source" / name
        if not folder.is_dir():
            raise CourseInputError(
                f"course.yaml lists the graded assignment {name!r}, but source/ has no such folder.",
                fix="add its source folder, or remove it from graded_assignments.",
                file=folder,
            )
        maxima[name] = sum(notebook_points(p) for p in sorted(folder.glob("*.ipynb")))
    return maxima


def check_possible(scores: pd.DataFrame, maxima: dict[str, float]) -> None:
    """Refuse, loudly, a submission scored above its assignment's maximum.

    Raises:
        ImpossibleScore: naming the learner, the assignment and both numbers.
    """
    for row in scores.itertuples(index=False):
        limit = maxima.get(row.assignment, row.max_score)
        if row.score > limit + 1e-9 or row.score < -1e-9:
            raise ImpossibleScore(
                f"{row.student} has {row.score:g} points of {limit:g} in {row.assignment}: "
                "the gradebook holds an impossible score, so no grades, summary or "
                "certificates were written.",
                fix="regrade that submission with --force --student, and look at what changed "
                "the gradebook (the integrity check in the summary).",
            )


def learner_totals(url: str, maxima: dict[str, float]) -> pd.DataFrame:
    """One row per learner: points per graded assignment, total, share of the course, pending.

    ``maxima`` are the course's graded assignments and their points
    (:func:`course_maxima`); a missing submission counts as 0. Columns:
    ``student``, one per assignment, ``total``, ``max_total``, ``share`` (0-1),
    ``missing`` (assignments not submitted) and ``pending_manual``.

    Raises:
        ImpossibleScore: a score above its maximum.
    """
    scores = submission_scores(url)
    scores = scores[scores["assignment"].isin(list(maxima))]
    check_possible(scores, maxima)
    people = sorted(set(students(url)["student"]) | set(scores["student"]))
    assignments = list(maxima)
    table = pd.DataFrame(index=pd.Index(people, name="student", dtype=object))
    for name in assignments:
        part = scores[scores["assignment"] == name].set_index("student")["score"]
        table[name] = part.reindex(table.index).astype(float)
    submitted = table[assignments].notna()
    table[assignments] = table[assignments].fillna(0.0)
    top = float(sum(maxima.values()))
    table["total"] = table[assignments].sum(axis=1).astype(float)
    table["max_total"] = top
    table["share"] = table["total"] / top if top else 0.0
    table["missing"] = (~submitted).sum(axis=1).astype(int)
    pending = scores.loc[scores["needs_manual_grade"].astype(bool)].groupby("student").size()
    table["pending_manual"] = pending.reindex(table.index, fill_value=0).astype(int)
    return table.reset_index()


def submission_fingerprints(url: str) -> dict[tuple[str, str], str]:
    """A short hash of every score and comment of each (assignment, learner) submission.

    It changes when an instructor grades or comments in formgrader, so the
    pipeline knows whose feedback to write again.
    """
    import hashlib

    parts: dict[tuple[str, str], list[str]] = {}
    with open_gradebook(url) as gb:
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                key = (assignment.name, submission.student.id)
                items = parts.setdefault(key, [])
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        items.append(
                            f"{notebook.name}/{grade.name}:{grade.auto_score}:{grade.manual_score}:"
                            f"{grade.extra_credit}"
                        )
                    for comment in notebook.comments:
                        items.append(
                            f"{notebook.name}/{comment.name}:{comment.manual_comment or ''}"
                        )
    return {
        key: hashlib.sha256("\n".join(sorted(items)).encode()).hexdigest()[:16]
        for key, items in parts.items()
    }


def lms_table(root: Path, pass_mark: float, sandboxed: bool = True) -> pd.DataFrame:
    """One row per learner for an LMS: points per assignment, total, percent, passed.

    The ``sandbox`` column says ``off`` on every row when this run graded unsandboxed.
    """
    from endtrafficking.grading.verified import read_flags

    url = db_url(root)
    totals = learner_totals(url, course_maxima(root))
    people = students(url)
    table = people.merge(totals, on="student", how="right")
    table = table.rename(columns={"student": "student_id"})
    table["percent"] = (100 * table["share"]).round(1)
    table["passed"] = (
        (table["share"] + 1e-9 >= pass_mark)
        & (table["pending_manual"] == 0)
        & (table["missing"] == 0)
    )
    flags = read_flags(root)
    table["flagged"] = [
        " ".join(a for a in course_maxima(root) if f"{a}/{who}" in flags)
        for who in table["student_id"]
    ]
    table["sandbox"] = "on" if sandboxed else "off"
    return table.drop(columns=["share"])
