"""environment.yml and pyproject.toml list the same dependencies.

pyproject.toml is the source: its ``[project].dependencies`` plus the ``hub``,
``test`` and ``dev`` extras (an extra that names the project itself, such as
``endtrafficking[hub]``, only includes another extra). environment.yml (conda-forge) must list each of them, under the same
name (or its conda-forge name in CONDA_TO_PYPI) with the same version range,
and nothing else except python and pip. The course package itself is
installed by pip, editable.
"""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
#: conda-forge names that differ from the PyPI name.
CONDA_TO_PYPI = {"playwright-python": "playwright", "python-fastjsonschema": "fastjsonschema"}
#: Conda packages that are not Python dependencies of the project.
CONDA_ONLY = {"python", "pip"}
EXTRAS = ("hub", "test", "dev")
PROJECT = "endtrafficking"
_CONDA_SPEC = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*$")


def load_pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def load_environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def pyproject_requirements(pyproject: dict) -> dict[str, SpecifierSet]:
    """Name -> version range of every runtime and test dependency."""
    project = pyproject["project"]
    lines = list(project["dependencies"])
    for extra in EXTRAS:
        lines += project.get("optional-dependencies", {}).get(extra, [])
    out: dict[str, SpecifierSet] = {}
    for line in lines:
        req = Requirement(line)
        if canonicalize_name(req.name) == PROJECT:
            continue  # the project's own extra, listed in EXTRAS already
        out[canonicalize_name(req.name)] = req.specifier
    return out


def conda_spec(entry: str) -> tuple[str, str]:
    """A conda match spec such as ``pandas>=2.1`` as (PyPI name, version range)."""
    match = _CONDA_SPEC.match(entry)
    if not match:
        raise ValueError(f"cannot read the conda spec {entry!r}")
    name, version = match.groups()
    name = CONDA_TO_PYPI.get(name.lower(), name)
    return canonicalize_name(name), version.replace(" ", "")


def environment_requirements(env: dict) -> tuple[dict[str, str], list[str], list[str]]:
    """(name -> version text, pip's non-requirement lines, problems) of environment.yml."""
    out: dict[str, str] = {}
    pip_lines: list[str] = []
    problems: list[str] = []
    for entry in env.get("dependencies", []):
        if isinstance(entry, dict):
            for line in entry.get("pip", []):
                if line.startswith("-"):
                    pip_lines.append(line)
                    continue
                req = Requirement(line)
                name = canonicalize_name(req.name)
                if name in out:
                    problems.append(f"{name} is listed twice")
                out[name] = str(req.specifier)
            continue
        name, version = conda_spec(str(entry))
        if name in out:
            problems.append(f"{name} is listed twice")
        out[name] = version
    return out, pip_lines, problems


def drift(pyproject: dict, env: dict) -> list[str]:
    """Every way the two files disagree, as sentences; empty when in sync."""
    wanted = pyproject_requirements(pyproject)
    have, pip_lines, problems = environment_requirements(env)
    if env.get("name") != "endtrafficking":
        problems.append(f"the environment is named {env.get('name')!r}, not 'endtrafficking'")
    if env.get("channels") != ["conda-forge"]:
        problems.append(f"channels are {env.get('channels')}, not just conda-forge")
    python = have.pop("python", None)
    if python is None or SpecifierSet(python) != SpecifierSet(
        pyproject["project"]["requires-python"]
    ):
        problems.append(
            f"python is {python!r} but pyproject requires {pyproject['project']['requires-python']!r}"
        )
    have.pop("pip", None)
    if "-e ." not in pip_lines:
        problems.append("the pip section does not install the course package with '-e .'")
    for name in sorted(set(wanted) - set(have)):
        problems.append(f"{name} is in pyproject.toml but not in environment.yml")
    for name in sorted(set(have) - set(wanted) - CONDA_ONLY):
        problems.append(f"{name} is in environment.yml but not in pyproject.toml")
    for name in sorted(set(wanted) & set(have)):
        problems += version_problems(name, wanted[name], have[name])
    return problems


def version_problems(name: str, wanted: SpecifierSet, have: str) -> list[str]:
    """The environment's version must be the same range, or an exact pin inside it."""
    if not have:
        return [f"{name}: environment.yml gives no version, pyproject.toml says {wanted}"]
    pin = re.fullmatch(r"==?([0-9][0-9A-Za-z.]*)", have)
    if pin:
        version = pin.group(1)
        ok = wanted.contains(version, prereleases=True)
        return [] if ok else [f"{name}: environment.yml pins {version}, outside {wanted}"]
    try:
        spec = SpecifierSet(have)
    except InvalidSpecifier:
        return [f"{name}: cannot read the version {have!r} in environment.yml"]
    if spec != wanted:
        return [f"{name}: environment.yml says {spec}, pyproject.toml says {wanted}"]
    return []


def test_extras_say_what_they_are_for():
    """Do the hub and learner installs leave out the test tools, and do the test and dev
    extras include what they build on?"""
    project = load_pyproject()["project"]
    extras = project["optional-dependencies"]
    names = {k: {canonicalize_name(Requirement(r).name) for r in v} for k, v in extras.items()}
    core = {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}
    tools = {"pytest", "hypothesis", "playwright", "ruff", "nbstripout"}
    assert not tools & (core | names["hub"]), "a learner or host install would get test tools"
    assert "jupyterhub" in names["hub"] and "jupyterhub" not in core
    assert "endtrafficking[hub]" in extras["test"] and "endtrafficking[test]" in extras["dev"]
    assert "ruff" in names["dev"] and "ruff" not in names["test"]


def test_environment_matches_pyproject():
    """Do environment.yml and pyproject.toml list the same dependencies and versions?"""
    problems = drift(load_pyproject(), load_environment())
    assert problems == [], "environment.yml has drifted from pyproject.toml:\n" + "\n".join(
        problems
    )


def test_conda_names_are_mapped_only_where_needed():
    """Is every conda-forge name mapping used (no stale entries)?"""
    entries = [e for e in load_environment()["dependencies"] if isinstance(e, str)]
    names = {_CONDA_SPEC.match(e).group(1).lower() for e in entries}
    assert set(CONDA_TO_PYPI) <= names


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda p, e: p["project"]["dependencies"].append("rich>=13"), "rich is in pyproject"),
        (lambda p, e: e["dependencies"].insert(3, "rich"), "rich is in environment.yml"),
        (
            lambda p, e: e["dependencies"].__setitem__(
                e["dependencies"].index("pandas>=2.1"), "pandas>=2.2"
            ),
            "pandas: environment.yml says >=2.2",
        ),
        (
            lambda p, e: e["dependencies"].__setitem__(
                e["dependencies"].index("pandas>=2.1"), "pandas==1.5.3"
            ),
            "pandas: environment.yml pins 1.5.3",
        ),
        (
            lambda p, e: e["dependencies"].__setitem__(
                e["dependencies"].index("pandas>=2.1"), "pandas"
            ),
            "pandas: environment.yml gives no version",
        ),
        (
            lambda p, e: p["project"]["optional-dependencies"]["test"].append("Pytest_Cov>=5"),
            "pytest-cov is in pyproject",
        ),
        (lambda p, e: e["dependencies"].__setitem__(0, "python>=3.10"), "python is '>=3.10'"),
        (lambda p, e: e["dependencies"][-1]["pip"].clear(), "'-e .'"),
        (lambda p, e: e.update(channels=["defaults"]), "not just conda-forge"),
        (lambda p, e: e["dependencies"].append("ruff>=0.6"), "ruff is listed twice"),
    ],
)
def test_drift_is_detected(change, expected):
    """Does the check catch each kind of drift (so the sync test can fail)?"""
    pyproject, env = copy.deepcopy(load_pyproject()), copy.deepcopy(load_environment())
    change(pyproject, env)
    problems = drift(pyproject, env)
    assert any(expected in p for p in problems), problems


def test_exact_pin_inside_range_is_compatible():
    """Is an environment pinned to a version inside pyproject's range accepted?"""
    assert version_problems("pandas", SpecifierSet(">=2.1"), "=2.2.3") == []
    assert version_problems("pandas", SpecifierSet(">=2.1"), "==3.0.0") == []
