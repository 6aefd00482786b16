"""A bubblewrap sandbox for every graded kernel (Linux).

A graded notebook runs code a learner wrote. In the sandbox that code sees:

* the system read-only (``/usr``, ``/etc`` and the ``/bin``, ``/lib`` links);
* Python, the installed libraries and this package, read-only, at neutral paths
  (``/opt/python``, ``/opt/site-packages``, ``/opt/lib/endtrafficking``), never the
  repository, the course folder or the instructor's home;
* a copy of its own submission in a private, size-limited memory folder
  (``/submission``, its working folder), and a private, size-limited ``/tmp``;
* the one folder holding its kernel's connection file and sockets;

and nothing else: no network, no other process (its own process namespace), no
new privileges, a new session (no terminal to type into). The caps on memory,
CPU time, file size and processes are set by :mod:`.limits`, which starts
``bwrap``. When the grader runs as root, the kernel runs as an unprivileged user
id of its own, so the process cap counts only that kernel's processes.

Files the kernel writes are thrown away with the sandbox: grading reads the
learner's saved work from the submission itself, never from the kernel.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BWRAP = "bwrap"
SETPRIV = "/usr/bin/setpriv"
PYTHON_AT = "/opt/python"
SITE_AT = "/opt/site-packages"
LIB_AT = "/opt/lib"
WORK_AT = "/submission"
#: Namespaces of its own (the user namespace is added when bwrap runs unprivileged).
UNSHARE = (
    "--unshare-ipc",
    "--unshare-pid",
    "--unshare-net",
    "--unshare-uts",
    "--unshare-cgroup-try",
)
#: System folders the kernel may read.
SYSTEM = ("/usr", "/etc")
#: Top-level links of a merged-/usr system, recreated as links.
LINKS = ("/bin", "/lib", "/lib64", "/sbin")
#: Most files copied into the sandbox's submission folder (a submission is a few files).
MAX_FILES = 500


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing, or cannot create its namespaces on this machine."""


@dataclass(frozen=True)
class Layout:
    """What the sandbox binds, read-only, from the grader's installation."""

    python_prefix: Path
    site_packages: Path
    package: Path | None  # the package folder, when it is not in site_packages

    @classmethod
    def current(cls) -> Layout:
        """This interpreter's Python, its libraries and this package."""
        import endtrafficking

        site = Path(sysconfig.get_paths()["purelib"]).resolve()
        package = Path(endtrafficking.__file__).resolve().parent
        inside = site in package.parents
        return cls(Path(sys.base_prefix).resolve(), site, None if inside else package)

    def python_path(self) -> str:
        """``PYTHONPATH`` inside the sandbox."""
        return f"{LIB_AT}:{SITE_AT}" if self.package else SITE_AT

    def interpreter(self) -> str:
        """The Python executable inside the sandbox."""
        return f"{PYTHON_AT}/bin/python{sys.version_info.major}.{sys.version_info.minor}"


def _revealing_files(site: Path) -> list[Path]:
    """Files in site-packages that name the repository (an editable install)."""
    found = list(site.glob("__editable__*"))
    found += list(site.glob("endtrafficking*.dist-info/direct_url.json"))
    return found


def path_fd(path: Path | str) -> int:
    """An inheritable ``O_PATH`` descriptor of ``path`` (bwrap binds it after we drop rights)."""
    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    os.set_inheritable(fd, True)
    return fd


def _copy_args(work: Path) -> list[str]:
    """bwrap arguments that copy the submission folder into the sandbox's own /submission."""
    args: list[str] = []
    count = 0
    for folder, dirs, files in os.walk(work):
        dirs.sort()
        rel = os.path.relpath(folder, work)
        inside = WORK_AT if rel == "." else f"{WORK_AT}/{rel}"
        if rel != ".":
            args += ["--perms", "0777", "--dir", inside]
        for name in sorted(files):
            count += 1
            if count > MAX_FILES:
                return args
            path = os.path.join(folder, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            os.set_inheritable(fd, True)
            args += ["--perms", "0666", "--file", str(fd), f"{inside}/{name}"]
    return args


def bwrap_args(
    layout: Layout, work: Path, runtime: Path, disk_mb: int, run_as: int | None = None
) -> list[str]:
    """The ``bwrap`` command line for a kernel working in ``work``, up to the command.

    ``runtime`` holds the kernel's connection file and sockets. Without ``run_as``
    bwrap runs unprivileged, in a user namespace. With ``run_as`` (a root grader)
    bwrap runs as root, which can bind folders in root's home, and the kernel is
    started as the user id ``run_as`` (``setpriv``), so the process cap counts it alone.
    """
    args = [BWRAP, *UNSHARE, "--die-with-parent", "--new-session", "--clearenv"]
    if run_as is None:
        args += ["--unshare-user", "--disable-userns"]
    else:
        args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    for folder in SYSTEM:
        args += ["--ro-bind-fd", str(path_fd(folder)), folder]
    for link in LINKS:
        if os.path.islink(link):
            args += ["--symlink", os.readlink(link), link]
        elif os.path.isdir(link):
            args += ["--ro-bind-fd", str(path_fd(link)), link]
    args += ["--proc", "/proc", "--dev", "/dev"]
    for folder in ("/opt", LIB_AT):
        args += ["--perms", "0755", "--dir", folder]
    args += ["--ro-bind-fd", str(path_fd(layout.python_prefix)), PYTHON_AT]
    args += ["--ro-bind-fd", str(path_fd(layout.site_packages)), SITE_AT]
    for path in _revealing_files(layout.site_packages):
        args += ["--ro-bind", "/dev/null", f"{SITE_AT}/{path.relative_to(layout.site_packages)}"]
    if layout.package is not None:
        args += ["--ro-bind-fd", str(path_fd(layout.package)), f"{LIB_AT}/endtrafficking"]
    size = str(disk_mb * 1024 * 1024)
    args += ["--size", size, "--perms", "1777", "--tmpfs", "/tmp"]
    args += ["--size", size, "--perms", "0777", "--tmpfs", WORK_AT]
    args += _copy_args(work)
    args += ["--bind-fd", str(path_fd(runtime)), str(runtime), "--chdir", WORK_AT]
    env = {
        "PATH": f"{PYTHON_AT}/bin:/usr/bin:/bin",
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "PYTHONHOME": PYTHON_AT,
        "PYTHONPATH": layout.python_path(),
        "PYTHONDONTWRITEBYTECODE": "1",
        "LD_LIBRARY_PATH": f"{PYTHON_AT}/lib",
        "MPLCONFIGDIR": "/tmp/matplotlib",
        "MPLBACKEND": "Agg",
        # A parent (not pid 1 of the sandbox, which it must not poll): no connection notice.
        "JPY_PARENT_PID": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    for key, value in env.items():
        args += ["--setenv", key, value]
    args.append("--")
    if run_as is not None:
        args += [SETPRIV, f"--reuid={run_as}", f"--regid={run_as}", "--clear-groups"]
        args += ["--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
    return args


def kernel_command(layout: Layout, command: list[str]) -> list[str]:
    """The kernel's own command, with the sandbox's Python (``-S``: only ``PYTHONPATH``)."""
    first = Path(command[0]).name
    if first.startswith("python") or command[0] == sys.executable:
        return [layout.interpreter(), "-S", *command[1:]]
    return command


def _probe_args() -> list[str]:
    args = [BWRAP, "--unshare-all", "--unshare-user", "--die-with-parent", "--new-session"]
    args += ["--ro-bind", "/usr", "/usr"]
    for link in LINKS:
        if os.path.islink(link):
            args += ["--symlink", os.readlink(link), link]
    return [*args, "--proc", "/proc", "--dev", "/dev", "--", "/usr/bin/true"]


@functools.cache
def unavailable_reason() -> str:
    """Why the sandbox cannot run here ("" when it can)."""
    if not sys.platform.startswith("linux"):
        return f"the sandbox needs Linux (this is {sys.platform})"
    if shutil.which(BWRAP) is None:
        return "bubblewrap (bwrap) is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    try:
        done = subprocess.run(_probe_args(), capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap could not start ({exc})"
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1:] or ["no message"]
        return f"bubblewrap cannot create its namespaces here ({detail[0]})"
    return ""


def require() -> None:
    """Raise :class:`SandboxUnavailable` with the reason when the sandbox cannot run."""
    reason = unavailable_reason()
    if reason:
        raise SandboxUnavailable(reason)


def apply(overrides: dict[str, dict[str, Any]], unsandboxed: bool) -> None:
    """Turn the kernels' sandbox on, or refuse when it cannot run and no one said --unsandboxed.

    Raises:
        CourseInputError: the sandbox is unavailable, saying why and what to do.
    """
    if unsandboxed:
        return
    reason = unavailable_reason()
    if reason:
        from endtrafficking.errors import CourseInputError

        raise CourseInputError(
            f"the sandbox that keeps learners' code away from the course cannot run: {reason}.",
            fix="install bubblewrap on Linux (apt-get install bubblewrap) and allow user "
            "namespaces; or, only for submissions you trust, pass --unsandboxed (the summary "
            "and lms_grades.csv then say so).",
        )
    overrides.setdefault("CappedKernelManager", {})["sandbox"] = True
