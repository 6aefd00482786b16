"""Per-person memory, CPU and process limits through the kernel's cgroups (v2, or v1).

LocalProcessSpawner enforces nothing itself. The hub (root) makes one cgroup per server, and
the server's process joins it before it drops privileges, so every kernel it starts is inside
too. Whether a process really is inside is read back from the kernel (``/proc/<pid>/cgroup``),
never assumed. When limits cannot be applied, :data:`PROBLEMS` records why, for the hub's
log and the admin page.
"""

from __future__ import annotations

import html
import os
import signal
import time
from pathlib import Path

CPU_PERIOD_US = 100_000
#: Tasks (processes and threads) per person: a server and a few kernels need about 100.
PIDS_MAX = 1024
#: Why limits are missing, by hub user ("" for the whole hub); shown on the admin page.
PROBLEMS: dict[str, str] = {}


class LimitsUnavailable(RuntimeError):
    """Limits could not be applied; the message says why and what to do."""


def cgroup_mounts(mounts_file: Path = Path("/proc/self/mounts")) -> dict[Path, str]:
    """Mount point -> 'cgroup2' or the v1 controllers ('memory', 'cpu,cpuacct'...)."""
    found: dict[Path, str] = {}
    for line in mounts_file.read_text().splitlines():
        parts = line.split()
        if len(parts) < 4:
            continue
        if parts[2] == "cgroup2":
            found[Path(parts[1])] = "cgroup2"
        elif parts[2] == "cgroup":
            found[Path(parts[1])] = ",".join(
                o for o in parts[3].split(",") if o in ("memory", "cpu", "cpuacct", "pids")
            )
    return found


def detect_version(root: Path) -> int:
    """2 for a cgroup2 mount at ``root``, 1 for v1 with a memory controller, else 0."""
    mounts = cgroup_mounts()
    if mounts.get(root) == "cgroup2":
        return 2
    if "memory" in mounts.get(root / "memory", "").split(","):
        return 1
    return 0


class Cgroups:
    """The hub's cgroups: ``<root>/<controller>/<name>/<account>`` (v1) or ``<root>/<name>/...``."""

    def __init__(self, name: str, root: Path = Path("/sys/fs/cgroup"), version: int | None = None):
        self.name = name
        self.root = root
        self.version = detect_version(root) if version is None else version

    def unavailable_reason(self) -> str:
        """Why this hub cannot make cgroups here ('' when it can)."""
        if self.version == 0:
            return f"{self.root} holds no cgroup tree with a memory controller"
        if os.geteuid() != 0:
            return "the hub does not run as root"
        probe = self.root if self.version == 2 else self.root / "memory"
        if not os.access(probe, os.W_OK):
            return f"{probe} is not writable (a container without cgroup delegation?)"
        return ""

    def _dirs(self, user: str) -> dict[str, Path]:
        if self.version == 2:
            return {"unified": self.root / self.name / user}
        dirs = {"memory": self.root / "memory" / self.name / user}
        for ctl in ("cpu", "pids"):
            if (self.root / ctl / "cgroup.procs").is_file():
                dirs[ctl] = self.root / ctl / self.name / user
        return dirs

    def _enable_v2_controllers(self) -> None:
        parent = self.root / self.name
        parent.mkdir(exist_ok=True)
        for ctl in (self.root / "cgroup.subtree_control", parent / "cgroup.subtree_control"):
            enabled = (ctl.parent / "cgroup.controllers").read_text().split()
            wanted = [f"+{c}" for c in ("memory", "cpu", "pids") if c in enabled]
            if wanted:
                ctl.write_text(" ".join(wanted))

    def create(self, user: str, mem_bytes: int | None, cpu: float | None) -> list[Path]:
        """Make ``user``'s cgroup(s) with the limits; return the cgroup.procs files to join."""
        dirs = self._dirs(user)
        if self.version == 2:
            self._enable_v2_controllers()
            d = dirs["unified"]
            d.mkdir(exist_ok=True)
            _write_if(d / "memory.max", mem_bytes)
            _write_if(d / "memory.swap.max", 0 if mem_bytes else None)
            _write_if(d / "cpu.max", f"{int(cpu * CPU_PERIOD_US)} {CPU_PERIOD_US}" if cpu else None)
            _write_if(d / "pids.max", PIDS_MAX)
        else:
            for d in dirs.values():
                d.mkdir(parents=True, exist_ok=True)
            mem = dirs["memory"]
            _write_if(mem / "memory.limit_in_bytes", mem_bytes)
            _write_if(mem / "memory.memsw.limit_in_bytes", mem_bytes)  # no escape into swap
            if "cpu" in dirs and cpu:
                (dirs["cpu"] / "cpu.cfs_period_us").write_text(str(CPU_PERIOD_US))
                (dirs["cpu"] / "cpu.cfs_quota_us").write_text(str(int(cpu * CPU_PERIOD_US)))
            if "pids" in dirs:
                _write_if(dirs["pids"] / "pids.max", PIDS_MAX)
        self._rebalance()
        return [d / "cgroup.procs" for d in dirs.values()]

    def _rebalance(self) -> None:
        """Weigh the parent group like one ordinary process per person in it.

        Without this, all learners together would get the CPU share of a single process
        whenever anything else on the machine is busy.
        """
        if self.version == 2:
            parent, name, unit, cap = self.root / self.name, "cpu.weight", 100, 10000
        else:
            parent, name, unit, cap = self.root / "cpu" / self.name, "cpu.shares", 1024, 262144
        if not (parent / name).is_file():
            return
        people = sum(1 for child in parent.iterdir() if child.is_dir())
        (parent / name).write_text(str(min(cap, unit * max(1, people))))

    def memory_limit_file(self, user: str) -> Path:
        """The file that holds ``user``'s memory limit."""
        d = next(iter(self._dirs(user).values()))
        return d / ("memory.max" if self.version == 2 else "memory.limit_in_bytes")

    def holds(self, user: str, pid: int) -> bool:
        """Does the kernel say ``pid`` is in ``user``'s memory cgroup?"""
        want = f"/{self.name}/{user}"
        try:
            lines = Path(f"/proc/{pid}/cgroup").read_text().splitlines()
        except OSError:
            return False
        for line in lines:
            _, controllers, path = line.split(":", 2)
            is_memory = "memory" in controllers.split(",")
            if (self.version == 2 and controllers == "") or (self.version == 1 and is_memory):
                if path == want:
                    return True
        return False

    def pids(self, user: str) -> set[int]:
        """Processes now in ``user``'s cgroup."""
        found: set[int] = set()
        for d in self._dirs(user).values():
            procs = d / "cgroup.procs"
            if procs.is_file():
                found.update(int(x) for x in procs.read_text().split())
        return found

    def remove(self, user: str) -> None:
        """Kill what is left in ``user``'s cgroup (stray kernels) and remove it."""
        for pid in self.pids(user):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for d in self._dirs(user).values():
            for _ in range(50):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.1)
        self._rebalance()

    def remove_all(self) -> None:
        """Remove every user's cgroup and then the parent(s)."""
        parents = (
            [self.root / self.name]
            if self.version == 2
            else [self.root / c / self.name for c in ("memory", "cpu", "pids")]
        )
        for parent in parents:
            if parent.is_dir():
                for child in parent.iterdir():
                    if child.is_dir():
                        self.remove(child.name)
                try:
                    parent.rmdir()
                except OSError:
                    pass


def _write_if(path: Path, value: object) -> None:
    """Write ``value`` to a cgroup file when there is a value and the kernel has the file."""
    if value is not None and path.exists():
        path.write_text(str(value))


def record_problem(who: str, message: str) -> None:
    """Remember why limits are missing for ``who`` ('' = the whole hub)."""
    PROBLEMS[who] = message


def clear_problem(who: str) -> None:
    """Forget an earlier problem (the limits now hold)."""
    PROBLEMS.pop(who, None)


def admin_announcement(user: object) -> str:
    """The admin page's warning (JupyterHub template var): empty for non-admins or no problem."""
    if not PROBLEMS or not getattr(user, "admin", False):
        return ""
    items = "".join(
        f"<li>{html.escape(who or 'every server')}: {html.escape(why)}</li>"
        for who, why in sorted(PROBLEMS.items())
    )
    return (
        "<strong>WARNING: memory and CPU limits are NOT applied.</strong> "
        f"One learner can slow down or stop everyone's work.<ul>{items}</ul>"
        "Fix: see hub/HOSTS.md, Memory and CPU limits."
    )
