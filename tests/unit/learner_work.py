"""Saved learner work for tests: nothing, some, or the whole course (fixtures `work`, `completed`).

The work is what the widgets save, written for a FICTIONAL community
(Elderbrook County, the course's own example): the exercises from the
grading reference work, and knowledge checks and reflections as the
widgets store them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from endtrafficking.course_meta import load_course
from endtrafficking.course_view.progress import page_tasks
from endtrafficking.grading.reference import write_reference_work
from endtrafficking.workspace import KNOWLEDGE_CHECKS_FILE, REFLECTIONS_FILE, work_dir

REFLECTION_TEXT = "The Restoration gap surprised our team; the shelter network could check it."


def _store(path: Path, kind: str, state: dict) -> None:
    path.write_text(json.dumps({"kind": kind, "state": state}), encoding="utf-8")


def answer_everything(folder: Path, lesson_ids: list[str] | None = None) -> None:
    """Save an answered knowledge check and a reflection for every task of these lessons."""
    lessons = [les for les in load_course().lessons if lesson_ids is None or les.id in lesson_ids]
    checks, reflections = {}, {}
    for les in lessons:
        for kind, key in page_tasks(les):
            if kind == "knowledge_check":
                checks[key] = {"selected": ["a"], "checked": True, "correct": True, "attempts": 1}
            elif kind == "reflection":
                reflections[key] = REFLECTION_TEXT
    _store(folder / KNOWLEDGE_CHECKS_FILE, "knowledge_checks", {"answers": checks})
    _store(folder / REFLECTIONS_FILE, "reflections", {"answers": reflections})


def complete_exercises(folder: Path) -> None:
    """Save complete work for the exercise of every step (model mapping to action plan)."""
    for assignment in ("01_strategy", "02_possibility", "04_engage"):
        write_reference_work(folder, assignment)


@pytest.fixture
def work() -> Path:
    """The learner's (empty, temporary) working folder."""
    return work_dir()


@pytest.fixture
def completed(work: Path) -> Path:
    """A working folder whose saved work completes every required module."""
    complete_exercises(work)
    answer_everything(work)
    return work
