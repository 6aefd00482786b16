"""Read-only views that lessons show in one line: the course map, the focus areas,
and the worked example of a gap on the FICTIONAL example community.

Each returns an :class:`IPython.display.HTML` object built from the course's
data (course.yaml, framework.yaml, the example files), so the text lives in one
place. Every chart comes with its text equivalent as alt text and as a sentence.
"""

from __future__ import annotations

import html
from pathlib import Path

from IPython.display import HTML

from endtrafficking.framework import FRAMEWORK_FILE, load_framework
from endtrafficking.paths import templates_dir
from endtrafficking.render_cache import cached_text


def course_map() -> HTML:
    """The course map of the welcome page: every module with a link and the learner's progress."""
    from endtrafficking.widgets.course_page import course_map as linked_map

    return linked_map("00_welcome")


def focus_areas_html() -> str:
    """The six focus areas with what each covers and its sources, from framework.yaml."""
    framework = load_framework()
    rows = [
        {
            "Focus area": area.name,
            "What it covers": area.summary,
            "Indicators": len(area.indicators),
            "Grounded in": ", ".join(f"[{k}]" for k in area.sources),
        }
        for area in framework.areas
    ]
    import pandas as pd  # only when the view is drawn, not on a visit served from the cache

    table = pd.DataFrame(rows).to_html(index=False, escape=True, border=0, classes="et-table")
    return (
        f"{table}<p><em>The focus areas are this course's own synthesis of the sources cited "
        "for each area; they are not an official standard.</em></p>"
    )


def _framework_file() -> Path:
    return templates_dir() / FRAMEWORK_FILE


def focus_areas_overview() -> HTML:
    """Display object: the focus areas table (kept in the cache between visits)."""
    return HTML(cached_text("focus_areas", [_framework_file()], focus_areas_html))


def worked_gap_html() -> str:
    """The fictional example community's coverage by area: chart, table, balance in words."""
    from endtrafficking.examples import example_assessment
    from endtrafficking.plots import radar_chart, radar_text, to_data_uri
    from endtrafficking.scoring import area_scores, balance

    assessment = example_assessment()
    scores = area_scores(assessment)
    label = assessment.community or "The example community"
    if assessment.fictional and "fictional" not in label.lower():
        label += " (fictional)"
    text = radar_text(scores)
    fig = radar_chart(scores, title=f"{label}: coverage by focus area (0-100)")
    import pandas as pd

    table = pd.DataFrame(
        {"Focus area": scores["area"], "Coverage (0-100)": scores["coverage"].round(0).astype(int)}
    ).to_html(index=False, border=0, classes="et-table")
    result = balance(assessment)
    mean = float(scores["coverage"].mean())
    return (
        f"<p><strong>{html.escape(label)}</strong> is an invented community; every "
        "organization in it is fictional.</p>"
        f'<img src="{to_data_uri(fig)}" alt="{html.escape(text)}" style="max-width: 100%;">'
        f"<p>{html.escape(text)}</p>{table}"
        f"<p>The average across the six areas is {mean:.0f}/100, which hides the gap. "
        f"{html.escape(result.message)}</p>"
    )


def worked_gap_example() -> HTML:
    """Display object: the worked example of a gap on the fictional example community.

    Drawing it costs about a second; it changes only with the framework or the example
    community, so it is kept in the cache between visits.
    """
    from endtrafficking.paths import EXAMPLE_ASSESSMENT_FILE, example_path

    files = [_framework_file(), example_path(EXAMPLE_ASSESSMENT_FILE)]
    return HTML(cached_text("worked_gap", files, worked_gap_html))
