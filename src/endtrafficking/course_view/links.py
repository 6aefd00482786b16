"""Where a page's links point, in the course view (Voilà) and in JupyterLab.

Links between lessons are relative paths between their notebooks
(``04_engage.ipynb``, ``../engage_lessons/00_index.ipynb``): Voilà resolves them
to the next page, and JupyterLab opens the notebook, so the same link works in
both views. Only the switch between the views needs the server's address:

- in the course view, Voilà gives the kernel ``SCRIPT_NAME``: the page's URL
  path, ``<base URL>voila/render/<notebook path under the server's root>``;
- in JupyterLab, the server gives ``JPY_SESSION_NAME`` (the notebook's path),
  and a hub gives ``JUPYTERHUB_SERVICE_PREFIX`` (the learner's base URL).
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from urllib.parse import quote, unquote

from endtrafficking.course_meta import Lesson

#: Where Voilà serves a notebook as a page, under the server's base URL.
VOILA_RENDER = "voila/render/"


@dataclass(frozen=True)
class PageContext:
    """How the current page is being shown."""

    in_course_view: bool
    base_url: str  # the server's base URL, ending in "/"
    course_prefix: str | None  # the course folder's path under the server's root ("" or "x/")


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _course_prefix(page_path: str, lesson: Lesson) -> str | None:
    """The part of ``page_path`` before the lesson's own path (None if it does not end so)."""
    page_path = page_path.lstrip("/")
    if not page_path.endswith(lesson.path):
        return None
    return page_path[: len(page_path) - len(lesson.path)]


def page_context(lesson: Lesson, environ: dict[str, str] | None = None) -> PageContext:
    """The view, base URL and course folder of the page showing ``lesson``."""
    env = os.environ if environ is None else environ
    if env.get("SERVER_SOFTWARE", "").startswith("voila"):
        base, marker, page_path = (env.get("SCRIPT_NAME") or "").partition(VOILA_RENDER)
        if not marker:
            return PageContext(True, "/", None)
        return PageContext(True, _with_slash(base), _course_prefix(unquote(page_path), lesson))
    base = env.get("JUPYTERHUB_SERVICE_PREFIX") or "/"
    session = env.get("JPY_SESSION_NAME", "")
    return PageContext(
        False, _with_slash(base), _course_prefix(session, lesson) if session else None
    )


def relative_href(from_lesson: Lesson, to_lesson: Lesson, anchor: str = "") -> str:
    """A link from one lesson's page to another's, valid in both views."""
    start = posixpath.dirname(from_lesson.path) or "."
    target = posixpath.relpath(to_lesson.path, start)
    return quote(target) + (f"#{quote(anchor)}" if anchor else "")


def other_view_href(ctx: PageContext, lesson: Lesson) -> str | None:
    """The same lesson in the other view (JupyterLab from a page; the page from JupyterLab)."""
    if ctx.course_prefix is None:
        return None
    path = quote(ctx.course_prefix + lesson.path)
    return (
        f"{ctx.base_url}lab/tree/{path}"
        if ctx.in_course_view
        else f"{ctx.base_url}voila/render/{path}"
    )
