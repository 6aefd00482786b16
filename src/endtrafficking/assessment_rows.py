"""The rows of an assessment's CSV/XLSX layout, read back into an :class:`Assessment`.

One row per indicator (``area, indicator_id, question, rating, evidence,
organizations, notes``), "About this assessment" rows on top (community,
fictional or not, partner organization, date, framework version), and one row
per supporting-section prompt. Every row is checked: its id must be known, its
rating on the scale, and its area and question must not belong to another
indicator (a sheet sorted one column at a time, or a row copied from elsewhere).
A consensus decision in the ``agreed_rating`` column (combined files) is the
row's rating.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from pathlib import Path
from typing import Any

from endtrafficking.assessment import (
    TABLE_COLUMNS,
    Assessment,
    Response,
    clean_text,
    split_organizations,
)
from endtrafficking.errors import AssessmentFileError
from endtrafficking.framework import Framework, label_key
from endtrafficking.tables import TableSpec, cell_text

ABOUT_AREA = "About this assessment"
COMMUNITY_ID = "COMMUNITY"
FICTIONAL_ID = "FICTIONAL"
PARTNER_ID = "PARTNER"
DATE_ID = "DATE"
FRAMEWORK_ID = "FRAMEWORK"
#: A row that combined files carry to state how they were combined (read, not kept).
COALITION_ID = "COALITION"
ABOUT_IDS = (COMMUNITY_ID, FICTIONAL_ID, PARTNER_ID, DATE_ID, FRAMEWORK_ID, COALITION_ID)
#: A consensus decision: when this column holds a rating, it is the row's rating.
AGREED_COLUMN = "agreed_rating"
XLSX_SHEET = "Assessment"
_YES = {"yes", "y", "true", "1", "x", "fictional", "oui", "sí", "si"}
_NO = {"no", "n", "false", "0", "", "real", "non"}
_HEADER_ALIASES = {
    "area": "area",
    "focus area": "area",
    "section": "area",
    "indicator id": "indicator_id",
    "indicator": "indicator_id",
    "id": "indicator_id",
    "question": "question",
    "prompt": "question",
    "rating": "rating",
    "rating (0-3)": "rating",
    "score": "rating",
    "evidence": "evidence",
    "answer": "evidence",
    "evidence or answer": "evidence",
    "organizations involved": "organizations",
    "organisations involved": "organizations",
    "organizations": "organizations",
    "organisations": "organizations",
    "notes": "notes",
    "agreed rating": AGREED_COLUMN,
}
ASSESSMENT_TABLE = TableSpec(
    columns=TABLE_COLUMNS,
    required=("indicator_id", "rating"),
    aliases=_HEADER_ALIASES,
    sheet=XLSX_SHEET,
    error=AssessmentFileError,
)


def _text(value: Any) -> str:
    return clean_text(cell_text(value))


def parse_rating(value: Any, framework: Framework) -> int | None:
    """Read a rating as a person might type it: 2, "2", 2.0, "Established", or blank.

    Raises:
        ValueError: with a message that says which values are allowed.
    """
    top = framework.max_rating
    allowed = ", ".join(f"{lv.value} ({lv.label})" for lv in framework.scale)
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a rating; use one of {allowed}")
    if isinstance(value, int | float):
        if isinstance(value, float) and (math.isnan(value)):
            return None
        if float(value).is_integer() and 0 <= value <= top:
            return int(value)
        raise ValueError(f"{value!r} is not on the scale; use a whole number from 0 to {top}")
    text = str(value).strip()
    for level in framework.scale:
        if text.casefold() in (
            level.label.casefold(),
            f"{level.value} - {level.label}".casefold(),
            f"{level.value} ({level.label})".casefold(),
        ):
            return level.value
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise ValueError(f"{text!r} is not a rating; use one of {allowed}") from None
    return parse_rating(number, framework)


def rows_to_assessment(
    path: Path, rows: list[tuple[int, dict[str, Any]]], framework: Framework
) -> Assessment:
    """Build an assessment from a table's rows, checking each row as it goes.

    Raises:
        AssessmentFileError: naming the file, the row and column, the problem and the fix.
    """
    assessment = Assessment(framework=framework)
    known = set(framework.indicator_ids)
    prompts = {p.id for p in framework.prompts}
    labels = _RowLabels(framework)
    seen: dict[str, str] = {}
    for _number, record in rows:
        place = record["_place"]
        ind_id = _text(record.get("indicator_id")).upper()
        if not ind_id:
            raise AssessmentFileError(
                "the indicator id is empty.",
                fix="put back the indicator id (for example PRE1) from the blank template, "
                "or delete the row.",
                file=path,
                where=place,
            )
        if ind_id in seen:
            raise AssessmentFileError(
                f"indicator {ind_id} appears twice (first at {seen[ind_id]}).",
                fix="keep one row for each indicator and delete the other.",
                file=path,
                where=place,
            )
        seen[ind_id] = place
        if ind_id not in known | prompts and ind_id not in ABOUT_IDS:
            close = difflib.get_close_matches(ind_id, sorted(known | prompts), n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            raise AssessmentFileError(
                f"{ind_id!r} is not an indicator of this framework.",
                fix=f"{hint}use the indicator ids from the blank template, or delete the row.",
                file=path,
                where=f"{place}, column indicator_id",
            )
        labels.check(path, place, ind_id, record)
        if ind_id in ABOUT_IDS:
            _read_about(assessment, ind_id, record, path, place)
        elif ind_id in prompts:
            assessment.context[ind_id] = _text(record.get("evidence"))
        else:
            assessment.responses[ind_id] = _response(record, framework, path, place)
    return assessment


class _RowLabels:
    """Refuses a row whose area or question belongs to another indicator than its id."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.area_of: dict[str, str] = {
            i.id: framework.area(i.area_id).name for i in framework.indicators
        }
        for section in framework.sections:
            self.area_of.update({p.id: section.name for p in section.prompts})
        self.area_of.update({about: ABOUT_AREA for about in ABOUT_IDS})
        self.labels = {label_key(name) for name in self.area_of.values()}
        self.labels |= {label_key(a.id) for a in framework.areas}
        self.labels |= {label_key(s.id) for s in framework.sections}
        questions = [(i.id, i.question) for i in framework.indicators]
        questions += [(p.id, p.prompt) for p in framework.prompts]
        self.owner_of_question = {label_key(text): item for item, text in questions}

    def _area_matches(self, written: str, ind_id: str) -> bool:
        expected = self.area_of[ind_id]
        keys = {label_key(expected)}
        area = self.framework.area_for_label(expected)
        if area is not None:
            keys.add(label_key(area.id))
        keys |= {label_key(s.id) for s in self.framework.sections if s.name == expected}
        return label_key(written) in keys

    def check(self, path: Path, place: str, ind_id: str, record: dict[str, Any]) -> None:
        """Raise if the row's area or question contradicts ``ind_id`` (blank cells are fine)."""
        written = _text(record.get("area"))
        if written and not self._area_matches(written, ind_id):
            expected = self.area_of[ind_id]
            raise AssessmentFileError(
                f"the area column says {written!r}, but {ind_id} belongs to {expected}.",
                fix=f"write {expected} in the area column, or check the indicator id: if the "
                "rows were sorted one column at a time, start again from the blank template.",
                file=path,
                where=f"{place}, column area",
            )
        owner = self.owner_of_question.get(label_key(_text(record.get("question"))))
        if owner is not None and owner != ind_id:
            raise AssessmentFileError(
                f"the question in this row is the question of {owner}, but the row's "
                f"indicator id is {ind_id}.",
                fix="put each indicator id back beside its own question, as in the blank "
                "template (sorting one column at a time separates them).",
                file=path,
                where=f"{place}, column question",
            )


def _read_about(
    assessment: Assessment, about_id: str, record: dict[str, Any], path: Path, place: str
) -> None:
    """Read one "About this assessment" row into ``assessment``."""
    value = record.get("evidence")
    if about_id == COMMUNITY_ID:
        assessment.community = _text(value)
    elif about_id == PARTNER_ID:
        assessment.partner = " ".join(_text(value).split())
    elif about_id == FRAMEWORK_ID:
        assessment.file_framework_version = _text(value)
    elif about_id == DATE_ID:
        try:
            assessment.assessed_on = parse_date(value)
        except ValueError as exc:
            raise AssessmentFileError(
                f"{exc}.",
                fix="write the date as YYYY-MM-DD, for example 2025-03-14, or leave it empty.",
                file=path,
                where=f"{place}, column evidence",
            ) from None
    elif about_id == FICTIONAL_ID:
        flag = _text(value).casefold()
        if flag not in _YES | _NO:
            raise AssessmentFileError(
                f"{flag!r} is not yes or no.",
                fix="write yes if the community is a fictional example, otherwise no.",
                file=path,
                where=f"{place}, column evidence",
            )
        assessment.fictional = flag in _YES


def parse_date(value: Any) -> str:
    """A date as a person or a spreadsheet writes it, as ISO ``YYYY-MM-DD`` ("" if blank).

    Raises:
        ValueError: for anything that is not a real date in the ISO form.
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = cell_text(value)
    if not text:
        return ""
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise ValueError(f"{text!r} is not a date written as YYYY-MM-DD") from None


def _response(record: dict[str, Any], framework: Framework, path: Path, place: str) -> Response:
    """One indicator row: the agreed rating (if any) counts, else the rating column."""
    column = "rating"
    rating_value = record.get("rating")
    agreed = record.get(AGREED_COLUMN)
    if agreed is not None and cell_text(agreed) != "":
        column, rating_value = AGREED_COLUMN, agreed
    try:
        rating = parse_rating(rating_value, framework)
    except ValueError as exc:
        raise AssessmentFileError(
            f"{exc}.",
            fix="correct the rating, or leave the cell empty if you don't know yet.",
            file=path,
            where=f"{place}, column {column}",
        ) from None
    return Response(
        rating=rating,
        evidence=_text(record.get("evidence")),
        organizations=split_organizations(_text(record.get("organizations"))),
        notes=_text(record.get("notes")),
    )
