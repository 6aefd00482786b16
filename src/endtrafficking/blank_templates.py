"""The blank templates, generated from the framework so they never drift from it.

``endtrafficking templates --out assessments_templates`` (or
:func:`write_templates`) writes:

* ``assessment_template.csv`` / ``.xlsx``: the blank community assessment, one
  row per indicator (:func:`endtrafficking.storage.to_csv` of a blank assessment);
* ``resource_inventory_template.csv`` / ``.xlsx``: the blank resource inventory;
* ``assessment_printable.html``: a printable version with the rating scale,
  every indicator with boxes to tick, the two unrated sections and the
  safeguards.

A host who replaces ``framework.yaml`` runs the command again to get matching
templates. Files whose content is unchanged are not rewritten (XLSX files are
compared by their cell values, since a workbook's bytes carry a timestamp).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from endtrafficking.assessment import Assessment
from endtrafficking.framework import Framework, load_framework
from endtrafficking.inventory import inventory_to_csv, inventory_to_xlsx_bytes
from endtrafficking.safe_save import atomic_write
from endtrafficking.storage import to_csv, to_xlsx_bytes

ASSESSMENT_CSV = "assessment_template.csv"
ASSESSMENT_XLSX = "assessment_template.xlsx"
INVENTORY_CSV = "resource_inventory_template.csv"
INVENTORY_XLSX = "resource_inventory_template.xlsx"
PRINTABLE_HTML = "assessment_printable.html"
PRINTABLE_TEMPLATE = "printable.html.j2"
TEMPLATE_FILES = (ASSESSMENT_CSV, ASSESSMENT_XLSX, INVENTORY_CSV, INVENTORY_XLSX, PRINTABLE_HTML)


def printable_html(framework: Framework | None = None) -> str:
    """The printable blank assessment as one self-contained HTML page."""
    from endtrafficking.report import _environment, cited_sources

    framework = framework or load_framework()
    keys = [k for a in framework.areas for k in a.sources]
    keys += [k for s in framework.sections for k in s.sources]
    keys += [i.source for i in framework.indicators if i.source]
    template = _environment().get_template(PRINTABLE_TEMPLATE)
    return template.render(framework=framework, sources=cited_sources(keys))


def template_files(framework: Framework | None = None) -> dict[str, bytes]:
    """Every blank template's file name and content, generated from ``framework``."""
    framework = framework or load_framework()
    blank = Assessment.blank("", framework)
    return {
        ASSESSMENT_CSV: to_csv(blank).encode("utf-8-sig"),
        ASSESSMENT_XLSX: to_xlsx_bytes(blank),
        INVENTORY_CSV: inventory_to_csv([], framework).encode("utf-8-sig"),
        INVENTORY_XLSX: inventory_to_xlsx_bytes([], framework),
        PRINTABLE_HTML: printable_html(framework).encode("utf-8"),
    }


def xlsx_values(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's cell values, by sheet name, in order (to compare workbooks)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    finally:
        book.close()


def same_content(name: str, old: bytes, new: bytes) -> bool:
    """True when two versions of a template hold the same content."""
    if name.lower().endswith(".xlsx"):
        try:
            return xlsx_values(old) == xlsx_values(new)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            return False
    return old == new


def write_templates(out_dir: str | Path, framework: Framework | None = None) -> list[Path]:
    """Write every blank template into ``out_dir``; return the files that changed."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in template_files(framework).items():
        path = out / name
        if path.exists() and same_content(name, path.read_bytes(), content):
            continue
        atomic_write(path, content, keep_backup=False)
        written.append(path)
    return written
