"""Start a program under a memory cap: ``python -m endtrafficking.grading.limits``.

Used as a kernel launcher by :class:`endtrafficking.grading.kernel.CappedKernelManager`::

    python -m endtrafficking.grading.limits --memory-mb 2048 -- python -m ipykernel_launcher -f ...

It sets ``RLIMIT_AS`` (the address space a process may use) and then replaces
itself with the command, so the kernel keeps this process id and the kernel
manager can interrupt and stop it as usual. A kernel that asks for more memory
gets a ``MemoryError`` in the offending cell (or dies, and is restarted by the
grader); the machine and the other learners' kernels are not affected.

Numerical libraries are asked to use one thread (unless set already): graded
kernels run side by side, one per core, and a thread pool per kernel would
only compete for the same cores and inflate the address space.

It imports nothing heavy, because it runs once per kernel start.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

MB = 1024 * 1024
ONE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def set_memory_cap(megabytes: int) -> bool:
    """Cap this process's address space; False where the platform cannot."""
    try:
        import resource
    except ImportError:  # Windows
        return False
    limit = megabytes * MB
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``--memory-mb N -- command ...``, set the cap, and exec the command."""
    argv = list(sys.argv[1:] if argv is None else argv)
    split = argv.index("--") if "--" in argv else len(argv)
    parser = argparse.ArgumentParser(
        prog="python -m endtrafficking.grading.limits",
        usage="%(prog)s --memory-mb N -- COMMAND [ARG ...]",
    )
    parser.add_argument("--memory-mb", type=int, required=True, help="address-space cap in MiB")
    args = parser.parse_args(argv[:split])
    command = argv[split + 1 :]
    if not command:
        parser.error("give the command to run after --")
    for name in ONE_THREAD:
        os.environ.setdefault(name, "1")
    if args.memory_mb > 0:
        set_memory_cap(args.memory_mb)
    os.execvp(command[0], command)
    return 1  # pragma: no cover - execvp does not return


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
