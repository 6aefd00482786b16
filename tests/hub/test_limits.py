"""Memory, CPU and process limits: written where the kernel expects them, read back from the
kernel, and shown loudly when they cannot be applied.

The real limit on this machine (a learner's kernel allocating past it is stopped, the others
keep working) is tested on a running hub in ``test_workshop_hub.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from endtrafficking_hub import limits

pytestmark = pytest.mark.hub


def fake_tree(root: Path, version: int) -> Path:
    """A cgroup tree's files laid out in a plain folder (the kernel is not asked)."""
    if version == 2:
        root.mkdir()
        (root / "cgroup.controllers").write_text("cpu memory pids")
        (root / "cgroup.subtree_control").write_text("")
        (root / "hub").mkdir()
        (root / "hub" / "cgroup.controllers").write_text("cpu memory pids")
        (root / "hub" / "cgroup.subtree_control").write_text("")
        (root / "hub" / "cpu.weight").write_text("100")
        return root / "hub" / "cpu.weight"
    for ctl in ("memory", "cpu", "pids"):
        (root / ctl / "hub").mkdir(parents=True)
        (root / ctl / "cgroup.procs").write_text("")
    weight = root / "cpu" / "hub" / "cpu.shares"
    weight.write_text("1024")
    return weight


def touch_limit_files(d: Path, names: list[str]) -> None:
    """The files the kernel would create in a new cgroup."""
    d.mkdir(parents=True, exist_ok=True)
    for name in names:
        (d / name).write_text("max")


@pytest.mark.parametrize("version", [1, 2])
def test_limits_written(tmp_path: Path, version: int) -> None:
    """Are memory, CPU and task limits written where cgroup v1 and v2 expect them, and does
    the learners' parent group weigh like one process per learner?"""
    root = tmp_path / "cg"
    weight = fake_tree(root, version)
    if version == 2:
        for user in ("jupyter-ana", "jupyter-ben"):
            touch_limit_files(
                root / "hub" / user, ["memory.max", "memory.swap.max", "cpu.max", "pids.max"]
            )
    else:
        for user in ("jupyter-ana", "jupyter-ben"):
            touch_limit_files(root / "memory" / "hub" / user, ["memory.limit_in_bytes"])
            touch_limit_files(root / "pids" / "hub" / user, ["pids.max"])
    cg = limits.Cgroups("hub", root=root, version=version)
    procs = cg.create("jupyter-ana", 2 * 1024**3, 0.5)
    cg.create("jupyter-ben", 2 * 1024**3, 0.5)
    assert all(p.name == "cgroup.procs" for p in procs)
    assert cg.memory_limit_file("jupyter-ana").read_text() == str(2 * 1024**3)
    assert weight.read_text() == str(2 * (100 if version == 2 else 1024))
    if version == 2:
        ana = root / "hub" / "jupyter-ana"
        assert (ana / "cpu.max").read_text() == "50000 100000"
        assert (ana / "memory.swap.max").read_text() == "0"
        assert (ana / "pids.max").read_text() == str(limits.PIDS_MAX)
        assert "+memory" in (root / "cgroup.subtree_control").read_text()
    else:
        assert (root / "cpu" / "hub" / "jupyter-ana" / "cpu.cfs_quota_us").read_text() == "50000"
        assert (root / "pids" / "hub" / "jupyter-ana" / "pids.max").read_text() == "1024"


def test_a_plain_folder_is_no_cgroup_tree(tmp_path: Path) -> None:
    """Is a folder that merely looks like a cgroup tree recognised as none (the kernel's
    mount table decides)?"""
    fake_tree(tmp_path / "cg", 1)
    cg = limits.Cgroups("hub", root=tmp_path / "cg")
    assert cg.version == 0
    assert "no cgroup tree" in cg.unavailable_reason()


def test_machine_cgroup_tree_is_found() -> None:
    """Does the hub find this machine's cgroup tree (v1 or v2) as the kernel mounted it?"""
    if not limits.cgroup_mounts():
        pytest.skip("this kernel mounts no cgroup tree")
    assert limits.detect_version(Path("/sys/fs/cgroup")) in (1, 2)


def test_membership_is_read_from_the_kernel(tmp_path: Path) -> None:
    """Does `holds` say yes for a process really put in a cgroup, and no otherwise?"""
    cg = limits.Cgroups(f"etw-test-{os.getpid()}")
    if cg.unavailable_reason():
        pytest.skip(f"cgroups not writable here: {cg.unavailable_reason()}")
    procs = cg.create("probe", 512 * 1024**2, None)
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert not cg.holds("probe", child.pid)
        for path in procs:
            path.write_text(str(child.pid))
        assert cg.holds("probe", child.pid)
        assert child.pid in cg.pids("probe")
        assert int(cg.memory_limit_file("probe").read_text()) == 512 * 1024**2
    finally:
        child.kill()
        child.wait()
        cg.remove_all()
    assert not (cg.root / "memory" / cg.name).exists()


def test_admin_announcement_only_for_admins() -> None:
    """Is the missing-limits warning shown to admins only, and escaped?"""
    limits.PROBLEMS.clear()
    admin, learner = SimpleNamespace(admin=True), SimpleNamespace(admin=False)
    assert limits.admin_announcement(admin) == ""
    limits.record_problem("ana", "no <cgroup>")
    try:
        text = limits.admin_announcement(admin)
        assert "NOT applied" in text and "ana" in text and "&lt;cgroup&gt;" in text
        assert limits.admin_announcement(learner) == ""
        assert limits.admin_announcement(None) == ""
        limits.clear_problem("ana")
        assert limits.admin_announcement(admin) == ""
    finally:
        limits.PROBLEMS.clear()
