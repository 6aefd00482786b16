"""What a resource inventory holds: organizations, the focus areas each serves, coverage.

An entry is an **organization only**, with its public referral route. Focus
areas may be written as ids or names, in any case, ``;``-separated; they are
kept as area ids in framework order. Reading and writing files, and the
learner's saved inventory, are in :mod:`endtrafficking.inventory`.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from endtrafficking.framework import Framework, load_framework
from endtrafficking.privacy import privacy_warnings
from endtrafficking.tables import cell_text

INVENTORY_COLUMNS = ("organization", "sector", "focus_areas", "service_type", "how_to_refer")


AREA_SEPARATOR = "; "


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
