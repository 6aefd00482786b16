"""Checks of a typed answer's form and value, called by a knowledge check's test cells.

A test cell calls them as ``checkpoint.<name>`` (:mod:`.checkpoint` imports them);
the grader applies the same rules to the submitted values in its own process
(:mod:`.code_answers`), with :func:`canonical`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def _shown(options: Iterable[Any]) -> str:
    return ", ".join(repr(o) for o in options)


def expect_one_of(value: Any, options: Iterable[Any], name: str = "answer") -> None:
    """Check an answer is one of ``options`` (its form, not whether it is right)."""
    options = list(options)
    if canonical(value) not in [canonical(o) for o in options]:
        raise AssertionError(f"{name} should be one of {_shown(options)}; it is {value!r}.")


def expect_some_of(values: Any, options: Iterable[Any], name: str = "answer") -> None:
    """Check an answer is a non-empty list (or set) whose items all come from ``options``."""
    options = list(options)
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise AssertionError(f"{name} should be a list such as [{_shown(options[:2])}].")
    values = list(values)
    if not values:
        raise AssertionError(f"{name} is empty; choose at least one of {_shown(options)}.")
    allowed = [canonical(o) for o in options]
    unknown = [v for v in values if canonical(v) not in allowed]
    if unknown:
        raise AssertionError(
            f"{name} holds {_shown(unknown)}, which is not an option; use {_shown(options)}."
        )


def canonical(value: Any) -> Any:
    """An answer as compared: text without case, spaces, ``-`` or ``_``; lists without order."""
    if isinstance(value, str):
        return " ".join(value.replace("-", " ").replace("_", " ").casefold().split())
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [canonical(v) for v in value]
        try:
            return frozenset(items)
        except TypeError:  # unhashable items: compare in order
            return tuple(items)
    return value


def expect_value(value: Any, expected: Any, why: str = "") -> None:
    """Check a typed value against the expected one.

    Text is compared without regard to case or surrounding spaces, and lists
    without regard to order.
    """
    if canonical(value) != canonical(expected):
        raise AssertionError(f"Not quite: {value!r} is not the expected answer. {why}".strip())


def expect_true_or_false(value: Any, name: str = "answer") -> None:
    """Check an answer is ``True`` or ``False``."""
    if value is not True and value is not False:
        raise AssertionError(f"{name} should be True or False (no quotes); it is {value!r}.")


def expect_whole_number(value: Any, name: str = "answer") -> None:
    """Check an answer is a whole number."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise AssertionError(f"{name} should be a whole number such as 3; it is {value!r}.")
