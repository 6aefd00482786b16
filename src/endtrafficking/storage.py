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
import difflib
import io
import json
from pathlib import Path
from typing import Any

from endtrafficking.assessment import (
    TABLE_COLUMNS,
    Assessment,
    Response,
    clean_text,
    split_organizations,
)
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
from endtrafficking.tables import csv_rows, decode_text, readable_suffix, xlsx_rows

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

JSON_FORMAT = "endtrafficking.assessment"
JSON_VERSION = 1
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
        return _from_json(path, framework)
    if suffix == ".csv":
        return rows_to_assessment(path, _csv_rows(path), framework)
    return rows_to_assessment(path, _xlsx_rows(path), framework)


def save_assessment(assessment: Assessment, path: str | Path) -> Path:
    """Write ``assessment`` atomically, keeping the previous file as ``.bak``."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return atomic_write(path, to_json(assessment))
    if suffix == ".csv":
        return atomic_write(path, to_csv(assessment).encode("utf-8-sig"))
    if suffix == ".xlsx":
        return atomic_write(path, to_xlsx_bytes(assessment))
    raise AssessmentFileError(
        f"the file type {suffix or '(none)'!r} is not one the course writes.",
        fix="choose a name ending in .csv, .xlsx or .json.",
        file=path,
    )


def to_json(assessment: Assessment) -> str:
    """The assessment as pretty JSON text."""
    data = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "framework_version": assessment.framework.version,
        "community": assessment.community,
        "fictional": assessment.fictional,
        "updated": assessment.updated,
        "assessed_on": assessment.assessed_on,
        "partner": assessment.partner,
        "responses": {
            ind_id: {
                "rating": resp.rating,
                "evidence": resp.evidence,
                "organizations": list(resp.organizations),
                "notes": resp.notes,
            }
            for ind_id, resp in assessment.responses.items()
        },
        "context": dict(assessment.context),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


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


def _decode(path: Path, raw: bytes) -> str:
    return decode_text(path, raw, AssessmentFileError)


def _csv_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    return csv_rows(path, ASSESSMENT_TABLE)


def _xlsx_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    return xlsx_rows(path, ASSESSMENT_TABLE)


def _from_json(path: Path, framework: Framework) -> Assessment:
    try:
        data = json.loads(_decode(path, path.read_bytes()))
    except json.JSONDecodeError as exc:
        raise AssessmentFileError(
            f"the JSON is not valid ({exc.msg}).",
            fix="look for a missing comma, quote or bracket near that place, or restore "
            "the .bak copy saved beside it.",
            file=path,
            where=f"line {exc.lineno}, column {exc.colno}",
        ) from None
    if not isinstance(data, dict):
        raise AssessmentFileError(
            "the JSON does not hold an object with the assessment's fields.",
            fix="start from a file that the course saved, or restore the .bak copy.",
            file=path,
        )
    if data.get("format", JSON_FORMAT) != JSON_FORMAT:
        raise AssessmentFileError(
            f"the field format is {data.get('format')!r}, not {JSON_FORMAT!r}.",
            fix="this file is not a community assessment; choose the right file.",
            file=path,
            where="field format",
        )
    responses = data.get("responses", {})
    if not isinstance(responses, dict):
        raise AssessmentFileError(
            "the field responses must map indicator ids to answers.",
            fix='write it as {"PRE1": {"rating": 2, ...}, ...}.',
            file=path,
            where="field responses",
        )
    assessment = Assessment(framework=framework)
    community = data.get("community", "")
    if not isinstance(community, str):
        raise AssessmentFileError(
            "the community name must be text.",
            fix='write it in quotes, e.g. "Riverbend".',
            file=path,
            where="field community",
        )
    assessment.community = clean_text(community)
    fictional = data.get("fictional", False)
    if not isinstance(fictional, bool):
        raise AssessmentFileError(
            f"fictional must be true or false, not {fictional!r}.",
            fix="write true or false without quotes.",
            file=path,
            where="field fictional",
        )
    assessment.fictional = fictional
    assessment.updated = str(data.get("updated", "") or "")
    assessment.file_framework_version = str(data.get("framework_version", "") or "")
    for key in ("partner", "assessed_on"):
        value = data.get(key, "") or ""
        if not isinstance(value, str):
            raise AssessmentFileError(
                f"{key} must be text.",
                fix="put the value in quotes.",
                file=path,
                where=f"field {key}",
            )
        try:
            value = parse_date(value) if key == "assessed_on" else value
        except ValueError as exc:
            raise AssessmentFileError(
                f"{exc}.", fix='write it as "2025-03-14", or "".', file=path, where=f"field {key}"
            ) from None
        setattr(assessment, key, " ".join(clean_text(value).split()))
    known = set(framework.indicator_ids)
    for ind_id, answer in responses.items():
        where = f"field responses.{ind_id}"
        if ind_id not in known:
            close = difflib.get_close_matches(str(ind_id), sorted(known), n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            raise AssessmentFileError(
                f"{ind_id!r} is not an indicator of this framework.",
                fix=f"{hint}use the indicator ids of the framework, or remove it.",
                file=path,
                where=where,
            )
        if not isinstance(answer, dict):
            raise AssessmentFileError(
                "each answer must be an object with rating, evidence, organizations and notes.",
                fix='write it as {"rating": 2, "evidence": "...", "organizations": [], "notes": ""}.',
                file=path,
                where=where,
            )
        try:
            rating = parse_rating(answer.get("rating"), framework)
        except ValueError as exc:
            raise AssessmentFileError(
                f"{exc}.",
                fix="use a whole number on the scale, or null if not rated yet.",
                file=path,
                where=f"{where}.rating",
            ) from None
        orgs = answer.get("organizations", [])
        if isinstance(orgs, str):
            orgs = [orgs]
        if not isinstance(orgs, list) or not all(isinstance(o, str) for o in orgs):
            raise AssessmentFileError(
                "organizations must be a list of names.",
                fix='write it as ["First organization", "Second organization"].',
                file=path,
                where=f"{where}.organizations",
            )
        for key in ("evidence", "notes"):
            if not isinstance(answer.get(key, ""), str):
                raise AssessmentFileError(
                    f"{key} must be text.",
                    fix="put the value in quotes.",
                    file=path,
                    where=f"{where}.{key}",
                )
        assessment.responses[ind_id] = Response(
            rating=rating,
            evidence=answer.get("evidence", ""),
            organizations=split_organizations(orgs),
            notes=answer.get("notes", ""),
        )
    context = data.get("context", {})
    if not isinstance(context, dict):
        raise AssessmentFileError(
            "the field context must map prompt ids to answers.",
            fix='write it as {"CTX1": "...", ...}.',
            file=path,
            where="field context",
        )
    prompts = {p.id for p in framework.prompts}
    for key, value in context.items():
        if key not in prompts or not isinstance(value, str):
            raise AssessmentFileError(
                f"{key!r} is not a prompt of this framework, or its answer is not text.",
                fix="use the prompt ids of the framework (CTX1, SAF1, ...) with text answers.",
                file=path,
                where=f"field context.{key}",
            )
        assessment.context[key] = clean_text(value)
    return assessment
