"""The criteria the graded cells apply to a learner's saved widget work.

Each criterion checks completeness or internal consistency, never a "right
answer" that a learner could look up: the learner's own files are the
evidence. A criterion returns a list of problems in plain sentences; an empty
list means it is met. :func:`endtrafficking.grading.checkpoint.check_work`
turns problems into the ``AssertionError`` that nbgrader scores.

Some criteria compare a short answer the learner typed (for example the
weakest focus area of their assessment) with what their own saved work shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from endtrafficking.grading import work_files
from endtrafficking.grading.plan_checks import (
    plan_areas,
    plan_dates,
    plan_first_priority,
    plan_owners,
    plan_partners,
    plan_priority_gaps,
)

if TYPE_CHECKING:
    from endtrafficking.framework import Framework

#: An inventory needs at least this many organizations.
MIN_ORGANIZATIONS = 5
#: Evidence for a rating of 2 or 3 needs at least this many words.
MIN_EVIDENCE_WORDS = 4
#: Share of each supporting section's prompts that must be answered.
MIN_CONTEXT_SHARE = 0.5
#: How many problems a message lists before it says "and N more".
LIST_AT_MOST = 6
NO_ANSWER = object()


@dataclass(frozen=True)
class Criterion:
    """One graded check of an exercise's saved work."""

    exercise: str
    key: str
    description: str
    check: Callable[..., list[str]]
    takes_answer: bool = False


def _framework() -> Framework:
    from endtrafficking.framework import load_framework

    return load_framework()


def _listing(items: Iterable[str]) -> str:
    items = list(items)
    shown = ", ".join(items[:LIST_AT_MOST])
    more = len(items) - LIST_AT_MOST
    return f"{shown} and {more} more" if more > 0 else shown


def _norm(text: Any) -> str:
    return " ".join(str(text).replace("_", " ").replace("-", " ").casefold().split())


def area_id_for(answer: Any, framework: Framework) -> str | None:
    """The focus-area id an answer names (id or name, any case), or None."""
    for area in framework.areas:
        if _norm(answer) in (_norm(area.id), _norm(area.name)):
            return area.id
    return None


# --------------------------------------------------------------------------- assessment
def assessment_all_rated(folder: Path) -> list[str]:
    """Every indicator of every focus area has a rating."""
    fw = _framework()
    a = work_files.load_assessment_work(folder, fw)
    unrated = [i for i in fw.indicator_ids if a.responses[i].rating is None]
    if not unrated:
        return []
    return [
        f"{len(unrated)} of {len(fw.indicator_ids)} indicators have no rating yet "
        f"({_listing(unrated)}). Rate each one from 0 to {fw.max_rating}; if you do not know "
        "yet, rate what you can confirm today and say so in the notes."
    ]


def assessment_evidence(folder: Path) -> list[str]:
    """Every indicator rated 2 or more says what shows it (evidence of a few words)."""
    fw = _framework()
    a = work_files.load_assessment_work(folder, fw)
    thin = [
        i
        for i in fw.indicator_ids
        if (a.responses[i].rating or 0) >= 2
        and len(a.responses[i].evidence.split()) < MIN_EVIDENCE_WORDS
    ]
    if not thin:
        return []
    return [
        f"These indicators are rated 2 or 3 but give no evidence: {_listing(thin)}. Say in a "
        "sentence what shows that it is established (a programme, a protocol, a training)."
    ]


def assessment_context(folder: Path) -> list[str]:
    """The community is named, and at least half of each supporting section is answered."""
    fw = _framework()
    a = work_files.load_assessment_work(folder, fw)
    problems = []
    if not a.community.strip():
        problems.append("The community has no name. Name it (add '(fictional)' if it is invented).")
    for section in fw.sections:
        answered = sum(bool(a.context.get(p.id, "").strip()) for p in section.prompts)
        needed = max(1, round(len(section.prompts) * MIN_CONTEXT_SHARE + 0.01))
        if answered < needed:
            problems.append(
                f"{section.name}: {answered} of {len(section.prompts)} questions answered; "
                f"answer at least {needed}."
            )
    return problems


def assessment_privacy(folder: Path) -> list[str]:
    """No free text looks like an email address or a personal phone number."""
    from endtrafficking.privacy import privacy_warnings

    fw = _framework()
    a = work_files.load_assessment_work(folder, fw)
    places = []
    for ind_id, resp in a.responses.items():
        text = " ".join([resp.evidence, resp.notes, "; ".join(resp.organizations)])
        if privacy_warnings(text):
            places.append(ind_id)
    for prompt_id, text in a.context.items():
        if privacy_warnings(text):
            places.append(prompt_id)
    if not places:
        return []
    return [
        f"Contact details of a person may be written in {_listing(places)}. Remove email "
        "addresses and personal phone numbers; name organizations and roles instead."
    ]


def weakest_areas(folder: Path) -> set[str]:
    """The focus-area ids tied for the lowest coverage in the saved assessment."""
    from endtrafficking.scoring import area_scores

    fw = _framework()
    scores = area_scores(work_files.load_assessment_work(folder, fw))
    low = scores["coverage"].min()
    return set(scores.index[scores["coverage"] == low])


def assessment_weakest_area(folder: Path, answer: Any) -> list[str]:
    """The answer names the weakest focus area of the learner's own assessment."""
    fw = _framework()
    expected = weakest_areas(folder)
    given = area_id_for(answer, fw)
    if given in expected:
        return []
    names = " or ".join(fw.area(i).name for i in sorted(expected))
    return [
        f"weakest_area is {answer!r}, but the coverage in your saved assessment is lowest in "
        f"{names}. Look at the coverage chart of your assessment again."
    ]


# --------------------------------------------------------------------------- inventory
def inventory_complete(folder: Path) -> list[str]:
    """At least five organizations, each with a sector, a focus area and a referral route."""
    fw = _framework()
    entries = work_files.load_inventory_work(folder, fw)
    problems = []
    named = {e.organization.casefold() for e in entries if e.organization.strip()}
    if len(named) < MIN_ORGANIZATIONS:
        problems.append(
            f"The inventory lists {len(named)} organization(s); list at least {MIN_ORGANIZATIONS}."
        )
    for number, entry in enumerate(entries, start=1):
        label = entry.organization.strip() or f"entry {number}"
        missing = [
            what
            for what, value in (
                ("a name", entry.organization),
                ("a sector", entry.sector),
                ("a focus area", "x" if entry.focus_areas else ""),
                ("how to refer", entry.how_to_refer),
            )
            if not value.strip()
        ]
        if missing:
            problems.append(f"{label} still needs {', '.join(missing)}.")
    return problems


def inventory_known_areas(folder: Path) -> list[str]:
    """Every focus area named in the inventory is one of the framework's areas."""
    fw = _framework()
    known = {a.id for a in fw.areas}
    problems = []
    for entry in work_files.load_inventory_work(folder, fw):
        unknown = [a for a in entry.focus_areas if a not in known]
        if unknown:
            problems.append(
                f"{entry.organization or 'An entry'} names focus areas the course does not "
                f"know: {', '.join(map(repr, unknown))}. Use {', '.join(a.name for a in fw.areas)}."
            )
    return problems


def inventory_privacy(folder: Path) -> list[str]:
    """No entry holds what looks like a person's contact details."""
    from endtrafficking.inventory import privacy_notes

    notes = privacy_notes(work_files.load_inventory_work(folder, _framework()))
    return [f"{note} Keep only organizations' public referral routes." for note in notes]


def least_served_areas(folder: Path) -> set[str]:
    """The focus-area ids served by the fewest organizations in the saved inventory."""
    fw = _framework()
    entries = work_files.load_inventory_work(folder, fw)
    counts = {
        a.id: len({e.organization.casefold() for e in entries if a.id in e.focus_areas})
        for a in fw.areas
    }
    low = min(counts.values())
    return {a for a, n in counts.items() if n == low}


def inventory_least_served(folder: Path, answer: Any) -> list[str]:
    """The answer names the focus area that the fewest organizations in the inventory serve."""
    fw = _framework()
    expected = least_served_areas(folder)
    if area_id_for(answer, fw) in expected:
        return []
    names = " or ".join(fw.area(i).name for i in sorted(expected))
    return [
        f"least_served_area is {answer!r}, but in your saved inventory the fewest organizations "
        f"serve {names}. Look at the coverage table of your inventory again."
    ]


# --------------------------------------------------------------------------- model mapping
def _mapping(folder: Path) -> tuple[Any, Any, dict[str, dict[str, list[str]]], bool]:
    from endtrafficking.org_models import clean_mapping, load_models

    fw = _framework()
    state = work_files.load_model_mapping_work(folder)
    models = load_models()
    return fw, models, clean_mapping(state["mapping"], models, fw), bool(state.get("checked"))


def mapping_all_parts(folder: Path) -> list[str]:
    """Every part of every model is mapped to at least one focus area."""
    _fw, models, mapping, _checked = _mapping(folder)
    empty = [
        f"{model.name}: {part.text}"
        for model in models.models
        for part in model.parts
        if not mapping[model.id][part.id]
    ]
    if not empty:
        return []
    return [f"These parts are not mapped to any focus area yet: {_listing(empty)}."]


def mapping_checked(folder: Path) -> list[str]:
    """The learner compared their mapping with the course's reading ("Check my mapping")."""
    _fw, _models, _mapping_, checked = _mapping(folder)
    if checked:
        return []
    return [
        "You have not compared your mapping with the course's reading yet: press "
        "'Check my mapping' in the exercise and read the feedback."
    ]


def broadest_models(folder: Path) -> set[str]:
    """The model ids whose parts, in the saved mapping, cover the most focus areas."""
    _fw, models, mapping, _checked = _mapping(folder)
    counts = {
        m.id: len({a for areas in mapping[m.id].values() for a in areas}) for m in models.models
    }
    top = max(counts.values())
    return {m for m, n in counts.items() if n == top}


def mapping_broadest_model(folder: Path, answer: Any) -> list[str]:
    """The answer names the model that covers the most focus areas in the learner's mapping."""
    _fw, models, _mapping_, _checked = _mapping(folder)
    expected = broadest_models(folder)
    given = None
    for model in models.models:
        if _norm(answer) in (_norm(model.id), _norm(model.name)):
            given = model.id
    if given in expected:
        return []
    names = " or ".join(models.model(m).name for m in sorted(expected))
    return [
        f"broadest_model is {answer!r}, but in your saved mapping {names} covers the most "
        "focus areas. Look at the coverage view again."
    ]


# --------------------------------------------------------------------------- registry
CRITERIA: dict[tuple[str, str], Criterion] = {
    (c.exercise, c.key): c
    for c in (
        Criterion("assessment", "all_rated", "every indicator is rated", assessment_all_rated),
        Criterion("assessment", "evidence", "ratings of 2 or 3 give evidence", assessment_evidence),
        Criterion("assessment", "context", "community named, context answered", assessment_context),
        Criterion("assessment", "privacy", "no personal contact details", assessment_privacy),
        Criterion(
            "assessment",
            "weakest_area",
            "the weakest area matches the saved assessment",
            assessment_weakest_area,
            takes_answer=True,
        ),
        Criterion("inventory", "complete", "complete organizations", inventory_complete),
        Criterion("inventory", "known_areas", "known focus areas only", inventory_known_areas),
        Criterion("inventory", "privacy", "no personal contact details", inventory_privacy),
        Criterion(
            "inventory",
            "least_served",
            "the least-served area matches the saved inventory",
            inventory_least_served,
            takes_answer=True,
        ),
        Criterion("model_mapping", "all_parts", "every part mapped", mapping_all_parts),
        Criterion("model_mapping", "checked", "mapping compared", mapping_checked),
        Criterion(
            "model_mapping",
            "broadest_model",
            "broadest model matches the saved mapping",
            mapping_broadest_model,
            takes_answer=True,
        ),
        Criterion("action_plan", "priority_gaps", "top gaps covered", plan_priority_gaps),
        Criterion("action_plan", "partners", "partners named", plan_partners),
        Criterion("action_plan", "owners", "owners are roles", plan_owners),
        Criterion("action_plan", "dates", "valid target dates", plan_dates),
        Criterion("action_plan", "areas", "every weak focus area has an action", plan_areas),
        Criterion(
            "action_plan",
            "first_priority",
            "first priority matches the saved assessment",
            plan_first_priority,
            takes_answer=True,
        ),
    )
}


def criterion(exercise: str, key: str) -> Criterion:
    """The criterion ``key`` of ``exercise`` (ValueError naming the known ones otherwise)."""
    try:
        return CRITERIA[(exercise, key)]
    except KeyError:
        known = ", ".join(k for (e, k) in CRITERIA if e == exercise) or "none"
        raise ValueError(
            f"{key!r} is not a check of the {exercise!r} exercise; known checks: {known}"
        ) from None


def run_check(exercise: str, key: str, folder: str | Path, answer: Any = NO_ANSWER) -> list[str]:
    """Apply one criterion to the work saved in ``folder``; return its problems.

    Raises:
        WorkFileError: the exercise's file is missing or unreadable.
        ValueError: an unknown criterion, or an answer missing where one is needed.
    """
    crit = criterion(exercise, key)
    folder = Path(folder)
    if crit.takes_answer:
        if answer is NO_ANSWER:
            raise ValueError(f"the check {exercise}.{key} compares an answer: pass it")
        return crit.check(folder, answer)
    return crit.check(folder)
