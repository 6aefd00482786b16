"""The engage lessons' index: pick roles, see minutes and links, and keep the choice."""

from __future__ import annotations

import ipywidgets as widgets

from endtrafficking.course_meta import load_course
from endtrafficking.roles import load_roles
from endtrafficking.widgets.role_picker import RolePicker, role_picker


def shown(w: RolePicker) -> str:
    """The HTML the summary output area displays."""
    (output,) = w.summary.outputs
    return output["data"]["text/html"]


def test_lists_every_role_with_its_minutes():
    """Is every role offered, labelled with its lesson's minutes from course.yaml?"""
    w = role_picker()
    assert isinstance(w, RolePicker)
    minutes = {les.path: les.total_minutes for les in load_course().engage_lessons}
    for role in load_roles().roles:
        assert w.boxes[role.id].description == f"{role.name} ({minutes[role.lesson]} min)"
    assert "Choose a role" in shown(w)


def test_choosing_roles_links_lessons_and_totals_minutes():
    """Do chosen roles show links to their notebooks and the total time?"""
    w = role_picker()
    w.boxes["youth"].value = True
    w.boxes["educators"].value = True
    assert w.chosen == ["educators", "youth"]
    assert 'href="01_educators.ipynb"' in shown(w)
    assert 'href="07_youth.ipynb"' in shown(w)
    total = sum(w.lessons[r].total_minutes for r in ("educators", "youth"))
    assert f"({total} min in all)" in shown(w)


def test_choice_is_restored():
    """Is the choice saved and restored when the index runs again?"""
    w = role_picker()
    w.boxes["transportation"].value = True
    assert role_picker().chosen == ["transportation"]


def test_a_lesson_missing_from_course_yaml_is_a_message(monkeypatch):
    """If a role's lesson is not in course.yaml, is that shown as a message?"""
    from endtrafficking.widgets import role_picker as module

    monkeypatch.setattr(module, "load_course", lambda: type("C", (), {"engage_lessons": ()})())
    w = module.role_picker()
    assert isinstance(w, widgets.HTML) and "not listed in course.yaml" in w.value
