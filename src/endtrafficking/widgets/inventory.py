"""Module 02 exercise: an inventory of the efforts in the learner's own community.

The learner lists organizations (never individuals) with the focus areas they
serve and their public referral route, in the columns of the resource
inventory template (:mod:`endtrafficking.inventory`). A live chart shows how
many organizations serve each focus area; areas with none are hatched and
labelled "none yet", so the chart never relies on colour alone, and a table
and a sentence say the same in words.

Entries can be added, edited and removed; a filled template (CSV or XLSX) can
be imported; the inventory exports as CSV and XLSX. Every change is saved to
``work_dir()/inventory.json`` (autosave kind ``inventory``, state
``{"entries": [...]}``), exactly what :func:`endtrafficking.inventory.saved_inventory`
reads, so module 04 can offer these organizations as partners.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from endtrafficking.errors import CourseInputError
from endtrafficking.framework import Framework, load_framework
from endtrafficking.inventory import (
    InventoryEntry,
    InventoryFileError,
    coverage_by_area,
    inventory_bytes,
    inventory_store,
    load_inventory,
    privacy_notes,
    saved_inventory,
    store_inventory,
)
from endtrafficking.widgets.area_boxes import area_checkboxes, shared_box_look
from endtrafficking.widgets.downloads import download_button
from endtrafficking.widgets.inventory_views import (
    entries_table_html,
    example_coverage,
    inventory_coverage_chart,
    inventory_coverage_html,
    inventory_coverage_text,
    show_inventory_coverage,
)
from endtrafficking.widgets.messages import (
    error_text,
    notice_html,
    save_failed_html,
    saved_html,
    shown_or_explained,
)
from endtrafficking.workspace import work_dir

EXPORT_STEM = "inventory_export"
UPLOAD_FOLDER = "uploads"
IMPORT_SUFFIXES = (".csv", ".xlsx")
ADD, REPLACE = "add", "replace"

#: Kept importable from here: module 02's notebook imports ``example_coverage`` from here.
__all__ = [
    "ADD",
    "REPLACE",
    "InventoryBuilder",
    "entries_table_html",
    "example_coverage",
    "inventory_builder",
    "inventory_coverage_chart",
    "inventory_coverage_html",
    "inventory_coverage_text",
    "show_inventory_coverage",
]


class InventoryBuilder(widgets.VBox):
    """Form, list, import/export and live coverage chart of the learner's inventory."""

    def __init__(self, framework: Framework | None = None) -> None:
        self.framework = framework or load_framework()
        self.entries: list[InventoryEntry] = []
        style = {"description_width": "11em"}
        wide = widgets.Layout(width="95%")
        self._build_form(style, wide)
        for text in (self.organization, self.sector, self.service_type, self.how_to_refer):
            text.observe(self._on_text, names="value")
        self.privacy = widgets.HTML("")
        self.add_button = widgets.Button(description="Add as new entry", icon="plus")
        self.update_button = widgets.Button(description="Save changes to selected", icon="save")
        self.remove_button = widgets.Button(description="Remove selected", icon="trash")
        self.clear_button = widgets.Button(description="Clear the form", icon="eraser")
        self.add_button.on_click(self._on_add)
        self.update_button.on_click(self._on_update)
        self.remove_button.on_click(self._on_remove)
        self.clear_button.on_click(lambda _b: self.clear_form())
        self.entry_list = widgets.Select(
            options=[], value=None, rows=8, description="Your entries", style=style, layout=wide
        )
        self.entry_list.observe(self._on_select, names="value")
        self.upload = widgets.FileUpload(
            accept=",".join(IMPORT_SUFFIXES), multiple=False, description="Import CSV or XLSX"
        )
        self.upload.observe(self._on_upload, names="value")
        self.import_mode = widgets.RadioButtons(
            options=[("Add to my entries", ADD), ("Replace my entries", REPLACE)],
            value=ADD,
            description="When importing",
            style=style,
        )
        self.export_csv_button = download_button(
            "Download the inventory (CSV, for a spreadsheet)", lambda: self.export_file(".csv")
        )
        self.export_xlsx_button = download_button(
            "Download the inventory (XLSX, for Excel or LibreOffice)",
            lambda: self.export_file(".xlsx"),
        )
        self.message = widgets.HTML("")
        self.saved = widgets.HTML("")
        self.table = widgets.HTML("")
        self.coverage = widgets.HTML("").add_class("et-coverage")
        super().__init__(self._children())
        self.add_class("et-inventory")
        self._restore()

    def _build_form(self, style: dict[str, str], wide: widgets.Layout) -> None:
        """The entry form: four text fields and a tick box per focus area."""
        self.organization = widgets.Text(
            description="Organization",
            placeholder="an organization, never a person",
            style=style,
            layout=wide,
        )
        self.sector = widgets.Text(
            description="Sector",
            placeholder="e.g. Health care, Education, Faith community",
            style=style,
            layout=wide,
        )
        self.service_type = widgets.Text(
            description="Service",
            placeholder="what it offers, e.g. emergency shelter",
            style=style,
            layout=wide,
        )
        self.how_to_refer = widgets.Text(
            description="How to refer",
            placeholder="its PUBLIC route: public intake line, website, office",
            style=style,
            layout=wide,
        )
        self.area_boxes = area_checkboxes(self.framework, shared_box_look())

    def _children(self) -> list[widgets.Widget]:
        """The exercise from top to bottom: form, buttons, entries, files, coverage, table."""
        return [
            widgets.HTML(
                notice_html(
                    "info",
                    "List organizations and their public referral routes only. Never write "
                    "a person's name, a private phone number or email, or anything about a "
                    "victim or survivor.",
                )
            ),
            widgets.HTML("<h3>Add or edit an entry</h3>"),
            self.organization,
            self.sector,
            widgets.Label("Focus areas it serves (tick all that apply):"),
            widgets.HBox(
                list(self.area_boxes.values()), layout=widgets.Layout(flex_flow="row wrap")
            ),
            self.service_type,
            self.how_to_refer,
            self.privacy,
            widgets.HBox(
                [self.add_button, self.update_button, self.remove_button, self.clear_button],
                layout=widgets.Layout(flex_flow="row wrap"),
            ),
            self.message,
            self.saved,
            self.entry_list,
            widgets.HTML("<h3>Import a filled template, or download yours</h3>"),
            widgets.HBox(
                [self.import_mode, self.upload], layout=widgets.Layout(flex_flow="row wrap")
            ),
            self.export_csv_button,
            self.export_xlsx_button,
            widgets.HTML("<h3>Coverage of your community's inventory</h3>"),
            self.coverage,
            widgets.HTML("<h3>All entries</h3>"),
            self.table,
        ]

    # -- form --------------------------------------------------------------------------
    def form_entry(self) -> InventoryEntry:
        """The entry described by the form.

        Raises:
            ValueError: the organization is empty or no focus area is ticked.
        """
        organization = " ".join(self.organization.value.split())
        if not organization:
            raise ValueError("Write the organization's name first.")
        areas = [a for a, box in self.area_boxes.items() if box.value]
        if not areas:
            raise ValueError("Tick at least one focus area the organization serves.")
        return InventoryEntry(
            organization=organization,
            sector=self.sector.value.strip(),
            focus_areas=areas,
            service_type=self.service_type.value.strip(),
            how_to_refer=self.how_to_refer.value.strip(),
        )

    def fill_form(self, entry: InventoryEntry) -> None:
        """Show ``entry`` in the form."""
        self.organization.value = entry.organization
        self.sector.value = entry.sector
        self.service_type.value = entry.service_type
        self.how_to_refer.value = entry.how_to_refer
        for area_id, box in self.area_boxes.items():
            box.value = area_id in entry.focus_areas

    def clear_form(self) -> None:
        """Empty the form and deselect the list."""
        self.entry_list.value = None
        for text in (self.organization, self.sector, self.service_type, self.how_to_refer):
            text.value = ""
        for box in self.area_boxes.values():
            box.value = False
        self.privacy.value = ""

    def _index_of(self, organization: str, skip: int | None = None) -> int | None:
        key = organization.casefold()
        for i, entry in enumerate(self.entries):
            if i != skip and entry.organization.casefold() == key:
                return i
        return None

    # -- events ------------------------------------------------------------------------
    def _on_text(self, _change: dict[str, Any]) -> None:
        candidate = InventoryEntry(
            organization=self.organization.value,
            sector=self.sector.value,
            service_type=self.service_type.value,
            how_to_refer=self.how_to_refer.value,
        )
        notes = privacy_notes([candidate])
        self.privacy.value = (
            notice_html("warn", "Privacy: " + " ".join(n.partition(": ")[2] for n in notes))
            if notes
            else ""
        )

    def _on_select(self, change: dict[str, Any]) -> None:
        index = change["new"]
        if index is not None and 0 <= index < len(self.entries):
            self.fill_form(self.entries[index])

    def _on_add(self, _button: widgets.Button | None = None) -> None:
        try:
            entry = self.form_entry()
        except ValueError as exc:
            self.message.value = notice_html("error", error_text(exc))
            return
        if self._index_of(entry.organization) is not None:
            self.message.value = notice_html(
                "error",
                f"{entry.organization} is already in your entries. Select it in the list to edit it.",
            )
            return
        self.entries.append(entry)
        self._changed(f"Added {entry.organization}.")
        self.clear_form()

    def _on_update(self, _button: widgets.Button | None = None) -> None:
        index = self.entry_list.value
        if index is None:
            self.message.value = notice_html("info", "Select an entry in the list first.")
            return
        try:
            entry = self.form_entry()
        except ValueError as exc:
            self.message.value = notice_html("error", error_text(exc))
            return
        if self._index_of(entry.organization, skip=index) is not None:
            self.message.value = notice_html(
                "error", f"Another entry is already called {entry.organization}."
            )
            return
        self.entries[index] = entry
        self._changed(f"Saved your changes to {entry.organization}.", select=index)

    def _on_remove(self, _button: widgets.Button | None = None) -> None:
        index = self.entry_list.value
        if index is None:
            self.message.value = notice_html("info", "Select an entry in the list first.")
            return
        removed = self.entries.pop(index)
        self._changed(
            f"Removed {removed.organization}. (The previous version of your inventory is kept "
            "as a backup in your working folder.)"
        )
        self.clear_form()

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"] or ()
        for item in files:
            self.import_file(item["name"], bytes(item["content"]), mode=self.import_mode.value)
        if files:
            self.upload.value = ()  # so that the same file can be imported again

    # -- import / export ---------------------------------------------------------------
    def import_file(self, name: str, content: bytes, mode: str = ADD) -> bool:
        """Import a filled template; ``mode`` adds to or replaces the entries.

        A copy of the uploaded file is kept in ``work_dir()/uploads``. Problems are
        shown in the widget, naming the file, row and column. Returns True on success.
        """
        name = Path(name).name
        if Path(name).suffix.lower() not in IMPORT_SUFFIXES:
            self.message.value = notice_html(
                "error",
                f"{name}: the course imports .csv or .xlsx files. How to fix it: save the "
                "template as CSV or Excel (.xlsx) and import that.",
            )
            return False
        folder = work_dir() / UPLOAD_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_bytes(content)
        try:
            imported = load_inventory(path, self.framework)
        except CourseInputError as exc:
            shown = InventoryFileError(exc.problem, fix=exc.fix, file=name, where=exc.where)
            self.message.value = notice_html("error", error_text(shown))
            return False
        if mode == REPLACE and not imported:
            self.message.value = notice_html(
                "info", f"{name} holds no entries, so your entries were kept as they are."
            )
            return False
        if mode == REPLACE:
            self.entries = list(imported)
            note = f"Replaced your entries with {len(imported)} from {name}."
        else:
            added = updated = 0
            for entry in imported:
                index = self._index_of(entry.organization)
                if index is None:
                    self.entries.append(entry)
                    added += 1
                else:
                    self.entries[index] = entry
                    updated += 1
            note = f"Imported {name}: {added} added, {updated} updated."
        warnings = privacy_notes(imported)
        self._changed(note)
        if warnings:
            self.message.value += notice_html("warn", "Privacy: " + " ".join(warnings))
        return True

    def export_file(self, suffix: str) -> tuple[str, bytes]:
        """The inventory as a ``.csv`` or ``.xlsx`` file: its name and bytes."""
        name = f"{EXPORT_STEM}{suffix}"
        return name, inventory_bytes(self.entries, name, self.framework)

    # -- saving ------------------------------------------------------------------------
    def _changed(self, note: str, select: int | None = None) -> None:
        try:
            store_inventory(self.entries)
        except OSError as exc:
            self.message.value = notice_html("info", note)
            self.saved.value = save_failed_html(exc)
        else:
            self.message.value = notice_html("ok", note)
            self.saved.value = saved_html()
        self._refresh(select)

    def _refresh(self, select: int | None = None) -> None:
        self.entry_list.options = [
            (
                f"{e.organization} ({len(e.focus_areas)} area{'s' if len(e.focus_areas) != 1 else ''})",
                i,
            )
            for i, e in enumerate(self.entries)
        ]
        self.entry_list.value = (
            select if select is not None and select < len(self.entries) else None
        )
        self.coverage.value = inventory_coverage_html(self.entries, self.framework)
        self.table.value = (
            entries_table_html(self.entries, self.framework)
            if self.entries
            else "<p>No entries yet.</p>"
        )

    def _restore(self) -> None:
        store = inventory_store()
        store.load()  # recovers a damaged file from its backup, and says so
        notes = list(store.messages)
        self.entries = saved_inventory(self.framework)
        if self.entries:
            notes.append(f"Your {len(self.entries)} saved entries were restored.")
        self._refresh()
        if notes:
            self.message.value = notice_html("info", " ".join(notes))

    def coverage_frame(self) -> pd.DataFrame:
        """Organizations per focus area for the current entries."""
        return coverage_by_area(self.entries, self.framework)


def inventory_builder() -> widgets.Widget:
    """The inventory exercise, ready to display (a problem is shown as a message)."""
    return shown_or_explained(InventoryBuilder)
