"""The learner's working folder, where every exercise saves its answers.

By default it is ``my_work/`` in the course root: the folder that holds
``modules/`` (found by walking up from the current folder). On a hub the
course root is the learner's own copy. ``ENDTRAFFICKING_WORK`` overrides it
(tests point it at a temporary folder; nbgrader assignments point it at the
assignment folder).
"""

from __future__ import annotations

import os
from pathlib import Path

from endtrafficking.paths import is_course_folder

WORK_ENV = "ENDTRAFFICKING_WORK"
WORK_FOLDER = "my_work"

#: The file each exercise saves to, inside the working folder.
ASSESSMENT_FILE = "assessment.json"
INVENTORY_FILE = "inventory.json"
ACTION_PLAN_FILE = "action_plan.json"
MODEL_MAPPING_FILE = "model_mapping.json"
KNOWLEDGE_CHECKS_FILE = "knowledge_checks.json"
REFLECTIONS_FILE = "reflections.json"


def role_plan_file(role_id: str) -> str:
    """The file a role lesson's plan saves to, e.g. ``role_plan_educators.json``."""
    return f"role_plan_{role_id}.json"


def course_root(start: str | Path | None = None) -> Path | None:
    """The nearest folder at or above ``start`` (default: cwd) that holds ``modules/``."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_course_folder(folder):
            return folder
    return None


def work_dir(create: bool = True) -> Path:
    """The learner's working folder (created if missing)."""
    override = os.environ.get(WORK_ENV)
    if override:
        folder = Path(override)
    else:
        root = course_root()
        folder = (root / WORK_FOLDER) if root else Path.cwd() / WORK_FOLDER
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def work_file(name: str) -> Path:
    """A file in the learner's working folder."""
    return work_dir() / name
