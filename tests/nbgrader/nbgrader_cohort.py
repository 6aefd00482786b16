"""The synthetic cohort of the nbgrader tests: learners, their submissions, a course copy.

The repository's ``course/`` is copied to a temporary course root (the
repository is never written), every assignment is generated with real
nbgrader, and a synthetic learner per kind of submission hands in every
assignment. The instructor's pipeline (``endtrafficking grade``) then grades
the whole cohort once, in parallel, with real kernels; the tests read what
it produced. A copy of the course taken just before grading lets one test
grade the same submissions with stock serial ``nbgrader autograde`` and
compare the gradebooks.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat

from endtrafficking.grading import pipeline, reference
from endtrafficking.grading.verify import ANSWERS_FILE
from endtrafficking.grading.work_files import EXERCISES

REPO_COURSE = Path(__file__).resolve().parents[2] / "course"
ASSIGNMENTS = ("01_strategy", "02_possibility", "03_context", "04_engage")
#: Per-cell timeout in the test course: long enough for a loaded machine, short enough
#: that the endless loops do not dominate the run.
TIMEOUT = 15
GENERATED = ("release", "submitted", "autograded", "feedback", "exports", "gradebook.db")
VARIANTS = (
    "reference",  # every answer as the source, complete work
    "untouched",  # the release handed in as it is, no work
    "partial",  # one wrong answer, one incomplete piece of work
    "tampered",  # untouched, with every test cell emptied and one deleted
    "runaway",  # an endless loop or a kernel crash in one answer cell (see RUNAWAY)
    "bad_work",  # answers, but the widget work file is missing or damaged (see BAD_WORK)
)
#: What the runaway learner's answer does in each assignment: loop forever ignoring
#: interrupts, loop forever (interruptible), or kill the kernel.
RUNAWAY = {
    "01_strategy": "stubborn_loop",
    "02_possibility": "crash",
    "03_context": "loop",
    "04_engage": "crash",
}
#: What is wrong with the bad_work learner's work file in each assignment.
BAD_WORK = {
    "01_strategy": "missing",
    "02_possibility": "damaged",
    "03_context": "missing",
    "04_engage": "damaged",
}
#: A wrong answer (option ids, as the widget saves them) to each knowledge check's first question.
WRONG_FIRST_ANSWER = {
    "01_strategy": ["justice"],
    "02_possibility": ["swot_analysis"],
    "03_context": ["documented_cases"],
    "04_engage": ["fill_gap"],
}
RUNAWAY_CODE = {
    "stubborn_loop": "import signal\nimport time\n\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
    "while True:\n    time.sleep(0.05)",
    "loop": "while True:\n    pass",
    "crash": "import os\n\nos.kill(os.getpid(), 9)",
}
#: The question whose test follows the runaway cell the learner added (that test fails,
#: because the kernel is gone or interrupted; the rest is scored).
RUNAWAY_CELL = {"stubborn_loop": "q1", "loop": "q1", "crash": "q2"}
KNOWLEDGE_CHECK = "01_knowledge_check.ipynb"


def grade_id(cell) -> str | None:
    """The nbgrader grade id of a cell, or None."""
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def copy_course(target: Path) -> Path:
    """Copy the repository's course root without generated folders or instructor work."""
    ignore = shutil.ignore_patterns(*GENERATED, ".endtrafficking", ".ipynb_checkpoints")
    shutil.copytree(REPO_COURSE, target, ignore=ignore)
    with open(target / "nbgrader_config.py", "a", encoding="utf-8") as handle:
        handle.write(f"\nc.Execute.timeout = {TIMEOUT}  # tests\n")
    return target


def _edit(folder: Path, notebook: str, change) -> None:
    path = folder / notebook
    nb = nbformat.read(path, as_version=4)
    change(nb)
    nbformat.write(nb, path)


def _set(grade: str, source: str):
    def change(nb) -> None:
        for cell in nb.cells:
            if grade_id(cell) == grade:
                cell.source = source

    return change


def _insert_before(grade: str, source: str):
    """A change that adds a code cell of the learner's own just before the cell ``grade``."""

    def change(nb) -> None:
        at = next(i for i, c in enumerate(nb.cells) if grade_id(c) == grade)
        nb.cells.insert(at, nbformat.v4.new_code_cell(source))

    return change


def _answer(folder: Path, question: str, selected: list[str]) -> None:
    """Change one saved checkpoint answer, as the learner choosing another option would."""
    path = folder / ANSWERS_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    data["state"]["answers"][question]["selected"] = selected
    path.write_text(json.dumps(data), encoding="utf-8")


def _damage_work(folder: Path, assignment: str) -> None:
    """Make one criterion of the assignment's widget work fail, the rest still pass."""
    if assignment == "01_strategy":
        path = folder / EXERCISES["model_mapping"].file
        data = json.loads(path.read_text())
        data["state"]["checked"] = False
    elif assignment == "02_possibility":
        path = folder / EXERCISES["inventory"].file
        data = json.loads(path.read_text())
        data["state"]["entries"][0]["sector"] = ""
    elif assignment == "03_context":
        path = folder / EXERCISES["assessment"].file
        data = json.loads(path.read_text())
        for ind_id in ("RST1", "RST2"):
            data["responses"][ind_id]["rating"] = None
    else:
        path = folder / EXERCISES["action_plan"].file
        data = json.loads(path.read_text())
        data["state"]["items"][0]["owner"] = ""
    path.write_text(json.dumps(data), encoding="utf-8")


def _tamper(folder: Path) -> None:
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if (
                cell.get("metadata", {}).get("nbgrader", {}).get("grade")
                and cell.cell_type == "code"
            ):
                cell.source = "pass"
        if path.name == KNOWLEDGE_CHECK:
            nb.cells = [c for c in nb.cells if grade_id(c) != "q1_test"]
        nbformat.write(nb, path)


def write_variant(root: Path, assignment: str, variant: str) -> Path:
    """Hand in ``assignment`` as the learner called ``variant`` would."""
    answered = variant not in ("untouched", "tampered")
    missing = variant == "bad_work" and BAD_WORK[assignment] == "missing"
    work = answered and not missing
    folder = reference.write_submission(root, assignment, variant, answered=answered, work=work)
    if variant == "partial":
        _answer(folder, "q1", WRONG_FIRST_ANSWER[assignment])
        _damage_work(folder, assignment)
    elif variant == "tampered":
        _tamper(folder)
    elif variant == "runaway":
        kind = RUNAWAY[assignment]
        _edit(
            folder,
            KNOWLEDGE_CHECK,
            _insert_before(f"{RUNAWAY_CELL[kind]}_test", RUNAWAY_CODE[kind]),
        )
    elif variant == "bad_work" and not missing:
        key = reference.ASSIGNMENT_EXERCISES[assignment][-1]
        (folder / EXERCISES[key].file).write_text(
            "{ this is not a saved exercise", encoding="utf-8"
        )
    return folder


@dataclass
class GradedCourse:
    """The graded cohort: its course root, the copy taken before grading, the run's report."""

    root: Path
    before_grading: Path
    report: pipeline.PipelineReport
    output: str
