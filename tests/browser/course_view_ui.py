"""What a learner does in the course view (Voila pages), as Playwright steps.

A page is ready when Voila has shown it, the course bar is at its top and every
widget has drawn itself (no "Loading widget..." left). Steps click and type as a
learner does; nothing runs code in the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from browser_support import download
from lab_server import LabServer
from playwright.sync_api import Locator, Page, expect

#: Every widget on the page has drawn itself (Voila shows this text until it has).
_WIDGETS_READY_JS = """
() => {
  const cells = document.querySelector('#rendered_cells');
  if (!cells || cells.style.display === 'none') return false;
  if (!document.querySelector('.et-course-nav-top')) return false;
  return !cells.innerText.includes('Loading widget');
}
"""
#: Words that must never reach a learner on a course page.
NEVER_SHOWN = (
    "Traceback",
    "from endtrafficking",
    "import endtrafficking",
    "Error displaying widget",
    "NotImplementedError",
    "Exception",
)
PAGE_TIMEOUT_MS = 120_000


@dataclass
class CourseView:
    """The course view in one browser page, on a real server."""

    page: Page
    server: LabServer | None  # None where pages are reached by links only (on a hub)

    def url(self, path: str) -> str:
        """The page URL of a notebook, with the server's token."""
        assert self.server is not None, "this course view is reached by links only"
        return f"{self.server.base_url}/voila/render/{path}?token={self.server.token}"

    def open(self, path: str) -> None:
        """Open a lesson's page and wait until a learner can use it."""
        self.page.goto(self.url(path))
        self.wait_ready()

    def wait_ready(self) -> None:
        """Wait until the page is shown, its course bar placed and its widgets drawn."""
        self.page.wait_for_function(_WIDGETS_READY_JS, timeout=PAGE_TIMEOUT_MS, polling=200)

    def text(self) -> str:
        """Everything the page shows, as text."""
        return self.page.locator("#rendered_cells").inner_text()

    def assert_no_code(self) -> None:
        """No code cell, no code and no error is shown on the page."""
        code = "#rendered_cells :is(.jp-CodeCell .jp-InputArea, .jp-InputArea-editor, .cm-editor)"
        expect(self.page.locator(f"{code}:visible")).to_have_count(0)
        shown = self.text()
        for words in NEVER_SHOWN:
            assert words not in shown, f"the page shows {words!r}"

    def next(self) -> str:
        """Follow the page's Next link; return the title it promised."""
        link = self.page.locator("a.et-next").last
        title = link.inner_text().removeprefix("Next: ").strip()
        link.click()
        self.wait_ready()
        return title

    def widget(self, css_class: str) -> Locator:
        """A course widget on the page by its class (et-assessment, et-knowledge-check...)."""
        return self.page.locator(f"#rendered_cells .{css_class}")

    def answer_knowledge_checks(self) -> int:
        """Choose the first option of every knowledge check and check it; return how many."""
        checks = self.widget("et-knowledge-check")
        count = checks.count()
        for i in range(count):
            check = checks.nth(i)
            check.scroll_into_view_if_needed()
            check.locator("input[type=radio], input[type=checkbox]").first.check()
            check.get_by_role("button", name="Check my answer").click()
            expect(check.locator(".et-notice").first).to_be_visible()
        return count

    def write_reflection(self, text: str) -> None:
        """Type a reflection into the page's reflection box."""
        box = self.widget("et-reflection").locator("textarea").first
        box.scroll_into_view_if_needed()
        box.fill(text)
        box.blur()

    def footer(self) -> Locator:
        """The end of the page (what is left, and the Next link)."""
        return self.page.locator(".et-course-footer").last

    def expect_page_done(self) -> None:
        """The end of the page says that everything on it is done."""
        footer = self.footer()
        footer.scroll_into_view_if_needed()
        expect(footer).to_contain_text("You have done everything on this page.")

    def upload(self, widget: Locator, file: Path) -> None:
        """Click the widget's upload button and pick ``file`` in the browser's file chooser."""
        button = widget.locator("button.widget-upload").first
        button.scroll_into_view_if_needed()
        with self.page.expect_file_chooser() as chooser:
            button.click()
        chooser.value.set_files(str(file))

    def download(self, button_name: str, folder: Path) -> Path:
        """Click a download button by its label and return the file the browser saved."""
        button = self.page.get_by_role("button", name=button_name)
        button.scroll_into_view_if_needed()
        return download(self.page, button, folder)
