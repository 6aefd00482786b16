"""The completeness and consistency criteria applied to a learner's saved work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from endtrafficking.grading import checks, plan_checks
from endtrafficking.grading.reference import ASSIGNMENT_EXERCISES

PLAIN = [(e, k) for (e, k), c in checks.CRITERIA.items() if not c.takes_answer]


def _folder_for(exercise: str, folders: dict[str, Path]) -> Path:
    for assignment, exercises in ASSIGNMENT_EXERCISES.items():
        if exercises[-1] == exercise:
            return folders[assignment]
    raise KeyError(exercise)


def _edit(path: Path, change) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


@pytest.mark.parametrize(("exercise", "key"), PLAIN)
def test_reference_work_meets_every_criterion(reference_folders, exercise: str, key: str) -> None:
    """Does complete reference work meet every criterion?"""
    assert checks.run_check(exercise, key, _folder_for(exercise, reference_folders)) == []


def test_answers_that_match_the_work_pass(reference_folders) -> None:
    """Are answers that agree with the learner's own work accepted (ids or names, any case)?"""
    folders = reference_folders
    assert (
        checks.run_check("assessment", "weakest_area", folders["03_context"], "Restoration") == []
    )
    assert (
        checks.run_check("inventory", "least_served", folders["02_possibility"], "restoration")
        == []
    )
    assert (
        checks.run_check(
            "model_mapping", "broadest_model", folders["01_strategy"], "Polaris Project"
        )
        == []
    )
    top = sorted(plan_checks.top_gap_ids(folders["04_engage"]))[0]
    assert (
        checks.run_check("action_plan", "first_priority", folders["04_engage"], top.lower()) == []
    )


def test_answers_that_contradict_the_work_name_the_right_one(reference_folders) -> None:
    """Does an answer that contradicts the work fail with a message naming what the work shows?"""
    [msg] = checks.run_check(
        "assessment", "weakest_area", reference_folders["03_context"], "justice"
    )
    assert "Restoration" in msg and "'justice'" in msg
    [msg] = checks.run_check(
        "action_plan", "first_priority", reference_folders["04_engage"], "PRE1"
    )
    assert "PRE1" in msg and "RST" in msg


def test_unrated_indicators_are_listed(work) -> None:
    """Are unrated indicators named?"""
    folder = work("03_context")
    _edit(folder / "assessment.json", lambda d: d["responses"]["JUS2"].update(rating=None))
    [msg] = checks.run_check("assessment", "all_rated", folder)
    assert "JUS2" in msg and "1 of 30" in msg


def test_established_rating_needs_evidence(work) -> None:
    """Is a rating of 2 or more without evidence flagged, and one of 1 not?"""
    folder = work("03_context")

    def change(d):
        d["responses"]["IDE1"].update(rating=3, evidence="yes")
        d["responses"]["PRE3"].update(rating=1, evidence="")

    _edit(folder / "assessment.json", change)
    [msg] = checks.run_check("assessment", "evidence", folder)
    assert "IDE1" in msg and "PRE3" not in msg


def test_context_and_name_are_required(work) -> None:
    """Are an unnamed community and an unanswered section both reported?"""
    folder = work("03_context")

    def change(d):
        d["community"] = " "
        for key in d["context"]:
            d["context"][key] = ""

    _edit(folder / "assessment.json", change)
    problems = checks.run_check("assessment", "context", folder)
    assert len(problems) == 3
    assert "no name" in problems[0]


def test_personal_contact_details_are_flagged(work) -> None:
    """Is an email address in the evidence flagged, naming where it is?"""
    folder = work("03_context")
    _edit(
        folder / "assessment.json",
        lambda d: d["responses"]["PAR1"].update(evidence="ask jane.doe@example.org"),
    )
    [msg] = checks.run_check("assessment", "privacy", folder)
    assert "PAR1" in msg


def test_inventory_needs_five_complete_entries(work) -> None:
    """Are a short inventory and an entry without a referral route reported?"""
    folder = work("02_possibility")

    def change(d):
        d["state"]["entries"] = d["state"]["entries"][:3]
        d["state"]["entries"][1]["how_to_refer"] = ""

    _edit(folder / "inventory.json", change)
    problems = checks.run_check("inventory", "complete", folder)
    assert any("3 organization(s)" in p for p in problems)
    assert any("how to refer" in p for p in problems)


def test_inventory_unknown_area_is_named(work) -> None:
    """Is a focus area the framework does not know named in the message?"""
    folder = work("02_possibility")
    _edit(
        folder / "inventory.json",
        lambda d: d["state"]["entries"][0].update(focus_areas=["Aftercare maybe"]),
    )
    [msg] = checks.run_check("inventory", "known_areas", folder)
    assert "'Aftercare maybe'" in msg


def test_mapping_parts_left_empty_are_named(work) -> None:
    """Are unmapped model parts named, and an unchecked mapping reported?"""
    folder = work("01_strategy")

    def change(d):
        d["state"]["mapping"]["ijm"]["transform"] = []
        d["state"]["checked"] = False

    _edit(folder / "model_mapping.json", change)
    [msg] = checks.run_check("model_mapping", "all_parts", folder)
    assert "IJM" in msg
    assert checks.run_check("model_mapping", "checked", folder)


def test_plan_must_answer_the_top_gaps(work) -> None:
    """Is a plan that drops a top gap, or lacks an owner, reported?"""
    folder = work("04_engage")
    top = sorted(plan_checks.top_gap_ids(folder))

    def change(d):
        items = d["state"]["items"]
        d["state"]["items"] = [i for i in items if i["indicator_id"] != top[0]]
        d["state"]["items"][0]["owner"] = ""

    _edit(folder / "action_plan.json", change)
    problems = checks.run_check("action_plan", "priority_gaps", folder)
    assert any("has no action" in p for p in problems)
    assert any("an owner" in p for p in problems)


def test_plan_for_another_community_is_reported(work) -> None:
    """Is a plan made for a different community than the assessment beside it reported?"""
    folder = work("04_engage")
    _edit(
        folder / "action_plan.json", lambda d: d["state"].update(community="Elsewhere (fictional)")
    )
    problems = checks.run_check("action_plan", "priority_gaps", folder)
    assert "Elsewhere" in problems[0]


def test_plan_partners_owners_dates_areas(work) -> None:
    """Are a come-alongside without partners, a person as owner, bad dates and an
    uncovered area each reported?"""
    folder = work("04_engage")

    def change(d):
        items = d["state"]["items"]
        items[0].update(options=["come_alongside"], partners=[], owner="Maria Lopez")
        items[1].update(target_date="next spring")
        items[2].update(target_date="2001-01-01")
        d["state"]["items"] = [i for i in items if not i["indicator_id"].startswith("PAR")]

    _edit(folder / "action_plan.json", change)
    assert checks.run_check("action_plan", "partners", folder)
    [owner] = checks.run_check("action_plan", "owners", folder)
    assert "Maria Lopez" in owner
    [dates] = checks.run_check("action_plan", "dates", folder)
    assert "next spring" in dates and "before the plan was saved" in dates
    [areas] = checks.run_check("action_plan", "areas", folder)
    assert "Partnership" in areas


def test_unknown_criterion_and_missing_answer(reference_folders) -> None:
    """Do an unknown check and a check called without its answer say what is wrong?"""
    with pytest.raises(ValueError, match="known checks: all_rated"):
        checks.run_check("assessment", "spelling", reference_folders["03_context"])
    with pytest.raises(ValueError, match="pass it"):
        checks.run_check("assessment", "weakest_area", reference_folders["03_context"])
