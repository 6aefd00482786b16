"""The host's settings file is checked on load; errors name the field and the fix."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from .conftest import HUB_DIR, load_hub_module

pytestmark = pytest.mark.hub


def write(tmp_path: Path, data: dict[str, object]) -> Path:
    """A settings file holding ``data``."""
    path = tmp_path / "workshop.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_shipped_settings_are_valid_and_safe(workshop_hub: ModuleType) -> None:
    """Does hub/workshop.yaml load, bind to loopback and isolate learners by default?"""
    s = workshop_hub.load_settings(HUB_DIR / "workshop.yaml")
    assert s.bind_ip == "127.0.0.1"
    assert s.mode == "users"
    assert s.state_dir == HUB_DIR / "state"
    assert s.cull_enabled and s.cull_timeout == 3600
    assert s.mem_limit_bytes == 2 * 1024**3 and s.cpu_limit == 1.0
    assert s.instructors == ("instructor",)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"prot": 8000}, ["prot", "unknown field", "Fix"]),
        ({"port": "eight"}, ["'port'", "Fix", "65535"]),
        ({"mode": "everyone"}, ["'mode'", "Fix", "demo"]),
        ({"bind_ip": "localhost"}, ["'bind_ip'", "127.0.0.1"]),
        ({"port": 8000, "hub_port": 8000}, ["must differ", "Fix"]),
        ({"exchange_root": "/tmp"}, ["'exchange_root'", "Fix"]),
        ({"limits": {"memory": "lots"}}, ["limits.memory", "2G"]),
        ({"limits": {"memory": "100M"}}, ["limits.memory", "256M"]),
        ({"instructors": ["Dr Who"]}, ["'instructors.0'", "lowercase"]),
        ({"instructors": ["amy", "amy"]}, ["'instructors'", "twice"]),
        ({"system_user_prefix": ""}, ["'system_user_prefix'", "jupyter-"]),
        ({"culling": {"timeout_seconds": 1}}, ["'culling.timeout_seconds'", "Fix"]),
    ],
)
def test_bad_settings_name_field_and_fix(
    tmp_path: Path, workshop_hub: ModuleType, data: dict[str, object], words: list[str]
) -> None:
    """Does each mistake give one clear error naming the file, the field and a fix?"""
    path = write(tmp_path, data)
    with pytest.raises(workshop_hub.WorkshopConfigError) as err:
        workshop_hub.load_settings(path)
    message = str(err.value)
    assert str(path) in message
    for word in words:
        assert word in message, message


def test_broken_yaml_is_reported(tmp_path: Path, workshop_hub: ModuleType) -> None:
    """Is a YAML syntax error reported with the file name rather than a traceback?"""
    path = tmp_path / "workshop.yaml"
    path.write_text("port: [8000\n", encoding="utf-8")
    with pytest.raises(workshop_hub.WorkshopConfigError, match="not valid YAML"):
        workshop_hub.load_settings(path)


def test_check_command_exits_2_with_message(
    tmp_path: Path, workshop_hub: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    """Does `workshop_hub.py check` print the error and exit 2 instead of starting?"""
    path = write(tmp_path, {"port": 0})
    assert workshop_hub.main(["--config", str(path), "check"]) == 2
    assert "'port'" in capsys.readouterr().err


def test_passwords_are_salted_hashes(workshop_hub: ModuleType) -> None:
    """Does a stored password verify, a wrong one not, and two hashes of one password
    differ?"""
    one = workshop_hub.hash_password("correct horse")
    assert workshop_hub.verify_password("correct horse", one)
    assert not workshop_hub.verify_password("wrong horse", one)
    assert one != workshop_hub.hash_password("correct horse")
    assert "correct horse" not in one


def test_codes_are_created_private_and_never_printed(
    tmp_path: Path, workshop_hub: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Are sign-up codes generated with mode 0600, and does the banner show only their
    paths?"""
    monkeypatch.delenv(workshop_hub.LEARNER_CODE_ENV, raising=False)
    monkeypatch.delenv(workshop_hub.INSTRUCTOR_CODE_ENV, raising=False)
    s = workshop_hub.load_settings(write(tmp_path, {"state_dir": str(tmp_path / "st")}))
    s.state_dir.mkdir()
    workshop_hub.ensure_codes(s)
    text = workshop_hub.banner(s)
    for role in ("learner", "instructor"):
        path = workshop_hub.code_file(s, role)
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        assert workshop_hub.read_code(s, role) not in text
        assert str(path) in text
    assert "127.0.0.1" in text and "bind_ip: 0.0.0.0" in text


def test_seeding_keeps_learner_changes(tmp_path: Path) -> None:
    """Are course files copied once, deletions respected, edits kept, new files added?"""
    start = load_hub_module("singleuser_start")
    src = tmp_path / "modules"
    src.mkdir()
    (src / "01.ipynb").write_text("v1", encoding="utf-8")
    (src / ".hidden").write_text("x", encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    assert start.seed(home, [src]) == ["modules/01.ipynb"]
    copy = home / "endtrafficking" / "modules" / "01.ipynb"
    copy.write_text("my answers", encoding="utf-8")
    (src / "01.ipynb").write_text("v2", encoding="utf-8")
    assert start.seed(home, [src]) == []
    assert copy.read_text(encoding="utf-8") == "my answers"
    copy.unlink()
    (src / "02.ipynb").write_text("new", encoding="utf-8")
    assert start.seed(home, [src]) == ["modules/02.ipynb"]
    assert not copy.exists()
    assert not (home / "endtrafficking" / "modules" / ".hidden").exists()
    assert json.loads((home / start.MARKER).read_text()) == ["modules/01.ipynb", "modules/02.ipynb"]


@pytest.mark.parametrize("version", [1, 2])
def test_cgroup_limits_written(tmp_path: Path, workshop_hub: ModuleType, version: int) -> None:
    """Are the memory and CPU limits written where cgroup v1 and v2 expect them, and does the
    learners' parent group weigh like one process per learner?"""
    root = tmp_path / "cg"
    if version == 2:
        root.mkdir()
        (root / "cgroup.controllers").write_text("cpu memory pids")
        (root / "cgroup.subtree_control").write_text("")
        (root / "hub").mkdir()
        (root / "hub" / "cgroup.controllers").write_text("cpu memory")
        (root / "hub" / "cpu.weight").write_text("100")
        weight = root / "hub" / "cpu.weight"
    else:
        for ctl in ("memory", "cpu"):
            (root / ctl / "hub").mkdir(parents=True)
            (root / ctl / "cgroup.procs").write_text("")
        weight = root / "cpu" / "hub" / "cpu.shares"
        weight.write_text("1024")
    cg = workshop_hub.Cgroups("hub", root=root)
    assert cg.version == version
    procs = cg.create("jupyter-ana", 2 * 1024**3, 0.5)
    cg.create("jupyter-ben", 2 * 1024**3, 0.5)
    assert all(p.name == "cgroup.procs" for p in procs)
    assert cg.memory_limit_file("jupyter-ana").read_text() == str(2 * 1024**3)
    per_process = 100 if version == 2 else 1024
    assert weight.read_text() == str(2 * per_process)
    if version == 2:
        assert (root / "hub" / "jupyter-ana" / "cpu.max").read_text() == "50000 100000"
        assert "+memory" in (root / "cgroup.subtree_control").read_text()
    else:
        assert (root / "cpu" / "hub" / "jupyter-ana" / "cpu.cfs_quota_us").read_text() == "50000"


def test_users_mode_refuses_without_root(
    tmp_path: Path, workshop_hub: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without root, does mode 'users' stop with the fix (sudo, or mode: demo)?"""
    if os.geteuid() == 0:  # CI runs as root: act as an ordinary user for this check alone
        monkeypatch.setattr(workshop_hub.os, "geteuid", lambda: 1000)
    s = workshop_hub.load_settings(
        write(
            tmp_path,
            {
                "state_dir": str(tmp_path / "st"),
                "exchange_root": str(tmp_path / "ex"),
                "course_root": str(tmp_path / "co"),
            },
        )
    )
    with pytest.raises(workshop_hub.WorkshopConfigError, match="mode: demo"):
        workshop_hub.prepare_host(s)
