"""The combined file: an ordinary assessment in every format, with every partner's rating."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from openpyxl import load_workbook

from endtrafficking.coalition.combine import combine_assessments
from endtrafficking.coalition.combined_file import (
    DISCUSSION_SHEET,
    read_combination,
    to_combined_csv,
    write_combined,
)
from endtrafficking.errors import AssessmentFileError
from endtrafficking.framework import load_framework
from endtrafficking.storage import load_assessment, save_assessment

FRAMEWORK = load_framework()


@pytest.fixture
def combination(partners):
    combination = combine_assessments(partners, FRAMEWORK, assessed_on="2025-04-01")
    combination.agree("RST1", 2)
    return combination


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".json"])
def test_round_trip(combination, tmp_path, suffix):
    """Does the file load as the agreed assessment, and give back partners, ratings and decisions?"""
    path = write_combined(combination, tmp_path / f"combined{suffix}")
    assert load_assessment(path, FRAMEWORK) == combination.to_assessment()
    back = read_combination(path, FRAMEWORK)
    assert back is not None and back.partners == combination.partners
    assert np.array_equal(back.ratings, combination.ratings, equal_nan=True)
    assert back.agreed == {"RST1": 2}
    assert back.to_assessment() == combination.to_assessment()
    assert back.organizations_by_partner == combination.organizations_by_partner


def test_an_ordinary_assessment_has_no_coalition_part(partners, tmp_path):
    """Is an ordinary assessment read as having no partners (None)?"""
    for suffix in (".csv", ".json", ".xlsx"):
        assert (
            read_combination(save_assessment(partners[0], tmp_path / f"a{suffix}"), FRAMEWORK)
            is None
        )


def test_csv_columns_name_partners_never_files(combination):
    """Are the partner columns named by organization, with the rule stated, and no file names?"""
    rows = list(csv.reader(io.StringIO(to_combined_csv(combination))))
    header = rows[0]
    assert [h for h in header if h.startswith("rating: ")] == [
        f"rating: {p}" for p in combination.partners
    ]
    assert "agreed_rating" in header and "combined_rating" in header
    coalition_row = next(r for r in rows if r[1] == "COALITION")
    assert "median" in coalition_row[4] and combination.partners[0] in coalition_row[4]
    assert ".csv" not in to_combined_csv(combination)


def test_agreed_rating_typed_in_a_spreadsheet(combination, tmp_path):
    """Does a decision typed into agreed_rating, or a changed rating, count as agreed?"""
    path = write_combined(combination, tmp_path / "combined.xlsx")
    book = load_workbook(path)
    sheet = book["Assessment"]
    header = [c.value for c in sheet[1]]
    rows = {sheet.cell(r, 2).value: r for r in range(2, sheet.max_row + 1)}
    sheet.cell(rows["PRE2"], header.index("agreed_rating") + 1).value = 3
    sheet.cell(rows["RES3"], header.index("rating") + 1).value = 3
    book.save(path)
    back = read_combination(path, FRAMEWORK)
    assert back.agreed == {"RST1": 2, "PRE2": 3, "RES3": 3}
    assert load_assessment(path, FRAMEWORK) == back.to_assessment()
    assert DISCUSSION_SHEET in book.sheetnames


def test_bad_partner_rating_names_row_and_column(combination, tmp_path):
    """Is a partner's rating edited to something off the scale refused with row and column?"""
    text = to_combined_csv(combination)
    rows = list(csv.reader(io.StringIO(text)))
    col = rows[0].index(f"rating: {combination.partners[0]}")
    row = next(i for i, r in enumerate(rows) if r[1] == "PRE3")
    rows[row][col] = "9"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path = tmp_path / "combined.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    with pytest.raises(AssessmentFileError) as info:
        read_combination(path, FRAMEWORK)
    assert info.value.where == f"row {row + 1}, column rating: {combination.partners[0]}"


def test_other_suffix_is_refused(combination, tmp_path):
    """Is a combined file name without .xlsx, .csv or .json refused with the fix?"""
    with pytest.raises(AssessmentFileError, match="xlsx, .csv or .json"):
        write_combined(combination, tmp_path / "combined.ods")
