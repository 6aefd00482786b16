"""Scores the learner's kernel cannot forge: every autograded cell checked in the grader's
own process, from the saved files of a submission only.

A graded test cell of the course is one or two calls (see
:mod:`endtrafficking.grading.checkpoint`)::

    checkpoint.check_work("inventory", "complete")            # saved exercise work
    checkpoint.check_reading("inventory", "least_served", "least_served")
    checkpoint.check_answer("q1")                             # an answer was chosen
    ### BEGIN HIDDEN TESTS
    checkpoint.expect_answer("q1", "rescue_response")         # and it is the right one
    ### END HIDDEN TESTS

:func:`verify_submission` reads those calls from the instructor's **source**
notebook (trusted; parsed with :mod:`ast`, never run), reads the submission's
saved files as plain JSON data, and applies the same checks here. Nothing from
the submission is imported or executed, and no method of anything the learner
made is called: the JSON decoder only builds ``dict``, ``list``, ``str``,
``int``, ``float``, ``bool`` and ``None``. A file that is a link, not a regular
file, too large, or of the wrong shape earns 0 points for the cells that need it,
with a message saying why. Points never exceed the cell's maximum, which comes
from the source notebook's nbgrader metadata.
"""

from __future__ import annotations

import ast
import json
import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The file the graded knowledge checks save their answers to (in the assignment folder).
ANSWERS_FILE = "checkpoint_answers.json"
#: Its autosave kind.
ANSWERS_KIND = "checkpoint_answers"
#: No saved file larger than this is read (bytes).
MAX_FILE_BYTES = 2_000_000
#: The errors a damaged or forged file can raise while it is read and checked.
READ_ERRORS = (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError)


@dataclass(frozen=True)
class CellVerdict:
    """The grader's own score of one autograded cell."""

    grade_id: str
    points: float
    max_points: float
    message: str
    notebook: str = ""  # the notebook's name without .ipynb (grade ids are per notebook)


class UnsafeFile(Exception):
    """A submitted file that the grader refuses to read."""


@dataclass(frozen=True)
class _Call:
    name: str
    args: tuple[Any, ...]


# --------------------------------------------------------------------------- source cells
def cell_calls(source: str) -> list[ast.Call] | None:
    """Every call in a cell's code (``ast.walk`` order); None when the code does not parse."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def is_checkpoint_call(node: ast.Call) -> bool:
    """True for a call written ``checkpoint.<name>(...)``."""
    func = node.func
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "checkpoint"
    )


def _calls(source: str) -> list[_Call]:
    """The ``checkpoint.<name>(literal, ...)`` calls of a test cell, in order."""
    nodes = cell_calls(source)
    if nodes is None:
        return [_Call("unparsable", ())]
    found = []
    for node in filter(is_checkpoint_call, nodes):
        try:
            args = tuple(ast.literal_eval(a) for a in node.args)
        except ValueError:
            args = ("<not plain data>",)
        found.append(_Call(node.func.attr, args))
    found.sort(key=lambda c: c.name != "check_answer")  # form first, as in the cell
    return found


def graded_cells(notebook: Path) -> list[tuple[str, float, list[_Call]]]:
    """(grade_id, max points, calls) of every autograded test cell of a source notebook."""
    data = json.loads(notebook.read_text(encoding="utf-8"))
    cells = []
    for cell in data.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code" or not meta.get("grade") or meta.get("solution"):
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        cells.append((str(meta["grade_id"]), float(meta.get("points", 0) or 0), _calls(source)))
    return cells


def assignment_source(assignment: str, source_dir: Path) -> Path:
    """The assignment's source folder (``source_dir`` may be it, or the ``source`` root)."""
    source_dir = Path(source_dir)
    return source_dir / assignment if (source_dir / assignment).is_dir() else source_dir


# --------------------------------------------------------------------------- saved files
def read_submitted(folder: Path, name: str, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``folder/name``, refusing links, special files and large files.

    Raises:
        FileNotFoundError: there is no such file.
        UnsafeFile: with a sentence saying why the file is refused.
    """
    path = Path(folder) / name
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeFile(f"{name} is a link to another place, not a saved file")
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeFile(f"{name} is not a regular file")
    if info.st_size > max_bytes:
        raise UnsafeFile(f"{name} is {info.st_size} bytes, more than the {max_bytes} allowed")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnsafeFile(f"{name} grew beyond the {max_bytes} bytes allowed")
    return data


def saved_answers(folder: Path) -> dict[str, Any]:
    """The answers saved by the graded knowledge checks, as plain data (``{}`` if none).

    Raises:
        UnsafeFile: the file is refused, or is not an answers file.
    """
    try:
        raw = read_submitted(folder, ANSWERS_FILE)
    except FileNotFoundError:
        return {}
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise UnsafeFile(f"{ANSWERS_FILE} is not a saved answers file") from None
    state = data.get("state") if isinstance(data, dict) else None
    answers = state.get("answers") if isinstance(state, dict) else None
    if not isinstance(answers, dict) or data.get("kind") != ANSWERS_KIND:
        raise UnsafeFile(f"{ANSWERS_FILE} does not hold checkpoint answers")
    return answers


def chosen(answers: dict[str, Any], question: str) -> list[str]:
    """The option ids saved for ``question`` (plain strings only; [] if none)."""
    entry = answers.get(question)
    selected = entry.get("selected") if type(entry) is dict else None
    if type(selected) is not list or not all(type(s) is str for s in selected):
        return []
    return list(selected)


def answer_value(answers: dict[str, Any], question: str) -> str | list[str] | None:
    """A saved answer as the checks take it: one id, a list of ids, or None."""
    picked = chosen(answers, question)
    if not picked:
        return None
    entry = answers[question]
    return list(picked) if entry.get("kind") == "multiple" or len(picked) > 1 else picked[0]


def _norm(value: str) -> str:
    return " ".join(value.replace("-", " ").replace("_", " ").casefold().split())


def answer_matches(given: str | list[str] | None, expected: Any) -> bool:
    """Plain-data comparison: text without case or spacing; lists as sets."""
    if given is None:
        return False
    if type(expected) in (list, tuple, set, frozenset):
        picked = [given] if type(given) is str else given
        return {_norm(g) for g in picked} == {_norm(str(e)) for e in expected}
    return type(given) is str and _norm(given) == _norm(str(expected))


# --------------------------------------------------------------------------- checking
class _Checker:
    """Applies one cell's calls to one submission, reading each file at most once."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._answers: dict[str, Any] | None = None
        self._work = tempfile.TemporaryDirectory(prefix="et-verify-")
        self._copied: set[str] = set()

    def close(self) -> None:
        self._work.cleanup()

    def answers(self) -> dict[str, Any]:
        if self._answers is None:
            self._answers = saved_answers(self.folder)
        return self._answers

    def work_folder(self, exercise: str) -> Path:
        """A private copy of the files ``exercise`` needs (links and large files refused)."""
        from endtrafficking.grading.work_files import EXERCISES

        names = [EXERCISES[exercise].file]
        if exercise == "action_plan":
            names.append(EXERCISES["assessment"].file)
        here = Path(self._work.name)
        for name in names:
            if name in self._copied:
                continue
            try:
                (here / name).write_bytes(read_submitted(self.folder, name))
            except FileNotFoundError:
                pass  # the check itself says what is missing
            self._copied.add(name)
        return here

    def problems(self, call: _Call) -> list[str]:
        handler = _HANDLERS.get(call.name)
        if handler is None:
            return [
                f"This cell uses checkpoint.{call.name}, which cannot be checked from saved "
                "files; it earns no points here."
            ]
        return handler(self, *call.args)


def _check_work(checker: _Checker, exercise: str, key: str, *_answer: Any) -> list[str]:
    from endtrafficking.grading.checks import criterion, run_check

    if criterion(exercise, key).takes_answer:
        return ["This check compares a typed answer, which is not saved in a file."]
    return run_check(exercise, key, checker.work_folder(exercise))


def _check_reading(checker: _Checker, exercise: str, key: str, question: str) -> list[str]:
    from endtrafficking.grading.checks import run_check

    given = answer_value(checker.answers(), question)
    if given is None:
        return [f"No answer was chosen for the question {question!r}."]
    return run_check(exercise, key, checker.work_folder(exercise), given)


def _check_answer(checker: _Checker, question: str, *_options: Any) -> list[str]:
    if answer_value(checker.answers(), question) is None:
        return [f"No answer was chosen for the question {question!r}."]
    return []


def _expect_answer(checker: _Checker, question: str, expected: Any, why: str = "") -> list[str]:
    if answer_matches(answer_value(checker.answers(), question), expected):
        return []
    return [f"Not quite: the answer chosen for {question!r} is not the expected one. {why}".strip()]


_HANDLERS: dict[str, Callable[..., list[str]]] = {
    "check_work": _check_work,
    "check_reading": _check_reading,
    "check_answer": _check_answer,
    "expect_answer": _expect_answer,
}


def _verdict(
    checker: _Checker, notebook: str, grade_id: str, max_points: float, calls: list[_Call]
) -> CellVerdict:
    from endtrafficking.errors import CourseInputError

    problems: list[str] = []
    try:
        for call in calls:
            problems += checker.problems(call)
            if problems:
                break
    except UnsafeFile as exc:
        problems = [f"The submission's file was not graded: {exc}."]
    except CourseInputError as exc:
        problems = [f"{exc.problem} How to fix it: {exc.fix}"]
    except READ_ERRORS as exc:
        problems = [f"A saved file could not be read as course work ({exc.__class__.__name__})."]
    if not calls:
        problems = ["This cell has no check the grader can apply to saved files."]
    points = 0.0 if problems else max_points
    return CellVerdict(grade_id, min(points, max_points), max_points, " ".join(problems), notebook)


def verify_submission(assignment: str, folder: Path, source_dir: Path) -> list[CellVerdict]:
    """Score every autograded cell of ``assignment`` from the saved files in ``folder``.

    ``source_dir`` is the course's ``source`` folder or the assignment's own source
    folder; the cells and their maximum points come from its notebooks.
    """
    source = assignment_source(assignment, source_dir)
    checker = _Checker(Path(folder))
    try:
        return [
            _verdict(checker, notebook.stem, grade_id, max_points, calls)
            for notebook in sorted(source.glob("*.ipynb"))
            for grade_id, max_points, calls in graded_cells(notebook)
        ]
    finally:
        checker.close()
