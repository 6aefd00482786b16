"""A small real nbgrader gradebook, made with nbgrader's own API (no kernels, no notebooks).

Two assignments, three learners. Fictional learners only.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from endtrafficking.grading import results
from endtrafficking.grading.parallel import quiet_known_warnings
from endtrafficking.paths import data_file

#: (assignment, learner) -> autograded points of q1 (max 2) and q2 (max 1); None: no submission.
AUTO = {
    ("03_context", "ana"): (2, 1),
    ("03_context", "ben"): (0, 1),
    ("03_context", "cy"): (0, 0),
    ("04_engage", "ana"): (2, 1),
    ("04_engage", "ben"): (2, 0),
}
#: Manual points of each submission's reflection (max 4); None: not graded yet.
MANUAL = {
    ("03_context", "ana"): 4,
    ("03_context", "ben"): 2,
    ("03_context", "cy"): None,
    ("04_engage", "ana"): 3,
    ("04_engage", "ben"): None,
}


def _graded_cell(kind: str, grade_id: str, points: int) -> nbformat.NotebookNode:
    meta = {"grade": kind == "code", "task": kind == "task", "grade_id": grade_id}
    meta.update(points=points, solution=False, locked=True, schema_version=3)
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    return make("", metadata={"nbgrader": meta})


def write_sources(root: Path) -> None:
    """A ``course.yaml`` naming both assignments, and source notebooks worth 7 points each."""
    text = data_file("course.yaml").read_text(encoding="utf-8")
    text = re.sub(
        r"(?m)^graded_assignments: .*$", "graded_assignments: [03_context, 04_engage]", text
    )
    (root / "course.yaml").write_text(text, encoding="utf-8")
    for assignment in ("03_context", "04_engage"):
        folder = root / "source" / assignment
        folder.mkdir(parents=True, exist_ok=True)
        check = nbformat.v4.new_notebook()
        check.cells = [_graded_cell("code", "q1_test", 2), _graded_cell("code", "q2_test", 1)]
        nbformat.write(check, folder / "01_check.ipynb")
        reflection = nbformat.v4.new_notebook()
        reflection.cells = [_graded_cell("task", "reflection", 4)]
        nbformat.write(reflection, folder / "03_reflection.ipynb")


def make_gradebook(root: Path) -> str:
    """Write ``root/gradebook.db`` with :data:`AUTO` and :data:`MANUAL`; return its URL."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text("")
    write_sources(root)
    url = results.db_url(root)
    with quiet_known_warnings(), results.open_gradebook(url) as gb:
        for assignment in ("03_context", "04_engage"):
            gb.add_assignment(assignment)
            gb.add_notebook("01_check", assignment)
            gb.add_grade_cell("q1_test", "01_check", assignment, max_score=2, cell_type="code")
            gb.add_grade_cell("q2_test", "01_check", assignment, max_score=1, cell_type="code")
            gb.add_notebook("03_reflection", assignment)
            gb.add_task_cell(
                "reflection", "03_reflection", assignment, max_score=4, cell_type="markdown"
            )
        gb.add_student("ana", first_name="Ana", last_name="Example")
        gb.add_student("ben")
        gb.add_student("cy")
        for (assignment, student), (q1, q2) in AUTO.items():
            gb.add_submission(assignment, student)
            for cell, score in (("q1_test", q1), ("q2_test", q2)):
                grade = gb.find_grade(cell, "01_check", assignment, student)
                grade.auto_score = score
                grade.needs_manual_grade = False
            task = gb.find_grade("reflection", "03_reflection", assignment, student)
            manual = MANUAL[(assignment, student)]
            task.manual_score = manual
            task.needs_manual_grade = manual is None
        gb.db.commit()
    return url
