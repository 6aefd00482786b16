"""What a kernel does while it waits for the next course page, so that page opens sooner.

Run inside a warm kernel of :mod:`.kernel_pool` (its ``warm_code``). A course
page's cells import the course's widgets and read the course's data files (the
course map, the framework, the roles, the question banks); a warm kernel does
both beforehand. Every file is cached by its resolved path and modification
time, so a page that asks for another file (a host's own framework) or for a
file that changed since reads it afresh: warming never serves stale data.
"""

from __future__ import annotations

import importlib
import pkgutil

from endtrafficking.errors import CourseInputError

#: Modules outside ``endtrafficking.widgets`` that course pages import.
PAGE_MODULES = (
    "endtrafficking.course_meta",
    "endtrafficking.role_lessons",
    "endtrafficking.lesson_views",
    "endtrafficking.demos",
    "pandas",
    "matplotlib.figure",
)


def page_modules() -> list[str]:
    """Every module a course page may import: all of the widgets, and :data:`PAGE_MODULES`."""
    widgets = importlib.import_module("endtrafficking.widgets")
    names = [f"endtrafficking.widgets.{m.name}" for m in pkgutil.iter_modules(widgets.__path__)]
    return sorted(names) + list(PAGE_MODULES)


def warm_up() -> list[str]:
    """Import what pages import and read the course's data files; the names imported."""
    names = page_modules()
    for name in names:
        importlib.import_module(name)
    from endtrafficking.course_meta import load_course
    from endtrafficking.framework import load_framework
    from endtrafficking.knowledge_bank import all_banks
    from endtrafficking.roles import load_roles

    for load in (load_course, load_framework, load_roles, all_banks):
        try:
            load()
        except CourseInputError:
            pass  # the page that needs the file reports the problem itself
    return names
