"""Worked demonstrations on the FICTIONAL example community, for modules 03 and 04.

Each function returns one display object, so a lesson cell stays one line:

* :func:`example_assessment_demo` shows Elderbrook County's (fictional)
  assessment: the radar chart and the indicator heatmap, each with its text
  equivalent, the readiness and balance message, and the ranked gaps;
* :func:`example_plan_demo` shows a worked action plan for the same
  community, and what the plan check says about it.

Charts are embedded as PNG data URIs with the text equivalent as ``alt`` text
and also written out beside the chart. Every heading says the community is
fictional.
"""

from __future__ import annotations

import html
from datetime import date, timedelta

import pandas as pd
from IPython.display import HTML

from endtrafficking.action_plan import ActionPlan, check_plan, plan_rows
from endtrafficking.assessment import Assessment
from endtrafficking.examples import example_assessment
from endtrafficking.scoring import GAP_HEADINGS, area_scores, gaps, readiness

#: How many ranked gaps the demonstration lists.
GAPS_SHOWN = 8
_FICTIONAL = (
    "<p><strong>Fictional example.</strong> Elderbrook County is made up for practice, "
    "and so is every organization in it.</p>"
)


def _figure_html(uri: str, alt: str, caption: str) -> str:
    return (
        f'<figure style="margin:0.5em 0;"><img src="{uri}" alt="{html.escape(alt)}" '
        f'style="max-width:100%;"><figcaption><strong>{html.escape(caption)}, in words:</strong> '
        f"{html.escape(alt)}</figcaption></figure>"
    )


def gap_table_html(frame: pd.DataFrame) -> str:
    """Ranked gaps as an HTML table (all text escaped)."""
    return (
        frame[list(GAP_HEADINGS)]
        .rename(columns=GAP_HEADINGS)
        .to_html(index=False, escape=True, border=1)
    )


def assessment_overview_html(assessment: Assessment) -> str:
    """Radar, heatmap (with text equivalents), readiness and ranked gaps of one assessment."""
    # Imported here so that module 04, which shows only the plan, does not load matplotlib.
    from endtrafficking.plots import (
        heatmap_text,
        indicator_heatmap,
        radar_chart,
        radar_text,
        to_data_uri,
    )

    scores = area_scores(assessment)
    ready = readiness(assessment)
    name = html.escape(assessment.community or "Unnamed community")
    parts = [
        f"<h3>{name}</h3>",
        _FICTIONAL if assessment.fictional else "",
        _figure_html(
            to_data_uri(radar_chart(scores), dpi=80),
            radar_text(scores),
            "Radar chart of coverage by focus area",
        ),
        f"<p><strong>Readiness and balance:</strong> {html.escape(ready.summary)}</p>",
        _figure_html(
            to_data_uri(indicator_heatmap(assessment), dpi=80),
            heatmap_text(assessment),
            "Heatmap of indicator ratings",
        ),
        f"<h4>Ranked gaps (top {GAPS_SHOWN}, highest priority first)</h4>",
        gap_table_html(gaps(assessment, top=GAPS_SHOWN)),
    ]
    return "".join(parts)


def example_assessment_demo() -> HTML:
    """The fictional example community's assessment, with charts, text equivalents and gaps.

    It never changes between visits, so it is drawn once and kept in the disk cache
    (:mod:`endtrafficking.render_cache`) until the package or its data change.
    """
    from endtrafficking.framework import FRAMEWORK_FILE
    from endtrafficking.paths import EXAMPLE_ASSESSMENT_FILE, example_path, templates_dir
    from endtrafficking.render_cache import cached_text

    files = [templates_dir() / FRAMEWORK_FILE, example_path(EXAMPLE_ASSESSMENT_FILE)]
    return HTML(
        cached_text(
            "example_assessment",
            files,
            lambda: assessment_overview_html(example_assessment()),
        )
    )


def example_plan(today: date | None = None) -> tuple[ActionPlan, Assessment]:
    """A worked action plan for the fictional example community (dates six months ahead)."""
    assessment = example_assessment()
    plan = ActionPlan.from_assessment(assessment, top=3)
    when = ((today or date.today()) + timedelta(days=182)).isoformat()
    answers = {
        "RST1": (
            ["come_alongside", "fill_gap"],
            ["Riverside Legal Aid (fictional)", "Elderbrook Interfaith Network (fictional)"],
            "A non-residential aftercare programme that any task-force member can refer to.",
            "Ask the task-force partners which aftercare needs they see most often "
            "(aggregate counts only) and who could host the programme.",
            "task force victim-services coordinator",
        ),
        "RST2": (
            ["come_alongside"],
            ["Elderbrook Family Shelter (fictional)"],
            "Case management that continues after the emergency stay ends.",
            "Meet the shelter's leadership to learn what would let them follow people longer.",
            "coalition restoration working group lead",
        ),
        "RST4": (
            ["come_alongside", "enhance"],
            [
                "Elderbrook Workers' Centre (fictional)",
                "Elderbrook Chamber of Commerce (fictional)",
            ],
            "Job-training places open to survivors, designed with paid input from people "
            "with lived experience.",
            "Invite people with lived experience to a paid, optional planning session, in the "
            "format they choose.",
            "chamber workforce committee chair",
        ),
    }
    for item in plan.items:
        if item.indicator_id not in answers:
            continue
        item.options, item.partners, item.goal, item.first_step, item.owner = answers[
            item.indicator_id
        ]
        item.target_date = when
    return plan, assessment


def example_plan_demo() -> HTML:
    """A worked action plan for the fictional example community, and its plan check."""
    plan, assessment = example_plan()
    fw = assessment.framework
    headers = [
        "Gap",
        "Engagement option",
        "Partners",
        "Goal",
        "First step",
        "Owner (role)",
        "Target date",
    ]
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(v)}</td>"
            for v in (
                f"{r['indicator_id']} ({r['area']}): {r['question']}",
                r["options"],
                r["partners"],
                r["goal"],
                r["first_step"],
                r["owner"],
                r["target_date"],
            )
        )
        + "</tr>"
        for r in plan_rows(plan, fw)
    )
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    messages = check_plan(plan, assessment)
    check = (
        "<ul>" + "".join(f"<li>{html.escape(m)}</li>" for m in messages) + "</ul>"
        if messages
        else "<p>Ready.</p>"
    )
    return HTML(
        f"<h3>Action plan: {html.escape(assessment.community)}</h3>{_FICTIONAL}"
        f"<table border=1><caption>The three highest-priority gaps and the team's "
        f"actions</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        f"<h4>What the plan check says</h4>{check}"
    )
