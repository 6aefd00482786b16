"""Tests of the charts and their text equivalents."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from endtrafficking.plots import (
    AGGREGATE_DETAIL_ROWS,
    PALETTE,
    SEQUENTIAL_CMAP,
    UNRATED_HATCH,
    aggregate_chart,
    aggregate_text,
    heatmap_table,
    heatmap_text,
    indicator_heatmap,
    radar_chart,
    radar_text,
    to_data_uri,
    to_png,
)
from endtrafficking.scoring import area_scores

OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}


def _texts(fig: Figure) -> list[str]:
    out = [t.get_text() for ax in fig.axes for t in ax.texts]
    out += [t.get_text() for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels()]
    return out


def test_palette_is_colour_blind_safe():
    """Is the palette Okabe-Ito and the sequential map cividis?"""
    assert set(PALETTE.values()) == OKABE_ITO
    assert SEQUENTIAL_CMAP == "cividis"


def test_radar_chart_without_pyplot(filled):
    """Does radar_chart return a Figure without adding to pyplot's figures?"""
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig = radar_chart(area_scores(filled))
    assert isinstance(fig, Figure) and plt.get_fignums() == before
    assert to_png(fig)[:8] == b"\x89PNG\r\n\x1a\n"


def test_radar_labels_every_value(filled):
    """Does the radar write each area's name and value as text, not colour alone?"""
    scores = area_scores(filled)
    labels = _texts(radar_chart(scores))
    for name, value in zip(scores["area"], scores["coverage"], strict=True):
        assert any(name in t.replace("\n", " ") and f"{value:.0f}/100" in t for t in labels)


def test_radar_redraws_into_the_same_axes(filled):
    """Does redrawing into given axes replace the chart instead of piling up lines?"""
    fig = radar_chart(area_scores(filled))
    ax = fig.axes[0]
    lines = len(ax.lines)
    filled.set_response("RST1", rating=3)
    again = radar_chart(area_scores(filled), ax=ax, title="Updated")
    assert again is fig and len(ax.lines) == lines and ax.get_title() == "Updated"
    assert any("Restoration\n20/100" in t for t in _texts(fig))


def test_radar_needs_polar_axes(filled):
    """Is a non-polar axes refused with a clear message?"""
    ax = Figure().add_subplot()
    with pytest.raises(ValueError, match="polar"):
        radar_chart(area_scores(filled), ax=ax)


def test_radar_accepts_a_mapping():
    """Can the radar take a plain mapping of area name to coverage?"""
    fig = radar_chart({"A": 10.0, "B": 90.0, "C": 50.0})
    assert any("B\n90/100" in t for t in _texts(fig))


def test_radar_text(filled):
    """Does the text equivalent give every area's value, the strongest and the weakest?"""
    text = radar_text(area_scores(filled))
    assert "Justice 100" in text and "Restoration 0" in text
    assert "Strongest: Justice (100)" in text and "Weakest: Restoration (0)" in text


def test_heatmap_hatches_unrated(filled, framework):
    """Is an unrated indicator hatched and labelled, and every cell labelled?"""
    fig = indicator_heatmap(filled)
    ax = fig.axes[0]
    hatched = [p for p in ax.patches if p.get_hatch() == UNRATED_HATCH]
    assert len(hatched) == 1  # PAR1 is not rated in the fixture
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == len(framework.indicators)
    assert "PAR1\nnot rated" in texts and "JUS1\n3" in texts
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[-1] == "not rated" and legend[0] == "0 Absent"


def test_heatmap_redraws_and_accepts_a_frame(filled):
    """Does the heatmap accept the assessment's table and redraw into given axes?"""
    fig = indicator_heatmap(filled)
    ax = fig.axes[0]
    again = indicator_heatmap(filled.to_frame(), ax=ax)
    assert again is fig and len(ax.texts) == len(filled.framework.indicators)


def test_heatmap_table(filled, framework):
    """Does the heatmap table hold every indicator with its rating, NA when unrated?"""
    table = heatmap_table(filled)
    assert list(table.columns) == ["area", "position", "indicator_id", "rating", "rating_label"]
    assert len(table) == len(framework.indicators)
    par1 = table.set_index("indicator_id").loc["PAR1"]
    assert pd.isna(par1["rating"]) and par1["rating_label"] == "Not rated yet"
    assert table["position"].max() == max(len(a.indicators) for a in framework.areas)
    with pytest.raises(ValueError, match="rating"):
        heatmap_table(pd.DataFrame({"area": [], "indicator_id": []}))


def test_heatmap_text(filled):
    """Does the heatmap's text say how many indicators are at each level and which are unrated?"""
    text = heatmap_text(filled)
    assert "29 rated" in text and "Not rated yet: PAR1." in text and "Strong 5" in text


def _aggregate_like(rows: int, framework) -> pd.DataFrame:
    """A table shaped like aggregate.aggregate(): area names, then summary columns."""
    rng = np.random.default_rng(7)
    names = [a.name for a in framework.areas]
    table = pd.DataFrame(
        rng.uniform(0, 100, (rows, len(names))).round(1),
        columns=names,
        index=[f"Town {i} (fictional)" for i in range(rows)],
    )
    table["mean"] = table[names].mean(axis=1)
    table["weakest_area"] = table[names].idxmin(axis=1)
    table["readiness"] = 50.0
    if rows:
        table.loc[table.index[0], "Restoration"] = 3.0
    return table


def test_aggregate_grid_for_few_communities(framework):
    """Are a few communities drawn as a grid with every value written, summaries ignored?"""
    table = _aggregate_like(4, framework)
    fig = aggregate_chart(table)
    ax = fig.axes[0]
    assert len(ax.texts) == 4 * len(framework.areas)
    assert "3" in [t.get_text() for t in ax.texts]
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "Prevention"


def test_aggregate_summary_for_many_communities(framework):
    """Are many communities summarised per area with labelled medians?"""
    fig = aggregate_chart(_aggregate_like(AGGREGATE_DETAIL_ROWS + 1, framework))
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert len(texts) == len(framework.areas) and all(t.startswith("median") for t in texts)


def test_aggregate_empty_and_text(framework):
    """Does an empty table draw a message, and the text name the weakest area?"""
    empty = _aggregate_like(0, framework)
    assert "No communities" in aggregate_chart(empty).axes[0].texts[0].get_text()
    assert "no communities" in aggregate_text(empty)
    table = _aggregate_like(5, framework)
    table[[a.name for a in framework.areas]] = 80.0
    table["Partnership"] = 10.0
    text = aggregate_text(table)
    assert "across 5 communities" in text and "Weakest area overall: Partnership" in text
    assert "readiness" not in text


def test_data_uri_and_backend_untouched(filled):
    """Is a chart embeddable as a PNG data URI, with matplotlib's backend left alone?"""
    backend = matplotlib.get_backend()
    uri = to_data_uri(indicator_heatmap(filled))
    assert uri.startswith("data:image/png;base64,") and matplotlib.get_backend() == backend
