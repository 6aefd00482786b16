"""Read-only views of a resource inventory: coverage per focus area, and the entries.

The coverage view is a chart (inline SVG with its text as the label), the same
in a sentence, and a table; areas no organization serves say so in words.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from endtrafficking.errors import CourseInputError
from endtrafficking.framework import Framework
from endtrafficking.inventory import InventoryEntry, coverage_by_area
from endtrafficking.widgets.messages import error_text, notice_html
from endtrafficking.widgets.svg_charts import bar_svg


def inventory_coverage_text(coverage: pd.DataFrame) -> str:
    """The coverage chart in words: organizations per area, and the areas with none."""
    parts = "; ".join(f"{row.area} {row.organizations}" for row in coverage.itertuples())
    none = coverage.loc[coverage["organizations"] == 0, "area"].tolist()
    tail = (
        f" No organization in the inventory serves: {', '.join(none)}."
        if none
        else " Every focus area has at least one organization."
    )
    return f"Organizations per focus area: {parts}.{tail}"


def inventory_coverage_chart(coverage: pd.DataFrame, label: str) -> str:
    """Horizontal bars of organizations per focus area, as inline SVG; empty areas say so."""
    counts = dict(zip(coverage["area"], coverage["organizations"].astype(int), strict=True))
    return bar_svg(counts, label, unit="organizations", none_text="0: none yet, a gap")


def inventory_coverage_html(
    entries: list[InventoryEntry], framework: Framework | None = None, title: str | None = None
) -> str:
    """Chart (with alt text), sentence and table of organizations per focus area."""
    coverage = coverage_by_area(entries, framework)
    text = inventory_coverage_text(coverage)
    table = pd.DataFrame(
        {
            "Focus area": coverage["area"],
            "Organizations": coverage["organizations"],
            "Which": [n or "none yet" for n in coverage["names"]],
        }
    )
    heading = html.escape(title or "Organizations per focus area")
    return (
        f'<p class="et-chart-title"><strong>{heading}</strong></p>'
        f'<div class="et-chart-box">{inventory_coverage_chart(coverage, text)}</div>'
        f"<p>{html.escape(text)}</p>"
        + table.to_html(index=False, escape=True, border=0, classes="et-table")
    )


def show_inventory_coverage(
    entries: list[InventoryEntry], title: str | None = None
) -> widgets.HTML:
    """A read-only coverage view of ``entries`` (for example the fictional example's)."""
    try:
        return widgets.HTML(inventory_coverage_html(entries, title=title))
    except (CourseInputError, ValueError) as exc:
        return widgets.HTML(notice_html("error", error_text(exc)))


def entries_table_html(entries: list[InventoryEntry], framework: Framework) -> str:
    """The entries as a table with focus-area names."""
    names = {a.id: a.name for a in framework.areas}
    rows = [
        {
            "Organization": e.organization,
            "Sector": e.sector,
            "Focus areas": "; ".join(names.get(a, a) for a in e.focus_areas),
            "Service": e.service_type,
            "How to refer": e.how_to_refer,
        }
        for e in entries
    ]
    return pd.DataFrame(rows).to_html(index=False, escape=True, border=0, classes="et-table")


def example_coverage() -> widgets.HTML:
    """The coverage view of the FICTIONAL example community's inventory, labelled as such."""
    from endtrafficking.examples import example_inventory

    try:
        entries = example_inventory()
    except CourseInputError as exc:
        return widgets.HTML(notice_html("error", error_text(exc)))
    return show_inventory_coverage(
        entries, title="Elderbrook County (fictional): organizations per focus area"
    )
