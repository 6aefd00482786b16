"""A kernel manager whose kernels run under a memory cap.

nbgrader starts one kernel per notebook it validates or grades. The course's
``nbgrader_config.py`` makes :class:`~endtrafficking.grading.execute.GuardedExecute`
use this manager, so every such kernel is started through
:mod:`endtrafficking.grading.limits` with an address-space cap
(``c.CappedKernelManager.memory_limit_mb``; 0 turns it off).

On Linux and macOS the kernel talks to the grader over local sockets (IPC)
rather than TCP ports: kernels started at the same moment by parallel workers
can never pick the same port (the problem raised in nbgrader issue #174).
"""

from __future__ import annotations

import os
import sys
import tempfile
import uuid

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir
from traitlets import Integer, default

#: Default cap per kernel, in MiB. A kernel that imported pandas and matplotlib
#: reserves about 1 GiB of address space; this leaves room for real work.
DEFAULT_MEMORY_MB = 3072
LIMITS_MODULE = "endtrafficking.grading.limits"
#: Unix socket paths longer than this do not work on every platform.
MAX_SOCKET_PATH = 90


def ipc_prefix() -> str:
    """A fresh, private path prefix for one kernel's local sockets."""
    name = f"et-kernel-{uuid.uuid4().hex[:16]}"
    for folder in (jupyter_runtime_dir(), tempfile.gettempdir()):
        candidate = os.path.join(folder, name)
        if len(candidate) <= MAX_SOCKET_PATH:
            os.makedirs(folder, mode=0o700, exist_ok=True)
            return candidate
    return name


class CappedKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` that starts kernels under a memory cap."""

    memory_limit_mb = Integer(
        DEFAULT_MEMORY_MB,
        help="Address-space cap for each kernel, in MiB (0: no cap).",
    ).tag(config=True)

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc" if os.name == "posix" else "tcp"

    @default("ip")
    def _default_ip(self) -> str:
        # jupyter_client's default for IPC is "kernel-ipc" in the current folder,
        # which every kernel started there would share.
        if self.transport == "ipc":
            return ipc_prefix()
        return super()._ip_default()

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        """The kernel's command, wrapped by the memory-cap launcher."""
        cmd = super().format_kernel_cmd(extra_arguments)
        if self.memory_limit_mb <= 0 or os.name != "posix":
            return cmd
        return [
            sys.executable,
            "-m",
            LIMITS_MODULE,
            "--memory-mb",
            str(self.memory_limit_mb),
            "--",
            *cmd,
        ]
