"""Start a kernel under caps, in the sandbox: ``python -m endtrafficking.grading.limits``.

Used as a kernel launcher by :class:`endtrafficking.grading.kernel.CappedKernelManager`::

    python -m endtrafficking.grading.limits --memory-mb 3072 --cpu-seconds 600 \
        --file-mb 64 --processes 128 --sandbox /tmp/et-k-x -- python -m ipykernel_launcher -f ...

It sets the caps (address space ``RLIMIT_AS``, CPU time, size of any file written,
processes), and with ``--sandbox RUNTIME`` wraps the command in bubblewrap
(:mod:`.sandbox`; ``RUNTIME`` is the folder of the kernel's connection file and
sockets). When run as root, the kernel gets an unprivileged user id of its own, so the
process cap holds (root ignores it). Then it replaces itself with the command, so the
kernel manager can stop it as usual. A kernel over a cap gets an error in the offending
cell, or dies and is restarted by the grader; the others are not affected.

Numerical libraries are asked to use one thread: graded kernels run two per
core, and more threads would only compete.
It imports nothing heavy, because it runs once per kernel start.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

MB = 1024 * 1024
ONE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
#: Kernels run by a root grader get user ids from here up (one per launcher process).
FIRST_UID = 100_000


def _cap(name: str, value: int) -> bool:
    """Set a soft and hard resource limit (never above a hard limit set already)."""
    try:
        import resource
    except ImportError:  # Windows
        return False
    which = getattr(resource, name)
    _soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))
    return True


def set_memory_cap(megabytes: int) -> bool:
    """Cap this process's address space; False where the platform cannot."""
    return _cap("RLIMIT_AS", megabytes * MB)


def own_tasks(uid: int) -> int:
    """How many tasks (threads included) ``uid`` runs now: RLIMIT_NPROC counts them all."""
    count = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("Uid", "").split()[:1] == [str(uid)]:
            count += int(fields.get("Threads", "1").strip() or 1)
    return count


def kernel_uid(runtime: Path) -> int:
    """For a root grader: a fresh unprivileged user id for this kernel, owning ``runtime``."""
    uid = FIRST_UID + os.getpid()
    for path in (runtime, *runtime.iterdir()):
        os.chown(path, uid, uid)
    return uid


def parse(argv: list[str]) -> tuple[argparse.Namespace, list[str], argparse.ArgumentParser]:
    """Options before ``--``, and the command after it."""
    split = argv.index("--") if "--" in argv else len(argv)
    parser = argparse.ArgumentParser(
        prog="python -m endtrafficking.grading.limits",
        usage="%(prog)s --memory-mb N [options] -- COMMAND [ARG ...]",
    )
    parser.add_argument("--memory-mb", type=int, required=True, help="address-space cap in MiB")
    parser.add_argument("--cpu-seconds", type=int, default=0, help="CPU time cap (0: none)")
    parser.add_argument("--file-mb", type=int, default=0, help="largest file written (0: none)")
    parser.add_argument("--processes", type=int, default=0, help="processes and threads (0: none)")
    parser.add_argument("--disk-mb", type=int, default=256, help="size of /tmp and /submission")
    parser.add_argument("--sandbox", type=Path, default=None, metavar="RUNTIME")
    args = parser.parse_args(argv[:split])
    return args, argv[split + 1 :], parser


def main(argv: Sequence[str] | None = None) -> int:
    """Set the caps, enter the sandbox when asked, and exec the command."""
    args, command, parser = parse(list(sys.argv[1:] if argv is None else argv))
    if not command:
        parser.error("give the command to run after --")
    for name in ONE_THREAD:
        os.environ.setdefault(name, "1")
    uid = os.getuid()
    if args.sandbox is not None:
        from endtrafficking.grading import sandbox

        layout = sandbox.Layout.current()
        run_as = kernel_uid(args.sandbox) if os.getuid() == 0 else None
        command = sandbox.bwrap_args(
            layout, Path.cwd(), args.sandbox, args.disk_mb, run_as
        ) + sandbox.kernel_command(layout, command)
        uid = os.getuid() if run_as is None else run_as
    if args.memory_mb > 0:
        set_memory_cap(args.memory_mb)
    if args.cpu_seconds > 0:
        _cap("RLIMIT_CPU", args.cpu_seconds)
    if args.file_mb > 0:
        _cap("RLIMIT_FSIZE", args.file_mb * MB)
    if args.processes > 0:
        _cap("RLIMIT_NPROC", own_tasks(uid) + args.processes)
    os.execvp(command[0], command)
    return 1  # pragma: no cover - execvp does not return


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
