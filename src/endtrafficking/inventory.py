"""The resource inventory: which organizations serve the community, in which focus areas.

An inventory lists **organizations only**, with their public referral route
(a public intake line, a website, an office). It never holds a person's name,
a private number, or anything about a victim or survivor.

Files load from CSV, XLSX or JSON with the same forgiving reading as the
assessment (:mod:`endtrafficking.tables`), and fail with an
:class:`InventoryFileError` that names the file, the row or field, the problem
and the fix. Focus areas may be written as ids (``restoration``) or names
(``Rescue and response``), in any case, separated by ``;``.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from endtrafficking.errors import CourseInputError
from endtrafficking.framework import Framework, load_framework
from endtrafficking.privacy import privacy_warnings
from endtrafficking.safe_save import atomic_write
from endtrafficking.tables import (
    PLACE_KEY,
    TableSpec,
    cell_text,
    decode_text,
    read_table,
    readable_suffix,
)
from endtrafficking.widgets.autosave import AutosaveStore
from endtrafficking.workspace import INVENTORY_FILE

INVENTORY_COLUMNS = ("organization", "sector", "focus_areas", "service_type", "how_to_refer")
INVENTORY_KIND = "inventory"
JSON_FORMAT = "endtrafficking.inventory"
JSON_VERSION = 1
XLSX_SHEET = "Inventory"
AREA_SEPARATOR = "; "
SUFFIXES = (".json", ".csv", ".xlsx")
#: A row whose organization cell starts with this is a note for people, not an entry.
NOTE_PREFIX = "#"
NOTE = (
    "# Organizations only: record an organization's PUBLIC referral route (public intake "
    "line, website or office). Never write a person's name, a private phone number or "
    "email, or anything about a victim or survivor. Separate focus areas with ';'. "
    "Rows starting with # are ignored."
)
_HEADER_ALIASES = {
    "organization": "organization",
    "organisation": "organization",
    "organization name": "organization",
    "organisation name": "organization",
    "name": "organization",
    "sector": "sector",
    "focus areas": "focus_areas",
    "focus area": "focus_areas",
    "focus areas served": "focus_areas",
    "areas": "focus_areas",
    "areas served": "focus_areas",
    "service type": "service_type",
    "service": "service_type",
    "services": "service_type",
    "type of service": "service_type",
    "how to refer": "how_to_refer",
    "referral": "how_to_refer",
    "how to refer (public route)": "how_to_refer",
    "referral route": "how_to_refer",
}


class InventoryFileError(CourseInputError):
    """A resource-inventory file (CSV, XLSX or JSON) cannot be read as it is."""


INVENTORY_TABLE = TableSpec(
    columns=INVENTORY_COLUMNS,
    required=("organization", "focus_areas"),
    aliases=_HEADER_ALIASES,
    sheet=XLSX_SHEET,
    error=InventoryFileError,
)


@dataclass
class InventoryEntry:
    """One organization and the focus areas it serves (area ids, framework order)."""

    organization: str
    sector: str = ""
    focus_areas: list[str] = field(default_factory=list)
    service_type: str = ""
    how_to_refer: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The entry as plain JSON-ready data."""
        return asdict(self)


# --------------------------------------------------------------------------- focus areas
def parse_focus_areas(value: str | list[str] | None, framework: Framework) -> list[str]:
    """Area ids for focus areas written as ids or names, any case, ``;``-separated.

    Raises:
        ValueError: naming the unknown area, with the closest known one if any.
    """
    if value is None:
        return []
    parts = [value] if isinstance(value, str) else list(value)
    found: set[str] = set()
    for part in parts:
        if not isinstance(part, str):
            raise ValueError(f"{part!r} is not the name of a focus area")
        for raw in _area_tokens(part, framework):
            area = framework.area_for_label(raw)
            if area is None:
                names = [a.name for a in framework.areas]
                close = difflib.get_close_matches(raw.strip(), names, n=1, cutoff=0.5)
                hint = f" (did you mean {close[0]}?)" if close else ""
                raise ValueError(
                    f"{raw.strip()!r} is not a focus area{hint}; use one of {', '.join(names)}"
                )
            found.add(area.id)
    return [a.id for a in framework.areas if a.id in found]


def _area_tokens(text: str, framework: Framework) -> list[str]:
    """Split on ``;`` or new lines; split on commas too when that makes known names."""
    tokens = []
    for raw in text.replace("\n", ";").split(";"):
        if not raw.strip():
            continue
        pieces = [p for p in raw.split(",") if p.strip()]
        if framework.area_for_label(raw) is None and len(pieces) > 1:
            tokens.extend(pieces)
        else:
            tokens.append(raw)
    return tokens


def area_names(area_ids: list[str], framework: Framework) -> str:
    """Focus area ids as the names people read, ``;``-separated (unknown ids kept as they are)."""
    names = []
    for area_id in area_ids:
        try:
            names.append(framework.area(area_id).name)
        except KeyError:
            names.append(area_id)
    return AREA_SEPARATOR.join(names)


def make_entry(data: dict[str, Any], framework: Framework) -> InventoryEntry:
    """Build a validated entry from a mapping of column name to value.

    Raises:
        ValueError: if the organization is missing or a focus area is unknown; the
            message says which field (``field: problem``).
    """
    organization = " ".join(cell_text(data.get("organization")).split())
    if not organization:
        raise ValueError("organization: the organization's name is empty")
    try:
        areas = parse_focus_areas(_as_area_value(data.get("focus_areas")), framework)
    except ValueError as exc:
        raise ValueError(f"focus_areas: {exc}") from None
    return InventoryEntry(
        organization=organization,
        sector=cell_text(data.get("sector")),
        focus_areas=areas,
        service_type=cell_text(data.get("service_type")),
        how_to_refer=cell_text(data.get("how_to_refer")),
    )


def _as_area_value(value: Any) -> str | list[str] | None:
    if isinstance(value, list):
        return value
    return None if value is None else cell_text(value)


def validate_entries(entries: list[InventoryEntry], framework: Framework | None = None) -> None:
    """Check every entry names an organization and only known focus area ids.

    Raises:
        ValueError: naming the entry (1-based) and the field.
    """
    framework = framework or load_framework()
    known = {a.id for a in framework.areas}
    for number, entry in enumerate(entries, start=1):
        if not entry.organization.strip():
            raise ValueError(f"entry {number}, organization: the organization's name is empty")
        unknown = [a for a in entry.focus_areas if a not in known]
        if unknown:
            raise ValueError(
                f"entry {number} ({entry.organization}), focus_areas: unknown area id(s) "
                f"{', '.join(map(repr, unknown))}; use {', '.join(sorted(known))}"
            )


def privacy_notes(entries: list[InventoryEntry]) -> list[str]:
    """Warnings where an entry looks like it holds a person's contact details.

    ``how_to_refer`` may hold an organization's public line, so only the other
    fields are checked for phone numbers; every field is checked for email.
    """
    notes: list[str] = []
    for entry in entries:
        texts = [entry.organization, entry.sector, entry.service_type]
        found = {w for text in texts for w in privacy_warnings(text)}
        found |= {w for w in privacy_warnings(entry.how_to_refer) if "email" in w}
        notes.extend(f"{entry.organization}: {w}" for w in sorted(found))
    return notes


# --------------------------------------------------------------------------- coverage
def coverage_by_area(
    entries: list[InventoryEntry], framework: Framework | None = None
) -> pd.DataFrame:
    """How many organizations serve each focus area.

    Returns a frame indexed by ``area_id`` (framework order) with columns
    ``area`` (name), ``organizations`` (count of distinct organization names)
    and ``names`` (those names, ``;``-separated, sorted).
    """
    framework = framework or load_framework()
    rows = []
    for area in framework.areas:
        names: dict[str, str] = {}
        for entry in entries:
            if area.id in entry.focus_areas:
                names.setdefault(entry.organization.casefold(), entry.organization)
        shown = sorted(names.values(), key=str.casefold)
        rows.append(
            {
                "area_id": area.id,
                "area": area.name,
                "organizations": len(shown),
                "names": AREA_SEPARATOR.join(shown),
            }
        )
    return pd.DataFrame(rows).set_index("area_id")


# --------------------------------------------------------------------------- load
def load_inventory(path: str | Path, framework: Framework | None = None) -> list[InventoryEntry]:
    """Read an inventory from a ``.csv``, ``.xlsx`` or ``.json`` file.

    Raises:
        InventoryFileError: naming the file, the row or field, the problem and the fix.
    """
    path = Path(path)
    framework = framework or load_framework()
    suffix = readable_suffix(path, path.suffix.lower(), InventoryFileError, "inventory")
    if suffix == ".json":
        return _from_json(path, framework)
    entries = []
    for _number, record in read_table(path, INVENTORY_TABLE):
        if cell_text(record.get("organization")).startswith(NOTE_PREFIX):
            continue
        try:
            entries.append(make_entry(record, framework))
        except ValueError as exc:
            column, _, problem = str(exc).partition(": ")
            raise InventoryFileError(
                f"{problem}.",
                fix=_fix_for(column),
                file=path,
                where=f"{record[PLACE_KEY]}, column {column}",
            ) from None
    return entries


def _fix_for(column: str) -> str:
    if column == "organization":
        return "write the organization's name, or delete the row."
    return (
        "write focus areas as in the template, separated by ';' (for example Prevention; Justice)."
    )


def _from_json(path: Path, framework: Framework) -> list[InventoryEntry]:
    try:
        data = json.loads(decode_text(path, path.read_bytes(), InventoryFileError))
    except json.JSONDecodeError as exc:
        raise InventoryFileError(
            f"the JSON is not valid ({exc.msg}).",
            fix="look for a missing comma, quote or bracket near that place, or restore "
            "the .bak copy saved beside it.",
            file=path,
            where=f"line {exc.lineno}, column {exc.colno}",
        ) from None
    if isinstance(data, dict) and data.get("format", JSON_FORMAT) != JSON_FORMAT:
        raise InventoryFileError(
            f"the field format is {data.get('format')!r}, not {JSON_FORMAT!r}.",
            fix="this file is not a resource inventory; choose the right file.",
            file=path,
            where="field format",
        )
    if isinstance(data, dict) and "state" in data and isinstance(data["state"], dict):
        data = data["state"]  # the course's own autosave file
    items = data.get("entries") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InventoryFileError(
            "the JSON does not hold a list of entries.",
            fix='write it as {"entries": [{"organization": "...", "focus_areas": [...]}, ...]}.',
            file=path,
            where="field entries",
        )
    entries = []
    for index, item in enumerate(items):
        where = f"field entries[{index}]"
        if not isinstance(item, dict):
            raise InventoryFileError(
                "each entry must be an object with organization, sector, focus_areas, "
                "service_type and how_to_refer.",
                fix='write it as {"organization": "...", "focus_areas": ["prevention"], ...}.',
                file=path,
                where=where,
            )
        for key in ("organization", "sector", "service_type", "how_to_refer"):
            if not isinstance(item.get(key, ""), str):
                raise InventoryFileError(
                    f"{key} must be text.",
                    fix="put the value in quotes.",
                    file=path,
                    where=f"{where}.{key}",
                )
        areas = item.get("focus_areas", [])
        if not isinstance(areas, str | list):
            raise InventoryFileError(
                "focus_areas must be a list of focus areas.",
                fix='write it as ["prevention", "justice"].',
                file=path,
                where=f"{where}.focus_areas",
            )
        try:
            entries.append(make_entry(item, framework))
        except ValueError as exc:
            column, _, problem = str(exc).partition(": ")
            raise InventoryFileError(
                f"{problem}.", fix=_fix_for(column), file=path, where=f"{where}.{column}"
            ) from None
    return entries


# --------------------------------------------------------------------------- save
def inventory_rows(
    entries: list[InventoryEntry], framework: Framework | None = None, note: bool = True
) -> list[dict[str, str]]:
    """The rows of the CSV/XLSX layout, as strings (the note row first, if ``note``)."""
    framework = framework or load_framework()
    rows = []
    if note:
        rows.append({c: "" for c in INVENTORY_COLUMNS} | {"organization": NOTE})
    for entry in entries:
        rows.append(
            {
                "organization": entry.organization,
                "sector": entry.sector,
                "focus_areas": area_names(entry.focus_areas, framework),
                "service_type": entry.service_type,
                "how_to_refer": entry.how_to_refer,
            }
        )
    return rows


def inventory_to_csv(entries: list[InventoryEntry], framework: Framework | None = None) -> str:
    """The inventory in the CSV template layout (header, note row, one row per entry)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(INVENTORY_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(inventory_rows(entries, framework))
    return buffer.getvalue()


def inventory_to_xlsx_bytes(
    entries: list[InventoryEntry], framework: Framework | None = None
) -> bytes:
    """The inventory as an XLSX workbook: the table, plus a sheet listing the focus areas."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    framework = framework or load_framework()
    book = Workbook()
    sheet = book.active
    sheet.title = XLSX_SHEET
    sheet.append(list(INVENTORY_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in inventory_rows(entries, framework):
        sheet.append([row[c] for c in INVENTORY_COLUMNS])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # text starting with "=" is text, not a formula
                cell.data_type = "s"
    for col, width in {"A": 40, "B": 20, "C": 40, "D": 30, "E": 45}.items():
        sheet.column_dimensions[col].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    areas = book.create_sheet("Focus areas")
    areas.append(["focus area", "id", "what it covers"])
    for area in framework.areas:
        areas.append([area.name, area.id, area.summary])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def inventory_to_json(entries: list[InventoryEntry]) -> str:
    """The inventory as pretty JSON text."""
    data = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "entries": [e.to_dict() for e in entries],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def save_inventory(
    entries: list[InventoryEntry], path: str | Path, framework: Framework | None = None
) -> Path:
    """Write the inventory atomically, keeping the previous file as ``.bak``."""
    return atomic_write(Path(path), inventory_bytes(entries, path, framework))


def inventory_bytes(
    entries: list[InventoryEntry], name: str | Path, framework: Framework | None = None
) -> bytes:
    """The content of the inventory as a file called ``name`` (.json, .csv or .xlsx)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".json":
        return inventory_to_json(entries).encode("utf-8")
    if suffix == ".csv":
        return inventory_to_csv(entries, framework).encode("utf-8-sig")
    if suffix == ".xlsx":
        return inventory_to_xlsx_bytes(entries, framework)
    raise InventoryFileError(
        f"the file type {suffix or '(none)'!r} is not one the course writes.",
        fix="choose a name ending in .csv, .xlsx or .json.",
        file=name,
    )


# --------------------------------------------------------------------------- working folder
def inventory_store() -> AutosaveStore:
    """The autosave store of the learner's inventory (``work_dir()/INVENTORY_FILE``)."""
    return AutosaveStore.in_work_dir(INVENTORY_FILE, INVENTORY_KIND)


def saved_inventory(framework: Framework | None = None) -> list[InventoryEntry]:
    """The inventory the learner saved in the working folder, or ``[]`` if none.

    Never raises for a damaged file: the store falls back to the backup. Entries
    that are not objects are skipped; focus areas this framework does not know
    are kept as written (so nothing entered is lost) and ignored by
    :func:`coverage_by_area`.
    """
    framework = framework or load_framework()
    state = inventory_store().load() or {}
    items = state.get("entries", []) if isinstance(state, dict) else []
    return [
        entry_from_state(item, framework)
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, dict)
    ]


def entry_from_state(item: dict[str, Any], framework: Framework) -> InventoryEntry:
    """One entry of a saved inventory state (the widget's autosave, or a submission).

    Focus areas the framework does not know are kept as written, so nothing a
    learner entered is lost and a grading check can name them.
    """
    raw_areas = item.get("focus_areas", [])
    raw_areas = [raw_areas] if isinstance(raw_areas, str) else raw_areas
    areas: list[str] = []
    for value in raw_areas if isinstance(raw_areas, list) else []:
        try:
            areas.extend(parse_focus_areas(str(value), framework))
        except ValueError:
            areas.append(str(value))
    return InventoryEntry(
        organization=cell_text(item.get("organization")),
        sector=cell_text(item.get("sector")),
        focus_areas=list(dict.fromkeys(areas)),
        service_type=cell_text(item.get("service_type")),
        how_to_refer=cell_text(item.get("how_to_refer")),
    )


def store_inventory(entries: list[InventoryEntry]) -> Path:
    """Save ``entries`` as the learner's inventory in the working folder (atomic, with .bak)."""
    return inventory_store().save({"entries": [e.to_dict() for e in entries]})
