"""What the learner has completed, worked out from their saved work (never from clicks).

Each page's tasks are read from its notebook: every exercise a code cell opens
(``knowledge_check("01_strategy.palermo")``, ``reflection("03_context")``,
``assessment_exercise()``...) is a task, so the notebook stays the one place
that says what a page asks of the learner. A task is done when the learner's
saved work meets the same rule that grading applies to it
(:mod:`endtrafficking.grading.checks`). A lesson is complete when all its tasks
are; the course is complete when every module that is not optional is.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from endtrafficking.course_meta import Lesson, load_course
from endtrafficking.paths import checkout_root
from endtrafficking.workspace import work_dir

#: Exercise factories a notebook may call, and the kind of task each one is.
TASK_FACTORIES = {
    "knowledge_check": "knowledge_check",
    "reflection": "reflection",
    "model_mapping": "model_mapping",
    "inventory_builder": "inventory",
    "assessment_exercise": "assessment",
    "action_plan_exercise": "action_plan",
    "role_plan": "role_plan",
}

#: How a task of each kind is named to the learner.
TASK_LABELS = {
    "knowledge_check": "Knowledge check",
    "reflection": "Reflection",
    "model_mapping": "Model mapping exercise",
    "inventory": "Resource inventory",
    "assessment": "Community assessment",
    "action_plan": "Action plan",
    "role_plan": "Plan of three actions",
}

#: The exercises whose saved work counts as done when every graded completeness check
#: passes (:func:`endtrafficking.readiness.work_problems`).
EXERCISE_KINDS: tuple[str, ...] = ("model_mapping", "inventory", "assessment", "action_plan")


@dataclass(frozen=True)
class Task:
    """One thing a page asks of the learner, and whether their saved work shows it done."""

    kind: str
    key: str  # the check or reflection id, or the role id; "" for a page's one exercise
    done: bool
    missing: str = ""  # what is still needed, in plain words (empty when done)

    @property
    def label(self) -> str:
        """The task's name for the learner."""
        return TASK_LABELS[self.kind]


@dataclass(frozen=True)
class LessonProgress:
    """A lesson's tasks and whether it is complete."""

    lesson: Lesson
    tasks: tuple[Task, ...]

    @property
    def done_count(self) -> int:
        """How many tasks are done."""
        return sum(t.done for t in self.tasks)

    @property
    def complete(self) -> bool:
        """Every task done (a lesson with no task is complete once visited: it asks nothing)."""
        return all(t.done for t in self.tasks)

    @property
    def started(self) -> bool:
        """Some task done."""
        return self.done_count > 0


@dataclass(frozen=True)
class CourseProgress:
    """Every lesson's progress, in course order."""

    modules: tuple[LessonProgress, ...]
    engage_lessons: tuple[LessonProgress, ...]

    @property
    def required(self) -> tuple[LessonProgress, ...]:
        """The modules a learner must complete to finish the course."""
        return tuple(p for p in self.modules if not p.lesson.optional and p.tasks)

    @property
    def complete(self) -> bool:
        """Every required module complete."""
        return all(p.complete for p in self.required)

    def of(self, lesson_id: str) -> LessonProgress:
        """One lesson's progress."""
        for item in (*self.modules, *self.engage_lessons):
            if item.lesson.id == lesson_id:
                return item
        raise KeyError(lesson_id)


# --------------------------------------------------------------------------- page tasks
def _notebook_file(lesson: Lesson) -> Path | None:
    root = checkout_root()
    path = (root / lesson.path) if root else None
    return path if path is not None and path.is_file() else None


@lru_cache(maxsize=64)
def _tasks_in(path: str, _mtime: float) -> tuple[tuple[str, str], ...]:
    found: list[tuple[str, str]] = []
    cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse("".join(cell.get("source", "")))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            kind = TASK_FACTORIES.get(node.func.id)
            if kind is None:
                continue
            first = node.args[0] if node.args else None
            key = (
                first.value
                if isinstance(first, ast.Constant) and isinstance(first.value, str)
                else ""
            )
            if (kind, key) not in found:
                found.append((kind, key))
    return tuple(found)


def page_tasks(lesson: Lesson) -> tuple[tuple[str, str], ...]:
    """The (kind, key) of every task the lesson's notebook opens, in page order."""
    path = _notebook_file(lesson)
    if path is None:
        return ()
    return _tasks_in(str(path), path.stat().st_mtime)


# --------------------------------------------------------------------------- task rules
def _saved_state(folder: Path, name: str) -> dict:
    try:
        data = json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    state = data.get("state") if isinstance(data, dict) else None
    return state if isinstance(state, dict) else {}


def _knowledge_check(folder: Path, key: str) -> Task:
    from endtrafficking.workspace import KNOWLEDGE_CHECKS_FILE

    answers = _saved_state(folder, KNOWLEDGE_CHECKS_FILE).get("answers", {})
    saved = answers.get(key) if isinstance(answers, dict) else None
    done = isinstance(saved, dict) and bool(saved.get("checked")) and bool(saved.get("selected"))
    return Task("knowledge_check", key, done, "" if done else "choose an answer and check it")


def _reflection(folder: Path, key: str) -> Task:
    from endtrafficking.workspace import REFLECTIONS_FILE

    answers = _saved_state(folder, REFLECTIONS_FILE).get("answers", {})
    text = str(answers.get(key, "")) if isinstance(answers, dict) else ""
    done = len(text.split()) >= 3
    return Task("reflection", key, done, "" if done else "write a few sentences")


def _role_plan(folder: Path, key: str) -> Task:
    from endtrafficking.workspace import role_plan_file

    actions = _saved_state(folder, role_plan_file(key)).get("actions", [])
    written = (
        [
            a
            for a in actions
            if isinstance(actions, list)
            if isinstance(a, dict)
            and str(a.get("action", "")).strip()
            and str(a.get("first_step", "")).strip()
        ]
        if isinstance(actions, list)
        else []
    )
    done = len(written) >= 3
    missing = (
        ""
        if done
        else f"write an action and a first step for each of the three actions ({len(written)} of 3 so far)"
    )
    return Task("role_plan", key, done, missing)


def _exercise(kind: str) -> Callable[[Path, str], Task]:
    def rule(folder: Path, key: str) -> Task:
        from endtrafficking.grading.work_files import EXERCISES

        if not (folder / EXERCISES[kind].file).exists():
            return Task(kind, key, False, "not started yet")  # no need to load the checks
        from endtrafficking.errors import CourseInputError
        from endtrafficking.readiness import work_problems

        try:
            problems = work_problems(kind, folder, first_only=True)
        except (CourseInputError, ValueError, OSError):
            return Task(kind, key, False, "not started yet")
        return Task(kind, key, not problems, problems[0] if problems else "")

    return rule


RULES: dict[str, Callable[[Path, str], Task]] = {
    "knowledge_check": _knowledge_check,
    "reflection": _reflection,
    "role_plan": _role_plan,
    **{kind: _exercise(kind) for kind in EXERCISE_KINDS},
}


def lesson_progress(lesson: Lesson, folder: Path | None = None) -> LessonProgress:
    """The lesson's tasks and their status in the learner's saved work (``folder``)."""
    folder = folder or work_dir()
    tasks = tuple(RULES[kind](folder, key) for kind, key in page_tasks(lesson))
    return LessonProgress(lesson, tasks)


def course_progress(folder: Path | None = None) -> CourseProgress:
    """Every lesson's progress in the learner's saved work."""
    folder = folder or work_dir()
    course = load_course()
    return CourseProgress(
        tuple(lesson_progress(les, folder) for les in course.modules),
        tuple(lesson_progress(les, folder) for les in course.engage_lessons),
    )
