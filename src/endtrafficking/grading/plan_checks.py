"""The graded criteria of the action plan (see :mod:`.checks`, which lists every criterion).

Each readiness rule is defined once, in :mod:`endtrafficking.readiness`, and asked
here about the saved plan and assessment; the widget asks the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from endtrafficking.grading import work_files


def _framework() -> Any:
    from endtrafficking.framework import load_framework

    return load_framework()


def _plan_rule(key: str) -> Callable[[Path], list[str]]:
    """A graded check that asks the action plan's readiness rule ``key`` (defined once,
    in :mod:`endtrafficking.readiness`) about the saved plan and assessment."""
    from endtrafficking import readiness

    def check(folder: Path) -> list[str]:
        fw = _framework()
        assessment = work_files.load_assessment_work(folder, fw)
        plan = work_files.load_action_plan_work(folder, fw)
        fallback = str(work_files.read_state(folder, "action_plan").get("_saved", ""))
        return readiness.PLAN_RULES[key](plan, assessment, readiness.saved_day(plan, fallback))

    check.__doc__ = getattr(readiness, f"plan_{key}").__doc__
    check.__name__ = f"plan_{key}"
    return check


plan_priority_gaps = _plan_rule("priority_gaps")
plan_partners = _plan_rule("partners")
plan_owners = _plan_rule("owners")
plan_dates = _plan_rule("dates")
plan_areas = _plan_rule("areas")


def top_gap_ids(folder: Path) -> set[str]:
    """The indicator ids tied for the highest severity in the saved assessment."""
    from endtrafficking.scoring import gaps

    ranked = gaps(work_files.load_assessment_work(folder, _framework()))
    if ranked.empty:
        return set()
    top = ranked["severity"].max()
    return set(ranked.loc[ranked["severity"] == top, "indicator_id"].astype(str))


def plan_first_priority(folder: Path, answer: Any) -> list[str]:
    """The answer names the highest-ranked gap of the learner's own assessment."""
    expected = top_gap_ids(folder)
    if str(answer).strip().upper() in expected:
        return []
    if not expected:
        return ["Your assessment shows no gaps at all; check your ratings again."]
    return [
        f"first_priority is {answer!r}, but the highest-ranked gap of your saved assessment is "
        f"{' or '.join(sorted(expected))}. Look at the ranked gaps again."
    ]
