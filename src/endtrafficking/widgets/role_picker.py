"""The index of the engage lessons: pick your role or roles, see minutes and links.

``engage_lessons/00_index.ipynb`` shows it with one line::

    role_picker()

The roles come from ``engage_lessons/roles.yaml`` and each lesson's minutes
from ``course/course.yaml``. The choice is saved to
``work_dir()/engage_roles.json`` (autosave kind ``role_picker``) and comes back
when the cell runs again.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from endtrafficking.course_meta import Lesson, load_course
from endtrafficking.errors import CourseInputError
from endtrafficking.roles import Role, RoleCatalogue, load_roles
from endtrafficking.widgets.autosave import AutosaveStore
from endtrafficking.widgets.messages import notice_html, shown_or_explained

STORE_KIND = "role_picker"
STORE_FILE = "engage_roles.json"


def lesson_for(role: Role, lessons: tuple[Lesson, ...]) -> Lesson:
    """The course.yaml entry of a role's lesson.

    Raises:
        CourseInputError: the lesson is not listed in course.yaml.
    """
    for lesson in lessons:
        if lesson.path == role.lesson:
            return lesson
    raise CourseInputError(
        f"the lesson {role.lesson} of the role {role.id!r} is not listed in course.yaml.",
        fix="add it to the engage_lessons list of course/course.yaml.",
        file="course/course.yaml",
        where="field engage_lessons",
    )


class RolePicker(widgets.VBox):
    """Checkboxes for the roles; the chosen lessons with minutes and links."""

    def __init__(self, catalogue: RoleCatalogue, lessons: tuple[Lesson, ...]) -> None:
        self.catalogue = catalogue
        self.lessons = {r.id: lesson_for(r, lessons) for r in catalogue.roles}
        self.store = AutosaveStore.in_work_dir(STORE_FILE, STORE_KIND)
        self.boxes: dict[str, widgets.Checkbox] = {}
        for role in catalogue.roles:
            lesson = self.lessons[role.id]
            box = widgets.Checkbox(
                value=False,
                description=f"{role.name} ({lesson.total_minutes} min)",
                indent=False,
                layout=widgets.Layout(width="auto"),
            )
            box.observe(self._on_change, names="value")
            self.boxes[role.id] = box
        # An Output widget, not an HTML widget: JupyterLab renders its HTML with the
        # notebook's link handler, so a link opens the lesson in a new Lab tab.
        self.summary = widgets.Output()
        self.status = widgets.HTML("")
        super().__init__(
            [
                widgets.HTML(
                    "<p><strong>Which roles do you have?</strong> Choose one or more.</p>"
                ),
                *self.boxes.values(),
                self.summary,
                self.status,
            ]
        )
        self.add_class("et-role-picker")
        self._restoring = False
        self._restore()
        self._render()

    @property
    def chosen(self) -> list[str]:
        """Ids of the chosen roles, in lesson order."""
        return [rid for rid, box in self.boxes.items() if box.value]

    def summary_html(self) -> str:
        """The chosen lessons as links, with their minutes and the total."""
        if not self.chosen:
            return "<p>Choose a role to see your lessons.</p>"
        items = []
        total = 0
        for rid in self.chosen:
            role = self.catalogue.role(rid)
            lesson = self.lessons[rid]
            total += lesson.total_minutes
            href = html.escape(Path(lesson.path).name, quote=True)
            items.append(
                f'<li><a href="{href}">{html.escape(lesson.title)}</a>: '
                f"{lesson.teaching_minutes} min teaching, {lesson.exercise_minutes} min exercises. "
                f"{html.escape(role.summary)}</li>"
            )
        return f"<p><strong>Your lessons</strong> ({total} min in all)</p><ol>{''.join(items)}</ol>"

    def _render(self) -> None:
        text = ", ".join(self.lessons[r].path for r in self.chosen) or "No role chosen yet."
        self.summary.outputs = (
            {
                "output_type": "display_data",
                "data": {"text/html": self.summary_html(), "text/plain": text},
                "metadata": {},
            },
        )

    def _on_change(self, _change: dict[str, Any]) -> None:
        self._render()
        if self._restoring:
            return
        try:
            self.store.save({"roles": self.chosen})
        except OSError as exc:
            self.status.value = notice_html(
                "error", f"Could not save your choice ({exc.strerror or exc})."
            )

    def _restore(self) -> None:
        saved = self.store.load() or {}
        roles = saved.get("roles") if isinstance(saved.get("roles"), list) else []
        self._restoring = True
        try:
            for rid in roles:
                if rid in self.boxes:
                    self.boxes[rid].value = True
        finally:
            self._restoring = False
        if self.store.messages:
            self.status.value = notice_html("info", " ".join(self.store.messages))


def role_picker() -> widgets.Widget:
    """The role picker, ready to display; a problem is shown as a message."""
    return shown_or_explained(lambda: RolePicker(load_roles(), load_course().engage_lessons))
