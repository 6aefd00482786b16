"""The spawner's decisions: landing page by role, and what happens when limits fail.

Servers started for real by this spawner are checked in ``test_workshop_hub.py``.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from endtrafficking_hub import limits
from endtrafficking_hub.spawner import (
    INSTRUCTOR_LANDING,
    LEARNER_LANDING,
    WorkshopSpawner,
    landing_url,
)

pytestmark = pytest.mark.hub


def spawner_for(tmp_path: Path, name: str, groups: list[str], when: str) -> WorkshopSpawner:
    """A spawner for hub user ``name`` on settings whose limits cannot apply."""
    path = tmp_path / f"{when}.yaml"
    data = {
        "instructors": ["lead"],
        "limits": {"when_unavailable": when, "cgroup_root": str(tmp_path / "none")},
    }
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    user = SimpleNamespace(name=name, groups=[SimpleNamespace(name=g) for g in groups])
    return WorkshopSpawner(settings_file=str(path), user=user)  # the hub passes a real user


def test_learners_land_in_the_course_view_instructors_in_lab() -> None:
    """Does a learner's server open the welcome page in Voila and an instructor's JupyterLab?"""
    assert landing_url(instructor=False) == LEARNER_LANDING
    assert LEARNER_LANDING == "/voila/render/endtrafficking/modules/00_welcome.ipynb"
    assert landing_url(instructor=True) == INSTRUCTOR_LANDING == "/lab"


def test_roles_come_from_group_or_settings(tmp_path: Path) -> None:
    """Is a person an instructor when in the hub's instructors group or listed in settings?"""
    assert spawner_for(tmp_path, "lead", [], "warn").is_instructor
    assert spawner_for(tmp_path, "amy", ["instructors"], "warn").is_instructor
    assert not spawner_for(tmp_path, "ana", [], "warn").is_instructor


def test_refuse_mode_stops_the_server_with_a_message(tmp_path: Path) -> None:
    """With `refuse`, does a server whose limits cannot apply fail with a message a learner
    can act on?"""
    spawner = spawner_for(tmp_path, "ana", [], "refuse")
    with pytest.raises(limits.LimitsUnavailable, match="tell the workshop host"):
        spawner._limits_failed("no cgroup tree")


def test_warn_mode_records_the_problem_for_the_admin_page(tmp_path: Path) -> None:
    """With `warn`, is the missing limit recorded for the admin page instead?"""
    limits.PROBLEMS.clear()
    try:
        spawner_for(tmp_path, "ana", [], "warn")._limits_failed("no cgroup tree")
        assert limits.PROBLEMS == {"ana": "no cgroup tree"}
    finally:
        limits.PROBLEMS.clear()
