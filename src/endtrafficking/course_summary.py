"""The learner's own work from the whole course, gathered into one page and one file.

:func:`gather_work` reads what the exercises saved in the working folder
(never raising: a missing or damaged file is named in ``notes``), and
:func:`summary_html` renders it as one self-contained HTML document: the
resource inventory, the community assessment with its chart and ranked gaps,
the action plan, the role plans and the reflections. It is what a learner
shares with partners who do not use Jupyter.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from endtrafficking.course_meta import load_course
from endtrafficking.course_view.progress import CourseProgress, course_progress, page_tasks
from endtrafficking.errors import CourseInputError
from endtrafficking.role_plans import HOTLINE_LINE
from endtrafficking.workspace import work_dir

TEMPLATE = "summary.html.j2"
#: How many ranked gaps the summary lists.
TOP_GAPS = 5


@dataclass
class LearnerWork:
    """Everything the learner saved, ready to show."""

    folder: Path
    progress: CourseProgress
    assessment: dict[str, Any] | None = None  # the report's context for the assessment
    inventory: list[dict[str, str]] = field(default_factory=list)
    plan_html: str = ""
    role_plans: list[tuple[str, str]] = field(default_factory=list)  # (role name, body HTML)
    reflections: list[tuple[str, str]] = field(default_factory=list)  # (lesson title, text)
    notes: list[str] = field(default_factory=list)


def without_source_keys(text: str) -> str:
    """``text`` without its ``[F3, F5]`` source keys (for pages read outside the course)."""
    return re.sub(r"\s*\[[A-Z]{1,3}\d+(?:,\s*[A-Z]{1,3}\d+)*\]", "", text)


def html_body(document: str) -> str:
    """The inside of a standalone page's ``<body>``, with its headings moved down two levels."""
    match = re.search(r"<body[^>]*>(.*)</body>", document, flags=re.S | re.I)
    body = match.group(1) if match else document
    for level in (2, 1):
        body = re.sub(rf"<(/?)h{level}\b", rf"<\1h{level + 2}", body)
    return body


def _assessment(work: LearnerWork) -> Any:
    from endtrafficking.report import report_context
    from endtrafficking.saved_assessment import load_saved_assessment

    restored = load_saved_assessment(work.folder / "assessment.json")
    work.notes += restored.messages
    if restored.assessment is None:
        return None
    context = report_context(restored.assessment)
    context["gaps"] = context["gaps"][:TOP_GAPS]
    work.assessment = context
    return restored.assessment


def _inventory(work: LearnerWork) -> None:
    from endtrafficking.framework import load_framework
    from endtrafficking.inventory import INVENTORY_KIND, area_names, entry_from_state
    from endtrafficking.widgets.autosave import AutosaveStore
    from endtrafficking.workspace import INVENTORY_FILE

    store = AutosaveStore(work.folder / INVENTORY_FILE, INVENTORY_KIND)
    state = store.load() or {}
    work.notes += store.messages
    framework = load_framework()

    for item in state.get("entries", []) if isinstance(state, dict) else []:
        if isinstance(item, dict):
            entry = entry_from_state(item, framework)
            work.inventory.append(
                {
                    "organization": entry.organization,
                    "sector": entry.sector,
                    "focus_areas": area_names(entry.focus_areas, framework),
                    "how_to_refer": entry.how_to_refer,
                }
            )


def _action_plan(work: LearnerWork) -> None:
    from endtrafficking.action_plan import PLAN_KIND, ActionPlan, plan_to_html
    from endtrafficking.framework import load_framework
    from endtrafficking.widgets.autosave import AutosaveStore
    from endtrafficking.workspace import ACTION_PLAN_FILE

    store = AutosaveStore(work.folder / ACTION_PLAN_FILE, PLAN_KIND)
    state = store.load()
    work.notes += store.messages
    if state:
        framework = load_framework()
        work.plan_html = html_body(plan_to_html(ActionPlan.from_state(state, framework), framework))


def _role_plans(work: LearnerWork) -> None:
    from endtrafficking.framework import load_framework
    from endtrafficking.role_plans import Plan, plan_html
    from endtrafficking.roles import load_roles
    from endtrafficking.widgets.autosave import AutosaveStore
    from endtrafficking.widgets.role_plan import STORE_KIND, plan_store_name, saved_actions

    framework = load_framework()
    for role in load_roles().roles:
        store = AutosaveStore(work.folder / plan_store_name(role.id), STORE_KIND)
        state = store.load()
        actions = saved_actions(state.get("actions")) if state else []
        if actions:
            plan = Plan(role, framework, actions, basis="your saved plan")
            work.role_plans.append((role.name, html_body(plan_html(plan))))


def _reflections(work: LearnerWork) -> None:
    from endtrafficking.widgets.autosave import AutosaveStore
    from endtrafficking.widgets.reflection import STORE_KIND
    from endtrafficking.workspace import REFLECTIONS_FILE

    store = AutosaveStore(work.folder / REFLECTIONS_FILE, STORE_KIND)
    answers = (store.load() or {}).get("answers", {})
    if not isinstance(answers, dict):
        return
    for lesson in load_course().lessons:
        for kind, key in page_tasks(lesson):
            text = str(answers.get(key, "")).strip() if kind == "reflection" else ""
            if text:
                work.reflections.append((lesson.title, text))


def gather_work(folder: Path | None = None) -> LearnerWork:
    """Everything the learner saved in ``folder`` (the working folder by default); never raises."""
    folder = Path(folder or work_dir())
    work = LearnerWork(folder=folder, progress=course_progress(folder))
    for part, name in (
        (_inventory, "resource inventory"),
        (_assessment, "community assessment"),
        (_action_plan, "action plan"),
        (_role_plans, "role plans"),
        (_reflections, "reflections"),
    ):
        try:
            part(work)
        except (CourseInputError, ValueError, OSError) as exc:
            work.notes.append(f"Your {name} could not be read: {exc}")
    return work


def summary_html(work: LearnerWork, learner_name: str = "", today: dt.date | None = None) -> str:
    """The learner's work as one self-contained HTML document (every piece of text escaped)."""
    env = Environment(
        loader=PackageLoader("endtrafficking", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    return env.get_template(TEMPLATE).render(
        course=load_course(),
        work=work,
        name=learner_name.strip(),
        date=(today or dt.date.today()).isoformat(),
        hotline=without_source_keys(HOTLINE_LINE),
    )
