"""Charts of a coalition's assessment and of progress over time, each with a text equivalent.

* :func:`agreement_heatmap`: indicators (rows) by partners (columns), each
  cell the partner's rating written in it; the rows partners disagree on say
  so in their label. With more than :data:`DETAIL_PARTNERS` partners a grid of
  one column per partner cannot be read, so the chart counts how many
  partners gave each rating instead. :func:`agreement_table` and
  :func:`agreement_text` are its text equivalents.
* :func:`then_and_now_radar`: coverage by focus area then (dashed) and now
  (solid) on one radar chart; :func:`then_and_now_text` says it in words.

Colours follow :mod:`endtrafficking.plots` (cividis, Okabe-Ito; unrated
cells hatched), so no chart relies on colour alone.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from endtrafficking.coalition.combine import DISAGREEMENT_RANGE, Combination, spreads
from endtrafficking.coalition.compare import Comparison
from endtrafficking.plots import (
    PALETTE,
    SEQUENTIAL_CMAP,
    UNRATED_EDGE,
    UNRATED_FACE,
    UNRATED_HATCH,
    radar_chart,
)

#: Up to this many partners the heatmap has one column per partner; beyond, counts.
DETAIL_PARTNERS = 20
NOT_RATED = "not rated"


def _cmap():
    from matplotlib import colormaps

    return colormaps[SEQUENTIAL_CMAP]


def _label_colour(face) -> str:
    r, g, b = face[:3]
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "white"


def _row_labels(combination: Combination) -> list[str]:
    fw = combination.framework
    spread = spreads(combination.ratings)
    labels = []
    for ind, s in zip(fw.indicators, spread, strict=True):
        mark = f"  disagree (range {int(s)})" if s >= DISAGREEMENT_RANGE else ""
        labels.append(f"{ind.id} {fw.area(ind.area_id).name}{mark}")
    return labels


def _draw_cells(ax, values: np.ndarray, norm: Normalize, texts: list[list[str]]) -> None:
    """Rated cells as one image, unrated ones hatched, every value written in its cell."""
    rows, cols = values.shape
    cmap = _cmap()
    ax.imshow(
        np.ma.masked_invalid(values),
        cmap=cmap,
        norm=norm,
        aspect="auto",
        interpolation="nearest",
        extent=(0, cols, rows, 0),
    )
    for y, x in zip(*np.nonzero(np.isnan(values)), strict=True):
        ax.add_patch(
            Rectangle(
                (x, y),
                1,
                1,
                facecolor=UNRATED_FACE,
                edgecolor=UNRATED_EDGE,
                hatch=UNRATED_HATCH,
                lw=0.6,
            )
        )
    ax.hlines(range(1, rows), 0, cols, colors="white", linewidth=1.2)
    ax.vlines(range(1, cols), 0, rows, colors="white", linewidth=1.2)
    for y in range(rows):
        for x in range(cols):
            value = values[y, x]
            colour = "black" if np.isnan(value) else _label_colour(cmap(norm(value)))
            ax.text(
                x + 0.5, y + 0.5, texts[y][x], ha="center", va="center", fontsize=8, color=colour
            )


def agreement_heatmap(combination: Combination, title: str | None = None) -> Figure:
    """Indicators by partners, each cell the rating; counts per rating beyond 20 partners."""
    fw = combination.framework
    labels = _row_labels(combination)
    rows = len(labels)
    detail = len(combination.partners) <= DETAIL_PARTNERS
    if detail:
        columns = [*combination.partners, "combined"]
        combined = np.array(
            [np.nan if v is None else v for v in combination.combined().values()], dtype=float
        )
        values = np.column_stack([combination.ratings, combined])
        norm = Normalize(vmin=0, vmax=fw.max_rating)
        texts = [["-" if np.isnan(v) else f"{v:.0f}" for v in row] for row in values]
    else:
        columns = [f"{lv.value} {lv.label}" for lv in fw.scale] + [NOT_RATED]
        values = agreement_counts(combination).to_numpy(dtype=float)
        norm = Normalize(vmin=0, vmax=max(float(np.nanmax(values)), 1.0))
        texts = [[f"{v:.0f}" for v in row] for row in values]
    # A fixed layout (no layout engine: it doubles the drawing time), sized from the labels.
    left = 0.35 + 0.062 * max(len(label) for label in labels)
    cell_width, top, bottom = 0.95, 1.05, 0.15
    width, height = left + cell_width * len(columns) + 0.3, top + bottom + 0.28 * rows
    fig = Figure(figsize=(width, height))
    fig.subplots_adjust(
        left=left / width, right=1 - 0.3 / width, top=1 - top / height, bottom=bottom / height
    )
    ax = fig.add_subplot()
    _draw_cells(ax, values, norm, texts)
    ax.set_xlim(0, len(columns))
    ax.set_ylim(rows, 0)
    ax.set_yticks([i + 0.5 for i in range(rows)])
    ax.set_yticklabels(labels, fontsize=8)
    for tick, label in zip(ax.get_yticklabels(), labels, strict=True):
        if "disagree" in label:
            tick.set_color(PALETTE["vermillion"])
            tick.set_fontweight("bold")
    ax.set_xticks([i + 0.5 for i in range(len(columns))])
    ax.set_xticklabels([_wrap(c) for c in columns], fontsize=8, rotation=0)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if detail:
        ax.axvline(len(columns) - 1, color="black", lw=1.5)
        default = f"Partners' ratings (0-{fw.max_rating}); '-' is not rated"
    else:
        default = f"How many of the {len(combination.partners)} partners gave each rating"
    ax.set_title(title or default, fontsize=10, pad=40)
    return fig


def _wrap(text: str, width: int = 12) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width, break_long_words=True)) or text


def agreement_counts(combination: Combination) -> pd.DataFrame:
    """For each indicator, how many partners gave each rating, and how many did not rate it."""
    fw = combination.framework
    ratings = combination.ratings
    data = {f"{lv.value} {lv.label}": (ratings == lv.value).sum(axis=1) for lv in fw.scale}
    data[NOT_RATED] = np.isnan(ratings).sum(axis=1)
    return pd.DataFrame(data, index=list(fw.indicator_ids))


def agreement_table(combination: Combination) -> pd.DataFrame:
    """The heatmap as a table: one row per indicator, every partner's rating, combined, range."""
    fw = combination.framework
    combined = combination.combined()
    spread = spreads(combination.ratings)
    table = pd.DataFrame(
        {
            "indicator": list(fw.indicator_ids),
            "focus area": [fw.area(i.area_id).name for i in fw.indicators],
        }
    )
    if len(combination.partners) <= DETAIL_PARTNERS:
        for col, partner in enumerate(combination.partners):
            table[partner] = [_shown(v) for v in combination.ratings[:, col]]
    else:
        counts = agreement_counts(combination)
        for column in counts.columns:
            table[f"partners: {column}"] = counts[column].to_numpy()
    table["combined"] = [_shown(combined[i]) for i in fw.indicator_ids]
    table["range"] = ["" if np.isnan(s) else str(int(s)) for s in spread]
    table["partners disagree"] = ["yes" if s >= DISAGREEMENT_RANGE else "no" for s in spread]
    return table


def _shown(value: float | int | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_RATED
    return str(int(value))


def agreement_text(combination: Combination) -> str:
    """The heatmap in words: who rated, and where partners disagree."""
    partners = combination.partners
    named = ", ".join(partners) if len(partners) <= DETAIL_PARTNERS else f"{len(partners)} partners"
    disagree = combination.disagreements()
    text = (
        f"Agreement heatmap: {len(combination.framework.indicator_ids)} indicators rated by "
        f"{len(partners)} partner organizations ({named})."
    )
    if disagree:
        text += (
            f" Partners disagree (ratings {DISAGREEMENT_RANGE} or more points apart) on "
            f"{len(disagree)} indicators: {', '.join(disagree)}."
        )
    else:
        text += " Partners agree within one point on every indicator."
    return text


def then_and_now_radar(comparison: Comparison, title: str | None = None) -> Figure:
    """Coverage by focus area then (dashed, orange) and now (solid, blue) on one radar chart."""
    now = pd.Series({a.area: a.now for a in comparison.areas})
    fig = radar_chart(now, title=title or "Coverage by focus area (0-100), then and now")
    ax = fig.axes[0]
    then = np.array([a.then for a in comparison.areas], dtype=float)
    angles = np.linspace(0.0, 2 * math.pi, len(then), endpoint=False)
    ax.lines[0].set_label(comparison.now_label)
    ax.plot(
        np.append(angles, angles[:1]),
        np.append(then, then[:1]),
        color=PALETTE["orange"],
        linewidth=2,
        linestyle="--",
        label=comparison.then_label,
    )
    ax.scatter(angles, then, color=PALETTE["orange"], marker="s", s=22, zorder=3)
    ax.set_xticklabels(
        [f"{_wrap(a.area, 14)}\n{a.then:.0f} -> {a.now:.0f}" for a in comparison.areas], fontsize=9
    )
    ax.legend(loc="lower left", bbox_to_anchor=(-0.2, -0.2), fontsize=8, frameon=False)
    return fig


def then_and_now_text(comparison: Comparison) -> str:
    """The then-and-now radar in words."""
    parts = "; ".join(
        f"{a.area} {a.then:.0f} to {a.now:.0f} ({a.change:+.0f})" for a in comparison.areas
    )
    return (
        f"Radar chart of coverage by focus area, from 0 to 100, {comparison.then_label} "
        f"(dashed) and {comparison.now_label} (solid): {parts}. {comparison.weakest_sentence()}"
    )
