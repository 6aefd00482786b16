"""Where the course's data files live.

Everything the package reads at run time (the framework, the fictional
example, course metadata, the bibliography, the question banks, the model
and role data, and their schemas) is package data in ``endtrafficking/data``,
read through :mod:`importlib.resources`, so a built wheel works outside the
repository. The repository's documented paths (``assessments_templates/
framework.yaml``, ``course/course.yaml``, ``engage_lessons/roles.yaml``...)
are links to these files: one copy, two ways to find it.

A host may use another framework (for example a regional one) without code
changes: point ``ENDTRAFFICKING_TEMPLATES`` at a folder holding their
``framework.yaml``.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

TEMPLATES_ENV = "ENDTRAFFICKING_TEMPLATES"
COURSE_ENV = "ENDTRAFFICKING_COURSE"
DATA_FOLDER = "data"


def data_dir() -> Path:
    """The package's own data folder (inside the installed package)."""
    return Path(str(files("endtrafficking").joinpath(DATA_FOLDER)))


def data_file(*parts: str) -> Path:
    """A file in the package's data folder."""
    return data_dir().joinpath(*parts)


def templates_dir() -> Path:
    """The folder holding the framework: the host's override, else the package data."""
    override = os.environ.get(TEMPLATES_ENV)
    return Path(override) if override else data_dir()


def is_course_folder(folder: Path) -> bool:
    """Whether ``folder`` holds the course's notebooks (a checkout, or a learner's copy)."""
    return (folder / "modules").is_dir() and (folder / "engage_lessons").is_dir()


def checkout_root(start: str | Path | None = None) -> Path | None:
    """The course checkout (the folder holding ``modules/`` and ``engage_lessons/``), if any.

    Looked for at and above ``start`` (default: the current folder), then
    beside the package (an editable install). ``None`` when the package runs
    from a wheel outside any checkout.
    """
    here = Path(start or Path.cwd()).resolve()
    candidates = [here, *here.parents, *Path(__file__).resolve().parents[1:4]]
    for folder in candidates:
        if is_course_folder(folder):
            return folder
    return None


def repo_root() -> Path:
    """The course checkout; the current folder when there is none."""
    return checkout_root() or Path.cwd()


def course_dir() -> Path:
    """The nbgrader course root: ``ENDTRAFFICKING_COURSE``, else the checkout's ``course/``."""
    override = os.environ.get(COURSE_ENV)
    if override:
        return Path(override)
    return repo_root() / "course"


#: The fictional example community's files (package data; see :mod:`endtrafficking.examples`).
EXAMPLE_ASSESSMENT_FILE = "example_community.csv"
EXAMPLE_INVENTORY_FILE = "example_inventory.csv"


def example_path(name: str = EXAMPLE_ASSESSMENT_FILE) -> Path:
    """Where an example file lives."""
    return data_file(name)
