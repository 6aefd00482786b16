"""Read the work a learner's widgets saved in an assignment folder, strictly.

The widgets save each exercise's answers to a file in the working folder (an
assessment JSON, or an autosave file ``{"kind": ..., "state": ...}``). In a
graded assignment that folder is the assignment folder, so the files are
submitted with the notebooks. The graded cells read them here.

Unlike the widgets, nothing here falls back to a ``.bak`` copy: grading judges
what was submitted. A missing or unreadable file raises :class:`WorkFileError`
(a :class:`~endtrafficking.errors.CourseInputError`) whose message says, in
plain words, what is wrong and what the learner can do about it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from endtrafficking.errors import CourseInputError
from endtrafficking.workspace import (
    ACTION_PLAN_FILE,
    ASSESSMENT_FILE,
    INVENTORY_FILE,
    MODEL_MAPPING_FILE,
)

if TYPE_CHECKING:  # heavy imports stay inside the functions that need them
    from endtrafficking.action_plan import ActionPlan
    from endtrafficking.assessment import Assessment
    from endtrafficking.framework import Framework
    from endtrafficking.inventory import InventoryEntry


class WorkFileError(CourseInputError):
    """A learner's saved exercise file is missing or cannot be read."""


@dataclass(frozen=True)
class Exercise:
    """An exercise whose saved work is graded: its file, autosave kind and names."""

    key: str
    file: str
    kind: str | None  # autosave kind; None for the plain assessment JSON
    title: str
    notebook: str  # the graded notebook that opens it


#: The graded widget exercises, by key.
EXERCISES: dict[str, Exercise] = {
    "model_mapping": Exercise(
        "model_mapping", MODEL_MAPPING_FILE, "model_mapping", "model mapping", "02_model_mapping"
    ),
    "inventory": Exercise(
        "inventory", INVENTORY_FILE, "inventory", "resource inventory", "02_inventory"
    ),
    "assessment": Exercise(
        "assessment", ASSESSMENT_FILE, None, "community assessment", "02_assessment"
    ),
    "action_plan": Exercise(
        "action_plan", ACTION_PLAN_FILE, "action_plan", "action plan", "02_action_plan"
    ),
}


def exercise(key: str) -> Exercise:
    """The exercise called ``key`` (ValueError naming the known ones otherwise)."""
    try:
        return EXERCISES[key]
    except KeyError:
        raise ValueError(
            f"{key!r} is not a graded exercise; use one of {', '.join(EXERCISES)}"
        ) from None


def _missing(ex: Exercise, folder: Path) -> WorkFileError:
    return WorkFileError(
        f"Your {ex.title} was not found in this assignment folder (no file {ex.file}).",
        fix=(
            f"open the exercise in the notebook {ex.notebook}.ipynb of this assignment, fill it "
            "in (it saves itself as you go), and submit the assignment again."
        ),
        file=ex.file,
    )


def _unreadable(ex: Exercise, problem: str) -> WorkFileError:
    return WorkFileError(
        f"Your {ex.title} ({ex.file}) could not be read: {problem.rstrip('.')}.",
        fix=(
            f"open the exercise in the notebook {ex.notebook}.ipynb again: it restores your "
            f"previous version from {ex.file}.bak if there is one. Check your answers, then "
            "submit the assignment again."
        ),
        file=ex.file,
    )


def read_state(folder: str | Path, key: str) -> dict[str, Any]:
    """The ``state`` saved by an autosaving exercise in ``folder``.

    Raises:
        WorkFileError: the file is missing, is not JSON, or holds another exercise.
    """
    ex = exercise(key)
    path = Path(folder) / ex.file
    if not path.is_file():
        raise _missing(ex, Path(folder))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _unreadable(
            ex, f"it is not a saved exercise file ({exc.__class__.__name__})"
        ) from None
    except OSError as exc:
        raise _unreadable(ex, exc.strerror or str(exc)) from None
    if not isinstance(data, dict) or data.get("kind") != ex.kind:
        raise _unreadable(ex, f"it does not hold {ex.title} answers")
    state = data.get("state")
    if not isinstance(state, dict):
        raise _unreadable(ex, "its answers are missing")
    saved = data.get("saved")
    if isinstance(saved, str):
        state = {**state, "_saved": saved}
    return state


def load_assessment_work(folder: str | Path, framework: Framework | None = None) -> Assessment:
    """The community assessment saved in ``folder`` (``assessment.json``).

    Raises:
        WorkFileError: the file is missing or cannot be read.
    """
    from endtrafficking.storage import load_assessment

    ex = EXERCISES["assessment"]
    path = Path(folder) / ex.file
    if not path.is_file():
        raise _missing(ex, Path(folder))
    try:
        return load_assessment(path, framework)
    except CourseInputError as exc:
        raise _unreadable(ex, exc.problem) from None
    except (KeyError, TypeError, ValueError, OSError) as exc:
        raise _unreadable(ex, f"it is not a saved assessment ({exc.__class__.__name__})") from None


def load_action_plan_work(folder: str | Path, framework: Framework) -> ActionPlan:
    """The action plan saved in ``folder`` (``action_plan.json``).

    Raises:
        WorkFileError: the file is missing or cannot be read.
    """
    from endtrafficking.action_plan import ActionPlan

    state = read_state(folder, "action_plan")
    try:
        return ActionPlan.from_state(state, framework)
    except CourseInputError as exc:
        raise _unreadable(EXERCISES["action_plan"], exc.problem) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _unreadable(
            EXERCISES["action_plan"], f"it is not a saved action plan ({exc.__class__.__name__})"
        ) from None


def load_inventory_work(folder: str | Path, framework: Framework) -> list[InventoryEntry]:
    """The resource inventory saved in ``folder`` (``inventory.json``).

    Focus areas are kept as written when the framework does not know them, so
    a check can name them.

    Raises:
        WorkFileError: the file is missing or cannot be read.
    """
    from endtrafficking.inventory import entry_from_state

    state = read_state(folder, "inventory")
    items = state.get("entries")
    if not isinstance(items, list):
        raise _unreadable(EXERCISES["inventory"], "it holds no list of organizations")
    if not all(isinstance(item, dict) for item in items):
        raise _unreadable(EXERCISES["inventory"], "one of its entries is not an organization")
    return [entry_from_state(item, framework) for item in items]


def load_model_mapping_work(folder: str | Path) -> dict[str, Any]:
    """The model mapping saved in ``folder``: ``{"mapping": {...}, "checked": bool}``.

    Raises:
        WorkFileError: the file is missing or cannot be read.
    """
    state = read_state(folder, "model_mapping")
    if not isinstance(state.get("mapping"), dict):
        raise _unreadable(EXERCISES["model_mapping"], "it holds no mapping")
    return state
