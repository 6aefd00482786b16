"""Check a knowledge check's typed answers in the grader's process, as plain data.

Some graded test cells check a variable the learner set in an answer cell::

    checkpoint.expect_one_of(q2_method, ["listening_session", "asset_mapping"], "q2_method")
    ### BEGIN HIDDEN TESTS
    checkpoint.expect_answer(q2_method, "listening_session", "why")
    ### END HIDDEN TESTS

:func:`check_cell` applies those calls without running anything the learner wrote:
the test cell comes from the instructor's source notebook, and each variable's
value is read from the submitted notebook's code with :func:`ast.literal_eval`
(a string, a number, ``True``/``False`` or a list of strings; anything else, such
as an object whose ``__eq__`` always agrees, is not an answer). The last
assignment to a variable, in cell order, is the answer, as in a kernel run top to
bottom.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

from endtrafficking.grading.typed_answers import canonical
from endtrafficking.grading.verify import (
    MAX_FILE_BYTES,
    answer_matches,
    cell_calls,
    is_checkpoint_call,
    read_submitted,
)

#: The checks this module can apply; a cell with any other call is not checked here.
CHECKS = {"expect_one_of", "expect_some_of", "expect_answer", "expect_true_or_false",
          "expect_whole_number"}  # fmt: skip
NOT_PLAIN = object()
PLAIN = (str, int, bool)


def _calls(source: str) -> list[tuple[str, str | None, list[Any]]] | None:
    """(check, variable, literal arguments) of every checkpoint call; None if any is other."""
    found = []
    for node in filter(is_checkpoint_call, cell_calls(source) or []):
        if node.func.attr not in CHECKS or not node.args:
            return None
        first = node.args[0]
        try:
            rest = [ast.literal_eval(a) for a in node.args[1:]]
        except ValueError:
            return None
        found.append((node.func.attr, first.id if isinstance(first, ast.Name) else None, rest))
    return found or None


def typed_work_call(source: str) -> tuple[str, str, str] | None:
    """(exercise, check, variable) of a cell that is one ``check_work(ex, key, variable)``."""
    calls = cell_calls(source)
    if calls is None or len(calls) != 1 or len(calls[0].args) != 3:
        return None
    call = calls[0]
    if not (is_checkpoint_call(call) and call.func.attr == "check_work"):
        return None
    args = call.args
    if not all(isinstance(a, ast.Constant) and type(a.value) is str for a in args[:2]):
        return None
    if not isinstance(args[2], ast.Name):
        return None
    return args[0].value, args[1].value, args[2].id


def checkable(source: str) -> bool:
    """True when every check of a test cell can be applied here."""
    return _calls(source) is not None


def _plain(value: Any) -> Any:
    if type(value) in PLAIN:
        return value
    if type(value) is list and all(type(v) is str for v in value):
        return value
    return NOT_PLAIN


def answers(notebook: Path) -> dict[str, Any]:
    """Every top-level ``name = <plain literal>`` of a submitted notebook, the last one winning."""
    data = json.loads(read_submitted(notebook.parent, notebook.name, MAX_FILE_BYTES * 5))
    values: dict[str, Any] = {}
    for cell in data.get("cells", []) if type(data) is dict else []:
        if type(cell) is not dict or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if type(source) is list else str(source)
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                if isinstance(target, ast.Name):
                    try:
                        values[target.id] = _plain(ast.literal_eval(node.value))
                    except (ValueError, TypeError, SyntaxError, RecursionError):
                        values[target.id] = NOT_PLAIN
    return values


def _problem(check: str, value: Any, args: list[Any]) -> str:
    """What is wrong with one answer for one check ("" when it passes)."""
    if value is NOT_PLAIN:
        return "The answer is not plain data (text, a number, True/False or a list of text)."
    if check == "expect_answer":
        ok = answer_matches(value, args[0]) if type(value) in (str, list) else value == args[0]
        return "" if ok else "Not quite: the answer is not the expected one."
    if check == "expect_one_of":
        ok = type(value) is str and canonical(value) in {canonical(o) for o in args[0]}
        return "" if ok else "The answer is not one of the options."
    if check == "expect_some_of":
        allowed = {canonical(o) for o in args[0]}
        ok = type(value) is list and value and all(canonical(v) in allowed for v in value)
        return "" if ok else "The answer is not a list of the options."
    if check == "expect_true_or_false":
        return "" if type(value) is bool else "The answer is not True or False."
    return "" if type(value) is int else "The answer is not a whole number."


def check_cell(source: str, values: dict[str, Any]) -> list[str]:
    """The problems of a test cell's checks for the answers ``values`` (empty: full points)."""
    for check, name, args in _calls(source) or []:
        if name is None or name not in values:
            return [f"No answer was set for {name or 'this question'}."]
        problem = _problem(check, values[name], args)
        if problem:
            return [problem]
    return []
