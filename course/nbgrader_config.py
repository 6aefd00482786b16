"""nbgrader configuration for the course "Ending human trafficking in your community".

This folder (``course/``) is the nbgrader course root. Every path here is
relative to it, so the course works wherever the repository is checked out.
Run nbgrader from this folder (``cd course && nbgrader ...``), or use
``endtrafficking grade`` from anywhere in the repository (see INSTRUCTORS.md).
"""

import os

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "endtrafficking"

# Work an instructor saves while trying a graded notebook in source/ goes to a hidden
# .endtrafficking/ folder, and each source keeps fictional reference work (answers and
# exercise files) in reference_work/, which `nbgrader validate` reads (see
# endtrafficking.grading.checkpoint). Never release either, and never copy them over a
# learner's work when grading.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    ".endtrafficking",
    "reference_work",
]

# Execute every notebook with the course's guarded executor: a per-cell timeout, a
# memory cap for every kernel, and a crash or an endless loop fails one cell only.
c.Autograde.autograde_preprocessors = [
    "endtrafficking.grading.execute.GuardedExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# A test cell a learner deleted is put back (and scored) rather than silently missing.
c.OverwriteCells.add_missing_cells = True

c.Execute.timeout = 30  # seconds per cell, for grading and for `nbgrader validate`
c.CappedKernelManager.memory_limit_mb = 3072  # address space per kernel, in MiB

# Learners answer every checkpoint with widgets (no solution cells); these stubs only
# matter for an instructor's own extra notebooks.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
