"""The community-assessment widget, driven without a browser: set values, click, read state."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import ipywidgets as widgets
import pytest

from endtrafficking.examples import example_assessment
from endtrafficking.inventory import InventoryEntry, store_inventory
from endtrafficking.saved_assessment import save_learner_assessment, saved_assessment_path
from endtrafficking.storage import load_assessment, to_csv, to_xlsx_bytes
from endtrafficking.widgets import assessment as module
from endtrafficking.widgets import assessment_transfer
from endtrafficking.widgets.assessment import NOT_RATED, AssessmentExercise, assessment_exercise
from endtrafficking.workspace import work_dir


def upload(w: AssessmentExercise, name: str, content: bytes) -> None:
    """What the browser sends when a learner picks a file in the upload control."""
    w.upload.value = (
        {
            "name": name,
            "type": "",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime(2026, 1, 1, tzinfo=UTC),
        },
    )


def saved():
    return load_assessment(saved_assessment_path())


@pytest.fixture
def w() -> AssessmentExercise:
    return AssessmentExercise()


def test_rating_change_rescores_redraws_and_saves(w):
    """Does a rating change re-score, redraw the chart and the gaps, and save at once?"""
    before_chart = w.chart_svg
    assert w.radar_data()["prevention"] == 0.0
    assert "PRE1" in set(w.gap_table()["indicator_id"])
    for ind in w.framework.area("prevention").indicators:
        w.ratings[ind.id].value = 3
    assert w.radar_data()["prevention"] == 100.0
    # The drawn chart says the same values as radar_data, as text in the page's font.
    assert w.chart_svg != before_chart
    assert w.chart_svg.startswith("<svg") and w.chart.value == w.chart_svg
    assert ">100/100<" in w.chart_svg and 'role="img"' in w.chart_svg
    assert 'aria-label="Radar chart of coverage' in w.chart.value
    assert "<span>Prevention</span> <strong>100</strong>" in w.chart_text.value
    assert "<pre" not in w.chart_text.value
    assert not any(i.startswith("PRE") for i in w.gap_table()["indicator_id"])
    assert "PRE1" not in w.gaps_html.value
    assert saved().responses["PRE5"].rating == 3
    w.ratings["PRE5"].value = NOT_RATED
    assert saved().responses["PRE5"].rating is None
    assert w.radar_data()["prevention"] == 80.0
    # "Not rated yet" and 0 both count as 0: the chart stays, the summary counts the rating.
    chart, summary = w.chart_svg, w.balance_note.value
    w.ratings["PRE5"].value = 0
    assert w.chart_svg == chart and w.balance_note.value != summary
    assert saved().responses["PRE5"].rating == 0


def test_every_answer_comes_back_after_a_restart(w):
    """Do ratings, evidence, organizations, notes, context and the name survive a rebuild?"""
    w.community.value = "Testbrook (fictional)"
    w.ratings["RST2"].value = 1
    w.evidence["RST2"].value = "One caseworker covers three counties (aggregate)."
    w.organizations["RST2"].value = "Aftercare House (fictional);  Legal Aid (fictional)"
    w.notes["RST2"].value = "Ask the coalition."
    w.context["CTX2"].value = "Farm work and hotels."
    again = AssessmentExercise()  # what running the cell again after a restart builds
    assert again.community.value == "Testbrook (fictional)"
    assert again.ratings["RST2"].value == 1
    assert again.evidence["RST2"].value == "One caseworker covers three counties (aggregate)."
    assert again.organizations["RST2"].value == "Aftercare House (fictional); Legal Aid (fictional)"
    assert again.notes["RST2"].value == "Ask the coalition."
    assert again.context["CTX2"].value == "Farm work and hotels."
    assert again.radar_data()["restoration"] == pytest.approx(100 / 15, abs=0.1)
    assert "restored" in again.status.value
    assert again.assessment == saved()


def test_damaged_save_is_recovered_from_the_previous_version(w):
    """Does a damaged save come back from .bak, with a message and no traceback?"""
    w.ratings["JUS1"].value = 2
    w.ratings["JUS2"].value = 3
    saved_assessment_path().write_text("{ half-written", encoding="utf-8")
    again = AssessmentExercise()
    assert again.ratings["JUS1"].value == 2  # the previous version had JUS1 only
    assert "previous version" in again.status.value and "et-warn" in again.status.value
    assert (work_dir() / "assessment.json.damaged").exists()


def test_a_save_that_fails_is_reported_and_the_answer_kept(w, monkeypatch):
    """Does a failed save show a message while the answer stays on screen?"""

    def full_disk(_a):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(module, "save_learner_assessment", full_disk)
    w.ratings["PRE1"].value = 2
    assert "Not saved" in w.saved.value and "No space left" in w.saved.value
    assert "et-error" in w.saved.value
    assert w.assessment.responses["PRE1"].rating == 2
    monkeypatch.undo()
    w.ratings["PRE1"].value = 3
    assert "Saved at" in w.saved.value and "et-error" not in w.saved.value
    assert saved().responses["PRE1"].rating == 3


def test_upload_of_a_filled_csv_replaces_answers_after_a_backup(w):
    """Does uploading a filled CSV import it, update the widget, and back up the old answers?"""
    w.ratings["PRE1"].value = 1
    w.evidence["PRE1"].value = "my earlier answer"
    example = example_assessment()
    upload(w, "filled.csv", to_csv(example).encode("utf-8-sig"))
    assert "Imported" in w.import_status.value
    assert w.assessment == example and saved() == example
    assert w.community.value == example.community
    assert w.ratings["RST1"].value == example.responses["RST1"].rating
    assert "Fictional example" in w.fictional_note.value
    assert w.gap_table().iloc[0]["area"] == "Restoration"
    backups = list(work_dir().glob("assessment_before_import_*.json"))
    assert len(backups) == 1
    assert load_assessment(backups[0]).responses["PRE1"].evidence == "my earlier answer"


def test_import_of_a_filled_xlsx_by_path(w):
    """Does typing the path of a filled XLSX and clicking Import load it?"""
    example = example_assessment()
    path = work_dir() / "filled.xlsx"
    path.write_bytes(to_xlsx_bytes(example))
    w.import_path.value = str(path)
    w.import_button.click()
    assert "Imported" in w.import_status.value and "filled.xlsx" in w.import_status.value
    assert w.assessment == example
    assert w.radar_data()["justice"] > 90


def test_bad_import_shows_the_problem_and_keeps_the_answers(w):
    """Does a file with a bad rating show where and why, and leave the answers as they were?"""
    w.ratings["IDE1"].value = 2
    rows = list(csv.reader(io.StringIO(to_csv(example_assessment()))))
    pre2 = next(i for i, row in enumerate(rows) if row[1] == "PRE2")
    rows[pre2][3] = "seven"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    upload(w, "broken.csv", buffer.getvalue().encode())
    message = w.import_status.value
    assert "Problem: nothing was imported" in message
    assert "broken.csv" in message and f"row {pre2 + 1}" in message and "How to fix it" in message
    assert "Traceback" not in message
    assert w.ratings["IDE1"].value == 2 and saved().responses["IDE1"].rating == 2
    assert not list(work_dir().glob("assessment_before_import_*"))
    w.import_path.value = "no_such_file.xlsx"
    w.import_button.click()
    assert "does not exist" in w.import_status.value
    upload(w, "notes.txt", b"hello")
    assert "not one the course reads" in w.import_status.value
    assert saved().responses["IDE1"].rating == 2


def test_exports_hold_the_answers(w):
    """Do the CSV, XLSX and HTML downloads hold the answers (the spreadsheets load back)?"""
    w.community.value = "Testbrook <fictional>"
    w.ratings["RES3"].value = 2
    w.evidence["RES3"].value = "Two placements for minors (aggregate)."
    files = {kind: w.export_buttons[kind].deliver() for kind in ("csv", "xlsx", "html")}
    for kind, (name, data) in files.items():
        assert name == module.EXPORT_NAMES[kind] and data
        if kind != "html":
            path = work_dir() / name
            path.write_bytes(data)
            assert load_assessment(path) == w.assessment
    page = files["html"][1].decode("utf-8")
    assert "Testbrook &lt;fictional&gt;" in page and "<fictional>" not in page
    assert "RES3" in page


def test_export_failure_is_a_message(w, monkeypatch):
    """Is a failed export shown as a message rather than a traceback?"""

    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(assessment_transfer, "assessment_bytes", refuse)
    assert w.export_buttons["csv"].deliver() is None
    assert w.export_buttons["csv"].status.startswith("Problem: the file could not be made.")


def test_free_text_shows_privacy_warnings(w):
    """Do free-text fields warn about an email or a personal phone number, but not the hotline?"""
    w.evidence["IDE4"].value = "Posters show the hotline 1-888-373-7888."
    assert w.warnings["IDE4"].value == ""
    w.notes["IDE4"].value = "Ask jo@example.org"
    assert "email address" in w.warnings["IDE4"].value
    w.context["CTX1"].value = "Call 555-201-4477 for details"
    assert "phone number" in w.warnings["CTX1"].value
    w.context["CTX1"].value = "Young people leaving care"
    assert w.warnings["CTX1"].value == ""


def test_stepper_walks_the_sections(w):
    """Do Previous and Next walk the areas and supporting sections, with the name shown?"""
    assert "Step 1 of 8: Prevention" in w.step_label.value
    assert w.previous_button.disabled
    w.next_button.click()
    assert "Step 2 of 8: Identification" in w.step_label.value
    assert w.ratings["IDE1"] in w.shown_page().children[1].children
    w.section.value = 7
    assert "Safeguards" in w.step_label.value and w.next_button.disabled
    w.previous_button.click()
    assert "Local context" in w.step_label.value


def test_every_control_has_a_visible_label(w):
    """Does every input control carry a visible description?"""
    w.build_all_pages()
    assert len(w.ratings) == 30 and len(w.context) == 9
    controls = [
        w.community,
        w.section,
        w.upload,
        w.import_path,
        *w.ratings.values(),
        *w.evidence.values(),
        *w.organizations.values(),
        *w.notes.values(),
        *w.context.values(),
    ]
    for control in controls:
        assert control.description.strip(), control
    for button in [w.previous_button, w.next_button, w.import_button]:
        assert button.description.strip()
    assert all(b.label.startswith("Download") for b in w.export_buttons.values())
    labels = [label for label, _ in w.ratings["PRE1"].options]
    assert labels == ["Not rated yet", "0 Absent", "1 Emerging", "2 Established", "3 Strong"]
    # The chart is an inline SVG image labelled with its text equivalent; with nothing
    # rated yet it says what to do, and the words beside it say the same.
    assert 'role="img"' in w.chart.value and "Rate a few indicators" in w.chart.value
    assert "Rate a few indicators to see your chart" in w.chart_text.value
    assert "Strongest" not in w.chart_text.value and "Even" not in w.balance_note.value


def test_factory_shows_a_message_when_the_framework_is_broken(tmp_path, monkeypatch):
    """Does the one-line factory show a message, not a traceback, for a broken framework?"""
    assert isinstance(assessment_exercise(), AssessmentExercise)
    (tmp_path / "framework.yaml").write_text("areas: [", encoding="utf-8")
    monkeypatch.setenv("ENDTRAFFICKING_TEMPLATES", str(tmp_path))
    shown = assessment_exercise()
    assert isinstance(shown, widgets.HTML) and "How to fix it" in shown.value


def test_saved_learner_file_restores_an_earlier_session():
    """Is an assessment saved by another session (or nbgrader) shown when the widget starts?"""
    save_learner_assessment(example_assessment())
    w = AssessmentExercise()
    assert w.ratings["JUS1"].value == example_assessment().responses["JUS1"].rating
    assert w.gap_table().iloc[0]["indicator_id"] == "RST1"


def test_inventory_organizations_are_suggested_per_area():
    """Does each area page list the inventory's organizations serving that area?"""
    store_inventory([InventoryEntry("Aftercare House (fictional)", focus_areas=["restoration"])])
    w = AssessmentExercise()
    restoration = w.section_titles.index("Restoration")
    assert "Aftercare House (fictional)" in w.page_box(restoration).children[0].value
    assert "Aftercare House" not in w.page_box(0).children[0].value


def test_sections_are_built_when_first_needed():
    """Is only the first section built at first, with later ones built, filled and live
    when shown or asked for?"""
    save_learner_assessment(example_assessment())
    w = AssessmentExercise()
    assert set(w.ratings) == {i.id for i in w.framework.area("prevention").indicators}
    w.section.value = w.section_titles.index("Justice")
    assert w.ratings["JUS1"].value == example_assessment().responses["JUS1"].rating
    assert w.shown_page() is w.page_box(w.section.value)
    w.context["SAF1"].value = "Only aggregate figures leave the team."  # builds Safeguards
    assert saved().context["SAF1"] == "Only aggregate figures leave the team."
    with pytest.raises(KeyError):
        w.ratings["NOPE1"]


def test_the_empty_state_says_what_to_do_until_a_first_rating(w):
    """Does a first rating (even a 0) replace the empty-state prompt with a result?"""
    assert "Nothing rated yet" in w.balance_note.value
    w.ratings["PRE1"].value = 0
    assert "Rate a few indicators" not in w.chart_text.value
    assert "Strongest" in w.chart_text.value and "Readiness" in w.balance_note.value
    assert "Saved at" in w.saved.value


def test_each_area_page_shows_what_the_ratings_mean(w):
    """Is the meaning of every rating on the scale visible text on each area page?"""
    first = w.page_box(0).children[0].value
    for level in w.framework.scale:
        assert f"{level.value} {level.label}</strong>: {level.description}" in first


def test_neighbour_sections_are_built_in_the_background(monkeypatch):
    """In a running kernel loop, is the next section built and placed hidden, ready for Next?"""
    import asyncio
    import concurrent.futures

    monkeypatch.setattr(module, "PREPARE_DELAY_S", 0)

    async def in_a_kernel() -> AssessmentExercise:
        w = AssessmentExercise()
        assert w._pages[1] is None  # the learner's page comes first
        await asyncio.sleep(0.05)
        return w

    # Its own thread: an event loop another test left running in this one would refuse.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        w = pool.submit(asyncio.run, in_a_kernel()).result()
    ready = w._pages[1]
    assert ready is not None and ready in w.page.children
    assert ready.layout.display == "none" and w.shown_page() is w.page_box(0)
    w.next_button.click()
    assert w.shown_page() is ready and w.page_box(0).layout.display == "none"
