"""One rule set for "ready": what a saved exercise still needs, in plain words.

Every completeness rule of an exercise is defined once. The exercise widget's
"Ready" / "To do" text, the course view's progress (:mod:`.course_view.progress`)
and the graded checks (:mod:`.grading.checks`) all ask the same functions, so a
learner is never told "Ready" while a graded check of the same work fails, nor
the other way round. Each function returns a list of problems; empty = ready.

The action plan's rules work on the plan and assessment objects, so the widget
can ask them before anything is saved; :func:`work_problems` asks every graded
completeness check of an exercise's saved work in a folder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from endtrafficking.action_plan import ActionPlan
    from endtrafficking.assessment import Assessment

#: A target date may be at most this many years after the plan was saved.
MAX_PLAN_YEARS = 5
#: How many problems a message lists before it says "and N more".
LIST_AT_MOST = 6


def listing(items: Iterable[str]) -> str:
    """``a, b, c and 3 more``: a short list for a message."""
    items = list(items)
    shown = ", ".join(items[:LIST_AT_MOST])
    more = len(items) - LIST_AT_MOST
    return f"{shown} and {more} more" if more > 0 else shown


def _norm(text: object) -> str:
    return " ".join(str(text).replace("_", " ").replace("-", " ").casefold().split())


def saved_day(plan: ActionPlan, fallback: str = "") -> date | None:
    """The day the plan was last saved (from ``plan.updated``, else ``fallback``)."""
    for text in (plan.updated, fallback):
        try:
            return datetime.fromisoformat(str(text)).date()
        except ValueError:
            continue
    return None


# --------------------------------------------------------------------------- action plan
def plan_priority_gaps(plan: ActionPlan, assessment: Assessment) -> list[str]:
    """The plan is for this assessment and gives a complete action for its top gaps."""
    from endtrafficking.action_plan import PRIORITY_GAPS
    from endtrafficking.scoring import gaps

    problems = []
    if plan.uses_example or _norm(plan.community) != _norm(assessment.community):
        problems.append(
            f"The plan was made for {plan.community or 'an unnamed community'!r}, but the "
            f"assessment is for {assessment.community or 'an unnamed community'!r}. "
            "Build the plan from your own assessment."
        )
    for _, row in gaps(assessment).head(PRIORITY_GAPS).iterrows():
        ind_id = str(row["indicator_id"])
        item = plan.item(ind_id)
        label = f"Priority gap {row['rank']} ({ind_id}, {row['area']})"
        if item is None:
            problems.append(f"{label} has no action yet: add it to the plan.")
        elif not item.is_complete():
            problems.append(f"{label} still needs {_join(item.missing())}.")
    return problems


def plan_partners(plan: ActionPlan, _assessment: Assessment | None = None) -> list[str]:
    """Every action that comes alongside others names at least one partner organization."""
    lonely = [
        i.indicator_id for i in plan.items if "come_alongside" in i.options and not i.partners
    ]
    if not lonely:
        return []
    return [
        f"These actions come alongside other organizations but name none: {listing(lonely)}. "
        "Name the organizations you will work with."
    ]


def plan_owners(plan: ActionPlan, _assessment: Assessment | None = None) -> list[str]:
    """Every owner is a role (not a person's name) and holds no contact details."""
    from endtrafficking.action_plan import owner_warnings

    return [
        f"{item.indicator_id}: {warning}"
        for item in plan.items
        if item.owner.strip()
        for warning in owner_warnings(item.owner)
    ]


def plan_dates(plan: ActionPlan, saved: date | None) -> list[str]:
    """Every target date is a real date (YYYY-MM-DD), on or after the day the plan was
    saved and at most :data:`MAX_PLAN_YEARS` years later."""
    from endtrafficking.action_plan import parse_target_date

    bad = []
    for item in plan.items:
        if not item.target_date.strip():
            continue
        try:
            when = parse_target_date(item.target_date)
        except ValueError:
            bad.append(f"{item.indicator_id} ({item.target_date!r} is not a YEAR-MONTH-DAY date)")
            continue
        if saved and when < saved:
            bad.append(f"{item.indicator_id} ({when} is before the plan was saved)")
        elif saved and when.year - saved.year > MAX_PLAN_YEARS:
            bad.append(f"{item.indicator_id} ({when} is more than {MAX_PLAN_YEARS} years away)")
    if not bad:
        return []
    return [f"Check these target dates: {listing(bad)}."]


def plan_areas(plan: ActionPlan, assessment: Assessment) -> list[str]:
    """Every focus area below the scale's second-highest level (Established) has at least
    one action with an option and a goal: strength elsewhere cannot make up for it."""
    from endtrafficking.action_plan import needs_action_below
    from endtrafficking.scoring import gaps

    fw = assessment.framework
    ranked = gaps(assessment)
    if ranked.empty:
        return []
    covered = {
        fw.indicator(i.indicator_id).area_id
        for i in plan.items
        if i.options and i.goal.strip() and i.indicator_id in fw.indicator_ids
    }
    floor = needs_action_below(fw)
    below = fw.scale[-2].label if len(fw.scale) > 1 else fw.scale[-1].label
    area_cov = ranked.drop_duplicates("area").set_index("area")["area_coverage"]
    return [
        f"No action covers {area.name} (coverage {area_cov[area.name]:.0f}/100, below {below}). "
        "Add one gap from this area with an option and a goal: a gap there leaves people "
        "unprotected however strong the other areas are."
        for area in fw.areas
        if area.name in area_cov.index and area.id not in covered and area_cov[area.name] < floor
    ]


#: The action plan's rules, by the key of its graded check, in the order they are shown.
PLAN_RULES: dict[str, Callable[[ActionPlan, Assessment, date | None], list[str]]] = {
    "priority_gaps": lambda plan, a, _saved: plan_priority_gaps(plan, a),
    "areas": lambda plan, a, _saved: plan_areas(plan, a),
    "dates": lambda plan, _a, saved: plan_dates(plan, saved),
    "partners": lambda plan, _a, _saved: plan_partners(plan),
    "owners": lambda plan, _a, _saved: plan_owners(plan),
}


def plan_problems(plan: ActionPlan, assessment: Assessment, saved: date | None = None) -> list[str]:
    """Everything the plan still needs (empty = ready, and every graded plan check passes).

    ``saved`` is the day the plan was saved (default: :func:`saved_day`, else today).
    """
    day = saved or saved_day(plan) or date.today()
    return [m for rule in PLAN_RULES.values() for m in rule(plan, assessment, day)]


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


# --------------------------------------------------------------------------- saved work
def ready_checks(exercise: str) -> tuple[str, ...]:
    """The keys of every graded completeness check of ``exercise`` (no typed answers)."""
    from endtrafficking.grading.checks import CRITERIA

    return tuple(k for (e, k), c in CRITERIA.items() if e == exercise and not c.takes_answer)


def work_problems(exercise: str, folder: str | Path, *, first_only: bool = False) -> list[str]:
    """What the exercise's saved work in ``folder`` still needs (empty = ready).

    Raises:
        WorkFileError: the exercise's file is missing or unreadable.
    """
    from endtrafficking.grading.checks import run_check

    problems: list[str] = []
    for key in ready_checks(exercise):
        problems += run_check(exercise, key, Path(folder))
        if problems and first_only:
            break
    return problems
