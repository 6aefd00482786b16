"""Host preparation: an explicit step that changes only the folders the settings name."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import yaml

from endtrafficking_hub import host
from endtrafficking_hub.settings import WorkshopConfigError, load_settings

pytestmark = pytest.mark.hub


def settings_in(tmp_path: Path, **extra: object):
    """Demo-mode settings with every folder under ``tmp_path``."""
    data = {
        "mode": "demo",
        "state_dir": str(tmp_path / "st"),
        "exchange_root": str(tmp_path / "ex"),
        "course_root": str(tmp_path / "co"),
        "course_source": None,
        "seed_dirs": [],
        **extra,
    }
    path = tmp_path / "workshop.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return load_settings(path)


def test_seed_copy_resolves_links_for_every_account(tmp_path: Path) -> None:
    """Does the learners' copy of the course hold real files (links resolved, dangling ones
    left out), readable by everyone, replacing the previous copy whole?"""
    seed = tmp_path / "modules"
    seed.mkdir()
    (tmp_path / "real.yaml").write_text("x: 1", encoding="utf-8")
    (seed / "framework.yaml").symlink_to(tmp_path / "real.yaml")
    (seed / "gone.yaml").symlink_to(tmp_path / "missing.yaml")
    (seed / "00.ipynb").write_text("{}", encoding="utf-8")
    os.chmod(seed / "00.ipynb", 0o600)
    s = settings_in(tmp_path, seed_dirs=[str(seed)])
    (target,) = host.publish_seed(s)
    assert target == s.seed_root / "modules"
    copy = target / "framework.yaml"
    assert copy.is_file() and not copy.is_symlink()
    assert not (target / "gone.yaml").exists()
    assert stat.S_IMODE((target / "00.ipynb").stat().st_mode) == 0o644
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    (seed / "00.ipynb").unlink()
    host.publish_seed(s)
    assert not (target / "00.ipynb").exists()
    assert sorted(p.name for p in s.seed_root.iterdir()) == ["modules"]


def test_refuse_mode_stops_when_limits_cannot_apply(tmp_path: Path) -> None:
    """With limits asked for and no cgroup tree, does `refuse` stop with the fix, and `warn`
    give a reason for the banner instead?"""
    nowhere = str(tmp_path / "not-a-cgroup-tree")
    refuse = settings_in(tmp_path, mode="users", limits={"cgroup_root": nowhere})
    with pytest.raises(WorkshopConfigError, match="when_unavailable: warn"):
        host.check_limits(refuse)
    warn = settings_in(
        tmp_path, mode="users", limits={"cgroup_root": nowhere, "when_unavailable": "warn"}
    )
    assert "no cgroup tree" in host.check_limits(warn)
    assert host.check_limits(settings_in(tmp_path, limits={"cgroup_root": nowhere})) == ""


def test_users_mode_refuses_without_root(tmp_path: Path, monkeypatch) -> None:
    """Without root, does mode 'users' stop with the fix (sudo, or mode: demo)?"""
    monkeypatch.setattr(host.os, "geteuid", lambda: 1000)
    with pytest.raises(WorkshopConfigError, match="mode: demo"):
        host.prepare_host(settings_in(tmp_path, mode="users"))


def test_demo_preparation_stays_in_its_folders(tmp_path: Path) -> None:
    """Does preparing a demo hub create its folders (private) and codes, and nothing else?"""
    course = tmp_path / "src-course"
    (course / "source" / "ps1").mkdir(parents=True)
    (course / "source" / "ps1" / "p.ipynb").write_text("{}", encoding="utf-8")
    s = settings_in(tmp_path, course_source=str(course))
    before = set(os.listdir(tmp_path))
    host.prepare_host(s)
    assert set(os.listdir(tmp_path)) - before == {"st", "ex", "co"}
    assert stat.S_IMODE(s.state_dir.stat().st_mode) == 0o700
    assert (s.state_dir / "learner-code").is_file()
    assert (s.course_dir / "source" / "ps1" / "p.ipynb").is_file()
    (s.course_dir / "source" / "ps1" / "p.ipynb").write_text("edited", encoding="utf-8")
    host.prepare_host(s)
    assert (s.course_dir / "source" / "ps1" / "p.ipynb").read_text() == "edited"
