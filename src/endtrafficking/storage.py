"""Load and save community assessments as JSON, CSV or XLSX.

All three formats round-trip without loss: the community's name, whether it is
fictional, every rating, evidence, organization and note, and the answers to
the supporting sections. CSV and XLSX hold one row per indicator (the blank
templates' layout), plus two "About this assessment" rows on top and one row
per supporting-section prompt at the bottom.

Files people edit by hand are read forgivingly (a BOM, semicolons, tabs,
Windows encodings, labels instead of numbers, extra sheets) and, when they
cannot be read, fail with an :class:`AssessmentFileError` that names the file,
the row or field, the problem and the fix.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from endtrafficking.assessment import (
    TABLE_COLUMNS,
    Assessment,
)
from endtrafficking.assessment_json import JSON_FORMAT, JSON_VERSION, from_json, to_json
from endtrafficking.assessment_rows import (
    ABOUT_AREA,
    ABOUT_IDS,
    AGREED_COLUMN,
    ASSESSMENT_TABLE,
    COALITION_ID,
    COMMUNITY_ID,
    DATE_ID,
    FICTIONAL_ID,
    FRAMEWORK_ID,
    PARTNER_ID,
    XLSX_SHEET,
    parse_date,
    parse_rating,
    rows_to_assessment,
)
from endtrafficking.errors import AssessmentFileError
from endtrafficking.framework import Framework, load_framework
from endtrafficking.safe_save import BACKUP_SUFFIX, atomic_write
from endtrafficking.tables import csv_rows, readable_suffix, xlsx_rows

__all__ = [
    "ABOUT_AREA",
    "ABOUT_IDS",
    "AGREED_COLUMN",
    "COALITION_ID",
    "COMMUNITY_ID",
    "DATE_ID",
    "FICTIONAL_ID",
    "FRAMEWORK_ID",
    "JSON_FORMAT",
    "JSON_VERSION",
    "PARTNER_ID",
    "SUFFIXES",
    "XLSX_SHEET",
    "data_suffix",
    "load_assessment",
    "parse_date",
    "parse_rating",
    "save_assessment",
    "table_rows",
    "to_csv",
    "to_json",
    "to_xlsx_bytes",
]

ORG_SEPARATOR = "; "
SUFFIXES = (".json", ".csv", ".xlsx")


# --------------------------------------------------------------------------- public API
def data_suffix(path: str | Path) -> str:
    """The format suffix of ``path``, looking through a backup's ``.bak``.

    ``assessment.json.bak`` is read as JSON, so the previous version kept by
    every save loads like the file itself.
    """
    path = Path(path)
    if path.suffix.lower() == BACKUP_SUFFIX:
        path = path.with_suffix("")
    return path.suffix.lower()


def load_assessment(path: str | Path, framework: Framework | None = None) -> Assessment:
    """Read an assessment from a ``.json``, ``.csv`` or ``.xlsx`` file.

    Raises:
        AssessmentFileError: naming the file, the row or field, the problem and the fix.
    """
    path = Path(path)
    framework = framework or load_framework()
    suffix = readable_suffix(path, data_suffix(path), AssessmentFileError, "assessment")
    if suffix == ".json":
        return from_json(path, framework)
    if suffix == ".csv":
        return rows_to_assessment(path, _csv_rows(path), framework)
    return rows_to_assessment(path, _xlsx_rows(path), framework)


def assessment_bytes(assessment: Assessment, name: str | Path) -> bytes:
    """The content of ``assessment`` as a file called ``name`` (.json, .csv or .xlsx)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".json":
        return to_json(assessment).encode("utf-8")
    if suffix == ".csv":
        return to_csv(assessment).encode("utf-8-sig")
    if suffix == ".xlsx":
        return to_xlsx_bytes(assessment)
    raise AssessmentFileError(
        f"the file type {suffix or '(none)'!r} is not one the course writes.",
        fix="choose a name ending in .csv, .xlsx or .json.",
        file=name,
    )


def save_assessment(assessment: Assessment, path: str | Path) -> Path:
    """Write ``assessment`` atomically, keeping the previous file as ``.bak``."""
    return atomic_write(Path(path), assessment_bytes(assessment, path))


def table_rows(assessment: Assessment) -> list[dict[str, str]]:
    """The rows of the CSV/XLSX layout, as strings."""
    rows = [
        _row(
            ABOUT_AREA,
            COMMUNITY_ID,
            "Community name (say if it is fictional)",
            "",
            assessment.community,
        ),
        _row(
            ABOUT_AREA,
            FICTIONAL_ID,
            "Is this a fictional example community? (yes or no)",
            "",
            "yes" if assessment.fictional else "no",
        ),
        _row(
            ABOUT_AREA,
            PARTNER_ID,
            "Partner organization filling in this copy for a coalition (an organization's "
            "name only, never a person's)",
            "",
            assessment.partner,
        ),
        _row(ABOUT_AREA, DATE_ID, "Date of this assessment (YYYY-MM-DD)", "", assessment.date),
        _row(
            ABOUT_AREA,
            FRAMEWORK_ID,
            "Framework version this template was made from (leave it as it is)",
            "",
            assessment.framework.version,
        ),
    ]
    frame = assessment.to_frame()
    for record in frame.to_dict("records"):
        rating = record["rating"]
        rows.append(
            _row(
                record["area"],
                record["indicator_id"],
                record["question"],
                "" if rating is None or rating is _NA else str(int(rating)),
                record["evidence"],
                record["organizations"],
                record["notes"],
            )
        )
    for section in assessment.framework.sections:
        for prompt in section.prompts:
            rows.append(
                _row(
                    section.name,
                    prompt.id,
                    prompt.prompt,
                    "",
                    assessment.context.get(prompt.id, ""),
                )
            )
    return rows


def to_csv(assessment: Assessment) -> str:
    """The assessment in the CSV template layout."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(TABLE_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(table_rows(assessment))
    return buffer.getvalue()


def to_xlsx_bytes(assessment: Assessment) -> bytes:
    """The assessment as an XLSX workbook: the table, plus a rating-scale sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = XLSX_SHEET
    sheet.append(list(TABLE_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table_rows(assessment):
        values: list[Any] = [row[c] for c in TABLE_COLUMNS]
        if values[3] != "":
            values[3] = int(values[3])
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            # openpyxl takes any text starting with "=" for a formula; it is text.
            if cell.data_type == "f":
                cell.data_type = "s"
    widths = {"A": 22, "B": 13, "C": 70, "D": 8, "E": 50, "F": 35, "G": 35}
    for col, width in widths.items():
        sheet.column_dimensions[col].width = width
    for row in sheet.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    top = assessment.framework.max_rating
    check = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2=str(top),
        allow_blank=True,
        showErrorMessage=True,
        error=f"Enter a whole number from 0 to {top}, or leave it blank.",
    )
    sheet.add_data_validation(check)
    about_rows = sum(1 for row in table_rows(assessment) if row["area"] == ABOUT_AREA)
    check.add(f"D{about_rows + 2}:D{sheet.max_row}")
    sheet.freeze_panes = "A2"
    scale = book.create_sheet("Rating scale")
    scale.append(["rating", "label", "meaning"])
    for level in assessment.framework.scale:
        scale.append([level.value, level.label, level.description])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- helpers
class _NAType:
    pass


try:  # pandas' missing value, so to_frame()'s nullable integers compare cleanly
    from pandas import NA as _NA
except ImportError:  # pragma: no cover - pandas is a hard dependency
    _NA = _NAType()


def _row(
    area: str,
    ind: str,
    question: str,
    rating: str,
    evidence: str,
    organizations: str = "",
    notes: str = "",
) -> dict[str, str]:
    return {
        "area": area,
        "indicator_id": ind,
        "question": question,
        "rating": rating,
        "evidence": evidence,
        "organizations": organizations,
        "notes": notes,
    }


def _csv_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    return csv_rows(path, ASSESSMENT_TABLE)


def _xlsx_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    return xlsx_rows(path, ASSESSMENT_TABLE)
