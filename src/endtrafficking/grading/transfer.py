"""Carry one learner's autograde results from a worker's gradebook into the course's.

A worker of the parallel grader (:mod:`.parallel`) runs nbgrader's whole
``Autograde`` for a learner against its own copy of the gradebook, taken when the
run began. Every value that copy then holds for the learner's submission was
written by nbgrader's code (and the grader's own checks, :mod:`.verified`). This
module copies those values, and only those that ``Autograde`` writes, into the
course's gradebook, through nbgrader's ``Gradebook`` API, in the one process that
writes it. A grade an instructor gave by hand in the meantime (``manual_score``,
``extra_credit``, comments) is left alone, exactly as a serial run would.
"""

from __future__ import annotations

from typing import Any

#: What ``Autograde`` writes, per level of the gradebook (nbgrader 0.9).
SUBMISSION_FIELDS = ("timestamp",)
NOTEBOOK_FIELDS = ("late_submission_penalty",)
GRADE_FIELDS = ("auto_score", "needs_manual_grade")
COMMENT_FIELDS = ("auto_comment",)
STUDENT_FIELDS = ("first_name", "last_name", "email", "lms_user_id")


def _copy(source: Any, target: Any, fields: tuple[str, ...]) -> None:
    for name in fields:
        setattr(target, name, getattr(source, name))


def _by_name(rows: list[Any]) -> dict[str, Any]:
    return {row.name: row for row in rows}


def copy_submission(
    source_url: str, target_url: str, course_id: str, assignment: str, student: str
) -> None:
    """Make the course gradebook hold what the worker's holds for one submission.

    Raises:
        nbgrader.api.MissingEntry: the worker's gradebook has no such submission, or
            a notebook or cell of it is unknown to the course gradebook.
    """
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(source_url, course_id) as src, Gradebook(target_url, course_id) as dst:
        done = src.find_submission(assignment, student)
        learner = src.find_student(student)
        dst.update_or_create_student(student, **{f: getattr(learner, f) for f in STUDENT_FIELDS})
        kept = dst.update_or_create_submission(assignment, student, timestamp=done.timestamp)
        _copy(done, kept, SUBMISSION_FIELDS)
        notebooks = _by_name(kept.notebooks)
        for notebook in done.notebooks:
            target = notebooks.get(notebook.name)
            if target is None:
                raise MissingEntry()
            _copy(notebook, target, NOTEBOOK_FIELDS)
            grades, comments = _by_name(target.grades), _by_name(target.comments)
            for rows, kept_rows, fields in (
                (notebook.grades, grades, GRADE_FIELDS),
                (notebook.comments, comments, COMMENT_FIELDS),
            ):
                for row in rows:
                    if row.name not in kept_rows:
                        raise MissingEntry()
                    _copy(row, kept_rows[row.name], fields)
        dst.db.commit()
