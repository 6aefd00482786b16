"""The hub's command line: one-line errors, a systemd unit, and `make hub` refusing clearly."""

from __future__ import annotations

import configparser
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from endtrafficking_hub import launcher

from .conftest import REPO_ROOT, require_proxy, require_root
from .harness import SHARED_DIR

pytestmark = pytest.mark.hub


def write(tmp_path: Path, data: dict[str, object]) -> Path:
    """A settings file holding ``data``."""
    path = tmp_path / "workshop.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_check_command_exits_2_with_message(tmp_path: Path, capsys) -> None:
    """Does `check` print the error and exit 2 instead of starting?"""
    assert launcher.main(["--config", str(write(tmp_path, {"port": 0})), "check"]) == 2
    assert "'port'" in capsys.readouterr().err
    assert launcher.main(["--config", str(write(tmp_path, {})), "check"]) == 0


def test_systemd_unit_runs_make_hubs_command(tmp_path: Path, capsys) -> None:
    """Is the offered unit a valid unit file that runs `run` with these settings as root?"""
    path = write(tmp_path, {"state_dir": str(tmp_path / "st")})
    assert launcher.main(["--config", str(path), "systemd-unit"]) == 0
    unit = configparser.ConfigParser(strict=True, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read_string(capsys.readouterr().out)
    service = unit["Service"]
    assert service["ExecStart"].endswith(f"-m endtrafficking_hub --config {path} run")
    assert service["User"] == "root" and service["Delegate"] == "yes"
    assert service["WorkingDirectory"] == str(tmp_path / "st")
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_make_hub_refuses_when_limits_cannot_apply(tmp_path: Path) -> None:
    """Does `make hub` with `when_unavailable: refuse` on a host without a usable cgroup tree
    stop with one clear line (exit status non-zero, no traceback) and start nothing?"""
    require_root()
    require_proxy()
    path = write(
        tmp_path,
        {
            "state_dir": str(tmp_path / "st"),
            "exchange_root": str(tmp_path / "ex"),
            "course_root": str(tmp_path / "co"),
            "shared_dir": str(SHARED_DIR),
            "limits": {"cgroup_root": str(tmp_path / "no-cgroups"), "when_unavailable": "refuse"},
            "port": 1,  # never bound: the hub must not get that far
        },
    )
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(REPO_ROOT), "hub", f"HUB_CONFIG={path}"],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode != 0
    assert "limits cannot be applied" in result.stderr
    assert "when_unavailable: warn" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "ex").exists()


def test_make_hub_installs_no_test_tools() -> None:
    """Does `make hub` install the course with its [hub] extra only (no pytest, playwright,
    ruff on a host), and run the launcher's `run`?"""
    plan = subprocess.run(
        ["make", "-n", "-B", "-C", str(REPO_ROOT), "hub", "HUB_CONFIG=x.yaml"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    installs = [line for line in plan.splitlines() if "pip install" in line and " -e " in line]
    assert installs and all("'.[hub]'" in line for line in installs), installs
    assert "[test]" not in plan and "[dev]" not in plan
    assert re.search(r"-m endtrafficking_hub --config x\.yaml\s+run", plan), plan
