"""What the HTML report shows of a coalition and of progress over time, as plain data.

:func:`coalition_view` gives the agreement heatmap (with its table and words)
and the discussion list; :func:`progress_view` the then-and-now radar, the
area changes, the indicators that rose or fell and whether the weakest area
changed. The report template renders them beside its usual sections.
"""

from __future__ import annotations

from typing import Any

from endtrafficking.coalition.charts import (
    agreement_heatmap,
    agreement_table,
    agreement_text,
    then_and_now_radar,
    then_and_now_text,
)
from endtrafficking.coalition.combine import Combination
from endtrafficking.coalition.compare import Comparison
from endtrafficking.coalition.discussion import discussion_list, rank_words
from endtrafficking.plots import to_data_uri


def coalition_view(combination: Combination) -> dict[str, Any]:
    """The coalition part of the report: partners, rule, heatmap, table and discussion list."""
    table = agreement_table(combination)
    items = []
    for order, item in enumerate(discussion_list(combination), start=1):
        items.append(
            {
                "order": order,
                "indicator_id": item.indicator_id,
                "area": item.area,
                "question": item.question,
                "ratings": item.ratings_text(),
                "combined": "not rated" if item.combined is None else str(item.combined),
                "if_lowest": f"{item.lowest}: {rank_words(item.rank_if_lowest)}",
                "if_highest": f"{item.highest}: {rank_words(item.rank_if_highest)}",
                "moved": item.places_moved,
                "agreed": "" if item.agreed is None else str(item.agreed),
            }
        )
    return {
        "partners": list(combination.partners),
        "rule": combination.rule,
        "heatmap_uri": to_data_uri(agreement_heatmap(combination)),
        "heatmap_alt": agreement_text(combination),
        "columns": list(table.columns),
        "rows": table.astype(str).values.tolist(),
        "discussion": items,
        "withheld": len(combination.withheld),
    }


def progress_view(comparison: Comparison) -> dict[str, Any]:
    """The progress part of the report: radar then and now, changes, weakest area."""
    return {
        "then": comparison.then_label,
        "now": comparison.now_label,
        "radar_uri": to_data_uri(then_and_now_radar(comparison)),
        "radar_alt": then_and_now_text(comparison),
        "areas": [
            {
                "area": a.area,
                "then": f"{a.then:.0f}",
                "now": f"{a.now:.0f}",
                "change": f"{a.change:+.0f}",
            }
            for a in comparison.areas
        ],
        "improved": [i.text() for i in comparison.improved],
        "fell": [i.text() for i in comparison.fell],
        "weakest": comparison.weakest_sentence(),
        "readiness": f"{comparison.readiness_then:.0f} to {comparison.readiness_now:.0f}",
        "notes": list(comparison.notes),
    }
