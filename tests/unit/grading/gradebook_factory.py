"""A small real nbgrader gradebook, made with nbgrader's own API (no kernels, no notebooks).

Two assignments, three learners. Fictional learners only.
"""

from __future__ import annotations

from pathlib import Path

from endtrafficking.grading import results
from endtrafficking.grading.parallel import quiet_known_warnings

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


def make_gradebook(root: Path) -> str:
    """Write ``root/gradebook.db`` with :data:`AUTO` and :data:`MANUAL`; return its URL."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text("")
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
