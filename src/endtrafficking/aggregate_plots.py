"""The coordinator's chart of many communities' coverage by focus area, with its text.

Up to :data:`AGGREGATE_DETAIL_ROWS` communities, a grid shows each one's
coverage per area (unrated cells hatched); beyond that, a summary per area.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from endtrafficking.framework import load_framework
from endtrafficking.plot_style import (
    COVERAGE_MAX,
    PALETTE,
    UNRATED_EDGE,
    UNRATED_FACE,
    UNRATED_HATCH,
    new_axes,
    sequential_colours,
    text_colour,
    wrap_label,
)

#: Up to this many communities, the aggregate chart shows each one; beyond, a summary.
AGGREGATE_DETAIL_ROWS = 30


#: Columns of an aggregate table that summarise a row rather than name an area.
_SUMMARY_COLUMNS = frozenset({"mean", "median", "min", "max", "weakest", "balance", "readiness"})


def _area_columns(table: pd.DataFrame) -> list[str]:
    """The coverage columns of an aggregate table: the framework's area names if present."""
    try:
        names = [a.name for a in load_framework().areas]
    except ValueError:
        names = []
    present = [n for n in names if n in table.columns]
    if present:
        return present
    numeric = [
        c
        for c in table.columns
        if pd.api.types.is_numeric_dtype(table[c]) and c not in _SUMMARY_COLUMNS
    ]
    if not numeric:
        raise ValueError("the table has no numeric coverage columns (area names as columns).")
    return numeric


def aggregate_chart(
    table: pd.DataFrame, ax: Axes | None = None, title: str | None = None
) -> Figure:
    """Coverage (0-100) of many communities: a labelled grid, or a summary when there are many.

    Args:
        table: communities as rows (index = community names), focus area names
            as columns, coverage 0-100 as values (extra columns are ignored when
            the framework's area names are present).
        ax: axes to clear and redraw into; a new figure if None.
        title: the chart title.

    Up to :data:`AGGREGATE_DETAIL_ROWS` communities are drawn as a grid with
    each value written in its cell. More are summarised per area as the median
    with the middle half (25th to 75th percentile), each labelled.
    """
    columns = _area_columns(table)
    data = table[columns].astype(float)
    if data.empty:
        fig, ax = new_axes(ax, size=(6.0, 2.0))
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No communities to show yet.", ha="center", va="center")
        return fig
    if len(data) <= AGGREGATE_DETAIL_ROWS:
        return _aggregate_grid(data, ax, title)
    return _aggregate_summary(data, ax, title)


def _aggregate_grid(data: pd.DataFrame, ax: Axes | None, title: str | None) -> Figure:
    rows, cols = data.shape
    fig, ax = new_axes(ax, size=(2.5 + 1.3 * cols, 1.2 + 0.4 * max(rows, 1)))
    cmap = sequential_colours()
    norm = Normalize(vmin=0, vmax=COVERAGE_MAX)
    values = data.to_numpy()
    ax.imshow(
        np.ma.masked_invalid(values), cmap=cmap, norm=norm, aspect="auto", interpolation="nearest"
    )
    for r in range(rows):
        for c in range(cols):
            v = values[r, c]
            if np.isnan(v):
                ax.add_patch(
                    Rectangle(
                        (c - 0.5, r - 0.5),
                        1,
                        1,
                        facecolor=UNRATED_FACE,
                        edgecolor=UNRATED_EDGE,
                        hatch=UNRATED_HATCH,
                        lw=0.5,
                    )
                )
                ax.text(c, r, "n/a", ha="center", va="center", fontsize=8)
            else:
                ax.text(
                    c,
                    r,
                    f"{v:.0f}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color=text_colour(cmap(norm(v))),
                )
    ax.set_xticks(range(cols))
    ax.set_xticklabels([wrap_label(str(c), 12) for c in data.columns], fontsize=8)
    ax.set_yticks(range(rows))
    ax.set_yticklabels([str(i) for i in data.index], fontsize=8)
    ax.tick_params(length=0, top=True, labeltop=True, bottom=False, labelbottom=False)
    ax.set_title(title or f"Coverage by focus area (0-100), {rows} communities")
    return fig


def _aggregate_summary(data: pd.DataFrame, ax: Axes | None, title: str | None) -> Figure:
    cols = data.shape[1]
    fig, ax = new_axes(ax, size=(7.5, 1.2 + 0.55 * cols))
    q1, median, q3 = (data.quantile(q).to_numpy() for q in (0.25, 0.5, 0.75))
    y = np.arange(cols)
    ax.barh(y, median, color=PALETTE["sky_blue"], edgecolor=PALETTE["blue"], height=0.6)
    ax.errorbar(
        median,
        y,
        xerr=[median - q1, q3 - median],
        fmt="none",
        ecolor=PALETTE["black"],
        capsize=4,
        lw=1.2,
    )
    for i in range(cols):
        ax.text(
            min(q3[i] + 2, COVERAGE_MAX + 1),
            i,
            f"median {median[i]:.0f} (middle half {q1[i]:.0f}-{q3[i]:.0f})",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(y)
    ax.set_yticklabels([str(c) for c in data.columns])
    ax.invert_yaxis()
    ax.set_xlim(0, COVERAGE_MAX + 45)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel("coverage (0-100); bars show the median, lines the middle half")
    ax.set_title(title or f"Coverage by focus area across {len(data)} communities")
    return fig


def aggregate_text(table: pd.DataFrame) -> str:
    """The aggregate chart in words: per area, the median and middle half, and the weakest area."""
    columns = _area_columns(table)
    data = table[columns].astype(float)
    if data.empty:
        return "Coverage by focus area: no communities to show yet."
    median = data.median()
    parts = "; ".join(
        f"{name} median {median[name]:.0f} (middle half {data[name].quantile(0.25):.0f}-"
        f"{data[name].quantile(0.75):.0f})"
        for name in columns
    )
    weakest = median.idxmin()
    return (
        f"Coverage by focus area across {len(data)} communities, from 0 to 100: {parts}. "
        f"Weakest area overall: {weakest} (median {median[weakest]:.0f})."
    )
