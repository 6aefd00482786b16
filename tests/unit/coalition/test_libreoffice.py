"""Three partners fill the blank template and save it with real LibreOffice; combined; reported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from endtrafficking import cli
from endtrafficking.blank_templates import ASSESSMENT_XLSX, template_files
from endtrafficking.coalition.combined_file import read_combination
from endtrafficking.framework import load_framework
from endtrafficking.storage import load_assessment

from ..conftest import LIBREOFFICE_CSV, LIBREOFFICE_XLSX, libreoffice_convert, require_soffice

#: What each FICTIONAL partner types into the template.
PARTNERS = {
    "shelter": ("Harrow Bend Youth Shelter (fictional)", {"RST1": 0, "RST2": "Absent", "PRE2": 1}),
    "school": ("Harrow Bend Schools (fictional)", {"RST1": 3, "RST2": 1, "PRE2": "3"}),
    "clinic": ("Harrow Bend Clinic (fictional)", {"RST1": 1, "RST2": 1, "PRE2": 2.0}),
}
pytestmark = pytest.mark.slow


def fill(path: Path, partner: str, ratings: dict, when: object) -> Path:
    """The blank template filled as a partner would: names, a date, ratings as typed."""
    path.write_bytes(template_files()[ASSESSMENT_XLSX])
    book = load_workbook(path)
    sheet = book["Assessment"]
    rows = {sheet.cell(r, 2).value: r for r in range(2, sheet.max_row + 1)}
    sheet.cell(rows["COMMUNITY"], 5).value = "Harrow Bend (fictional)"
    sheet.cell(rows["FICTIONAL"], 5).value = "yes"
    sheet.cell(rows["PARTNER"], 5).value = partner
    sheet.cell(rows["DATE"], 5).value = when
    for ind_id in rows:
        if ind_id and ind_id[:3] in {"PRE", "IDE", "RES", "RST", "JUS", "PAR"}:
            sheet.cell(rows[ind_id], 4).value = 2
    for ind_id, rating in ratings.items():
        sheet.cell(rows[ind_id], 4).value = rating
    sheet.cell(rows["JUS1"], 6).value = f"{partner}; Harrow Bend Task Force (fictional)"
    book.save(path)
    return path


def test_three_partners_saved_by_libreoffice_combine_and_report(tmp_path, capsys):
    """Do three templates re-saved by LibreOffice (two XLSX, one ; CSV) combine and report?"""
    require_soffice()
    filled = tmp_path / "filled"
    filled.mkdir()
    dates = {"shelter": "2025-03-14", "school": dt.datetime(2025, 3, 17), "clinic": "2025-03-20"}
    sources = {
        key: fill(filled / f"{key}.xlsx", name, ratings, dates[key])
        for key, (name, ratings) in PARTNERS.items()
    }
    saved = tmp_path / "saved_by_libreoffice"
    libreoffice_convert(
        [sources["shelter"], sources["school"]],
        LIBREOFFICE_XLSX,
        saved,
        tmp_path / "home",
    )
    libreoffice_convert(
        [sources["clinic"]], LIBREOFFICE_CSV.format(sheet=1), saved, tmp_path / "home"
    )
    (clinic_csv,) = saved.glob("clinic*.csv")
    files = [saved / "shelter.xlsx", saved / "school.xlsx", clinic_csv]
    assert b";" in clinic_csv.read_bytes().splitlines()[0]
    assert load_assessment(files[1]).assessed_on == "2025-03-17"  # a date cell
    combined = tmp_path / "combined.xlsx"
    assert cli.main(["combine", *map(str, files), "-o", str(combined), "--date", "2025-04-02"]) == 0
    out = capsys.readouterr().out
    assert "Combined 3 partners" in out and "RST1" in out
    framework = load_framework()
    combination = read_combination(combined, framework)
    assert combination.combined()["RST1"] == 1 and combination.combined()["RST2"] == 1
    assert combination.combined()["PRE2"] == 2 and set(combination.disagreements()) == {
        "RST1",
        "PRE2",
    }
    report = tmp_path / "report.html"
    assert cli.main(["report", str(combined), "-o", str(report)]) == 0
    html = report.read_text(encoding="utf-8")
    assert (
        "Harrow Bend Clinic (fictional)" in html
        and "Discussion list for the consensus meeting" in html
    )
    # The combined file goes back through LibreOffice too: still an assessment with its partners.
    libreoffice_convert([combined], LIBREOFFICE_XLSX, tmp_path / "again", tmp_path / "home")
    again = read_combination(tmp_path / "again" / "combined.xlsx", framework)
    assert (
        again.partners == combination.partners
        and again.to_assessment() == combination.to_assessment()
    )
