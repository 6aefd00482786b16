"""The coordinator's coalition widget (05_coalition) in real JupyterLab and Chromium.

The coordinator uploads three partners' files through the browser's file
picker, sees the agreement heatmap, settles one disagreement with the agreed
rating menu, and downloads the combined assessment as a real browser
download, which the course's own reader opens with the decision in it.
Screenshots at 1024 and 1366 pixels wide.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lab_ui import Lab
from playwright.sync_api import expect
from screenshots import Screenshots

from endtrafficking.coalition.combined_file import read_combination
from endtrafficking.coalition.example_partners import example_partner_assessments
from endtrafficking.framework import load_framework
from endtrafficking.storage import load_assessment, save_assessment

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]
WIDTHS = (1024, 1366)


def partner_files(folder: Path) -> list[Path]:
    """Three FICTIONAL partners' filled templates: two workbooks and a CSV."""
    folder.mkdir(parents=True, exist_ok=True)
    names = ["shelter.xlsx", "school.xlsx", "hospital.csv"]
    return [
        save_assessment(a, folder / n)
        for a, n in zip(example_partner_assessments(), names, strict=True)
    ]


def shoot(lab: Lab, shots: Screenshots, step: str) -> None:
    """The widget at both widths."""
    for width in WIDTHS:
        lab.page.set_viewport_size({"width": width, "height": 900})
        shots.take(lab.page, f"{step}-{width}")
    lab.page.set_viewport_size({"width": 1366, "height": 900})


def test_coordinator_combines_settles_and_downloads(lab: Lab, shots: Screenshots, tmp_path: Path):
    """Can a coordinator upload three files, see the heatmap, settle one disagreement, and
    download a combined assessment that holds the decision?"""
    page = lab.page
    lab.open("modules/05_coalition.ipynb")
    state = lab.run_all()
    assert not state.problems(), state.problems()
    widget = lab.widget_output("et-coalition")
    widget.scroll_into_view_if_needed()

    with page.expect_file_chooser() as chooser:
        widget.get_by_role("button", name=re.compile(r"Upload partners' files")).click()
    chooser.value.set_files([str(p) for p in partner_files(tmp_path / "in")])
    expect(widget.get_by_text(re.compile(r"Read 3 file\(s\)"))).to_be_visible()
    for name in ("shelter.xlsx", "school.xlsx", "hospital.csv"):
        expect(widget.get_by_role("checkbox", name=f"Use {name}")).to_be_checked()
    combine = widget.get_by_role("button", name="Combine the partners' files")
    expect(combine).to_be_enabled()
    shoot(lab, shots, "files-uploaded")

    combine.click()
    heatmap = widget.locator("img[alt^='Agreement heatmap']")
    expect(heatmap).to_be_visible()
    assert page.evaluate(
        "(img) => img.naturalWidth > 300 && img.complete", heatmap.element_handle()
    )
    heatmap.scroll_into_view_if_needed()
    shoot(lab, shots, "heatmap")

    decision = widget.get_by_label(re.compile(r"^Agreed rating for RST1"))
    decision.scroll_into_view_if_needed()
    decision.select_option(label="2 Established")
    expect(
        widget.get_by_text(re.compile(r"disagreement\(s\) not settled yet|Every disagreement"))
    ).to_be_visible()
    expect(widget.get_by_text(re.compile(r"not settled yet: .*RST1"))).to_have_count(0)
    shoot(lab, shots, "disagreement-settled")

    button = widget.get_by_role("button", name="Download the combined assessment (XLSX)")
    button.scroll_into_view_if_needed()
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "combined_assessment.xlsx"
    saved = tmp_path / "downloaded.xlsx"
    download.save_as(saved)
    framework = load_framework()
    combination = read_combination(saved, framework)
    assert combination is not None and len(combination.partners) == 3
    assert combination.agreed.get("RST1") == 2
    assert load_assessment(saved, framework).responses["RST1"].rating == 2
    expect(widget.get_by_text("Downloaded combined_assessment.xlsx")).to_be_visible()
    shoot(lab, shots, "downloaded")

    # The report for partners is a real download too, and reads well on its own.
    report_button = widget.get_by_role("button", name="Download the report for partners (HTML)")
    with page.expect_download() as info:
        report_button.click()
    report_path = tmp_path / "report.html"
    info.value.save_as(report_path)
    html = report_path.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html and "<script" not in html
    report = page.context.new_page()
    report.goto(report_path.as_uri())
    agreement = report.get_by_role("heading", name="Partners' ratings and where they agree")
    expect(agreement).to_be_visible()
    expect(
        report.get_by_role("heading", name="Discussion list for the consensus meeting")
    ).to_be_visible()
    for width in WIDTHS:
        report.set_viewport_size({"width": width, "height": 900})
        agreement.scroll_into_view_if_needed()
        shots.take(report, f"report-agreement-{width}")
        report.get_by_role(
            "heading", name="Discussion list for the consensus meeting"
        ).scroll_into_view_if_needed()
        shots.take(report, f"report-discussion-{width}")
    report.close()
    for text in ("Traceback", "Error"):
        expect(widget.get_by_text(text, exact=True)).to_have_count(0)
