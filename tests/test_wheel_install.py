"""The built wheel works outside the repository.

The wheel is built from this checkout and installed, with its dependencies, into a fresh
virtual environment in a temporary folder; every command then runs from another temporary
folder, so nothing can be found through the checkout.
"""

from __future__ import annotations

import os
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import wheel_support

REPO_ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]


class Installed:
    """A fresh venv with the course wheel, and a working folder outside the checkout."""

    def __init__(self, root: Path, wheel: Path) -> None:
        self.root = root
        self.wheel = wheel
        self.bin = root / "venv" / "bin"
        self.work = root / "work"
        self.work.mkdir()

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a command of the venv in the working folder, with no trace of the checkout."""
        env = {"PATH": f"{self.bin}:/usr/bin:/bin", "HOME": str(self.work), "MPLBACKEND": "Agg"}
        result = subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            cwd=self.work,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if check:
            assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
        return result


@pytest.fixture(scope="module")
def installed() -> Iterator[Installed]:
    """The wheel built from this checkout, pip installed into a fresh venv in a temporary
    folder (started in the background when the session's tests were collected)."""
    install = wheel_support.current()
    wheel = install.wait()
    assert not install.root.resolve().is_relative_to(REPO_ROOT)
    yield Installed(install.root, wheel)


def test_wheel_carries_the_data_and_no_test_support(installed: Installed) -> None:
    """Does the wheel hold the package data (framework, schemas, roles) and no tests or
    test support?"""
    names = zipfile.ZipFile(installed.wheel).namelist()
    for needed in (
        "endtrafficking/data/framework.yaml",
        "endtrafficking/data/course.yaml",
        "endtrafficking/data/roles.yaml",
        "endtrafficking_hub/data/workshop.schema.json",
        "endtrafficking_hub/data/roles/learner/jupyter_server_config.json",
        "endtrafficking_hub/data/jupyterhub_config.py",
    ):
        assert needed in names, needed
    assert not [n for n in names if n.startswith("tests/") or "harness" in n]


def test_cli_verbs_work_outside_the_checkout(installed: Installed) -> None:
    """Do score, report, templates, validate and grade --help work from the installed wheel?"""
    example = installed.run(
        "python",
        "-c",
        "from endtrafficking.paths import data_file; print(data_file('example_community.csv'))",
    ).stdout.strip()
    assert str(installed.root) in example  # the package's own copy, not the checkout's
    score = installed.run("endtrafficking", "score", example)
    assert "readiness" in score.stdout.lower()
    installed.run("endtrafficking", "report", example, "-o", "report.html")
    assert "<html" in (installed.work / "report.html").read_text(encoding="utf-8").lower()
    installed.run("endtrafficking", "templates", "--out", "blank")
    assert (installed.work / "blank" / "assessment_template.csv").is_file()
    ok = installed.run("endtrafficking", "validate", example)
    assert "OK" in ok.stdout
    bad = installed.work / "bad.csv"
    bad.write_text("not,an,assessment\n1,2,3\n", encoding="utf-8")
    refused = installed.run("endtrafficking", "validate", str(bad), check=False)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "usage" in installed.run("endtrafficking", "grade", "--help").stdout


def test_a_widget_builds_outside_the_checkout(installed: Installed) -> None:
    """Does the module 03 assessment exercise build from the installed wheel?"""
    code = (
        "from endtrafficking.widgets.assessment import assessment_exercise\n"
        "w = assessment_exercise()\n"
        "print(type(w).__name__, len(w.children))\n"
    )
    out = installed.run("python", "-c", code).stdout.split()
    assert out[0] != "HTML" and int(out[1]) > 0, out
    assert not os.path.exists(installed.work / "modules")
