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
import io
import json
from pathlib import Path

from endtrafficking.errors import CourseInputError
from endtrafficking.framework import Framework, load_framework
from endtrafficking.inventory_entries import (
    AREA_SEPARATOR,
    INVENTORY_COLUMNS,
    InventoryEntry,
    area_names,
    coverage_by_area,
    entry_from_state,
    make_entry,
    parse_focus_areas,
    privacy_notes,
    validate_entries,
)
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

#: Kept importable from here: the widgets, the grader and the checkpoints use these names.
__all__ = [
    "AREA_SEPARATOR",
    "INVENTORY_COLUMNS",
    "INVENTORY_KIND",
    "INVENTORY_TABLE",
    "JSON_FORMAT",
    "InventoryEntry",
    "InventoryFileError",
    "area_names",
    "coverage_by_area",
    "entry_from_state",
    "inventory_bytes",
    "inventory_rows",
    "inventory_store",
    "inventory_to_csv",
    "inventory_to_json",
    "inventory_to_xlsx_bytes",
    "load_inventory",
    "make_entry",
    "parse_focus_areas",
    "privacy_notes",
    "save_inventory",
    "saved_inventory",
    "store_inventory",
    "validate_entries",
]

INVENTORY_KIND = "inventory"
JSON_FORMAT = "endtrafficking.inventory"
JSON_VERSION = 1
XLSX_SHEET = "Inventory"
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


def store_inventory(entries: list[InventoryEntry]) -> Path:
    """Save ``entries`` as the learner's inventory in the working folder (atomic, with .bak)."""
    return inventory_store().save({"entries": [e.to_dict() for e in entries]})
