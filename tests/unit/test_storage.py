"""Loading and saving a community assessment as JSON, CSV and XLSX."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest
from openpyxl import load_workbook

from endtrafficking.assessment import TABLE_COLUMNS, Assessment
from endtrafficking.errors import AssessmentFileError
from endtrafficking.safe_save import backup_path
from endtrafficking.storage import (
    ABOUT_AREA,
    COMMUNITY_ID,
    DATE_ID,
    FICTIONAL_ID,
    FRAMEWORK_ID,
    JSON_FORMAT,
    PARTNER_ID,
    XLSX_SHEET,
    load_assessment,
    parse_rating,
    save_assessment,
    table_rows,
    to_csv,
    to_json,
    to_xlsx_bytes,
)

FORMATS = ("json", "csv", "xlsx")


@pytest.mark.parametrize("suffix", FORMATS)
def test_round_trip_keeps_everything(filled, tmp_path, suffix):
    """Does a save followed by a load give back the same assessment in every format?"""
    path = save_assessment(filled, tmp_path / f"a.{suffix}")
    loaded = load_assessment(path)
    assert loaded == filled
    assert loaded.community == "Harrow Bend (fictional)"
    assert loaded.fictional is True
    assert loaded.responses["JUS1"].organizations == [
        "Harrow Bend Task Force (fictional)",
        "County Prosecutor's Office (fictional)",
    ]
    assert loaded.responses["JUS1"].notes == "Line one\nLine two, with a comma; and a semicolon"
    assert loaded.responses["PAR1"].rating is None


@pytest.mark.parametrize("suffix", [".JSON", ".Csv", ".XLSX"])
def test_suffix_case_does_not_matter(filled, tmp_path, suffix):
    """Is MY_ASSESSMENT.XLSX read like my_assessment.xlsx?"""
    path = save_assessment(filled, tmp_path / f"A{suffix}")
    assert load_assessment(path) == filled


def test_json_layout(filled):
    """Does the JSON say what it is and hold every indicator and prompt?"""
    data = json.loads(to_json(filled))
    assert data["format"] == JSON_FORMAT
    assert data["version"] == 1
    assert data["community"] == filled.community
    assert set(data["responses"]) == set(filled.framework.indicator_ids)
    assert set(data["context"]) == {p.id for p in filled.framework.prompts}
    assert data["responses"]["JUS1"]["rating"] == 3
    assert "日本語" in to_json(filled)  # readable, not \\u-escaped


def test_table_rows_layout(filled):
    """Do the CSV/XLSX rows hold the About rows, one per indicator, then one per prompt?"""
    filled.partner = "Harrow Bend Shelter (fictional)"
    filled.assessed_on = "2025-03-14"
    rows = table_rows(filled)
    fw = filled.framework
    about = [COMMUNITY_ID, FICTIONAL_ID, PARTNER_ID, DATE_ID, FRAMEWORK_ID]
    assert [r["indicator_id"] for r in rows[: len(about)]] == about
    assert {r["area"] for r in rows[: len(about)]} == {ABOUT_AREA}
    assert [r["evidence"] for r in rows[: len(about)]] == [
        filled.community,
        "yes",
        filled.partner,
        "2025-03-14",
        fw.version,
    ]
    body = rows[len(about) : len(about) + len(fw.indicator_ids)]
    assert [r["indicator_id"] for r in body] == list(fw.indicator_ids)
    assert [r["indicator_id"] for r in rows[len(about) + len(fw.indicator_ids) :]] == [
        p.id for p in fw.prompts
    ]
    assert all(set(r) == set(TABLE_COLUMNS) for r in rows)


def test_csv_has_template_header(filled):
    """Does the CSV start with the blank template's header row?"""
    first = next(csv.reader(io.StringIO(to_csv(filled))))
    assert first == list(TABLE_COLUMNS)


def test_csv_saved_with_bom_for_excel(filled, tmp_path):
    """Is the CSV saved as UTF-8 with a BOM, so Excel shows accents correctly?"""
    path = save_assessment(filled, tmp_path / "a.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_xlsx_has_sheets_and_rating_check(filled):
    """Does the workbook hold the assessment sheet, a rating-scale sheet and a 0-3 check?"""
    book = load_workbook(io.BytesIO(to_xlsx_bytes(filled)))
    assert book.sheetnames == [XLSX_SHEET, "Rating scale"]
    sheet = book[XLSX_SHEET]
    assert [c.value for c in sheet[1]] == list(TABLE_COLUMNS)
    checks = sheet.data_validations.dataValidation
    assert len(checks) == 1 and checks[0].formula2 == "3"
    scale = [row for row in book["Rating scale"].iter_rows(min_row=2, values_only=True)]
    assert [row[1] for row in scale] == ["Absent", "Emerging", "Established", "Strong"]


def test_xlsx_text_starting_with_equals_is_text(framework, tmp_path):
    """Is evidence that starts with "=" saved as text, not as a formula without a result?"""
    assessment = Assessment.blank("=Town (fictional)", framework)
    assessment.set_response("PRE1", evidence="=SUM(A1:A3) is what we typed")
    path = save_assessment(assessment, tmp_path / "a.xlsx")
    book = load_workbook(path)
    assert book[XLSX_SHEET]["E2"].data_type == "s"
    assert load_assessment(path) == assessment


def test_save_keeps_previous_version(filled, tmp_path):
    """Does saving over a file keep the previous version as .bak?"""
    path = tmp_path / "a.json"
    save_assessment(filled, path)
    first = path.read_bytes()
    filled.set_response("PRE1", rating=0)
    save_assessment(filled, path)
    assert backup_path(path).read_bytes() == first
    assert load_assessment(path).responses["PRE1"].rating == 0


def test_save_refuses_unknown_type_and_writes_nothing(filled, tmp_path):
    """Does saving as .txt fail clearly without creating any file?"""
    with pytest.raises(AssessmentFileError, match=r"a\.txt.*How to fix it"):
        save_assessment(filled, tmp_path / "a.txt")
    assert list(tmp_path.iterdir()) == []


def test_load_refuses_unknown_type(tmp_path):
    """Does loading a .txt file fail with the accepted types named?"""
    path = tmp_path / "a.txt"
    path.write_text("hello")
    with pytest.raises(AssessmentFileError, match=r"\.csv, \.xlsx or \.json"):
        load_assessment(path)


def test_load_missing_file(tmp_path):
    """Does a missing file fail with its name and a fix?"""
    with pytest.raises(AssessmentFileError, match=r"missing\.csv: the file does not exist"):
        load_assessment(tmp_path / "missing.csv")


def test_minimal_json_loads(framework, tmp_path):
    """Does a hand-written JSON with only a few answers load, the rest left blank?"""
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"community": "X", "responses": {"PRE2": {"rating": 1}}}))
    loaded = load_assessment(path, framework)
    assert loaded.responses["PRE2"].rating == 1
    assert loaded.rated_count == 1
    assert loaded.fictional is False


def test_header_aliases_and_lowercase_ids(framework, tmp_path):
    """Are headers such as "Focus area" or "Rating (0-3)" and ids such as "pre1" accepted?"""
    path = tmp_path / "a.csv"
    path.write_text(
        "Focus area,Indicator ID,Question,Rating (0-3),Evidence,Organisations involved,Notes\n"
        "Prevention,pre1,q,2,Seen,Org A (fictional); Org B (fictional),n\n",
        encoding="utf-8",
    )
    loaded = load_assessment(path, framework)
    assert loaded.responses["PRE1"].rating == 2
    assert loaded.responses["PRE1"].organizations == ["Org A (fictional)", "Org B (fictional)"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        (math.nan, None),
        (0, 0),
        (3, 3),
        (2.0, 2),
        ("2", 2),
        (" 1 ", 1),
        ("2,0", 2),
        ("Established", 2),
        ("strong", 3),
        ("2 - Established", 2),
        ("1 (Emerging)", 1),
    ],
)
def test_parse_rating_accepts(framework, value, expected):
    """Are the ways people type a rating understood?"""
    assert parse_rating(value, framework) == expected


@pytest.mark.parametrize("value", [4, -1, 2.5, "high", True, "3.5", "2 - Strong"])
def test_parse_rating_refuses(framework, value):
    """Is a value off the scale refused with the allowed values named?"""
    with pytest.raises(ValueError, match=r"0|whole number"):
        parse_rating(value, framework)


@pytest.mark.parametrize("flag", ["Yes", "y", "TRUE", "x", "oui"])
def test_fictional_flag_spellings(framework, tmp_path, flag):
    """Is the fictional flag read from the ways people write yes?"""
    path = tmp_path / "a.csv"
    path.write_text(
        f"area,indicator_id,question,rating,evidence\n{ABOUT_AREA},FICTIONAL,q,,{flag}\n",
        encoding="utf-8",
    )
    assert load_assessment(path, framework).fictional is True


def test_context_rows_load(framework, tmp_path):
    """Are the Local context and Safeguards answers read from their rows?"""
    prompt = framework.prompts[-1].id
    path = tmp_path / "a.csv"
    path.write_text(
        f"area,indicator_id,question,rating,evidence\nSafeguards,{prompt},q,,We check in weekly\n",
        encoding="utf-8",
    )
    assert load_assessment(path, framework).context[prompt] == "We check in weekly"


def test_blank_rows_are_skipped(framework, tmp_path):
    """Are empty rows (common at the end of a spreadsheet) ignored?"""
    path = tmp_path / "a.csv"
    path.write_text(
        "area,indicator_id,question,rating,evidence\n,,,,\nPrevention,PRE1,q,1,\n,,,,\n",
        encoding="utf-8",
    )
    assert load_assessment(path, framework).responses["PRE1"].rating == 1
