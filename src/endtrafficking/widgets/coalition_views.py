"""What the coordinator's widget shows, as HTML: the problems, the picture, a discussion item."""

from __future__ import annotations

import html

from endtrafficking.coalition.charts import agreement_heatmap, agreement_table, agreement_text
from endtrafficking.coalition.combine import Combination
from endtrafficking.coalition.discussion import DiscussionItem, rank_words
from endtrafficking.plots import to_data_uri
from endtrafficking.widgets.messages import notice_html


def problems_html(problems: list[str]) -> str:
    if not problems:
        return ""
    items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
    return notice_html(
        "warn",
        f"<strong>Problem: nothing can be combined yet.</strong> Decide each point below "
        f"(untick a file to leave it out).<ul>{items}</ul>",
        raw=True,
    )


def picture_html(combination: Combination) -> str:
    text = agreement_text(combination)
    table = agreement_table(combination).to_html(
        index=False, escape=True, border=1, classes="et-table"
    )
    withheld = (
        notice_html(
            "warn",
            "Privacy note: text that looked like contact details was left out of the combined "
            "assessment (" + "; ".join(combination.withheld) + ").",
        )
        if combination.withheld
        else ""
    )
    return (
        f"<p>Partners: {html.escape('; '.join(combination.partners))}.</p>"
        f"<p><strong>How the ratings are combined.</strong> {html.escape(combination.rule)}</p>"
        f"{withheld}"
        f'<img src="{to_data_uri(agreement_heatmap(combination))}" '
        f'alt="{html.escape(text, quote=True)}" style="max-width: 100%;">'
        f"<p>{html.escape(text)}</p>"
        f"<details><summary>The heatmap as a table</summary>{table}</details>"
    )


def item_html(order: int, item: DiscussionItem) -> str:
    return (
        f"<p><strong>{order}. {html.escape(item.indicator_id)} ({html.escape(item.area)}).</strong> "
        f"{html.escape(item.question)}<br>Partners' ratings: {html.escape(item.ratings_text())}. "
        f"Combined: {'not rated' if item.combined is None else item.combined}. If "
        f"{item.lowest} is right: {rank_words(item.rank_if_lowest)}; if {item.highest} is right: "
        f"{rank_words(item.rank_if_highest)} (the ranked gaps move {item.places_moved} places).</p>"
    )
