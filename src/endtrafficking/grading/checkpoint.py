"""Helpers called inside the graded notebooks (``course/source/<assignment>/``).

A graded notebook asks for no code: locked cells show the same widgets the
modules use, pointed at the assignment folder, and each test cell is one call::

    from endtrafficking.grading import checkpoint
    checkpoint.open_exercise("assessment")          # saves assessment.json here
    checkpoint.question("q1", {"survey": "A survey", "swot": "A SWOT analysis"})
    checkpoint.reflection()                         # saves reflections.json here
    ...
    checkpoint.check_work("assessment", "all_rated")  # a test cell worth 2 points
    checkpoint.check_answer("q1")                     # an answer is chosen ...
    checkpoint.expect_answer("q1", "survey")          # ... and right (hidden test)

While nbgrader grades, every check raises a plain ``AssertionError`` whose
message is one or two sentences a learner can act on; nbgrader scores a test
cell that raises as 0. A missing or damaged work file gives such a message too,
never a crash. While a learner works, a check shows the same sentences as a
note instead (a learner never sees a traceback). The grader also scores every
test cell in its own process from the saved files (:mod:`.verify`).

The working folder is the notebook's folder (the assignment folder), so the
widget's file is submitted with the notebooks. In an instructor's ``source``
folder the work goes to a hidden ``.endtrafficking/`` subfolder instead, and
while nbgrader validates the source it reads the fictional reference work in
``reference_work/``; nbgrader is configured to ignore both: they are never
released to learners and never copied over a learner's work when grading.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from endtrafficking.grading.typed_answers import (  # noqa: F401 - notebooks call checkpoint.<name>
    expect_one_of,
    expect_some_of,
    expect_true_or_false,
    expect_value,
    expect_whole_number,
)
from endtrafficking.workspace import ASSESSMENT_FILE, WORK_ENV

#: nbgrader sets this while it validates or autogrades a notebook.
EXECUTION_ENV = "NBGRADER_EXECUTION"
#: Where work goes when a graded notebook runs in an instructor's source folder.
PREVIEW_FOLDER = ".endtrafficking"
#: The fictional reference work beside each source, read while the source is validated.
REFERENCE_FOLDER = "reference_work"
#: The key of an assignment's reflection in its reflections file.
REFLECTION_KEY = "reflection"
#: The framework file (as :data:`endtrafficking.framework.FRAMEWORK_FILE`, which
#: cannot be imported here without its slow schema validator).
FRAMEWORK_FILE = "framework.yaml"
#: The widget function each graded exercise opens: (module, function).
WIDGETS: dict[str, tuple[str, str]] = {
    "model_mapping": ("endtrafficking.widgets.model_mapping", "model_mapping"),
    "inventory": ("endtrafficking.widgets.inventory", "inventory_builder"),
    "assessment": ("endtrafficking.widgets.assessment", "assessment_exercise"),
    "action_plan": ("endtrafficking.widgets.action_plan", "action_plan_exercise"),
}
#: Exercises that start from the learner's assessment (checkpoint 3 reviews the module's,
#: checkpoint 4 plans from it), copied into the assignment folder.
NEEDS_ASSESSMENT = ("assessment", "action_plan")
#: The assignment whose folder holds the learner's assessment.
ASSESSMENT_ASSIGNMENT = "03_context"


def grading_now() -> bool:
    """True while nbgrader validates or autogrades this notebook."""
    return bool(os.environ.get(EXECUTION_ENV))


def is_source_folder(folder: Path) -> bool:
    """True for ``<course>/source/<assignment>`` of an nbgrader course."""
    return folder.parent.name == "source" and (folder.parent.parent / "nbgrader_config.py").exists()


def assignment_folder(start: str | Path | None = None) -> Path:
    """Where this assignment's work is saved and read (see the module docstring)."""
    folder = Path(start or Path.cwd()).resolve()
    if is_source_folder(folder):
        return folder / (REFERENCE_FOLDER if grading_now() else PREVIEW_FOLDER)
    return folder


def assignment_name(start: str | Path | None = None) -> str:
    """The assignment's id: the name of its folder."""
    folder = assignment_folder(start)
    return folder.parent.name if folder.name in (PREVIEW_FOLDER, REFERENCE_FOLDER) else folder.name


def use_assignment_folder(start: str | Path | None = None) -> Path:
    """Point the course's widgets at the assignment folder (sets ``ENDTRAFFICKING_WORK``)."""
    folder = assignment_folder(start)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[WORK_ENV] = str(folder)
    return folder


def bring_assessment(folder: Path) -> str | None:
    """Copy the learner's assessment into ``folder`` if it is not there yet.

    It comes from the sibling assignment ``03_context`` (as fetched on a hub), or
    else from the learner's module work: ``my_work/`` of the course folder that
    holds the assignment, or of a course folder beside it (a hub's home holds the
    course copy and the fetched checkpoints side by side). Returns a sentence saying
    what happened, or None when nothing was needed or found.
    """
    target = folder / ASSESSMENT_FILE
    if target.exists():
        return None
    here = folder.parent if folder.name in (PREVIEW_FOLDER, REFERENCE_FOLDER) else folder
    for candidate in _assessment_candidates(here):
        if candidate.is_file() and candidate.resolve() != target.resolve():
            shutil.copy2(candidate, target)
            return (
                "Your assessment from the course was copied into this checkpoint, so that you "
                "only review it, change what you like, and hand it in."
            )
    return None


def _assessment_candidates(here: Path) -> list[Path]:
    from endtrafficking.paths import is_course_folder
    from endtrafficking.workspace import WORK_FOLDER, course_root

    candidates = [here.parent / ASSESSMENT_ASSIGNMENT / ASSESSMENT_FILE]
    roots = [course_root(here)]
    try:
        roots += sorted(d for d in here.parent.iterdir() if d.is_dir() and is_course_folder(d))
    except OSError:
        pass
    candidates += [root / WORK_FOLDER / ASSESSMENT_FILE for root in roots if root is not None]
    return candidates


class _Note:
    """A short message shown instead of a widget (plain text and HTML)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        import html

        return f"<p>{html.escape(self.text)}</p>"


def open_exercise(name: str) -> Any:
    """Show the exercise ``name`` with its work saved in this assignment folder.

    While nbgrader grades, no widget is built (nobody sees it, and building it
    could change the files being graded); a short note is returned instead.
    """
    if name not in WIDGETS:
        raise ValueError(f"{name!r} is not a graded exercise; use one of {', '.join(WIDGETS)}")
    folder = use_assignment_folder()
    if grading_now():
        return _Note(f"The {name.replace('_', ' ')} exercise is not shown while grading.")
    notes = []
    if name in NEEDS_ASSESSMENT:
        copied = bring_assessment(folder)
        if copied:
            notes.append(copied)
    import importlib

    module_name, function = WIDGETS[name]
    widget = getattr(importlib.import_module(module_name), function)()
    if not notes:
        return widget
    import ipywidgets as widgets

    return widgets.VBox([widgets.HTML(str(_Note(" ".join(notes))._repr_html_())), widget])


def question(
    question_id: str, options: dict[str, str], *, kind: str = "single", prompt: str = ""
) -> Any:
    """The knowledge-check widget for a graded question: it saves the chosen option ids
    to ``checkpoint_answers.json`` in the assignment folder, without giving feedback.

    ``options`` maps each option's id (what is saved and graded) to its text.
    """
    from endtrafficking.widgets.knowledge_check import Check, KnowledgeCheck, Option

    use_assignment_folder()
    if grading_now():
        return _Note("The question is not shown while grading; the saved answer is checked.")
    check = Check(
        id=question_id,
        lesson=assignment_name(),
        question=prompt,
        kind=kind,
        options=tuple(Option(str(k), str(v), False, "") for k, v in options.items()),
    )
    return KnowledgeCheck(check, graded=True, seed=f"{assignment_name()}.{question_id}")


def reflection(prompt: str = "") -> Any:
    """The reflection widget, saving to ``reflections.json`` in the assignment folder.

    While nbgrader grades, the saved text is shown instead, so that the instructor
    reads it in formgrader beside the manually graded task.
    """
    folder = use_assignment_folder()
    if not grading_now():
        from endtrafficking.widgets.reflection import reflection as reflection_widget

        return reflection_widget(REFLECTION_KEY, prompt)
    return _SavedText(saved_reflection(folder))


def saved_reflection(folder: Path) -> str:
    """The reflection saved in ``folder`` ("" when there is none or it cannot be read)."""
    from endtrafficking.grading.verify import UnsafeFile, read_submitted
    from endtrafficking.workspace import REFLECTIONS_FILE

    try:
        data = json.loads(read_submitted(folder, REFLECTIONS_FILE).decode("utf-8"))
    except (OSError, UnsafeFile, ValueError):
        return ""
    state = data.get("state") if isinstance(data, dict) else None
    answers = state.get("answers") if isinstance(state, dict) else None
    text = answers.get(REFLECTION_KEY) if isinstance(answers, dict) else None
    return text if isinstance(text, str) else ""


class _SavedText(_Note):
    """The learner's saved reflection, for the instructor (plain text and HTML)."""

    def __init__(self, text: str) -> None:
        words = len(text.split())
        head = f"The learner's reflection ({words} words):" if text else "No reflection was saved."
        super().__init__(f"{head}\n\n{text}" if text else head)

    def _repr_html_(self) -> str:
        import html

        head, _, body = self.text.partition("\n\n")
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n") if p.strip())
        return f"<p><strong>{html.escape(head)}</strong></p>{paragraphs}"


# --------------------------------------------------------------------------- saved work
def check_work(
    exercise: str, key: str, answer: Any = None, *, folder: str | Path | None = None
) -> None:
    """Check the learner's saved work for one criterion (see :mod:`.checks`).

    Raises:
        AssertionError: with plain sentences saying what is missing or inconsistent,
            or that the work file is missing or damaged.
    """
    from endtrafficking.errors import CourseInputError
    from endtrafficking.grading.checks import NO_ANSWER, criterion, run_check

    crit = criterion(exercise, key)
    where = Path(folder) if folder is not None else assignment_folder()
    try:
        problems = run_check(exercise, key, where, answer if crit.takes_answer else NO_ANSWER)
    except CourseInputError as exc:
        problems = [f"{exc.problem} How to fix it: {exc.fix}"]
    report(problems)


def report(problems: list[str]) -> None:
    """Fail the test cell with these problems while grading; else show them as a note.

    Raises:
        AssertionError: while nbgrader grades (or validates), when there are problems.
    """
    if not problems:
        return
    text = " ".join(problems)
    if grading_now():
        raise AssertionError(text)
    from IPython.display import HTML, display

    from endtrafficking.widgets.messages import notice_html

    display(HTML(notice_html("info", f"Still to do before you hand in: {text}")))


# --------------------------------------------------------------------------- answers
def _saved_answer(question_id: str, folder: Path | None) -> tuple[Any, list[str]]:
    from endtrafficking.grading.verify import UnsafeFile, answer_value, saved_answers

    try:
        answers = saved_answers(folder or assignment_folder())
    except UnsafeFile as exc:
        return None, [f"Your answers could not be read ({exc})."]
    given = answer_value(answers, question_id)
    if given is None:
        return None, [f"No answer is chosen yet for {question_id}: choose one above it."]
    return given, []


def check_answer(question_id: str, *, folder: str | Path | None = None) -> None:
    """Check that an answer to ``question_id`` is chosen and saved (its form only).

    Only while grading: a learner sees the question's own saved state right above it,
    and a note drawn when the page opened would be wrong as soon as they answer.
    """
    if grading_now():
        report(_saved_answer(question_id, Path(folder) if folder else None)[1])


def expect_answer(
    question_id: str, expected: Any, why: str = "", *, folder: str | Path | None = None
) -> None:
    """Check the saved answer to ``question_id`` is ``expected`` (used in hidden tests).

    Text is compared without regard to case or spacing, and lists as sets.
    """
    from endtrafficking.grading.verify import answer_matches

    given, problems = _saved_answer(question_id, Path(folder) if folder else None)
    if not problems and not answer_matches(given, expected):
        problems = [f"Not quite: that is not the expected answer. {why}".strip()]
    report(problems)


def check_reading(
    exercise: str, key: str, question_id: str, *, folder: str | Path | None = None
) -> None:
    """Check the answer to ``question_id`` against what the learner's own saved work shows."""
    where = Path(folder) if folder else None
    given, problems = _saved_answer(question_id, where)
    if problems:
        report(problems)
        return
    check_work(exercise, key, given, folder=where)


# --------------------------------------------------------------------------- answer form
def focus_area_ids() -> list[str]:
    """The ids of the framework's focus areas, in order (the valid answers for an area).

    Read straight from the framework file, without the full schema check of
    :func:`endtrafficking.framework.load_framework`: the ids are only used to
    check the form of an answer, and a knowledge check should not spend seconds
    importing a schema validator in every learner's kernel.
    """
    return [str(area["id"]) for area in _framework_data()["areas"]]


def _framework_data() -> dict[str, Any]:
    import yaml

    from endtrafficking.paths import templates_dir

    return yaml.safe_load((templates_dir() / FRAMEWORK_FILE).read_text(encoding="utf-8"))


def focus_area_options() -> dict[str, str]:
    """The framework's focus areas as question options: id -> name."""
    return {str(a["id"]): str(a["name"]) for a in _framework_data()["areas"]}


def indicator_options() -> dict[str, str]:
    """Every indicator as a question option: id -> "id: question"."""
    return {
        str(i["id"]): f"{i['id']}: {i['question']}"
        for area in _framework_data()["areas"]
        for i in area["indicators"]
    }


def model_options() -> dict[str, str]:
    """The organizational models of module 01 as question options: id -> name."""
    from endtrafficking.org_models import load_models

    return {m.id: m.name for m in load_models().models}
