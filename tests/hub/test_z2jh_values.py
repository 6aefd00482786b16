"""hub/z2jh/values.yaml, checked the way `helm install` checks it (no Kubernetes here).

Our values are deep-merged over the chart's defaults (dicts merge, everything else is
replaced) and the result is validated against the chart's JSON schema. The chart data lives
in ``<repo>/../shared/z2jh/``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

import jsonschema
import pytest
import yaml
from traitlets.config import Config

from endtrafficking_hub.singleuser import role_config_dir
from endtrafficking_hub.spawner import INSTRUCTOR_LANDING, LEARNER_LANDING

from .conftest import CI, REPO_ROOT

OURS = REPO_ROOT / "hub" / "z2jh" / "values.yaml"
CHART = REPO_ROOT.parent / "shared" / "z2jh"


def deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Helm's merge of a values file over the chart defaults."""
    merged = copy.deepcopy(dict(base))
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


@pytest.fixture(scope="module")
def chart() -> tuple[dict[str, Any], dict[str, Any]]:
    """The chart's default values and schema."""
    if not (CHART / "values.schema.yaml").is_file():
        reason = f"chart data not found at {CHART} (shared/ sits beside the clone)"
        if CI:
            pytest.fail(reason)
        pytest.skip(reason)
    defaults = yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))
    schema = yaml.safe_load((CHART / "values.schema.yaml").read_text(encoding="utf-8"))
    return defaults, schema


@pytest.fixture(scope="module")
def ours() -> dict[str, Any]:
    """Our values file (it must parse as YAML)."""
    return dict(yaml.safe_load(OURS.read_text(encoding="utf-8")))


def errors(values: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """Every schema error, as 'path: message'."""
    validator = jsonschema.Draft7Validator(schema)
    return [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(values)
    ]


def test_values_pass_the_chart_schema(
    chart: tuple[dict[str, Any], dict[str, Any]], ours: dict[str, Any]
) -> None:
    """Would helm accept our values (merged over the defaults) for chart app 5.5.0?"""
    defaults, schema = chart
    assert errors(deep_merge(defaults, ours), schema) == []


def test_the_check_rejects_a_misspelt_key(
    chart: tuple[dict[str, Any], dict[str, Any]], ours: dict[str, Any]
) -> None:
    """Does the same check catch a key z2jh does not know (so the pass above means
    something)?"""
    defaults, schema = chart
    broken = copy.deepcopy(ours)
    broken["singleuser"]["memroy"] = {"limit": "2G"}
    found = errors(deep_merge(defaults, broken), schema)
    assert any("memroy" in e for e in found), found


def test_workshop_essentials_are_set(ours: dict[str, Any]) -> None:
    """Are limits, culling, the exchange volume and the course image all configured?"""
    single = ours["singleuser"]
    assert single["memory"]["limit"] and single["cpu"]["limit"]
    assert ours["cull"]["enabled"] and ours["cull"]["timeout"] <= 3600
    mounts = {m["mountPath"] for m in single["storage"]["extraVolumeMounts"]}
    assert "/srv/nbgrader/exchange" in mounts
    assert single["image"]["tag"] != "latest"
    assert single["cmd"] == ["python", "-m", "endtrafficking_hub.singleuser"]
    assert single["defaultUrl"] == LEARNER_LANDING


def test_extra_config_gives_distinct_uids_and_instructor_only_course(ours: dict[str, Any]) -> None:
    """Does the hub.extraConfig Python compile, give each person their own uid, and mount
    the course (with formgrader's role) for instructors only?"""
    code = ours["hub"]["extraConfig"]["10-workshop-roles"]
    c = Config()
    c.Authenticator.admin_users = ours["hub"]["config"]["Authenticator"]["admin_users"]
    namespace: dict[str, Any] = {"c": c}
    exec(compile(code, "hub.extraConfig.10-workshop-roles", "exec"), namespace)  # noqa: S102
    assert c.JupyterHub.load_groups["instructors"]["users"] == ["instructor"]

    def spawner(user_id: int, groups: list[str]) -> SimpleNamespace:
        user = SimpleNamespace(id=user_id, groups=[SimpleNamespace(name=g) for g in groups])
        return SimpleNamespace(
            user=user,
            environment={},
            volumes=[],
            volume_mounts=[],
            supplemental_gids=[],
            default_url=ours["singleuser"]["defaultUrl"],
        )

    learner, teacher = spawner(7, []), spawner(8, ["instructors"])
    assert c.KubeSpawner.uid(learner) != c.KubeSpawner.uid(teacher)
    for s in (learner, teacher):
        c.KubeSpawner.pre_spawn_hook(s)
    assert learner.environment["WORKSHOP_ROLE"] == "learner"
    assert learner.default_url == LEARNER_LANDING
    assert learner.volumes == [] and "WORKSHOP_COURSE_DIR" not in learner.environment
    assert teacher.environment["WORKSHOP_ROLE"] == "instructor"
    assert teacher.default_url == INSTRUCTOR_LANDING
    assert [v["name"] for v in teacher.volumes] == ["nbgrader-course"]
    assert teacher.volume_mounts[0]["mountPath"] == teacher.environment["WORKSHOP_COURSE_DIR"]


def test_role_folders_ship_in_the_package() -> None:
    """Does the installed package hold the role folders the image's wrapper chooses from?"""
    for role in ("learner", "instructor"):
        assert (role_config_dir(role) / "nbgrader_config.py").is_file()
        assert (role_config_dir(role) / "jupyter_server_config.json").is_file()
