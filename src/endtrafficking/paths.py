"""Where the course's data files live.

The package is installed in editable mode from the repository, so the data
folders sit beside ``src/``. A host may point elsewhere with the environment
variable ``ENDTRAFFICKING_TEMPLATES`` (for example a regional framework).
"""

from __future__ import annotations

import os
from pathlib import Path

TEMPLATES_ENV = "ENDTRAFFICKING_TEMPLATES"


def repo_root() -> Path:
    """The repository root (the folder that holds ``src/``)."""
    return Path(__file__).resolve().parents[2]


def templates_dir() -> Path:
    """The folder holding the framework, schema and templates."""
    override = os.environ.get(TEMPLATES_ENV)
    return Path(override) if override else repo_root() / "assessments_templates"


def course_dir() -> Path:
    """The nbgrader course root and course metadata."""
    return repo_root() / "course"
