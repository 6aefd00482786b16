"""Reading an assessment's rows: About rows, agreed ratings, and rows that contradict themselves."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from endtrafficking.assessment import Assessment
from endtrafficking.errors import AssessmentFileError
from endtrafficking.storage import (
    AGREED_COLUMN,
    DATE_ID,
    PARTNER_ID,
    XLSX_SHEET,
    load_assessment,
    parse_date,
    save_assessment,
    to_csv,
    to_xlsx_bytes,
)


def _rows(assessment: Assessment) -> list[list[str]]:
    return list(csv.reader(io.StringIO(to_csv(assessment))))


def _write(tmp_path: Path, rows: list[list[str]], name: str = "partner.csv") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _index(rows: list[list[str]], item_id: str) -> int:
    return next(i for i, row in enumerate(rows) if row[1] == item_id)


def _refused(path: Path, where: str, *words: str) -> AssessmentFileError:
    with pytest.raises(AssessmentFileError) as info:
        load_assessment(path)
    message = str(info.value)
    assert str(path) in message and "How to fix it:" in message
    assert info.value.where == where, message
    for word in words:
        assert word in message, message
    return info.value


@pytest.mark.parametrize("label", ["Astrology", "Justice"])
def test_area_that_contradicts_the_indicator_is_refused(filled, tmp_path, label):
    """Is a Restoration indicator labelled "Astrology" or "Justice" refused with row and fix?"""
    rows = _rows(filled)
    row = _index(rows, "RST2")
    rows[row][0] = label
    path = _write(tmp_path, rows)
    error = _refused(
        path, f"row {row + 1}, column area", repr(label), "RST2 belongs to Restoration"
    )
    assert "write Restoration in the area column" in error.fix


@pytest.mark.parametrize("label", ["restoration", "RESTORATION", "  Restoration ", ""])
def test_area_written_as_id_any_case_or_blank_is_accepted(filled, tmp_path, label):
    """Is the area accepted as its id, in any case, with spaces, or left blank?"""
    rows = _rows(filled)
    rows[_index(rows, "RST2")][0] = label
    assert load_assessment(_write(tmp_path, rows)) == filled


def test_section_and_about_rows_are_checked_too(filled, tmp_path):
    """Is a Local context prompt labelled Safeguards, or the community row labelled Justice, refused?"""
    rows = _rows(filled)
    prompt = filled.framework.sections[0].prompts[0].id
    rows[_index(rows, prompt)][0] = "Safeguards"
    _refused(
        _write(tmp_path, rows), f"row {_index(rows, prompt) + 1}, column area", "Local context"
    )
    rows = _rows(filled)
    rows[_index(rows, "COMMUNITY")][0] = "Justice"
    _refused(_write(tmp_path, rows), "row 2, column area", "About this assessment")


def test_question_of_another_indicator_is_refused(filled, tmp_path):
    """Is a row whose question belongs to another indicator (a one-column sort) refused?"""
    rows = _rows(filled)
    pre1, pre2 = _index(rows, "PRE1"), _index(rows, "PRE2")
    rows[pre1][2], rows[pre2][2] = rows[pre2][2], rows[pre1][2]
    _refused(_write(tmp_path, rows), f"row {pre1 + 1}, column question", "question of PRE2")


def test_reworded_question_is_accepted(filled, tmp_path):
    """Is a question a partner reworded (not another indicator's) still accepted?"""
    rows = _rows(filled)
    rows[_index(rows, "PRE1")][2] = "Awareness education, in our words"
    assert load_assessment(_write(tmp_path, rows)) == filled


def test_xlsx_rows_are_checked_the_same_way(filled, tmp_path):
    """Does the workbook reader refuse the same contradiction, naming sheet and row?"""
    book = load_workbook(io.BytesIO(to_xlsx_bytes(filled)))
    sheet = book[XLSX_SHEET]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 2).value == "RST1")
    sheet.cell(row, 1).value = "Astrology"
    path = tmp_path / "partner.xlsx"
    book.save(path)
    _refused(path, f"sheet '{XLSX_SHEET}', row {row}, column area", "Restoration")


def test_agreed_rating_column_is_the_rating(filled, tmp_path):
    """Does a rating in the agreed_rating column count instead of the rating column?"""
    rows = _rows(filled)
    rows[0].append(AGREED_COLUMN)
    for row in rows[1:]:
        row.append("")
    rows[_index(rows, "RST1")][-1] = "2"
    loaded = load_assessment(_write(tmp_path, rows))
    assert loaded.responses["RST1"].rating == 2
    assert loaded.responses["RST2"].rating == filled.responses["RST2"].rating
    rows[_index(rows, "RST1")][-1] = "nine"
    _refused(
        _write(tmp_path, rows), f"row {_index(rows, 'RST1') + 1}, column agreed_rating", "nine"
    )


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_partner_and_date_round_trip(filled, tmp_path, suffix):
    """Do the partner organization and the date survive every format?"""
    filled.partner = "Harrow Bend Shelter (fictional)"
    filled.assessed_on = "2025-03-14"
    loaded = load_assessment(save_assessment(filled, tmp_path / f"a{suffix}"))
    assert (loaded.partner, loaded.assessed_on) == (filled.partner, filled.assessed_on)
    assert loaded.file_framework_version == filled.framework.version


def test_date_typed_into_a_spreadsheet_date_cell(filled, tmp_path):
    """Is a date that a spreadsheet stored as a date cell read as YYYY-MM-DD?"""
    book = load_workbook(io.BytesIO(to_xlsx_bytes(filled)))
    sheet = book[XLSX_SHEET]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 2).value == DATE_ID)
    sheet.cell(row, 5).value = dt.datetime(2025, 3, 14)
    path = tmp_path / "dated.xlsx"
    book.save(path)
    assert load_assessment(path).assessed_on == "2025-03-14"


def test_bad_date_is_refused(filled, tmp_path):
    """Is a date that is not YYYY-MM-DD refused with the row and an example?"""
    rows = _rows(filled)
    rows[_index(rows, DATE_ID)][4] = "next Tuesday"
    error = _refused(_write(tmp_path, rows), f"row {_index(rows, DATE_ID) + 1}, column evidence")
    assert "2025-03-14" in error.fix
    assert parse_date("2025-03-14") == "2025-03-14" and parse_date("") == ""
    assert parse_date(dt.date(2024, 2, 29)) == "2024-02-29"
    with pytest.raises(ValueError):
        parse_date("2025-02-30")


def test_partner_row_names_an_organization(filled, tmp_path):
    """Does the partner row ask for an organization's name, never a person's?"""
    rows = _rows(filled)
    question = rows[_index(rows, PARTNER_ID)][2]
    assert "organization" in question and "never a person" in question
