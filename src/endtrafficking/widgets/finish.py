"""The course's last page: the learner's own work in one place, and their certificate.

Shown by ``modules/06_finish.ipynb`` with ``finish_page()``. It gathers what
the learner saved (:mod:`endtrafficking.course_summary`), offers it as one
self-contained HTML file, and, once the saved work completes every module,
a certificate of completion (PDF, or HTML to print) with the name the learner
types. Until then it lists what is left, with links to those modules.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import ipywidgets as widgets

from endtrafficking.completion_certificate import (
    STATEMENT,
    certificate_for,
    certificate_html,
    certificate_pdf,
)
from endtrafficking.course_meta import lesson
from endtrafficking.course_summary import LearnerWork, gather_work, html_body, summary_html
from endtrafficking.course_view.links import relative_href
from endtrafficking.course_view.navigation import todo_words
from endtrafficking.widgets.autosave import AutosaveStore
from endtrafficking.widgets.downloads import download_button
from endtrafficking.widgets.messages import notice_html, shown_or_explained

FINISH_ID = "06_finish"
CERTIFICATE_FILE = "certificate.json"
STORE_KIND = "certificate"
#: Layouts are given as dicts: a Layout built at import time would open a comm.
_WIDE = {"width": "100%"}


class FinishPage(widgets.VBox):
    """The learner's summary, its download, and the certificate when the course is complete."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(layout=_WIDE, **kwargs)
        self.store = AutosaveStore.in_work_dir(CERTIFICATE_FILE, STORE_KIND)
        self.work: LearnerWork = gather_work()
        saved = self.store.load() or {}
        self.name = widgets.Text(
            value=str(saved.get("name", "")),
            description="Name on your certificate",
            placeholder="for example Sam Rivera",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="min(100%, 36em)"),
        )
        self.name.observe(self._on_name, "value")
        self.status = widgets.HTML()
        self.summary_download = download_button(
            "Download my course summary (HTML)", self.summary_file
        )
        self.pdf_download = download_button(
            "Download my certificate (PDF)", self.certificate_pdf_file
        )
        self.html_download = download_button(
            "Download my certificate to print (HTML)", self.certificate_html_file
        )
        self.children = self._build()
        self.add_class("et-finish")

    # -- layout --------------------------------------------------------------------------
    def _build(self) -> tuple[widgets.Widget, ...]:
        preview = widgets.HTML(
            f'<section class="et-summary" aria-label="Your work">'
            f"{html_body(summary_html(self.work, self.name.value))}</section>",
            layout=_WIDE,
        )
        parts: list[widgets.Widget] = [
            widgets.HTML(
                "<h3>Share your work</h3><p>One file with everything above, to open in any "
                "browser and share with partners who do not use Jupyter.</p>"
            ),
            self.summary_download,
            widgets.HTML("<h3>Your certificate</h3>"),
        ]
        if self.work.progress.complete:
            parts += [
                widgets.HTML(
                    "<p>You have completed every module. Type the name you want on your "
                    f"certificate; it stays on your computer or workshop account.</p>"
                    f"<p><em>{html.escape(STATEMENT)}</em></p>"
                ),
                self.name,
                widgets.HBox(
                    [self.pdf_download, self.html_download],
                    layout=widgets.Layout(flex_flow="row wrap", grid_gap="8px"),
                ),
                self.status,
            ]
        else:
            parts.append(widgets.HTML(self.left_html()))
        return (preview, *parts)

    def left_html(self) -> str:
        """What is left before the certificate, with a link to each module."""
        here = lesson(FINISH_ID)
        rows = []
        for item in self.work.progress.required:
            if item.complete:
                continue
            todo = todo_words(item)
            href = html.escape(relative_href(here, item.lesson))
            rows.append(
                f'<li><a href="{href}">{html.escape(item.lesson.title)}</a>: {html.escape(todo)}</li>'
            )
        return (
            "<p>Your certificate of completion is ready here once every module is complete. "
            f"Still to do:</p><ul>{''.join(rows)}</ul>"
        )

    # -- saving and files ----------------------------------------------------------------
    def _on_name(self, change: dict[str, Any]) -> None:
        try:
            self.store.save({"name": str(change["new"])})
        except OSError as exc:
            self.status.value = notice_html(
                "error", f"Your name could not be saved ({exc.strerror or exc}); it is still here."
            )
            return
        self.status.value = ""

    def summary_file(self) -> tuple[str, bytes]:
        """The summary file (made when the learner clicks)."""
        self.work = gather_work()
        return "my_course_summary.html", summary_html(self.work, self.name.value).encode("utf-8")

    def _certificate(self) -> Any:
        self.work = gather_work()
        return certificate_for(self.name.value, self.work.progress, dt.date.today())

    def certificate_pdf_file(self) -> tuple[str, bytes]:
        """The certificate as PDF (CourseInputError naming what is missing, if anything)."""
        return "certificate_of_completion.pdf", certificate_pdf(self._certificate())

    def certificate_html_file(self) -> tuple[str, bytes]:
        """The certificate as print-ready HTML."""
        return "certificate_of_completion.html", certificate_html(self._certificate()).encode(
            "utf-8"
        )


def finish_page() -> widgets.Widget:
    """The finish page's exercise, ready to display (a message if it cannot be built)."""
    return shown_or_explained(FinishPage)
