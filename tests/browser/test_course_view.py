"""The course view in real Chromium: a learner who never sees code finishes the course.

Voila renders every page on a real JupyterLab server (the server extension, as
``make course`` runs it). The learner follows the Next links from the welcome
page through every module, does every exercise with clicks, typing and uploads
(the fictional example community's filled templates), reaches the finish page,
and downloads the course summary and the certificate as real browser downloads.
Other tests reload the assessment mid-way and kill the kernel mid-exercise.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
from pathlib import Path

import psutil
import pytest
from course_view_ui import CourseView
from lab_server import LabServer
from playwright.sync_api import Page, expect
from screenshots import Screenshots

from endtrafficking.examples import EXAMPLE_ASSESSMENT_FILE, EXAMPLE_INVENTORY_FILE, example_path

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(600)]

REFLECTION = "The Restoration gap surprised our team; the county shelter network could check it."
OWNER = "coalition coordinator"
PARTNER = "Elderbrook Anti-Trafficking Task Force (fictional)"
LEARNER = "Sam Rivera"
STEPS = [
    "Step 1, Strategy",
    "Step 2, Possibility",
    "Step 3, Context",
    "Step 4, Engage",
    "Finish",
]


@pytest.fixture
def course(page: Page, lab_server: LabServer) -> CourseView:
    """The course view at 1366 x 900, on a fresh server and a fresh copy of the course."""
    page.set_viewport_size({"width": 1366, "height": 900})
    return CourseView(page, lab_server)


def do_page(course: CourseView, shots: Screenshots, name: str) -> None:
    """Answer the page's knowledge checks and reflection; the page then says it is done."""
    course.assert_no_code()
    assert course.answer_knowledge_checks() > 0
    course.write_reflection(REFLECTION)
    course.expect_page_done()
    shots.take(course.page, f"{name}-done")


def map_every_part(course: CourseView) -> None:
    """Tick one focus area for every part of every model, then check the mapping."""
    mapping = course.widget("et-model-mapping")
    rows = mapping.locator(".widget-hbox")
    for i in range(rows.count()):
        box = rows.nth(i).locator("input[type=checkbox]").first
        box.scroll_into_view_if_needed()
        box.check()
    mapping.get_by_role("button", name="Check my mapping").click()
    expect(mapping.locator(".et-notice").first).to_be_visible()


def fill_plan(course: CourseView) -> None:
    """Fill every card of the action plan, adding gaps from areas the plan check names."""
    plan = course.widget("et-action-plan")
    when = (dt.date.today() + dt.timedelta(days=180)).isoformat()
    filled = 0
    for _round in range(8):
        goals = plan.get_by_label("Goal")
        for i in range(filled, goals.count()):
            goals.nth(i).fill(f"Close gap {i + 1} with partners in the fictional county.")
            plan.get_by_label("First step").nth(i).fill(
                "Meet the partners and agree who does what."
            )
            plan.get_by_label("Owner (a role, not a person's name)").nth(i).fill(OWNER)
            plan.get_by_label("Target date").nth(i).fill(when)
            plan.get_by_label("Partners (separate with ;)").nth(i).fill(PARTNER)
            plan.get_by_label("Partners (separate with ;)").nth(i).blur()
        filled = goals.count()
        check = plan.locator(".et-notice").last
        if "Ready" in check.inner_text():
            return
        missing = re.search(r"No action covers ([A-Za-z ]+) \(", plan.inner_text())
        if not missing:
            continue
        picker = plan.get_by_label("Add another gap to the plan")
        option = picker.locator("option", has_text=f"({missing.group(1)}").first
        picker.select_option(value=option.get_attribute("value"))
        plan.get_by_role("button", name="Add to plan").click()
        expect(plan.get_by_label("Goal")).to_have_count(filled + 1)
    expect(plan).to_contain_text("Ready")


def test_a_learner_finishes_the_course_without_seeing_code(
    course: CourseView, shots: Screenshots, tmp_path: Path
) -> None:
    """Can a learner go from the welcome page through every module to the summary and the
    certificate, by clicking and typing only, and download both?"""
    page = course.page
    course.open("modules/00_welcome.ipynb")
    expect(page).to_have_title(re.compile("^Welcome"))
    expect(page.locator(".et-course-map")).to_contain_text("Not started")
    shots.take(page, "welcome")
    do_page(course, shots, "welcome")

    assert course.next().startswith(STEPS[0])
    map_every_part(course)
    do_page(course, shots, "strategy")

    assert course.next().startswith(STEPS[1])
    inventory = course.widget("et-inventory")
    course.upload(inventory, example_path(EXAMPLE_INVENTORY_FILE))
    expect(inventory).to_contain_text("Elderbrook County Sheriff's Office (fictional)")
    do_page(course, shots, "possibility")

    assert course.next().startswith(STEPS[2])
    assessment = course.widget("et-assessment")
    course.upload(assessment, example_path(EXAMPLE_ASSESSMENT_FILE))
    expect(assessment).to_contain_text("Imported 29 rated indicators")
    # The example leaves PRE4 to the learner: rate it by hand.
    pre4 = assessment.locator(
        ".widget-toggle-buttons", has=page.get_by_text("PRE4 rating", exact=True)
    ).get_by_role("button", name="1 Emerging", exact=True)
    pre4.scroll_into_view_if_needed()
    pre4.click()
    report = course.download("Download the report (HTML, to read and print)", tmp_path)
    assert "Elderbrook County (fictional)" in report.read_text(encoding="utf-8")
    do_page(course, shots, "context")

    assert course.next().startswith(STEPS[3])
    fill_plan(course)
    do_page(course, shots, "engage")

    # The course bar is worked out when a page opens (the footer follows live work).
    assert course.next().startswith(STEPS[4])
    expect(page.locator(".et-course-nav-top")).to_contain_text("5 of 5 modules complete")
    course.assert_no_code()
    summary = course.download("Download my course summary (HTML)", tmp_path)
    text = summary.read_text(encoding="utf-8")
    assert "Elderbrook County (fictional)" in text and REFLECTION in text
    assert "Modules complete: 5 of 5." in text
    name = page.get_by_label("Name on your certificate")
    name.fill(LEARNER)
    name.blur()
    pdf = course.download("Download my certificate (PDF)", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    printable = course.download("Download my certificate to print (HTML)", tmp_path)
    certificate = printable.read_text(encoding="utf-8")
    assert LEARNER in certificate and "not a graded result" in certificate
    shots.take(page, "finish")
    cert_page = page.context.new_page()
    cert_page.goto(printable.as_uri())
    expect(cert_page.get_by_text(LEARNER)).to_be_visible()
    shots.take(cert_page, "certificate")
    cert_page.close()


def test_a_reload_mid_assessment_restores_every_answer(
    course: CourseView, shots: Screenshots
) -> None:
    """After rating and typing in the assessment, does a reload bring back every answer?"""
    page = course.page
    course.open("modules/03_context.ipynb")
    assessment = course.widget("et-assessment")
    community = assessment.get_by_label("Community")
    community.fill("Testville (fictional)")
    community.blur()
    assessment.get_by_role("button", name="2 Established").first.click()
    evidence = assessment.get_by_label(re.compile(r"^PRE1 evidence")).first
    evidence.fill("Two school districts run annual prevention training (aggregate).")
    evidence.blur()
    shots.take(page, "before-reload")
    page.reload()
    course.wait_ready()
    assessment = course.widget("et-assessment")
    expect(assessment.get_by_label("Community")).to_have_value("Testville (fictional)")
    expect(assessment.get_by_label(re.compile(r"^PRE1 evidence")).first).to_have_value(
        "Two school districts run annual prevention training (aggregate)."
    )
    selected = assessment.locator("button.mod-active", has_text="2 Established")
    expect(selected.first).to_be_visible()
    shots.take(page, "after-reload")


def _kernels(server: LabServer) -> list[psutil.Process]:
    procs = psutil.Process(server.process.pid).children(recursive=True)
    return [p for p in procs if "ipykernel" in " ".join(p.cmdline())]


def test_a_dead_kernel_says_so_and_nothing_is_lost(course: CourseView, shots: Screenshots) -> None:
    """When the kernel dies mid-exercise, does the page say so, refuse typing, and after a
    reload show everything entered before?"""
    page = course.page
    course.open("modules/00_welcome.ipynb")
    course.write_reflection(REFLECTION)
    page.wait_for_timeout(500)  # the answer reaches the kernel and is saved
    for kernel in _kernels(course.server):
        os.kill(kernel.pid, signal.SIGKILL)
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("lost its connection", timeout=40_000)
    expect(banner).to_contain_text("saved")
    shots.take(page, "kernel-gone")
    box = course.widget("et-reflection").locator("textarea").first
    with pytest.raises(Exception):  # noqa: B017 - any refusal to type will do
        box.fill("typed into a dead page", timeout=3_000)
    banner.get_by_role("button", name="Reload the page").click()
    course.wait_ready()
    expect(course.widget("et-reflection").locator("textarea").first).to_have_value(REFLECTION)
    expect(page.get_by_role("alert")).to_have_count(0)
    shots.take(page, "after-reload")
