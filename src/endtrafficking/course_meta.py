"""Course metadata: order, minutes, questions and objectives of every lesson.

``course/course.yaml`` is the one place that says which lessons exist, in what
order, and what each one is for. It holds two lists with the same entry shape,
``modules`` (the four steps and the welcome) and ``engage_lessons`` (short
role-based lessons)::

    modules:
      - id: 01_strategy                  # = the notebook's file stem
        title: "Strategy: what must be done"
        path: modules/01_strategy.ipynb  # relative to the repository root
        minutes: {teaching: 20, exercises: 15}
        questions: [What does a complete strategy cover?]
        objectives: [Name the six focus areas.]
        step: Strategy                   # optional: which of the four steps
        audience: Educators              # optional: for engage lessons

The file is checked against ``data/course.schema.json`` on load; a mistake is
reported as a :class:`~endtrafficking.errors.CourseInputError` naming the
file, the field, the problem and the fix.

This module also reads the course bibliography (``course/bibliography.yaml``),
and renders the header and the Sources list that every lesson shows.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from IPython.display import HTML, display

from endtrafficking.errors import CourseInputError
from endtrafficking.paths import data_file, repo_root
from endtrafficking.schema_check import schema_errors
from endtrafficking.yaml_text import parse_yaml

COURSE_FILE = "course.yaml"
BIBLIOGRAPHY_FILE = "bibliography.yaml"
SCHEMA_FILE = "course.schema.json"
LESSON_LISTS = ("modules", "engage_lessons")

#: A citation in course text: ``[S1]`` or ``[F3, F5]``. Bibliography keys have one or two
#: letters, so framework ids in brackets (``[PRE2]``, ``[CTX1]``) are not citations.
CITATION = re.compile(r"\[((?:[A-Z]{1,2}\d{1,3})(?:\s*,\s*[A-Z]{1,2}\d{1,3})*)\]")


@dataclass(frozen=True)
class Lesson:
    """One notebook of the course, as described in course.yaml."""

    id: str
    title: str
    path: str
    teaching_minutes: int
    exercise_minutes: int
    questions: tuple[str, ...]
    objectives: tuple[str, ...]
    kind: str  # "modules" or "engage_lessons"
    step: str = ""
    audience: str = ""
    #: An optional extra (for example the coalition module): not needed to finish the course.
    optional: bool = False

    @property
    def total_minutes(self) -> int:
        """Teaching plus exercise minutes."""
        return self.teaching_minutes + self.exercise_minutes

    def notebook_path(self) -> Path:
        """The notebook's absolute path."""
        return repo_root() / self.path


@dataclass(frozen=True)
class Course:
    """The whole course.yaml, validated."""

    title: str
    pass_mark: float
    modules: tuple[Lesson, ...]
    engage_lessons: tuple[Lesson, ...]
    source_path: str = ""

    @property
    def lessons(self) -> tuple[Lesson, ...]:
        """Every lesson: the modules in order, then the engage lessons."""
        return self.modules + self.engage_lessons

    def lesson(self, lesson_id: str) -> Lesson:
        """Look up a lesson by id.

        Raises:
            CourseInputError: naming the known ids when ``lesson_id`` is unknown.
        """
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        known = ", ".join(lesson.id for lesson in self.lessons) or "none yet"
        raise CourseInputError(
            f"there is no lesson with id {lesson_id!r}.",
            fix=f"use one of the ids listed in course.yaml ({known}).",
            file=self.source_path or COURSE_FILE,
        )


@dataclass(frozen=True)
class Source:
    """One entry of the course bibliography."""

    key: str
    title: str
    where: str


# --------------------------------------------------------------------------- YAML + schema
def read_yaml(path: str | Path, error: type[CourseInputError] = CourseInputError) -> Any:
    """Parse a YAML file, turning every failure into a clear ``error``.

    Raises:
        CourseInputError (or ``error``): the file is missing, not UTF-8, or not YAML.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error(
            "the file does not exist.", fix="check the file name and folder.", file=file
        ) from None
    except UnicodeDecodeError:
        raise error(
            "the file is not UTF-8 text.", fix="save it as UTF-8 text.", file=file
        ) from None
    try:
        return parse_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        problem = getattr(exc, "problem", None) or "the file is not valid YAML"
        raise error(
            f"{problem}.",
            fix="check the indentation and the quotes near that line (YAML uses spaces, not tabs).",
            file=file,
            where=where,
        ) from None


def schema_where(error: Any) -> str:
    """``field modules[2].minutes.teaching`` for a ``jsonschema.ValidationError``."""
    parts: list[str] = []
    for part in error.absolute_path:
        parts.append(f"[{part}]" if isinstance(part, int) else ("." if parts else "") + str(part))
    return "field " + ("".join(parts) or "(top level)")


def check_schema(
    data: Any,
    schema_file: str,
    path: str | Path,
    error: type[CourseInputError] = CourseInputError,
) -> None:
    """Validate ``data`` against ``data/<schema_file>``; raise ``error`` on the first problem."""
    schema = json.loads(data_file(schema_file).read_text(encoding="utf-8"))
    problems = sorted(schema_errors(data, schema), key=lambda e: list(map(str, e.absolute_path)))
    if not problems:
        return
    first = problems[0]
    fixes = {
        "required": "add the missing field (compare with the other entries in the file).",
        "additionalProperties": f"check the field name's spelling against {schema_file}, or remove it.",
        "pattern": f"give the value the form {schema_file} expects (ids are lower_case_with_underscores).",
    }
    fix = fixes.get(
        str(first.validator), f"give the value the type and form that {schema_file} expects."
    )
    raise error(f"{first.message}.", fix=fix, file=path, where=schema_where(first))


# --------------------------------------------------------------------------- course.yaml
def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0


def load_course(path: str | Path | None = None) -> Course:
    """Load and validate course.yaml (the course's own by default).

    Raises:
        CourseInputError: naming the file, the field, the problem and the fix.
    """
    resolved = Path(path) if path is not None else data_file(COURSE_FILE)
    return _load_course_cached(str(resolved.resolve()), _mtime(resolved))


@lru_cache(maxsize=8)
def _load_course_cached(path: str, mtime: float) -> Course:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise CourseInputError(
            "the file does not hold a mapping of fields (it is empty or a plain list).",
            fix="start from the course.yaml shipped with the course.",
            file=path,
        )
    check_schema(data, SCHEMA_FILE, path)
    seen: dict[str, str] = {}
    lists: dict[str, tuple[Lesson, ...]] = {}
    for kind in LESSON_LISTS:
        lessons = []
        for i, entry in enumerate(data[kind]):
            where = f"field {kind}[{i}]"
            stem = Path(entry["path"]).stem
            if stem != entry["id"]:
                raise CourseInputError(
                    f"the id {entry['id']!r} differs from the notebook's name {stem!r}.",
                    fix="make the id the notebook's file name without .ipynb.",
                    file=path,
                    where=f"{where}.id",
                )
            if entry["id"] in seen:
                raise CourseInputError(
                    f"the id {entry['id']!r} is used twice (also at {seen[entry['id']]}).",
                    fix="give every lesson its own id.",
                    file=path,
                    where=f"{where}.id",
                )
            seen[entry["id"]] = where
            lessons.append(
                Lesson(
                    id=entry["id"],
                    title=entry["title"],
                    path=entry["path"],
                    teaching_minutes=entry["minutes"]["teaching"],
                    exercise_minutes=entry["minutes"]["exercises"],
                    questions=tuple(entry["questions"]),
                    objectives=tuple(entry["objectives"]),
                    kind=kind,
                    step=entry.get("step", ""),
                    audience=entry.get("audience", ""),
                    optional=bool(entry.get("optional", False)),
                )
            )
        lists[kind] = tuple(lessons)
    return Course(
        title=data["title"],
        pass_mark=float(data["pass_mark"]),
        modules=lists["modules"],
        engage_lessons=lists["engage_lessons"],
        source_path=path,
    )


def course_order() -> list[Lesson]:
    """Every lesson in the order learners take them (modules, then engage lessons)."""
    return list(load_course().lessons)


def lesson(lesson_id: str) -> Lesson:
    """The lesson with this id (CourseInputError if unknown)."""
    return load_course().lesson(lesson_id)


# --------------------------------------------------------------------------- bibliography
def load_bibliography(path: str | Path | None = None) -> dict[str, Source]:
    """The course bibliography: key -> :class:`Source`.

    Raises:
        CourseInputError: the file is missing or an entry lacks a title.
    """
    resolved = Path(path) if path is not None else data_file(BIBLIOGRAPHY_FILE)
    return dict(_load_bibliography_cached(str(resolved.resolve()), _mtime(resolved)))


@lru_cache(maxsize=4)
def _load_bibliography_cached(path: str, mtime: float) -> tuple[tuple[str, Source], ...]:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise CourseInputError(
            "the bibliography is not a mapping of keys to sources.",
            fix="write one line per source: KEY: {title: ..., where: ...}.",
            file=path,
        )
    out = []
    for key, entry in data.items():
        if not isinstance(entry, dict) or not str(entry.get("title", "")).strip():
            raise CourseInputError(
                "this source has no title.",
                fix="write it as KEY: {title: ..., where: ...}.",
                file=path,
                where=f"key {key}",
            )
        out.append((str(key), Source(str(key), str(entry["title"]), str(entry.get("where", "")))))
    return tuple(out)


def cited_keys(text: str) -> list[str]:
    """Every source key cited as ``[KEY]`` or ``[K1, K2]`` in ``text``, in order, once each."""
    keys: list[str] = []
    for match in CITATION.finditer(text or ""):
        for key in match.group(1).split(","):
            key = key.strip()
            if key not in keys:
                keys.append(key)
    return keys


def notebook_text(path: str | Path, cell_type: str = "markdown") -> str:
    """The joined source of every ``cell_type`` cell of a notebook (no kernel needed)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return "\n\n".join(
        "".join(cell.get("source", ""))
        for cell in data.get("cells", [])
        if cell.get("cell_type") == cell_type
    )


# --------------------------------------------------------------------------- display
def _items(values: tuple[str, ...] | list[str]) -> str:
    return "".join(f"<li>{html.escape(v)}</li>" for v in values)


def lesson_header_html(lesson_id: str) -> str:
    """The box at the top of a lesson: its step, minutes, questions and objectives.

    The lesson's title is the page's own first heading; the box names it for screen readers.
    """
    les = lesson(lesson_id)
    kind = "Module" if les.kind == "modules" else "Engage lesson"
    extra = f" · Step: {html.escape(les.step)}" if les.step else ""
    extra += f" · For: {html.escape(les.audience)}" if les.audience else ""
    return (
        f'<section class="et-lesson-header" aria-label="About this lesson: {html.escape(les.title)}" '
        'style="border: 1px solid #d0d7de; border-radius: 6px; padding: 4px 16px 8px 16px; '
        'margin: 8px 0 16px 0; background: #f6f8fa;">'
        f"<p><strong>{kind}</strong>{extra} · "
        f"<strong>Time:</strong> {les.teaching_minutes} min teaching, "
        f"{les.exercise_minutes} min exercises ({les.total_minutes} min in all)</p>"
        f"<p><strong>Questions this lesson answers</strong></p><ul>{_items(les.questions)}</ul>"
        f"<p><strong>By the end you will be able to</strong></p><ul>{_items(les.objectives)}</ul>"
        f"</section>"
    )


def lesson_header(lesson_id: str) -> HTML:
    """The top of a lesson's page: the course bar, then title, minutes, questions, objectives.

    It also shows the page's session watcher (see :mod:`endtrafficking.widgets.course_page`).
    """
    from endtrafficking.widgets.course_page import page_header

    return page_header(lesson_id)


def lesson_source_keys(lesson_id: str) -> list[str]:
    """Source keys cited in a lesson's notebook text and in its knowledge checks."""
    les = lesson(lesson_id)
    notebook = les.notebook_path()
    keys = cited_keys(notebook_text(notebook)) if notebook.is_file() else []
    bank = data_file("knowledge_checks", f"{les.id}.yaml")
    if bank.exists():
        data = read_yaml(bank)
        for check in (data or {}).get("checks", []) if isinstance(data, dict) else []:
            for key in check.get("sources", []) if isinstance(check, dict) else []:
                if key not in keys:
                    keys.append(str(key))
    return keys


def sources_html(keys: list[str] | tuple[str, ...]) -> str:
    """An HTML list of bibliography entries for ``keys`` (unknown keys are named as such)."""
    if not keys:
        return '<p class="et-sources">This page cites no sources.</p>'
    bib = load_bibliography()
    rows = []
    for key in keys:
        src = bib.get(key)
        if src is None:
            rows.append(f"<li>[{html.escape(key)}] (not in the course bibliography)</li>")
        else:
            where = f" — {html.escape(src.where)}" if src.where else ""
            rows.append(f"<li>[{html.escape(key)}] {html.escape(src.title)}{where}</li>")
    return f'<ul class="et-sources">{"".join(rows)}</ul>'


def lesson_sources(lesson_id: str) -> Any:
    """The end of a lesson's page: every source it cites, then what is left and the next link."""
    from endtrafficking.widgets.course_page import page_footer

    display(HTML(sources_html(lesson_source_keys(lesson_id))))
    return page_footer(lesson_id)
