"""The top and the end of every course page, as the learner sees them.

:func:`page_header` (shown by ``lesson_header``) puts the course bar, the
lesson's minutes, questions and objectives, and the page's
:class:`~endtrafficking.widgets.session.SessionWatch` at the top.
:func:`page_footer` (shown after the sources) says what the page still asks of
the learner and links the next lesson. The footer brings itself up to date
whenever it scrolls into view, so what it says follows the learner's saved
work without costing anything while they work above it.
"""

from __future__ import annotations

import html
import os
from typing import Any

import anywidget
import traitlets
from IPython.display import HTML, display

from endtrafficking.course_meta import lesson, lesson_header_html
from endtrafficking.course_view.links import page_context
from endtrafficking.course_view.navigation import course_map_html, footer_html, header_html
from endtrafficking.course_view.progress import course_progress
from endtrafficking.errors import CourseInputError
from endtrafficking.widgets.messages import error_text, notice_html
from endtrafficking.widgets.session import session_watch
from endtrafficking.workspace import work_dir

_ESM = r"""
function render({ model, el }) {
  el.classList.add("et-progress-footer", "jupyter-widgets");
  const show = () => { el.innerHTML = model.get("html"); };
  model.on("change:html", show);
  show();
  let last = 0;
  const observer = new IntersectionObserver((entries) => {
    const now = Date.now();
    if (entries.some((e) => e.isIntersecting) && now - last > 1000) {
      last = now;
      model.send({ event: "refresh" });
    }
  });
  observer.observe(el);
  return () => observer.disconnect();
}
export default { render };
"""


class ProgressFooter(anywidget.AnyWidget):
    """The end of a page: tasks left and the next link, refreshed when it comes into view."""

    _esm = _ESM
    html = traitlets.Unicode("").tag(sync=True)

    def __init__(self, lesson_id: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lesson_id = lesson_id
        self.refresh()
        self.on_msg(self._on_message)

    def _on_message(self, _widget: Any, content: dict[str, Any], _buffers: list[Any]) -> None:
        if isinstance(content, dict) and content.get("event") == "refresh":
            self.refresh()

    def refresh(self) -> None:
        """Work out the page's progress from the saved work and show it."""
        try:
            self.html = footer_html(lesson(self.lesson_id), course_progress())
        except CourseInputError as exc:
            self.html = notice_html("error", error_text(exc))


def page_header_html(lesson_id: str) -> str:
    """The course bar and the lesson's description (the course map too, on the welcome page)."""
    les = lesson(lesson_id)
    progress = course_progress()
    parts = [header_html(les, progress, page_context(les)), lesson_header_html(lesson_id)]
    return "".join(parts)


def page_header(lesson_id: str) -> HTML:
    """Show the page's watcher, and return the header to display at the top of the page."""
    display(session_watch())
    try:
        return HTML(page_header_html(lesson_id))
    except CourseInputError as exc:
        return HTML(notice_html("error", error_text(exc)))


def page_footer(lesson_id: str) -> ProgressFooter:
    """The end of the page: what is left to do here and where to go next."""
    return ProgressFooter(lesson_id)


def answers_folder_html(environ: dict[str, str] | None = None) -> str:
    """Where the learner's answers are kept, and who can see them, in plain words."""
    env = os.environ if environ is None else environ
    if env.get("JUPYTERHUB_USER"):
        where = (
            "Your answers are saved as you work, in your own folder on the workshop's server. "
            "Other learners cannot open it. The workshop's instructors and hosts run the "
            "server and can open your folder, and your instructor reads what you hand in."
        )
    else:
        folder = html.escape(str(work_dir(create=False)))
        where = (
            "Your answers are saved as you work, on this computer, in the folder "
            f"<code>{folder}</code>. Nobody else sees them unless you share a file."
        )
    return notice_html("info", where, raw=True)


def answers_folder() -> HTML:
    """Display object: where the learner's answers are kept, and who can see them."""
    return HTML(answers_folder_html())


def course_map(lesson_id: str = "00_welcome") -> HTML:
    """The whole course with links and the learner's progress, as seen from ``lesson_id``."""
    try:
        return HTML(course_map_html(lesson(lesson_id), course_progress()))
    except CourseInputError as exc:
        return HTML(notice_html("error", error_text(exc)))
