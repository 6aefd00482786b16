"""Helpers called inside the graded notebooks (``course/source/<assignment>/``).

A graded notebook stays short: one line opens the same widget the module uses,
pointed at the assignment folder, and each test cell is one call::

    from endtrafficking.grading import checkpoint
    checkpoint.open_exercise("assessment")          # saves assessment.json here
    ...
    checkpoint.check_work("assessment", "all_rated")  # a test cell worth 2 points

Every check raises a plain ``AssertionError`` whose message is one or two
sentences a learner can act on; nbgrader scores a test cell that raises as 0.
A missing or damaged work file gives such a message too, never a crash.

The working folder is the notebook's folder (the assignment folder), so the
widget's file is submitted with the notebooks. In an instructor's ``source``
folder the work goes to a hidden ``.endtrafficking/`` subfolder instead, which
nbgrader is configured to ignore: it is never released to learners and never
copied over a learner's work when grading.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from endtrafficking.workspace import ASSESSMENT_FILE, WORK_ENV

#: nbgrader sets this while it validates or autogrades a notebook.
EXECUTION_ENV = "NBGRADER_EXECUTION"
#: Where work goes when a graded notebook runs in an instructor's source folder.
PREVIEW_FOLDER = ".endtrafficking"
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
#: Exercises that also need the learner's assessment in the same folder.
NEEDS_ASSESSMENT = ("action_plan",)
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
        return folder / PREVIEW_FOLDER
    return folder


def use_assignment_folder(start: str | Path | None = None) -> Path:
    """Point the course's widgets at the assignment folder (sets ``ENDTRAFFICKING_WORK``)."""
    folder = assignment_folder(start)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[WORK_ENV] = str(folder)
    return folder


def bring_assessment(folder: Path) -> str | None:
    """Copy the learner's assessment into ``folder`` if it is not there yet.

    It comes from the sibling assignment ``03_context`` (as fetched on a hub), or
    else from the learner's default working folder. Returns a sentence saying what
    happened, or None when nothing was needed or found.
    """
    target = folder / ASSESSMENT_FILE
    if target.exists():
        return None
    from endtrafficking.workspace import course_root

    here = folder.parent if folder.name == PREVIEW_FOLDER else folder
    candidates = [here.parent / ASSESSMENT_ASSIGNMENT / ASSESSMENT_FILE]
    root = course_root(here)
    if root is not None:
        candidates.append(root / "my_work" / ASSESSMENT_FILE)
    for candidate in candidates:
        if candidate.is_file():
            shutil.copy2(candidate, target)
            return (
                f"Your assessment was copied from {candidate} into this assignment folder, so the "
                "plan and the assessment are submitted together."
            )
    return None


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
        raise AssertionError(f"{exc.problem} How to fix it: {exc.fix}") from None
    if problems:
        raise AssertionError(" ".join(problems))


# --------------------------------------------------------------------------- answer form
def focus_area_ids() -> list[str]:
    """The ids of the framework's focus areas, in order (the valid answers for an area).

    Read straight from the framework file, without the full schema check of
    :func:`endtrafficking.framework.load_framework`: the ids are only used to
    check the form of an answer, and a knowledge check should not spend seconds
    importing a schema validator in every learner's kernel.
    """
    import yaml

    from endtrafficking.paths import templates_dir

    data = yaml.safe_load((templates_dir() / FRAMEWORK_FILE).read_text(encoding="utf-8"))
    return [str(area["id"]) for area in data["areas"]]


def _shown(options: Iterable[Any]) -> str:
    return ", ".join(repr(o) for o in options)


def expect_one_of(value: Any, options: Iterable[Any], name: str = "answer") -> None:
    """Check an answer is one of ``options`` (its form, not whether it is right)."""
    options = list(options)
    if _canonical(value) not in [_canonical(o) for o in options]:
        raise AssertionError(f"{name} should be one of {_shown(options)}; it is {value!r}.")


def expect_some_of(values: Any, options: Iterable[Any], name: str = "answer") -> None:
    """Check an answer is a non-empty list (or set) whose items all come from ``options``."""
    options = list(options)
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise AssertionError(f"{name} should be a list such as [{_shown(options[:2])}].")
    values = list(values)
    if not values:
        raise AssertionError(f"{name} is empty; choose at least one of {_shown(options)}.")
    allowed = [_canonical(o) for o in options]
    unknown = [v for v in values if _canonical(v) not in allowed]
    if unknown:
        raise AssertionError(
            f"{name} holds {_shown(unknown)}, which is not an option; use {_shown(options)}."
        )


def _canonical(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.replace("-", " ").replace("_", " ").casefold().split())
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_canonical(v) for v in value]
        try:
            return frozenset(items)
        except TypeError:  # unhashable items: compare in order
            return tuple(items)
    return value


def expect_answer(value: Any, expected: Any, why: str = "") -> None:
    """Check an answer against the expected one (used in hidden tests).

    Text is compared without regard to case or surrounding spaces, and lists
    without regard to order.
    """
    if _canonical(value) != _canonical(expected):
        raise AssertionError(f"Not quite: {value!r} is not the expected answer. {why}".strip())


def expect_true_or_false(value: Any, name: str = "answer") -> None:
    """Check an answer is ``True`` or ``False``."""
    if value is not True and value is not False:
        raise AssertionError(f"{name} should be True or False (no quotes); it is {value!r}.")


def expect_whole_number(value: Any, name: str = "answer") -> None:
    """Check an answer is a whole number."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise AssertionError(f"{name} should be a whole number such as 3; it is {value!r}.")
