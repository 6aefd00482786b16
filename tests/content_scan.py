"""Reading the course text in the units that the content tests check.

The lesson notebooks (markdown and code cells), and the Markdown and YAML files
under ``modules/``, ``engage_lessons/``, ``course/`` and the package data, are
split into units: a notebook cell, a Markdown paragraph, a YAML block (one
top-level list item or mapping entry, so a label nearby counts). nbgrader's
generated folders are left out, and so are symlinks (their target is scanned
once, where it lives).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
#: Course text; package data (the banks, course.yaml, roles.yaml...) is linked from these
#: folders and scanned once, where it lives.
TEXT_FOLDERS = ("modules", "engage_lessons", "course", "src/endtrafficking/data")
SUFFIXES = (".ipynb", ".md", ".yaml", ".yml")
GENERATED = {"release", "submitted", "autograded", "feedback", "exports", ".ipynb_checkpoints"}
#: The bibliography itself (``course/bibliography.yaml`` links to it).
BIBLIOGRAPHY = REPO_ROOT / "src" / "endtrafficking" / "data" / "bibliography.yaml"
#: The graded checkpoints, which another part of the course owns.
CHECKPOINTS = REPO_ROOT / "course" / "source"
#: Text written for instructors, not learners.
INSTRUCTOR_FILES = {"INSTRUCTORS.md", "README.md"}
INSTRUCTOR_NOTE = re.compile(r"^\s*>\s*\*\*Instructor note", re.IGNORECASE)


@dataclass(frozen=True)
class Unit:
    """A piece of course text: a notebook cell, a Markdown paragraph or a YAML block."""

    file: Path
    where: str
    text: str
    kind: str = "text"

    def __str__(self) -> str:
        return f"{self.rel} ({self.where})"

    @property
    def rel(self) -> str:
        """The file, relative to the repository root."""
        return str(self.file.relative_to(REPO_ROOT))

    @property
    def in_checkpoint(self) -> bool:
        """Whether the unit is in a graded checkpoint (``course/source/``)."""
        return CHECKPOINTS in self.file.parents

    @property
    def for_learners(self) -> bool:
        """Whether learners read this unit (not an instructor note or an instructor guide)."""
        if self.file.parent.name == "course" and self.file.name in INSTRUCTOR_FILES:
            return False
        return not INSTRUCTOR_NOTE.match(self.text)


def course_files() -> list[Path]:
    """Every text file of the course in scope."""
    files = []
    for folder in TEXT_FOLDERS:
        for path in sorted((REPO_ROOT / folder).rglob("*")):
            rel = path.relative_to(REPO_ROOT / folder).parts
            if path.is_symlink() or not path.is_file() or path.suffix not in SUFFIXES:
                continue
            if not GENERATED & set(rel):
                files.append(path)
    return files


def text_units(path: Path) -> list[Unit]:
    """A file split into the units that the checks look at."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        return [
            Unit(path, f"cell {i}", "".join(cell.get("source", "")), cell["cell_type"])
            for i, cell in enumerate(cells)
            if cell.get("cell_type") in ("markdown", "code")
        ]
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return [
            Unit(path, f"paragraph {i + 1}", p) for i, p in enumerate(re.split(r"\n\s*\n", text))
        ]
    # YAML: one unit per top-level list item or mapping entry block, so a label nearby counts.
    blocks = re.split(r"\n(?=\s{0,4}- |\S)", text)
    return [Unit(path, f"block {i + 1}", b) for i, b in enumerate(blocks)]


def all_units(exclude_bibliography: bool = True) -> list[Unit]:
    """Every unit of every course file (the bibliography itself left out by default)."""
    return [
        unit
        for path in course_files()
        if not (exclude_bibliography and path == BIBLIOGRAPHY)
        for unit in text_units(path)
    ]


def notebook_text(path: Path, kind: str = "markdown") -> str:
    """All cells of one kind of a notebook, joined."""
    return "\n\n".join(u.text for u in text_units(path) if u.kind == kind)
