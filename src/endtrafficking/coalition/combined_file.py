"""The combined file: an ordinary assessment that also carries every partner's rating.

CSV and XLSX use the template's layout, so ``score``, ``report``, the action
plan and a spreadsheet program read them like any assessment. Extra columns
follow the template's: the combined rating (by the stated rule), the range,
whether partners disagree, ``agreed_rating`` (the coordinator's decision,
which counts as the rating), the organizations each partner named, and one
``rating: <partner organization>`` column per partner. A ``COALITION`` row
states the rule. XLSX adds a "Discussion" sheet. JSON is the assessment JSON
with a ``coalition`` block.

File names are never written: a file name may hold a person's name.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import numpy as np

from endtrafficking.assessment import TABLE_COLUMNS, Assessment
from endtrafficking.assessment_rows import ASSESSMENT_TABLE
from endtrafficking.coalition.combine import DISAGREEMENT_RANGE, Combination, combined_ratings
from endtrafficking.coalition.discussion import discussion_list, rank_words
from endtrafficking.errors import AssessmentFileError
from endtrafficking.framework import Framework
from endtrafficking.safe_save import atomic_write
from endtrafficking.storage import (
    ABOUT_AREA,
    AGREED_COLUMN,
    COALITION_ID,
    PARTNER_ID,
    data_suffix,
    load_assessment,
    parse_rating,
    table_rows,
    to_json,
)
from endtrafficking.tables import canonical_header, cell_text, read_table_with_header

COALITION_FORMAT = "endtrafficking.coalition"
COALITION_VERSION = 1
PARTNER_PREFIX = "rating: "
EXTRA_COLUMNS = (
    "combined_rating",
    "range",
    "partners_disagree",
    AGREED_COLUMN,
    "organizations_by_partner",
)
DISCUSSION_SHEET = "Discussion"
#: What a combined file holds besides the assessment: partners, ratings, decisions, attribution.
_Found = tuple[list[str], np.ndarray, dict[str, int], dict[str, str]]
#: How the reader names the organizations_by_partner column (headers are read canonically).
_BY_PARTNER_KEY = "organizations by partner"


def _partner_columns(combination: Combination) -> list[str]:
    return [PARTNER_PREFIX + p for p in combination.partners]


def combined_rows(combination: Combination) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows of the combined CSV/XLSX layout, as strings."""
    fw = combination.framework
    columns = [*TABLE_COLUMNS, *EXTRA_COLUMNS, *_partner_columns(combination)]
    rows = [dict.fromkeys(columns, "") | r for r in table_rows(combination.to_assessment())]
    index = {r["indicator_id"]: r for r in rows}
    partner_row = index.get(PARTNER_ID)
    if partner_row is not None:
        at = rows.index(partner_row)
        rows.insert(
            at + 1,
            dict.fromkeys(columns, "")
            | {
                "area": ABOUT_AREA,
                "indicator_id": COALITION_ID,
                "question": "How this assessment was combined",
                "evidence": f"Combined from {len(combination.partners)} partner organizations: "
                f"{'; '.join(combination.partners)}. {combination.rule}",
            },
        )
    combined = combination.combined()
    for row_number, ind in enumerate(fw.indicators):
        row = index[ind.id]
        values = combination.ratings[row_number]
        spread = combination.spread(ind.id)
        row["combined_rating"] = "" if combined[ind.id] is None else str(combined[ind.id])
        row["range"] = "" if spread is None else str(spread)
        row["partners_disagree"] = (
            "yes" if spread is not None and spread >= DISAGREEMENT_RANGE else "no"
        )
        agreed = combination.agreed.get(ind.id)
        row[AGREED_COLUMN] = "" if agreed is None else str(agreed)
        row["organizations_by_partner"] = combination.organizations_by_partner.get(ind.id, "")
        for name, value in zip(_partner_columns(combination), values, strict=True):
            row[name] = "" if np.isnan(value) else str(int(value))
    return columns, rows


def to_combined_csv(combination: Combination) -> str:
    """The combined file as CSV text."""
    columns, rows = combined_rows(combination)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def to_combined_xlsx_bytes(combination: Combination) -> bytes:
    """The combined file as a workbook: the assessment sheet, then the discussion list."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    columns, rows = combined_rows(combination)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Assessment")
    bold = Font(bold=True)

    def header(ws, names: list[str]) -> None:
        cells = []
        for name in names:
            cell = WriteOnlyCell(ws, value=name)
            cell.font = bold
            cells.append(cell)
        ws.append(cells)

    header(sheet, columns)
    numeric = {"rating", "combined_rating", "range", AGREED_COLUMN, *_partner_columns(combination)}
    for row in rows:
        sheet.append([_cell_value(row[c], c in numeric) for c in columns])
    discussion = book.create_sheet(DISCUSSION_SHEET)
    header(
        discussion,
        [
            "order",
            "indicator_id",
            "area",
            "question",
            "partners' ratings",
            "combined",
            "if lowest is right",
            "if highest is right",
            "agreed",
        ],
    )
    for order, item in enumerate(discussion_list(combination), start=1):
        discussion.append(
            [
                order,
                item.indicator_id,
                item.area,
                _text_cell(item.question),
                _text_cell(item.ratings_text()),
                "" if item.combined is None else item.combined,
                f"{item.lowest}: {rank_words(item.rank_if_lowest)}",
                f"{item.highest}: {rank_words(item.rank_if_highest)}",
                "" if item.agreed is None else item.agreed,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text_cell(text: str) -> str:
    # write-only openpyxl treats text starting with "=" as a formula: keep it text.
    return "'" + text if text.startswith("=") else text


def _cell_value(value: str, numeric: bool) -> Any:
    if numeric and value != "":
        return int(value)
    return _text_cell(value)


def to_combined_json(combination: Combination) -> str:
    """The combined file as assessment JSON with a ``coalition`` block."""
    data = json.loads(to_json(combination.to_assessment()))
    data["coalition"] = {
        "format": COALITION_FORMAT,
        "version": COALITION_VERSION,
        "rule": combination.rule,
        "partners": list(combination.partners),
        "ratings": {
            ind_id: [None if np.isnan(v) else int(v) for v in row]
            for ind_id, row in zip(
                combination.framework.indicator_ids, combination.ratings, strict=True
            )
        },
        "agreed": dict(combination.agreed),
        "organizations_by_partner": dict(combination.organizations_by_partner),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def combined_download(combination: Combination, kind: str) -> tuple[str, bytes]:
    """The file name and bytes of a download: ``xlsx``, ``csv``, ``json`` or ``html`` (report)."""
    if kind == "xlsx":
        return "combined_assessment.xlsx", to_combined_xlsx_bytes(combination)
    if kind == "csv":
        return "combined_assessment.csv", to_combined_csv(combination).encode("utf-8-sig")
    if kind == "json":
        return "combined_assessment.json", to_combined_json(combination).encode("utf-8")
    from endtrafficking.report import render_report

    html_text = render_report(combination.to_assessment(), coalition=combination)
    return "coalition_report.html", html_text.encode("utf-8")


def write_combined(combination: Combination, path: str | Path) -> Path:
    """Write the combined file by its suffix (.xlsx, .csv or .json), atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return atomic_write(path, to_combined_xlsx_bytes(combination))
    if suffix == ".csv":
        return atomic_write(path, to_combined_csv(combination).encode("utf-8-sig"))
    if suffix == ".json":
        return atomic_write(path, to_combined_json(combination))
    raise AssessmentFileError(
        f"the file type {suffix or '(none)'!r} is not one the course writes.",
        fix="choose a name ending in .xlsx, .csv or .json.",
        file=path,
    )


def read_combination(path: str | Path, framework: Framework) -> Combination | None:
    """The coalition part of a combined file; None if the file is an ordinary assessment.

    A rating the coordinator changed in the rating column (without using
    agreed_rating) counts as agreed, so the result always matches what
    ``load_assessment`` reads from the same file.

    Raises:
        AssessmentFileError: naming the file, row and column of a bad partner rating.
    """
    path = Path(path)
    final = load_assessment(path, framework)
    if data_suffix(path) == ".json":
        found = _json_ratings(path, framework)
    else:
        found = _table_ratings(path, framework)
    if found is None:
        return None
    partners, matrix, agreed, attribution = found
    combination = _rebuild(framework, final, partners, matrix, agreed)
    combination.organizations_by_partner = attribution
    return combination


def _rebuild(
    framework: Framework,
    final: Assessment,
    partners: list[str],
    matrix: np.ndarray,
    agreed: dict[str, int],
) -> Combination:
    combined = (
        combined_ratings(matrix) if len(partners) else np.full(len(framework.indicator_ids), np.nan)
    )
    merged = Assessment(
        framework=framework,
        community=final.community,
        fictional=final.fictional,
        responses=dict(final.responses),
        context=dict(final.context),
        assessed_on=final.assessed_on,
    )
    for ind_id, value in zip(framework.indicator_ids, combined, strict=True):
        rule = None if np.isnan(value) else int(value)
        rating = final.responses[ind_id].rating
        if ind_id not in agreed and rating != rule and rating is not None:
            agreed[ind_id] = rating
        merged.set_response(ind_id, rating=rule)
    return Combination(framework, tuple(partners), matrix, merged, agreed)


def _table_ratings(path: Path, framework: Framework) -> _Found | None:
    header, rows = read_table_with_header(path, ASSESSMENT_TABLE)
    partners = [
        h.strip()[len(PARTNER_PREFIX) :].strip()
        for h in header
        if h.strip().casefold().startswith(PARTNER_PREFIX)
    ]
    if not partners:
        return None
    keys = [canonical_header(PARTNER_PREFIX + p, ASSESSMENT_TABLE.aliases) for p in partners]
    ids = framework.indicator_ids
    matrix = np.full((len(ids), len(partners)), np.nan)
    agreed: dict[str, int] = {}
    attribution: dict[str, str] = {}
    position = {ind_id: n for n, ind_id in enumerate(ids)}
    for _number, record in rows:
        ind_id = str(record.get("indicator_id") or "").strip().upper()
        if ind_id not in position:
            continue
        for col, (partner, key) in enumerate(zip(partners, keys, strict=True)):
            try:
                value = parse_rating(record.get(key), framework)
            except ValueError as exc:
                raise AssessmentFileError(
                    f"{exc}.",
                    fix="correct the partner's rating, or leave the cell empty.",
                    file=path,
                    where=f"{record['_place']}, column {PARTNER_PREFIX}{partner}",
                ) from None
            matrix[position[ind_id], col] = np.nan if value is None else value
        value = record.get(AGREED_COLUMN)
        if value is not None and str(value).strip() != "":
            agreed[ind_id] = parse_rating(value, framework)
        attribution[ind_id] = cell_text(record.get(_BY_PARTNER_KEY))
    return partners, matrix, agreed, attribution


def _json_ratings(path: Path, framework: Framework) -> _Found | None:
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    block = data.get("coalition") if isinstance(data, dict) else None
    if not isinstance(block, dict):
        return None
    partners = [str(p) for p in block.get("partners", [])]
    ids = framework.indicator_ids
    matrix = np.full((len(ids), len(partners)), np.nan)
    ratings = block.get("ratings", {})
    where = "field coalition.ratings"
    if not isinstance(ratings, dict):
        raise AssessmentFileError(
            "the partners' ratings are not a mapping.",
            fix="restore the .bak copy.",
            file=path,
            where=where,
        )
    for row, ind_id in enumerate(ids):
        values = ratings.get(ind_id, [None] * len(partners))
        if not isinstance(values, list) or len(values) != len(partners):
            raise AssessmentFileError(
                f"{ind_id} needs one rating per partner ({len(partners)}).",
                fix="restore the .bak copy, or combine the partners' files again.",
                file=path,
                where=f"{where}.{ind_id}",
            )
        for col, value in enumerate(values):
            try:
                rating = parse_rating(value, framework)
            except ValueError as exc:
                raise AssessmentFileError(
                    f"{exc}.",
                    fix="use a rating on the scale or null.",
                    file=path,
                    where=f"{where}.{ind_id}",
                ) from None
            matrix[row, col] = np.nan if rating is None else rating
    agreed_data = block.get("agreed", {})
    agreed = {}
    for ind_id, value in agreed_data.items() if isinstance(agreed_data, dict) else []:
        if ind_id in ids and value is not None:
            try:
                agreed[ind_id] = parse_rating(value, framework)
            except ValueError as exc:
                raise AssessmentFileError(
                    f"{exc}.",
                    fix="use a rating on the scale.",
                    file=path,
                    where=f"field coalition.agreed.{ind_id}",
                ) from None
    attribution = block.get("organizations_by_partner", {})
    if not isinstance(attribution, dict):
        attribution = {}
    return partners, matrix, agreed, {str(k): str(v) for k, v in attribution.items()}
