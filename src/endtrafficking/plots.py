"""Charts of a community assessment, with text equivalents for screen readers.

Every chart is drawn on a :class:`matplotlib.figure.Figure` created directly,
never through ``pyplot``, so nothing pops up, no global state changes and
figures do not pile up in memory. Colours come from the Okabe-Ito palette and
the cividis map, which stay distinguishable for colour-blind readers; every
value is also written as text, and unrated indicators are hatched, so no chart
relies on colour alone. Each chart has a text or table equivalent:
:func:`radar_text`, :func:`heatmap_table`/:func:`heatmap_text` and
:func:`aggregate_text`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from endtrafficking.aggregate_plots import (
    AGGREGATE_DETAIL_ROWS,
    aggregate_chart,
    aggregate_text,
)
from endtrafficking.assessment import Assessment
from endtrafficking.framework import Framework, load_framework
from endtrafficking.plot_style import (
    COVERAGE_MAX,
    PALETTE,
    PALETTE_CYCLE,
    SEQUENTIAL_CMAP,
    UNRATED_EDGE,
    UNRATED_FACE,
    UNRATED_HATCH,
    new_axes,
    sequential_colours,
    text_colour,
    to_data_uri,
    to_png,
    wrap_label,
)

#: Kept importable from here: reports, demonstrations and the coalition charts use these.
__all__ = [
    "AGGREGATE_DETAIL_ROWS",
    "COVERAGE_MAX",
    "PALETTE",
    "PALETTE_CYCLE",
    "SEQUENTIAL_CMAP",
    "UNRATED_EDGE",
    "UNRATED_FACE",
    "UNRATED_HATCH",
    "aggregate_chart",
    "aggregate_text",
    "heatmap_table",
    "heatmap_text",
    "indicator_heatmap",
    "radar_chart",
    "radar_text",
    "to_data_uri",
    "to_png",
]


def _coverage_series(scores: pd.DataFrame | pd.Series | Mapping[str, float]) -> pd.Series:
    """Coverage by area name from ``area_scores`` output, a Series or a mapping."""
    if isinstance(scores, pd.DataFrame):
        if "coverage" not in scores.columns:
            raise ValueError("scores needs a 'coverage' column: pass scoring.area_scores(a).")
        names = scores["area"] if "area" in scores.columns else scores.index
        return pd.Series(scores["coverage"].to_numpy(dtype=float), index=list(names))
    return pd.Series(dict(scores), dtype=float)


# --------------------------------------------------------------------------- radar
def radar_chart(
    scores: pd.DataFrame | pd.Series | Mapping[str, float],
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """A radar chart of coverage (0-100) by focus area.

    Args:
        scores: ``scoring.area_scores(a)`` (or a Series/mapping of area name -> coverage).
        ax: polar axes to clear and redraw into (live widgets); a new figure if None.
        title: the chart title; defaults to "Coverage by focus area (0-100)".
    """
    series = _coverage_series(scores)
    fig, ax = new_axes(ax, polar=True, size=(6.0, 5.6))
    n = len(series)
    angles = np.linspace(0.0, 2 * math.pi, n, endpoint=False)
    values = series.to_numpy(dtype=float)
    closed_angles = np.append(angles, angles[:1])
    closed_values = np.append(values, values[:1])
    colour = PALETTE["blue"]
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.plot(closed_angles, closed_values, color=colour, linewidth=2)
    ax.fill(closed_angles, closed_values, color=colour, alpha=0.25)
    ax.scatter(angles, values, color=colour, s=28, zorder=3)
    ax.set_ylim(0, COVERAGE_MAX)
    ax.set_yticks([25, 50, 75, 100])
    ax.set_yticklabels(["25", "50", "75", "100"], fontsize=8, color="#444444")
    ax.set_rlabel_position(0)
    ax.set_xticks(angles)
    ax.set_xticklabels(
        [f"{wrap_label(str(name))}\n{value:.0f}/100" for name, value in series.items()], fontsize=9
    )
    ax.tick_params(axis="x", pad=10)
    if n:
        weakest = int(np.argmin(values))
        ax.scatter(
            [angles[weakest]],
            [values[weakest]],
            s=110,
            facecolors="none",
            edgecolors=PALETTE["vermillion"],
            linewidths=2,
            zorder=4,
            label=f"weakest: {series.index[weakest]}",
        )
        ax.legend(loc="lower left", bbox_to_anchor=(-0.15, -0.15), fontsize=8, frameon=False)
    ax.set_title(title or "Coverage by focus area (0-100)", pad=18)
    return fig


def radar_text(scores: pd.DataFrame | pd.Series | Mapping[str, float]) -> str:
    """The radar chart in words, for screen readers and alt text."""
    series = _coverage_series(scores)
    if series.empty:
        return "Radar chart of coverage by focus area: no areas."
    parts = "; ".join(f"{name} {value:.0f}" for name, value in series.items())
    strongest, weakest = series.idxmax(), series.idxmin()
    return (
        f"Radar chart of coverage by focus area, from 0 to 100: {parts}. "
        f"Strongest: {strongest} ({series[strongest]:.0f}). "
        f"Weakest: {weakest} ({series[weakest]:.0f})."
    )


# --------------------------------------------------------------------------- heatmap
def heatmap_table(
    assessment_or_frame: Assessment | pd.DataFrame, framework: Framework | None = None
) -> pd.DataFrame:
    """The heatmap as a table: one row per indicator with its area, rating and label.

    Columns: ``area``, ``position`` (1-based within the area), ``indicator_id``,
    ``rating`` (nullable integer) and ``rating_label`` ("Not rated yet" if blank).
    """
    if isinstance(assessment_or_frame, Assessment):
        framework = assessment_or_frame.framework
        frame = assessment_or_frame.to_frame()
    else:
        frame = assessment_or_frame
        missing = {"area", "indicator_id", "rating"} - set(frame.columns)
        if missing:
            raise ValueError(
                f"the table needs the columns area, indicator_id and rating "
                f"(missing: {', '.join(sorted(missing))})."
            )
        framework = framework or load_framework()
    out = frame[["area", "indicator_id", "rating"]].copy().reset_index(drop=True)
    out["rating"] = pd.array([None if pd.isna(v) else int(v) for v in out["rating"]], dtype="Int64")
    out.insert(1, "position", out.groupby("area", sort=False).cumcount() + 1)
    out["rating_label"] = [
        framework.scale_label(None if pd.isna(v) else int(v)) for v in out["rating"]
    ]
    return out


def heatmap_text(assessment_or_frame: Assessment | pd.DataFrame) -> str:
    """The heatmap in words: how many indicators at each level, and which are not rated."""
    table = heatmap_table(assessment_or_frame)
    counts = table["rating_label"].value_counts()
    rated = table[table["rating"].notna()]
    levels = "; ".join(
        f"{label} {counts[label]}"
        for label in dict.fromkeys(table.sort_values("rating")["rating_label"])
        if label in counts and label != "Not rated yet"
    )
    unrated = table.loc[table["rating"].isna(), "indicator_id"].tolist()
    text = (
        f"Indicator heatmap: {len(table)} indicators in {table['area'].nunique()} areas, "
        f"{len(rated)} rated ({levels or 'none'})."
    )
    if unrated:
        text += f" Not rated yet: {', '.join(unrated)}."
    return text


def _rating_legend(ax: Axes, framework: Framework, cmap: Any, norm: Normalize) -> None:
    """The heatmap's legend beside it: one swatch per rating, and the hatched "not rated"."""
    handles = [
        Patch(
            facecolor=cmap(norm(level.value)),
            edgecolor="white",
            label=f"{level.value} {level.label}",
        )
        for level in framework.scale
    ]
    handles.append(
        Patch(
            facecolor=UNRATED_FACE, edgecolor=UNRATED_EDGE, hatch=UNRATED_HATCH, label="not rated"
        )
    )
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        frameon=False,
        title="rating",
        title_fontsize=8,
    )


def indicator_heatmap(
    assessment_or_frame: Assessment | pd.DataFrame,
    ax: Axes | None = None,
    framework: Framework | None = None,
    title: str | None = None,
) -> Figure:
    """A grid of focus areas (rows) by indicators (columns), coloured by rating.

    Each cell shows the indicator id and its rating as text; an unrated
    indicator is white with a hatch and says "not rated".
    """
    if isinstance(assessment_or_frame, Assessment):
        framework = assessment_or_frame.framework
    framework = framework or load_framework()
    table = heatmap_table(assessment_or_frame, framework)
    areas = list(dict.fromkeys(table["area"]))
    width = int(table["position"].max()) if len(table) else 1
    fig, ax = new_axes(ax, size=(2.0 + 1.25 * width, 0.9 + 0.62 * len(areas)))
    cmap = sequential_colours()
    norm = Normalize(vmin=0, vmax=framework.max_rating)
    for record in table.itertuples(index=False):
        row = areas.index(record.area)
        x, y = record.position - 1, row
        if pd.isna(record.rating):
            face, text, colour = UNRATED_FACE, f"{record.indicator_id}\nnot rated", "black"
            patch = Rectangle(
                (x, y), 1, 1, facecolor=face, edgecolor=UNRATED_EDGE, hatch=UNRATED_HATCH, lw=0.8
            )
        else:
            face = cmap(norm(int(record.rating)))
            text, colour = f"{record.indicator_id}\n{int(record.rating)}", text_colour(face)
            patch = Rectangle((x, y), 1, 1, facecolor=face, edgecolor="white", lw=1.5)
        ax.add_patch(patch)
        ax.text(
            x + 0.5,
            y + 0.5,
            text,
            ha="center",
            va="center",
            fontsize=8,
            color=colour,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1}
            if pd.isna(record.rating)
            else None,
        )
    ax.set_xlim(0, width)
    ax.set_ylim(len(areas), 0)
    ax.set_yticks([i + 0.5 for i in range(len(areas))])
    ax.set_yticklabels(areas)
    ax.set_xticks([i + 0.5 for i in range(width)])
    ax.set_xticklabels([f"{i + 1}" for i in range(width)])
    ax.set_xlabel("indicator")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    _rating_legend(ax, framework, cmap, norm)
    ax.set_title(title or "Indicator ratings by focus area")
    return fig
