"""Tests for the messages exercises show instead of tracebacks."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from endtrafficking.errors import CourseInputError
from endtrafficking.widgets.messages import shown_or_explained


def _broken() -> widgets.Widget:
    raise CourseInputError("the file is broken.", fix="restore it.", file="roles.yaml")


def test_a_built_exercise_is_returned_as_it_is():
    """Does a factory that works give back its own widget?"""
    box = widgets.VBox()
    assert shown_or_explained(lambda: box) is box


def test_a_course_input_error_becomes_a_message():
    """Does a broken data file become a 'Problem' box naming the file and the fix?"""
    shown = shown_or_explained(_broken)
    assert isinstance(shown, widgets.HTML)
    assert "roles.yaml" in shown.value and "restore it." in shown.value
    assert "et-error" in shown.value


def test_only_the_named_extra_errors_are_caught():
    """Are other errors left to surface (a bug is not dressed up as a learner's problem)?"""

    def bug() -> widgets.Widget:
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        shown_or_explained(bug)
    assert isinstance(shown_or_explained(bug, also=(ValueError,)), widgets.HTML)


def test_saved_state_is_quiet_and_a_failed_save_is_clear():
    """Is "Saved at HH:MM" a quiet status, and does a failure say the work is kept?"""
    from datetime import datetime

    from endtrafficking.widgets.messages import save_failed_html, saved_html

    quiet = saved_html(datetime(2026, 1, 1, 9, 5))
    assert "Saved at" in quiet and ">09:05<" in quiet and 'role="status"' in quiet
    assert "et-notice" not in quiet
    failed = save_failed_html(OSError(30, "Read-only file system"))
    assert "et-error" in failed and "Read-only file system" in failed
    assert "still here" in failed
