"""What the assessment exercise shows as results: chart, chart in words, balance, gaps.

Pure functions from scores to HTML, so a rating click costs a few
milliseconds: the radar is an inline SVG (:mod:`svg_charts`), its text
equivalent a list in the page's font. With nothing rated yet, every part
says what to do instead of showing a misleading result.
"""

from __future__ import annotations

import html

import pandas as pd

from endtrafficking.framework import Framework
from endtrafficking.plots import radar_text
from endtrafficking.scoring import GAP_HEADINGS
from endtrafficking.widgets.messages import notice_html
from endtrafficking.widgets.svg_charts import radar_svg

#: What the results say before anything is rated.
EMPTY_PROMPT = "Rate a few indicators to see your chart."


def coverage_of(scores: pd.DataFrame) -> dict[str, float]:
    """Coverage (0-100) by area name, in framework order."""
    return {str(a): float(c) for a, c in zip(scores["area"], scores["coverage"], strict=True)}


def chart_html(scores: pd.DataFrame, rated: int) -> str:
    """The radar chart as inline SVG, labelled with its text equivalent."""
    label = radar_text(scores) if rated else f"Radar chart, empty: {EMPTY_PROMPT}"
    return radar_svg(coverage_of(scores), label)


def chart_words_html(scores: pd.DataFrame, rated: int) -> str:
    """The chart in words: one line per focus area, then the strongest and weakest."""
    coverage = coverage_of(scores)
    items = "".join(
        f"<li><span>{html.escape(name)}</span> <strong>{value:.0f}</strong>/100</li>"
        for name, value in coverage.items()
    )
    if not rated:
        tail = f"<p class='et-empty'>{EMPTY_PROMPT} Every focus area starts at 0.</p>"
    else:
        strongest = max(coverage, key=lambda k: coverage[k])
        weakest = min(coverage, key=lambda k: coverage[k])
        tail = (
            f"<p>Strongest: {html.escape(strongest)} ({coverage[strongest]:.0f}). "
            f"Weakest: {html.escape(weakest)} ({coverage[weakest]:.0f}).</p>"
        )
    return (
        '<div class="et-chart-words"><p class="et-words-title"><strong>The chart in words'
        f"</strong> (coverage 0-100)</p><ul>{items}</ul>{tail}</div>"
    )


def balance_html(summary: str, rated: int) -> str:
    """The balance message, or what to do first when nothing is rated."""
    if not rated:
        return notice_html(
            "info", "Nothing rated yet: the balance between focus areas shows here once you rate."
        )
    return notice_html("info", summary)


def scale_legend_html(framework: Framework) -> str:
    """What each rating means, as visible text (not only in tooltips)."""
    items = "".join(
        f"<li><strong>{lv.value} {html.escape(lv.label)}</strong>: "
        f"{html.escape(lv.description)}</li>"
        for lv in framework.scale
    )
    return f'<div class="et-scale"><p><strong>The rating scale</strong></p><ul>{items}</ul></div>'


def gap_table_html(gaps: pd.DataFrame, rated: int) -> str:
    """The ranked gaps as a plain HTML table (single rules, headers over their columns)."""
    if gaps.empty:
        return notice_html("ok", "No gaps: every indicator is rated at the top of the scale.")
    note = (
        f"<p class='et-empty'>{EMPTY_PROMPT} Until then every indicator counts as a gap.</p>"
        if not rated
        else ""
    )
    table = gaps[list(GAP_HEADINGS)].rename(columns=GAP_HEADINGS)
    return note + table.to_html(index=False, escape=True, border=0, classes="et-table et-gaps")
