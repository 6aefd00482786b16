"""Read-only views that lessons show in one line: the course map, the focus areas,
and the worked example of a gap on the FICTIONAL example community.

Each returns an :class:`IPython.display.HTML` object built from the course's
data (course.yaml, framework.yaml, the example files), so the text lives in one
place. Every chart comes with its text equivalent as alt text and as a sentence.
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML

from endtrafficking.course_meta import load_course
from endtrafficking.framework import load_framework
from endtrafficking.roles import load_roles


def course_map_html() -> str:
    """The modules in order, with their step, minutes and notebook, as an HTML table."""
    course = load_course()
    rows = [
        {
            "Order": i,
            "Step": les.step or "",
            "Module": les.title,
            "Minutes": f"{les.teaching_minutes} + {les.exercise_minutes} exercises",
            "Notebook": les.path,
        }
        for i, les in enumerate(course.modules)
    ]
    table = pd.DataFrame(rows).to_html(index=False, escape=True, border=0, classes="et-table")
    return (
        f"<p><strong>{html.escape(course.title)}</strong>: the course map</p>{table}{_roles_line()}"
    )


def _roles_line() -> str:
    """The sentence under the map: how many role lessons, and the index that lists them."""
    lessons = load_course().engage_lessons
    role_ids = {role.lesson_id for role in load_roles().roles}
    roles = [les for les in lessons if les.id in role_ids]
    index = [les for les in lessons if les.id not in role_ids]
    if not roles:
        return ""
    where = "<code>engage_lessons/</code>"
    if index:
        where += f", with an index page ({html.escape(index[0].title)}) to choose them"
    return (
        f"<p>After the four steps, {len(roles)} short lessons for particular roles are in "
        f"{where}.</p>"
    )


def course_map() -> HTML:
    """Display object: the course map (module order, step, minutes, notebook)."""
    return HTML(course_map_html())


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
    table = pd.DataFrame(rows).to_html(index=False, escape=True, border=0, classes="et-table")
    return (
        f"{table}<p><em>The focus areas are this course's own synthesis of the sources cited "
        "for each area; they are not an official standard.</em></p>"
    )


def focus_areas_overview() -> HTML:
    """Display object: the focus areas table."""
    return HTML(focus_areas_html())


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
    """Display object: the worked example of a gap on the fictional example community."""
    return HTML(worked_gap_html())
