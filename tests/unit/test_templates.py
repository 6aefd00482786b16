"""Tests of the blank templates generated from the framework."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from endtrafficking import cli
from endtrafficking.assessment import Assessment
from endtrafficking.blank_templates import (
    ASSESSMENT_CSV,
    ASSESSMENT_XLSX,
    INVENTORY_CSV,
    INVENTORY_XLSX,
    TEMPLATE_FILES,
    printable_html,
    same_content,
    template_files,
    write_templates,
)
from endtrafficking.inventory import load_inventory
from endtrafficking.storage import load_assessment

from .conftest import LIBREOFFICE_CSV, LIBREOFFICE_XLSX, libreoffice_convert, require_soffice

#: The committed blank templates people download (not package data: the code makes them).
TEMPLATES = Path(__file__).resolve().parents[2] / "assessments_templates"


@pytest.fixture(scope="module")
def generated() -> dict[str, bytes]:
    """The templates as the code generates them now."""
    return template_files()


@pytest.mark.parametrize("name", TEMPLATE_FILES)
def test_committed_templates_match_the_code(generated, name):
    """Is every committed template what the code generates from the framework?"""
    committed = (TEMPLATES / name).read_bytes()
    assert same_content(name, committed, generated[name]), (
        f"{name} is out of date: run `endtrafficking templates --out assessments_templates`"
    )


def test_write_templates_rewrites_only_what_changed(tmp_path):
    """Does writing the templates twice change nothing the second time, but repair a file?"""
    assert {p.name for p in write_templates(tmp_path)} == set(TEMPLATE_FILES)
    assert write_templates(tmp_path) == []
    (tmp_path / ASSESSMENT_CSV).write_text("edited by hand", encoding="utf-8")
    assert [p.name for p in write_templates(tmp_path)] == [ASSESSMENT_CSV]


def test_xlsx_compared_by_values(generated):
    """Are two XLSX files with equal cells the same, and different cells not?"""
    book = load_workbook(io.BytesIO(generated[ASSESSMENT_XLSX]))
    book["Assessment"]["D4"] = 2
    buffer = io.BytesIO()
    book.save(buffer)
    assert same_content(
        ASSESSMENT_XLSX, generated[ASSESSMENT_XLSX], template_files()[ASSESSMENT_XLSX]
    )
    assert not same_content(ASSESSMENT_XLSX, generated[ASSESSMENT_XLSX], buffer.getvalue())
    assert not same_content(ASSESSMENT_XLSX, b"not a workbook", generated[ASSESSMENT_XLSX])


@pytest.mark.parametrize("name", [ASSESSMENT_CSV, ASSESSMENT_XLSX])
def test_blank_assessment_loads_blank(name, framework):
    """Does the blank assessment template load as an empty assessment with every indicator?"""
    assessment = load_assessment(TEMPLATES / name, framework)
    assert assessment == Assessment.blank("", framework)
    assert assessment.rated_count == 0 and not assessment.fictional


@pytest.mark.parametrize("name", [INVENTORY_CSV, INVENTORY_XLSX])
def test_blank_inventory_loads_empty(name, framework):
    """Does the blank inventory template load as an empty inventory?"""
    assert load_inventory(TEMPLATES / name, framework) == []


def test_blank_inventory_says_organizations_only(generated):
    """Does the blank inventory say it holds organizations and public routes only?"""
    text = generated[INVENTORY_CSV].decode("utf-8-sig")
    assert "Organizations only" in text and "PUBLIC referral route" in text
    assert "victim or survivor" in text


def test_printable_has_everything(framework):
    """Does the printable version hold the scale, every indicator and prompt, and safeguards?"""
    html = printable_html(framework)
    for level in framework.scale:
        assert level.description in html
    for item in [*framework.indicators, *framework.prompts]:
        assert f"<strong>{item.id}.</strong>" in html
    assert html.count('class="box"') >= len(framework.indicators) * (len(framework.scale) + 1)
    assert "Safeguards." in html and "could identify a victim or survivor" in html
    assert "<script" not in html and "http" not in html


def _filled_template(path: Path, office, formula: bool) -> Path:
    """Fill the blank XLSX as a person would: numbers, text numbers, labels, a formula."""
    book = load_workbook(path)
    sheet = book["Assessment"]
    rows = {sheet.cell(r, 2).value: r for r in range(2, sheet.max_row + 1)}
    sheet.cell(rows["COMMUNITY"], 5).value = "Harrow Bend (fictional)"
    sheet.cell(rows["FICTIONAL"], 5).value = "Yes"
    sheet.cell(rows["PRE1"], 4).value = 3
    sheet.cell(rows["PRE2"], 4).value = "2"
    sheet.cell(rows["IDE1"], 4).value = "Established"
    sheet.cell(rows["JUS1"], 4).value = "=1+2" if formula else 3
    sheet.cell(rows["JUS1"], 6).value = "Harrow Bend Task Force (fictional); Clinic (fictional)"
    sheet.cell(rows["CTX1"], 5).value = "Seasonal farm work (fictional example)."
    book.create_sheet("My notes", 0).append(["a sheet people add"])
    book.save(path)
    if formula:
        # the sheet "Assessment" is now the second worksheet of the workbook
        data = office.with_cached_results(path.read_bytes(), {f"D{rows['JUS1']}": 3}, sheet=2)
        path.write_bytes(data)
    return path


def _score(path: Path, capsys) -> dict:
    """Run `endtrafficking score --format json` (in this process) and parse its output."""
    code = cli.main(["score", str(path), "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def _check_scores(data: dict) -> None:
    assert data["community"] == "Harrow Bend (fictional)" and data["fictional"] is True
    coverage = {a["area_id"]: a["coverage"] for a in data["areas"]}
    assert coverage["prevention"] == pytest.approx(100 * 5 / 15, abs=0.1)
    assert coverage["identification"] == pytest.approx(100 * 2 / 15, abs=0.1)
    assert coverage["justice"] == pytest.approx(100 * 3 / 15, abs=0.1)
    jus1 = [g for g in data["gaps"] if g["indicator_id"] == "JUS1"]
    assert jus1 == []  # rated 3 through the formula's result


def test_filled_in_excel_style_files_score(tmp_path, office, capsys):
    """Does `score` read the template filled as Excel saves it: formulas, extra sheet, ; CSV?"""
    xlsx = tmp_path / "ours.xlsx"
    xlsx.write_bytes(template_files()[ASSESSMENT_XLSX])
    _check_scores(_score(_filled_template(xlsx, office, formula=True), capsys))
    from endtrafficking.storage import to_csv

    csv_path = tmp_path / "ours.csv"
    csv_path.write_bytes(office.excel_csv(to_csv(load_assessment(xlsx))))
    _check_scores(_score(csv_path, capsys))


@pytest.mark.slow
def test_filled_in_libreoffice_scores_and_reports(tmp_path, office, capsys):
    """Does a template filled and re-saved by real LibreOffice (XLSX and ; CSV) score and report?"""
    require_soffice()
    source = tmp_path / "filled.xlsx"
    source.write_bytes(template_files()[ASSESSMENT_XLSX])
    _filled_template(source, office, formula=False)
    book = load_workbook(source)
    sheet = book["Assessment"]
    jus1 = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 2).value == "JUS1")
    sheet.cell(jus1, 4).value = "=1+2"  # LibreOffice computes and stores the result
    book.save(source)
    out = tmp_path / "saved_by_libreoffice"
    for target in (LIBREOFFICE_XLSX, LIBREOFFICE_CSV.format(sheet=2)):
        libreoffice_convert([source], target, out, tmp_path / "home")
    saved_xlsx = out / "filled.xlsx"
    (saved_csv,) = out.glob("filled*.csv")  # LibreOffice adds the sheet's name
    assert b";" in saved_csv.read_bytes().splitlines()[0]
    _check_scores(_score(saved_xlsx, capsys))
    _check_scores(_score(saved_csv, capsys))
    report = tmp_path / "report.html"
    assert cli.main(["report", str(saved_xlsx), "-o", str(report)]) == 0
    assert "Harrow Bend (fictional)" in report.read_text(encoding="utf-8")
