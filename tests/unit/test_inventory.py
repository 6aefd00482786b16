"""Tests of the resource inventory: model, files, coverage and the saved copy."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import Workbook

from endtrafficking.inventory import (
    NOTE,
    InventoryEntry,
    InventoryFileError,
    coverage_by_area,
    inventory_to_csv,
    inventory_to_xlsx_bytes,
    load_inventory,
    parse_focus_areas,
    privacy_notes,
    save_inventory,
    saved_inventory,
    store_inventory,
    validate_entries,
)
from endtrafficking.safe_save import backup_path
from endtrafficking.workspace import INVENTORY_FILE, work_file

ENTRIES = [
    InventoryEntry(
        "Harrow Bend Shelter (fictional)",
        "Nonprofit",
        ["rescue_response", "restoration"],
        "Emergency shelter, «café» drop-in",
        "Public intake line, any hour",
    ),
    InventoryEntry("Harrow Bend Task Force (fictional)", "Multi-sector", ["justice"], "", ""),
    InventoryEntry("harrow bend shelter (fictional)", "", ["restoration"], "Aftercare", ""),
]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_round_trip(tmp_path, framework, suffix):
    """Does a saved inventory load back exactly, in every format?"""
    path = save_inventory(ENTRIES, tmp_path / f"inventory{suffix}", framework)
    assert load_inventory(path, framework) == ENTRIES


def test_save_keeps_previous_version(tmp_path, framework):
    """Does saving over an inventory keep the previous file as .bak?"""
    path = tmp_path / "inventory.csv"
    save_inventory(ENTRIES[:1], path, framework)
    save_inventory(ENTRIES, path, framework)
    previous = tmp_path / "previous.csv"
    previous.write_bytes(backup_path(path).read_bytes())
    assert load_inventory(previous, framework) == ENTRIES[:1]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("prevention", ["prevention"]),
        ("RESCUE AND RESPONSE", ["rescue_response"]),
        ("rescue response", ["rescue_response"]),
        ("Justice; prevention;justice", ["prevention", "justice"]),
        ("Justice, Partnership", ["justice", "partnership"]),
        ("  ", []),
        (["Restoration", "identification"], ["identification", "restoration"]),
    ],
)
def test_focus_areas_by_id_or_name(framework, written, expected):
    """Are focus areas read as ids or names, in any case, in framework order?"""
    assert parse_focus_areas(written, framework) == expected


def test_unknown_focus_area_suggests_close_name(framework):
    """Does a misspelt focus area get a suggestion?"""
    with pytest.raises(ValueError, match="did you mean Restoration"):
        parse_focus_areas("Restorashun", framework)


def test_excel_csv_loads(tmp_path, framework, office):
    """Does an inventory CSV re-saved by Excel (semicolons, BOM, CRLF) load?"""
    path = tmp_path / "inventory.csv"
    path.write_bytes(office.excel_csv(inventory_to_csv(ENTRIES, framework)))
    assert load_inventory(path, framework) == ENTRIES


def test_header_aliases_and_note_rows(tmp_path, framework):
    """Are headers like 'Focus areas served' understood, and # rows skipped?"""
    path = tmp_path / "inventory.csv"
    path.write_text(
        "Organisation,Focus areas served,How to refer\n"
        "# a note for people,,\n"
        "Harrow Bend Clinic (fictional),identification,Front desk\n",
        encoding="utf-8",
    )
    (entry,) = load_inventory(path, framework)
    assert entry == InventoryEntry(
        "Harrow Bend Clinic (fictional)", "", ["identification"], "", "Front desk"
    )


def test_xlsx_with_extra_sheet_and_formula(tmp_path, framework, office):
    """Does an XLSX with another sheet first and a formula with a saved result load?"""
    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["anything"])
    sheet = book.create_sheet("My organizations")
    sheet.append(["organization", "sector", "focus_areas", "service_type", "how_to_refer"])
    sheet.append(["Harrow Bend Clinic (fictional)", "Health", '=LOWER("JUSTICE")', "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "inventory.xlsx"
    path.write_bytes(office.with_cached_results(buffer.getvalue(), {"C2": "justice"}, sheet=2))
    (entry,) = load_inventory(path, framework)
    assert entry.focus_areas == ["justice"]


@pytest.mark.parametrize(
    ("content", "where", "problem"),
    [
        (
            "organization,focus_areas\nHarrow Bend Clinic (fictional),Restorashun\n",
            "row 2, column focus_areas",
            "did you mean Restoration",
        ),
        (",justice\n", "row 2, column organization", "name is empty"),
        ("organization,sector\nClinic (fictional),Health\n", "row 1", "no 'focus_areas' column"),
    ],
)
def test_bad_csv_names_row_and_fix(tmp_path, framework, content, where, problem):
    """Does a bad inventory row fail with the file, the row, the problem and a fix?"""
    path = tmp_path / "inventory.csv"
    text = content if content.startswith("organization") else "organization,focus_areas\n" + content
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InventoryFileError) as info:
        load_inventory(path, framework)
    message = str(info.value)
    assert str(path) in message and where in message and problem in message
    assert "How to fix it" in message


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ("{not json", "line 1"),
        ('{"entries": {"a": 1}}', "field entries"),
        ('{"entries": ["text"]}', "field entries[0]"),
        ('{"entries": [{"organization": 3}]}', "field entries[0].organization"),
        ('{"entries": [{"organization": "A", "focus_areas": ["nowhere"]}]}', "focus_areas"),
        ('{"format": "endtrafficking.assessment", "entries": []}', "field format"),
    ],
)
def test_bad_json_names_field(tmp_path, framework, data, where):
    """Does hand-edited JSON fail naming the field?"""
    path = tmp_path / "inventory.json"
    path.write_text(data, encoding="utf-8")
    with pytest.raises(InventoryFileError, match=None) as info:
        load_inventory(path, framework)
    assert where in str(info.value)


def test_unknown_suffix_and_missing_file(tmp_path, framework):
    """Do a wrong file type and a missing file fail clearly?"""
    with pytest.raises(InventoryFileError, match="not one the course reads"):
        load_inventory(tmp_path / "inventory.txt", framework)
    with pytest.raises(InventoryFileError, match="does not exist"):
        load_inventory(tmp_path / "missing.csv", framework)
    with pytest.raises(InventoryFileError, match="not one the course writes"):
        save_inventory(ENTRIES, tmp_path / "inventory.txt", framework)


def test_blank_template_layout(framework):
    """Does the blank inventory carry the organizations-only note, and read as empty?"""
    text = inventory_to_csv([], framework)
    assert text.splitlines()[0] == "organization,sector,focus_areas,service_type,how_to_refer"
    assert "Organizations only" in NOTE and "PUBLIC referral route" in NOTE
    assert NOTE.split(":")[0] in text
    assert inventory_to_xlsx_bytes([], framework)[:2] == b"PK"


def test_coverage_by_area_counts_distinct_organizations(framework):
    """Does coverage count each organization once per area, in framework order?"""
    cover = coverage_by_area(ENTRIES, framework)
    assert list(cover.index) == [a.id for a in framework.areas]
    assert cover.loc["restoration", "organizations"] == 1  # same name, other case
    assert cover.loc["justice", "names"] == "Harrow Bend Task Force (fictional)"
    assert cover.loc["prevention", "organizations"] == 0


def test_validate_entries(framework):
    """Does validation name the entry and the field with an unknown area id?"""
    validate_entries(ENTRIES, framework)
    with pytest.raises(ValueError, match=r"entry 2 .*focus_areas"):
        validate_entries(
            [ENTRIES[0], InventoryEntry("X (fictional)", focus_areas=["nope"])], framework
        )
    with pytest.raises(ValueError, match="entry 1, organization"):
        validate_entries([InventoryEntry("  ")], framework)


def test_saved_inventory_empty_then_stored(framework):
    """Is the saved inventory empty at first, then what the learner stored?"""
    assert saved_inventory(framework) == []
    store_inventory(ENTRIES)
    assert saved_inventory(framework) == ENTRIES
    state = json.loads(work_file(INVENTORY_FILE).read_text(encoding="utf-8"))
    assert state["kind"] == "inventory" and len(state["state"]["entries"]) == 3


def test_saved_inventory_is_forgiving(framework):
    """Does a damaged or odd saved file never raise and never drop what was typed?"""
    store_inventory(ENTRIES[:1])
    store_inventory(ENTRIES)
    work_file(INVENTORY_FILE).write_text("{broken", encoding="utf-8")
    assert saved_inventory(framework) == ENTRIES[:1]  # restored from the backup
    payload = {
        "kind": "inventory",
        "state": {
            "entries": [
                "not an entry",
                {"organization": "A (fictional)", "focus_areas": ["Justice", "old area"]},
            ]
        },
    }
    work_file(INVENTORY_FILE).write_text(json.dumps(payload), encoding="utf-8")
    (entry,) = saved_inventory(framework)
    assert entry.focus_areas == ["justice", "old area"]
    assert coverage_by_area([entry], framework)["organizations"].sum() == 1


def test_inventory_json_reads_the_autosave_file(tmp_path, framework):
    """Can the learner's own autosave file be loaded as an inventory?"""
    store_inventory(ENTRIES)
    assert load_inventory(work_file(INVENTORY_FILE), framework) == ENTRIES


def test_privacy_notes():
    """Is an email flagged, while an organization's public line is not?"""
    ok = InventoryEntry("Clinic (fictional)", how_to_refer="Public line 1-888-373-7888")
    bad = InventoryEntry("Clinic (fictional)", service_type="ask jane.doe@example.org")
    assert privacy_notes([ok]) == []
    assert any("email" in n for n in privacy_notes([bad]))


def test_xlsx_keeps_text_that_starts_with_equals(tmp_path):
    """Does text starting with "=" survive an XLSX round trip as text, not a formula?"""
    from endtrafficking.inventory import InventoryEntry, load_inventory, save_inventory

    entry = InventoryEntry(
        organization="Riverside Aid (fictional)",
        sector="nonprofit",
        focus_areas=["restoration"],
        service_type="=counselling",
        how_to_refer="=public intake line",
    )
    path = save_inventory([entry], tmp_path / "inventory.xlsx")
    assert load_inventory(path)[0].service_type == "=counselling"
