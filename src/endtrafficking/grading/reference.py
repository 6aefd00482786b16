"""Reference work and reference submissions, built from the fictional example community.

The graded notebooks check a learner's saved widget work, so validating the
sources, testing the pipeline and benchmarking it all need complete,
consistent work to check. It is built here from "Elderbrook County
(fictional)" (:mod:`endtrafficking.examples`), never from a real community:

* :func:`write_reference_work` saves, into a folder, what the widgets would
  save for a learner who completed every exercise of an assignment;
* :func:`reference_submission` answers a release notebook as its source does
  (what a learner who got everything right would submit), and
  :func:`write_submission` hands such a submission in for a learner.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

from endtrafficking.grading.work_files import EXERCISES

if TYPE_CHECKING:
    from endtrafficking.action_plan import ActionPlan, PlanItem
    from endtrafficking.assessment import Assessment

#: The widget exercise of each assignment.
ASSIGNMENT_EXERCISES: dict[str, tuple[str, ...]] = {
    "01_strategy": ("model_mapping",),
    "02_possibility": ("inventory",),
    "03_context": ("assessment",),
    "04_engage": ("assessment", "action_plan"),
}
#: The owner written into the reference plan: a role, never a person.
REFERENCE_OWNER = "coalition coordinator"
#: Days from saving the plan to each reference target date.
REFERENCE_DAYS = 180
REFLECTION_ANSWER = (
    "In the fictional Elderbrook County the strongest areas hide an almost empty Restoration "
    "area. I would start by coming alongside the organizations already working there, and I "
    "would ask people with lived experience how they want to be involved."
)


def reference_assessment() -> Assessment:
    """The example community's assessment with every indicator rated and evidenced."""
    from endtrafficking.examples import example_assessment

    assessment = example_assessment()
    for ind_id, response in assessment.responses.items():
        if response.rating is None:
            assessment.set_response(
                ind_id,
                rating=1,
                evidence="The team found a small informal start (fictional example).",
            )
        elif response.rating >= 2 and len(response.evidence.split()) < 4:
            assessment.set_response(
                ind_id, evidence="The fictional county's partners describe it in their reports."
            )
    for prompt_id, text in assessment.context.items():
        if not text.strip():
            assessment.context[prompt_id] = "Answered for the fictional example community."
    return assessment


def reference_plan(assessment: Assessment, saved: datetime | None = None) -> ActionPlan:
    """A complete plan for ``assessment``: its top gaps and one gap in every area with gaps."""
    from endtrafficking.action_plan import ActionPlan
    from endtrafficking.scoring import gaps

    plan = ActionPlan.from_assessment(assessment)
    ranked = gaps(assessment)
    for area in dict.fromkeys(ranked["area"]):
        if not any(
            assessment.framework.area(area).id == _area_of(assessment, i) for i in plan.items
        ):
            first = ranked[ranked["area"] == area].iloc[0]
            plan.add_gap(assessment, str(first["indicator_id"]))
    when = (saved or datetime.now(UTC)).date() + timedelta(days=REFERENCE_DAYS)
    partners = assessment.organizations() or ["Elderbrook Anti-Trafficking Task Force (fictional)"]
    for item in plan.items:
        if not item.options:
            item.options = ["fill_gap"]
        if "come_alongside" in item.options and not item.partners:
            named = assessment.responses[item.indicator_id].organizations
            item.partners = list(named or partners[:1])
        item.goal = f"Close the gap in {item.indicator_id} for the fictional county."
        item.first_step = "Meet the partners and agree on who does what."
        item.owner = REFERENCE_OWNER
        item.target_date = when.isoformat()
    plan.touch()
    return plan


def _area_of(assessment: Assessment, item: PlanItem) -> str:
    return assessment.framework.indicator(item.indicator_id).area_id


def write_reference_work(folder: str | Path, assignment: str) -> list[Path]:
    """Save complete work for every exercise of ``assignment`` into ``folder``."""
    from endtrafficking.examples import example_inventory
    from endtrafficking.storage import save_assessment
    from endtrafficking.widgets.autosave import AutosaveStore

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    exercises = ASSIGNMENT_EXERCISES.get(assignment)
    if exercises is None:
        raise ValueError(
            f"{assignment!r} is not a graded assignment; use one of {', '.join(ASSIGNMENT_EXERCISES)}"
        )
    assessment = reference_assessment()
    for key in exercises:
        ex = EXERCISES[key]
        path = folder / ex.file
        if key == "assessment":
            written.append(save_assessment(assessment, path))
            continue
        if key == "model_mapping":
            from endtrafficking.org_models import load_models

            state = {"mapping": load_models().reference_mapping(), "checked": True}
        elif key == "inventory":
            state = {"entries": [e.to_dict() for e in example_inventory()]}
        else:
            state = reference_plan(assessment).to_state()
        written.append(AutosaveStore(path=path, kind=ex.kind or key).save(state))
    return written


#: What each reading question of a graded exercise asks: question id -> (exercise, how to read).
READINGS: dict[str, tuple[str, str]] = {
    "broadest": ("model_mapping", "broadest_models"),
    "least_served": ("inventory", "least_served_areas"),
    "weakest": ("assessment", "weakest_areas"),
    "first_priority": ("action_plan", "top_gap_ids"),
}


def reference_answers(folder: str | Path, assignment: str, source: str | Path) -> dict[str, Any]:
    """The checkpoint answers a learner who got everything right saves, read from the
    source's hidden tests (knowledge checks) and from the work in ``folder`` (readings)."""
    from endtrafficking.errors import CourseInputError
    from endtrafficking.grading import checks, plan_checks
    from endtrafficking.grading.verify import assignment_source, graded_cells

    answers: dict[str, Any] = {}
    for notebook in sorted(assignment_source(assignment, Path(source)).glob("*.ipynb")):
        for _grade_id, _points, calls in graded_cells(notebook):
            for call in calls:
                if call.name == "expect_answer":
                    expected = call.args[1]
                    many = isinstance(expected, list)
                    answers[call.args[0]] = {
                        "selected": list(expected) if many else [expected],
                        "kind": "multiple" if many else "single",
                    }
                elif call.name == "check_reading" and call.args[2] in READINGS:
                    exercise, name = READINGS[call.args[2]]
                    read = getattr(plan_checks if exercise == "action_plan" else checks, name)
                    try:
                        shown = sorted(read(Path(folder)))
                    except CourseInputError:  # no work to read: nothing to choose from
                        continue
                    answers[call.args[2]] = {"selected": shown[:1]}
    return answers


def write_reference_answers(folder: str | Path, assignment: str, source: str | Path) -> list[Path]:
    """Save the reference checkpoint answers and reflection into ``folder``."""
    from endtrafficking.grading.checkpoint import REFLECTION_KEY
    from endtrafficking.grading.verify import ANSWERS_FILE, ANSWERS_KIND
    from endtrafficking.widgets.autosave import AutosaveStore
    from endtrafficking.workspace import REFLECTIONS_FILE

    folder = Path(folder)
    answers = reference_answers(folder, assignment, source)
    return [
        AutosaveStore(path=folder / ANSWERS_FILE, kind=ANSWERS_KIND).save({"answers": answers}),
        AutosaveStore(path=folder / REFLECTIONS_FILE, kind="reflections").save(
            {"answers": {REFLECTION_KEY: REFLECTION_ANSWER}}
        ),
    ]


# --------------------------------------------------------------------------- notebooks
def _nbgrader(cell: Any) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def solution_text(source: str) -> str:
    """A solution cell's source without its ``BEGIN/END SOLUTION`` marker lines."""
    return re.sub(r"^[ \t]*(#{3} )?(BEGIN|END) SOLUTION[ \t]*\n?", "", source, flags=re.M).strip(
        "\n"
    )


def reference_submission(
    release: nbformat.NotebookNode, source: nbformat.NotebookNode
) -> nbformat.NotebookNode:
    """The release notebook answered as the source answers it: what a learner who got
    everything right would submit. Locked cells are left exactly as released. The
    course's checkpoints have no solution cells (answers are saved files, see
    :func:`write_reference_answers`), so for them this is the release as it is."""
    solutions = {
        _nbgrader(c).get("grade_id"): solution_text(c.source)
        for c in source.cells
        if _nbgrader(c).get("solution")
    }
    nb = nbformat.from_dict(release)
    for cell in nb.cells:
        meta = _nbgrader(cell)
        if meta.get("solution") and meta.get("grade_id") in solutions:
            cell.source = solutions[meta["grade_id"]]
    return nb


def write_submission(
    root: str | Path,
    assignment: str,
    student: str,
    *,
    answered: bool = True,
    work: bool = True,
    timestamp: str = "2026-01-15 12:00:00.000000 UTC",
) -> Path:
    """Write a learner's submission into ``<root>/submitted/<student>/<assignment>/``.

    ``answered`` saves every checkpoint answer and the reflection as the source
    expects them (else nothing is answered); ``work`` adds the reference work files. The release
    must have been generated. Returns the submission folder.
    """
    root = Path(root)
    dest = root / "submitted" / student / assignment
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted((root / "release" / assignment).glob("*.ipynb")):
        release = nbformat.read(path, as_version=4)
        if answered:
            source = nbformat.read(root / "source" / assignment / path.name, as_version=4)
            release = reference_submission(release, source)
        nbformat.write(release, dest / path.name)
    if work:
        write_reference_work(dest, assignment)
    if answered:
        write_reference_answers(dest, assignment, root / "source" / assignment)
    (dest / "timestamp.txt").write_text(timestamp, encoding="utf-8")
    return dest
