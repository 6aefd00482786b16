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

import base64
import io
import math
import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Normalize, to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from endtrafficking.assessment import Assessment
from endtrafficking.framework import Framework, load_framework

#: Okabe-Ito: a qualitative palette that colour-blind readers can tell apart.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
#: The palette's colours in order, for series.
PALETTE_CYCLE: tuple[str, ...] = tuple(PALETTE.values())
#: A sequential map that is perceptually uniform and colour-blind safe.
SEQUENTIAL_CMAP = "cividis"
#: How an unrated indicator is drawn: hatched, not just a different colour.
UNRATED_FACE = "#FFFFFF"
UNRATED_EDGE = "#6E6E6E"
UNRATED_HATCH = "///"
#: Up to this many communities, the aggregate chart shows each one; beyond, a summary.
AGGREGATE_DETAIL_ROWS = 30
COVERAGE_MAX = 100.0
#: Columns of an aggregate table that summarise a row rather than name an area.
_SUMMARY_COLUMNS = frozenset({"mean", "median", "min", "max", "weakest", "balance", "readiness"})


# --------------------------------------------------------------------------- helpers
def _new_axes(ax: Axes | None, *, polar: bool = False, size=(6.4, 4.8)) -> tuple[Figure, Axes]:
    if ax is not None:
        if polar and ax.name != "polar":
            raise ValueError("radar_chart needs polar axes: add_subplot(projection='polar').")
        ax.clear()
        return ax.figure, ax  # type: ignore[return-value]
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot(projection="polar" if polar else None)


def _coverage_series(scores: pd.DataFrame | pd.Series | Mapping[str, float]) -> pd.Series:
    """Coverage by area name from ``area_scores`` output, a Series or a mapping."""
    if isinstance(scores, pd.DataFrame):
        if "coverage" not in scores.columns:
            raise ValueError("scores needs a 'coverage' column: pass scoring.area_scores(a).")
        names = scores["area"] if "area" in scores.columns else scores.index
        return pd.Series(scores["coverage"].to_numpy(dtype=float), index=list(names))
    return pd.Series(dict(scores), dtype=float)


def _text_colour(rgba: tuple[float, ...]) -> str:
    """Black or white, whichever reads better on ``rgba`` (WCAG relative luminance)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(rgba))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if luminance > 0.179 else "white"


def _wrap(label: str, width: int = 14) -> str:
    return "\n".join(textwrap.wrap(label, width, break_long_words=False)) or label


def to_png(fig: Figure, dpi: int = 100) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def to_data_uri(fig: Figure, dpi: int = 100) -> str:
    """The figure as a ``data:image/png;base64,...`` URI, for self-contained HTML."""
    return "data:image/png;base64," + base64.b64encode(to_png(fig, dpi)).decode("ascii")


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
    fig, ax = _new_axes(ax, polar=True, size=(6.0, 5.6))
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
        [f"{_wrap(str(name))}\n{value:.0f}/100" for name, value in series.items()], fontsize=9
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
    fig, ax = _new_axes(ax, size=(2.0 + 1.25 * width, 0.9 + 0.62 * len(areas)))
    cmap = _cmap()
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
            text, colour = f"{record.indicator_id}\n{int(record.rating)}", _text_colour(face)
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
    ax.set_title(title or "Indicator ratings by focus area")
    return fig


def _cmap():
    from matplotlib import colormaps

    return colormaps[SEQUENTIAL_CMAP]


# --------------------------------------------------------------------------- aggregate
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
        fig, ax = _new_axes(ax, size=(6.0, 2.0))
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No communities to show yet.", ha="center", va="center")
        return fig
    if len(data) <= AGGREGATE_DETAIL_ROWS:
        return _aggregate_grid(data, ax, title)
    return _aggregate_summary(data, ax, title)


def _aggregate_grid(data: pd.DataFrame, ax: Axes | None, title: str | None) -> Figure:
    rows, cols = data.shape
    fig, ax = _new_axes(ax, size=(2.5 + 1.3 * cols, 1.2 + 0.4 * max(rows, 1)))
    cmap = _cmap()
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
                    color=_text_colour(cmap(norm(v))),
                )
    ax.set_xticks(range(cols))
    ax.set_xticklabels([_wrap(str(c), 12) for c in data.columns], fontsize=8)
    ax.set_yticks(range(rows))
    ax.set_yticklabels([str(i) for i in data.index], fontsize=8)
    ax.tick_params(length=0, top=True, labeltop=True, bottom=False, labelbottom=False)
    ax.set_title(title or f"Coverage by focus area (0-100), {rows} communities")
    return fig


def _aggregate_summary(data: pd.DataFrame, ax: Axes | None, title: str | None) -> Figure:
    cols = data.shape[1]
    fig, ax = _new_axes(ax, size=(7.5, 1.2 + 0.55 * cols))
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
