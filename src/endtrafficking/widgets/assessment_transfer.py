"""The assessment's way in and out: import a filled template, download the answers.

A filled template (CSV or XLSX) is imported by upload or by path; the current
answers are backed up first, and a problem imports nothing and says why. The
answers download as CSV, XLSX or an HTML report. :class:`ImportExport` is a
mixin of :class:`~endtrafficking.widgets.assessment.AssessmentExercise`.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from endtrafficking.assessment import Assessment
from endtrafficking.errors import CourseInputError
from endtrafficking.framework import Framework
from endtrafficking.inventory import InventoryEntry
from endtrafficking.saved_assessment import (
    backup_before_import,
    read_import_file,
    read_uploaded_assessment,
    resolve_import_path,
)
from endtrafficking.storage import assessment_bytes
from endtrafficking.widgets.assessment_cards import AUTO, LABEL_STYLE
from endtrafficking.widgets.downloads import download_button
from endtrafficking.widgets.messages import error_text, notice_html

#: The download buttons' labels, by kind.
EXPORT_LABELS = {
    "csv": "Download the assessment (CSV, for a spreadsheet)",
    "xlsx": "Download the assessment (XLSX, for Excel or LibreOffice)",
    "html": "Download the report (HTML, to read and print)",
}
#: Export file names, in the working folder.
EXPORT_NAMES = {
    "csv": "community_assessment.csv",
    "xlsx": "community_assessment.xlsx",
    "html": "community_assessment_report.html",
}


class ImportExport:
    """Import and export controls and their handlers, for the assessment exercise.

    The exercise provides ``_fill_controls``, ``_save`` and ``refresh``.
    """

    framework: Framework
    assessment: Assessment
    inventory: list[InventoryEntry]

    def _transfer_boxes(self) -> tuple[widgets.VBox, widgets.VBox]:
        """Build the import and the export controls; return their two boxes."""
        self.upload = widgets.FileUpload(
            accept=".csv,.xlsx", multiple=False, description="Upload a filled template", layout=AUTO
        )
        self.import_path = widgets.Text(
            description="Or type the file's path",
            placeholder="for example ../my_work/assessment_filled.xlsx",
            style=LABEL_STYLE,
            layout={"width": "60%"},
        )
        self.import_button = widgets.Button(
            description="Import from path", icon="upload", layout=AUTO
        )
        self.import_status = widgets.HTML("")
        self.export_buttons = {
            kind: download_button(label, lambda k=kind: self.export_file(k))
            for kind, label in EXPORT_LABELS.items()
        }
        self.upload.observe(self._on_upload, names="value")
        self.import_button.on_click(self._on_import_path)
        import_box = widgets.VBox(
            [
                widgets.HTML(
                    "<h4>Import a filled template</h4><p>Your current answers are saved in "
                    "your working folder before an import replaces them.</p>"
                ),
                self.upload,
                widgets.HBox([self.import_path, self.import_button]),
                self.import_status,
            ]
        )
        export_box = widgets.VBox(
            [
                widgets.HTML("<h4>Download to share with partners</h4>"),
                *self.export_buttons.values(),
            ]
        )
        return import_box, export_box

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        name = str(upload.get("name", "upload"))
        try:
            imported = read_uploaded_assessment(
                name, bytes(upload.get("content", b"")), self.framework
            )
        except (CourseInputError, ValueError, OSError) as exc:
            self.import_status.value = notice_html(
                "error", f"Problem: nothing was imported. {error_text(exc)}"
            )
            return
        self.replace_with(imported, name)

    def _on_import_path(self, _button: widgets.Button | None = None) -> None:
        try:
            path = resolve_import_path(self.import_path.value)
            imported = read_import_file(path, self.framework)
        except (CourseInputError, ValueError, OSError) as exc:
            self.import_status.value = notice_html(
                "error", f"Problem: nothing was imported. {error_text(exc)}"
            )
            return
        self.replace_with(imported, path.name)

    def replace_with(self, imported: Assessment, source: str) -> None:
        """Replace the answers with an imported assessment, after backing up the current ones."""
        current = self.assessment
        has_answers = current.community or any(not r.is_blank() for r in current.responses.values())
        backup_note = ""
        if has_answers or any(current.context.values()):
            try:
                backup = backup_before_import(current)
            except OSError as exc:
                self.import_status.value = notice_html(
                    "error",
                    f"Problem: your current answers could not be backed up "
                    f"({exc.strerror or exc}), so nothing was imported.",
                )
                return
            backup_note = f" Your previous answers were kept in {backup.name}."
        if not imported.community:
            imported.community = current.community
        self.assessment = imported
        self._fill_controls()
        self._save()
        self.refresh()
        self.import_status.value = notice_html(
            "ok",
            f"Imported {imported.rated_count} rated indicators from {source}.{backup_note}",
        )

    def export_file(self, kind: str) -> tuple[str, bytes]:
        """The assessment as a ``csv``, ``xlsx`` or ``html`` (report) file: its name and bytes."""
        name = EXPORT_NAMES[kind]
        if kind == "html":
            # Imported on first export: jinja2 and the report cost ~0.1 s at start-up.
            from endtrafficking.report import render_report

            page = render_report(self.assessment, inventory=self.inventory or None)
            return name, page.encode("utf-8")
        return name, assessment_bytes(self.assessment, name)
