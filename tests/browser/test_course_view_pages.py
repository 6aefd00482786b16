"""Every page of the course view, in real Chromium: no code, no error, and axe-core clean.

Each lesson listed in course.yaml is opened as a course page on one shared
server, at 1366 and at 1024 pixels wide. The page must show no code and no
error, nothing may be wider than the page, and axe-core (from npm, installed by
``make browser-deps``) must find no critical and no serious violation anywhere
on it. Screenshots of every page at both widths go to ``test-artifacts/``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import new_page
from course_view_ui import CourseView
from lab_server import copy_course, start_lab
from playwright.sync_api import Browser
from screenshots import REPO_ROOT, Screenshots

from endtrafficking.course_meta import load_course

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

REPORT_DIR = REPO_ROOT / "test-artifacts" / "accessibility" / "course-view"
FAILING_IMPACTS = ("critical", "serious")
WIDTHS = (1366, 1024)
LESSONS = [les.path for les in load_course().lessons]

AXE_RUN_JS = """
async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200)})),
  }));
}
"""
#: Anything wider than the page's own column (a widget that makes the page scroll sideways).
TOO_WIDE_JS = """
() => {
  const column = document.querySelector('#rendered_cells');
  const limit = column.getBoundingClientRect().right + 1;
  return [...column.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > limit && el.getClientRects().length)
    .filter(el => !el.closest('.jp-OutputArea-output[style*="overflow"], table'))
    .slice(0, 5).map(el => el.tagName + '.' + el.className);
}
"""


@pytest.fixture(scope="module")
def course(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CourseView]:
    """One server and one browser page for every page of the course."""
    tmp = tmp_path_factory.mktemp("course-pages")
    server = start_lab(copy_course(tmp / "course"), tmp / "state")
    page = new_page(browser, [])
    try:
        yield CourseView(page, server)
    finally:
        page.context.close()
        server.stop()


def _full_page(view: CourseView, shots: Screenshots, width: int, name: str) -> Path:
    page = view.page
    page.set_viewport_size({"width": width, "height": 900})
    height = page.evaluate("() => document.querySelector('#rendered_cells').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(max(height, 900), 12000)})
    page.wait_for_timeout(300)
    path = shots.take(page, f"{name}-{width}")
    page.set_viewport_size({"width": width, "height": 900})
    return path


@pytest.mark.parametrize("path", LESSONS)
def test_course_page_is_clean_and_accessible(
    path: str, course: CourseView, axe_script: Path, shots: Screenshots
) -> None:
    """Does the page show no code or error, fit the page at both widths, and pass axe-core?"""
    name = Path(path).stem
    for width in WIDTHS:
        course.page.set_viewport_size({"width": width, "height": 900})
        course.open(path)
        course.assert_no_code()
        wide = course.page.evaluate(TOO_WIDE_JS)
        _full_page(course, shots, width, name)
        assert not wide, f"{path} at {width} px: wider than the page: {wide}"
    course.page.add_script_tag(path=str(axe_script))
    violations = course.page.evaluate(AXE_RUN_JS)
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    (REPORT_DIR / f"{name}.json").write_text(json.dumps(violations, indent=2), encoding="utf-8")
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not failing, f"{path}: " + json.dumps(failing, indent=1)
