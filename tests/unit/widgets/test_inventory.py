"""The inventory exercise of module 02, driven without a browser."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from endtrafficking.blank_templates import template_files
from endtrafficking.examples import example_path
from endtrafficking.inventory import (
    InventoryEntry,
    inventory_to_xlsx_bytes,
    load_inventory,
    saved_inventory,
)
from endtrafficking.widgets.inventory import (
    REPLACE,
    InventoryBuilder,
    example_coverage,
    inventory_builder,
    inventory_coverage_chart,
    inventory_coverage_text,
)
from endtrafficking.workspace import INVENTORY_FILE, work_dir

EXAMPLE_CSV = "example_inventory.csv"


def _fill(widget: InventoryBuilder, organization: str, areas: list[str], **text: str) -> None:
    widget.clear_form()
    widget.organization.value = organization
    for area_id in areas:
        widget.area_boxes[area_id].value = True
    for name, value in text.items():
        getattr(widget, name).value = value


@pytest.fixture
def widget() -> InventoryBuilder:
    """A fresh inventory exercise in the test's own working folder."""
    built = inventory_builder()
    assert isinstance(built, InventoryBuilder)
    return built


def test_every_control_has_a_visible_label(widget):
    """Do the text fields, area boxes, list and upload carry visible labels?"""
    for control in (widget.organization, widget.sector, widget.service_type, widget.how_to_refer):
        assert control.description
    assert {b.description for b in widget.area_boxes.values()} == {
        a.name for a in widget.framework.areas
    }
    assert widget.entry_list.description and widget.upload.description
    assert widget.import_mode.description


def test_add_entry_saves_in_the_format_saved_inventory_reads(widget):
    """Does Add save the entry so that inventory.saved_inventory() reads it back?"""
    _fill(
        widget,
        "Hope Shelter (fictional)",
        ["rescue_response", "restoration"],
        sector="Nonprofit",
        how_to_refer="Public intake line",
    )
    widget.add_button.click()
    assert "Added Hope Shelter (fictional)" in widget.message.value
    assert widget.organization.value == ""  # the form is cleared for the next entry
    saved = json.loads((work_dir() / INVENTORY_FILE).read_text(encoding="utf-8"))
    assert saved["kind"] == "inventory"
    assert saved["state"]["entries"][0]["focus_areas"] == ["rescue_response", "restoration"]
    assert saved_inventory() == [
        InventoryEntry(
            organization="Hope Shelter (fictional)",
            sector="Nonprofit",
            focus_areas=["rescue_response", "restoration"],
            how_to_refer="Public intake line",
        )
    ]


def test_incomplete_or_duplicate_entries_are_refused(widget):
    """Are an entry without a name, without an area, or with a taken name refused with a reason?"""
    _fill(widget, "", ["justice"])
    widget.add_button.click()
    assert "organization&#x27;s name" in widget.message.value
    _fill(widget, "Legal Aid (fictional)", [])
    widget.add_button.click()
    assert "at least one focus area" in widget.message.value
    _fill(widget, "Legal Aid (fictional)", ["justice"])
    widget.add_button.click()
    _fill(widget, "legal aid (FICTIONAL)", ["restoration"])
    widget.add_button.click()
    assert "already in your entries" in widget.message.value
    assert len(widget.entries) == 1


def test_edit_and_remove(widget):
    """Can an entry be selected, changed and saved, then removed, with each change saved?"""
    for name in ("A (fictional)", "B (fictional)"):
        _fill(widget, name, ["prevention"])
        widget.add_button.click()
    widget.entry_list.value = 1
    assert widget.organization.value == "B (fictional)"
    widget.area_boxes["justice"].value = True
    widget.update_button.click()
    assert saved_inventory()[1].focus_areas == ["prevention", "justice"]
    widget.entry_list.value = 0
    widget.remove_button.click()
    assert [e.organization for e in saved_inventory()] == ["B (fictional)"]
    widget.remove_button.click()
    assert "Select an entry" in widget.message.value


def test_privacy_warning_on_personal_details(widget):
    """Does typing an email address warn, while an organization's public line does not?"""
    widget.how_to_refer.value = "Public intake line 1-888-373-7888"
    assert widget.privacy.value == ""
    widget.sector.value = "ask jane.doe@example.org"
    assert "Privacy" in widget.privacy.value and "email" in widget.privacy.value


def test_coverage_updates_live(widget):
    """Does the coverage view follow the entries, marking areas with none in words?"""
    assert "No organization in the inventory serves: Prevention" in widget.coverage.value
    _fill(widget, "School (fictional)", ["prevention", "identification"])
    widget.add_button.click()
    frame = widget.coverage_frame()
    assert frame.at["prevention", "organizations"] == 1
    assert frame.at["justice", "organizations"] == 0
    assert "Prevention 1" in widget.coverage.value and 'aria-label="' in widget.coverage.value
    assert ">1 organization<" in widget.coverage.value and "<img" not in widget.coverage.value
    assert "none yet" in widget.coverage.value


def test_chart_marks_empty_areas_with_text(widget):
    """Does the chart write '0: none yet, a gap' for each empty area, not only use a pattern?"""
    frame = widget.coverage_frame()
    svg = inventory_coverage_chart(frame, inventory_coverage_text(frame))
    assert svg.count(">0: none yet, a gap<") == 6 and 'role="img"' in svg
    assert 'aria-label="Organizations per focus area' in svg
    assert inventory_coverage_text(frame).endswith(
        "Prevention, Identification, Rescue and response, Restoration, Justice, Partnership."
    )


def test_import_filled_template_adds_then_replaces(widget):
    """Does importing the example CSV add its entries, and replace mode replace them?"""
    _fill(widget, "Mine (fictional)", ["justice"])
    widget.add_button.click()
    content = example_path(EXAMPLE_CSV).read_bytes()
    assert widget.import_file("filled.csv", content)
    expected = len(load_inventory(example_path(EXAMPLE_CSV)))
    assert len(widget.entries) == expected + 1
    assert f"{expected} added" in widget.message.value
    assert widget.import_file("filled.csv", content)
    assert f"{expected} updated" in widget.message.value and len(widget.entries) == expected + 1
    assert widget.import_file("filled.csv", content, mode=REPLACE)
    assert len(saved_inventory()) == expected
    assert (work_dir() / "uploads" / "filled.csv").exists()


@pytest.mark.parametrize(
    "name", ["resource_inventory_template.csv", "resource_inventory_template.xlsx"]
)
def test_blank_template_imports_without_loss(widget, name):
    """Does the blank template import cleanly, and never replace entries with nothing?"""
    _fill(widget, "Mine (fictional)", ["justice"])
    widget.add_button.click()
    content = template_files()[name]
    assert widget.import_file(name, content)
    assert "0 added" in widget.message.value
    assert not widget.import_file(name, content, mode=REPLACE)
    assert "kept" in widget.message.value
    assert [e.organization for e in saved_inventory()] == ["Mine (fictional)"]


def test_import_through_the_upload_control(widget):
    """Does a file given to the upload control (as the browser does) get imported?"""
    content = example_path(EXAMPLE_CSV).read_bytes()
    upload = {
        "name": "filled.csv",
        "type": "text/csv",
        "size": len(content),
        "content": memoryview(content),
        "last_modified": datetime(2026, 1, 1, tzinfo=UTC),
    }
    widget.upload.value = (upload,)
    assert len(widget.entries) == len(load_inventory(example_path(EXAMPLE_CSV)))
    assert widget.upload.value == ()  # cleared, so the same file can be imported again


def test_bad_import_is_explained_and_changes_nothing(widget):
    """Does a bad file show the file, row and column, and leave the entries as they were?"""
    _fill(widget, "Mine (fictional)", ["justice"])
    widget.add_button.click()
    bad = b"organization,focus_areas\nGood (fictional),Justice\nOther (fictional),Prevnetion\n"
    assert not widget.import_file("mine.csv", bad)
    text = widget.message.value
    assert "mine.csv" in text and "row 3" in text and "focus_areas" in text
    assert "Prevention" in text and "How to fix it" in text
    assert "/" not in text.split("mine.csv")[0].split(">")[-1]  # no working-folder path
    assert [e.organization for e in widget.entries] == ["Mine (fictional)"]
    assert not widget.import_file("notes.txt", b"hello")
    assert ".csv or .xlsx" in widget.message.value


def test_xlsx_export_then_import_round_trip(widget):
    """Does an exported XLSX import back into a fresh exercise unchanged?"""
    _fill(widget, "Clinic (fictional)", ["identification"], service_type="Screening")
    widget.add_button.click()
    name, data = widget.export_xlsx_button.deliver()
    assert name == "inventory_export.xlsx"
    other = InventoryBuilder()
    other.entries = []
    assert other.import_file(name, data, mode=REPLACE)
    assert other.entries == widget.entries
    assert inventory_to_xlsx_bytes(other.entries)[:2] == b"PK"


def test_csv_download_holds_the_entries(widget):
    """Does the CSV download hold the entries, in a spreadsheet-friendly encoding?"""
    _fill(widget, "Clinic (fictional)", ["identification"])
    widget.add_button.click()
    name, data = widget.export_csv_button.deliver()
    assert name == "inventory_export.csv" and data.startswith(b"\xef\xbb\xbf")
    assert "Clinic (fictional)" in data.decode("utf-8-sig")


def test_entries_come_back_after_a_restart(widget):
    """Does rebuilding the exercise (a kernel restart) restore every entry?"""
    _fill(widget, "A (fictional)", ["prevention"])
    widget.add_button.click()
    again = InventoryBuilder()
    assert [e.organization for e in again.entries] == ["A (fictional)"]
    assert "restored" in again.message.value
    assert again.entry_list.options == (("A (fictional) (1 area)", 0),)


def test_damaged_save_recovers_from_backup(widget):
    """Does a damaged inventory file fall back to the previous version, and say so?"""
    for name in ("A (fictional)", "B (fictional)"):
        _fill(widget, name, ["prevention"])
        widget.add_button.click()
    (work_dir() / INVENTORY_FILE).write_text("{broken", encoding="utf-8")
    again = InventoryBuilder()
    assert [e.organization for e in again.entries] == ["A (fictional)"]
    assert "previous version" in again.message.value


def test_example_coverage_is_labelled_fictional():
    """Is the example community's coverage view labelled fictional?"""
    shown = example_coverage()
    assert "Elderbrook County (fictional)" in shown.value or "fictional" in shown.value


def test_bar_labels_stay_inside_the_chart():
    """Does the count after the longest bar fit inside the SVG's own width?"""
    import re

    from endtrafficking.widgets.svg_charts import bar_svg

    svg = bar_svg({"A": 12, "B": 0}, "label", unit="organizations", none_text="none yet")
    width = float(re.search(r'viewBox="0 0 (\d+)', svg).group(1))
    x = max(float(v) for v in re.findall(r'<text x="([\d.]+)"[^>]*>12 organizations', svg))
    assert x + len("12 organizations") * 7.5 <= width  # 14 px text: ~7.5 px a letter
