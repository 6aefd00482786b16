"""The gradebook as tables: scores per submission, per question, and per learner.

The cohort summary, the certificates, the LMS export and the tests (a parallel
run's gradebook equals a serial run's) all read the nbgrader gradebook through
these functions, so they agree on what a score is.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

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


def db_url(root: str | Path) -> str:
    """The gradebook URL of the course at ``root`` (nbgrader's default location)."""
    return f"sqlite:///{Path(root).resolve() / 'gradebook.db'}"


def open_gradebook(url: str) -> Gradebook:
    """nbgrader's Gradebook for ``url`` (a context manager)."""
    from nbgrader.api import Gradebook

    from endtrafficking.grading.nbgrader_apps import nbgrader_path

    nbgrader_path()
    return Gradebook(url)


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


def assignment_max_scores(url: str) -> dict[str, float]:
    """The maximum score of every assignment in the gradebook."""
    with open_gradebook(url) as gb:
        return {a.name: float(a.max_score) for a in gb.assignments}


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


def learner_totals(url: str) -> pd.DataFrame:
    """One row per learner: points per assignment, total, share of all points, pending work.

    Every assignment in the gradebook counts towards the total, so a missing
    submission counts as 0. Columns: ``student``, one per assignment (points),
    ``total``, ``max_total``, ``share`` (0-1), ``missing`` (assignments not
    submitted) and ``pending_manual`` (submissions still needing manual grading).
    """
    scores = submission_scores(url)
    maxima = assignment_max_scores(url)
    people = students(url)["student"].tolist()
    assignments = sorted(maxima)
    table = pd.DataFrame(index=pd.Index(sorted(people), name="student"))
    for name in assignments:
        part = scores[scores["assignment"] == name].set_index("student")["score"]
        table[name] = part.reindex(table.index)
    submitted = table[assignments].notna()
    table[assignments] = table[assignments].fillna(0.0)
    table["total"] = table[assignments].sum(axis=1)
    table["max_total"] = float(sum(maxima.values()))
    table["share"] = table["total"] / table["max_total"] if sum(maxima.values()) else 0.0
    table["missing"] = (~submitted).sum(axis=1).astype(int)
    pending = scores[scores["needs_manual_grade"]].groupby("student").size()
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
