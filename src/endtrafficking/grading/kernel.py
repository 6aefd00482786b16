"""A kernel manager whose kernels run under caps, in the sandbox.

nbgrader starts one kernel per notebook it validates or grades. The course's
``nbgrader_config.py`` makes :class:`~endtrafficking.grading.execute.GuardedExecute`
use this manager, so every such kernel is started through
:mod:`endtrafficking.grading.limits`: caps on memory (``memory_limit_mb``; 0 turns
it off), CPU time, file size and processes, and, with ``sandbox`` on (the grading
pipeline turns it on), inside bubblewrap (:mod:`.sandbox`).

The kernel talks to the grader over local sockets (IPC) in a private folder of
its own: kernels started at the same moment by parallel workers can never pick
the same port (nbgrader issue #174), and the sandboxed kernel (no network) sees
only that folder. Interrupts are sent as messages: the sandboxed kernel is in a
session of its own, out of reach of the grader's signals.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Integer, Unicode, default

#: Default cap per kernel, in MiB. A kernel that imported pandas and matplotlib
#: reserves about 1 GiB of address space; this leaves room for real work.
DEFAULT_MEMORY_MB = 3072
LIMITS_MODULE = "endtrafficking.grading.limits"


class CappedKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` that starts kernels under caps, sandboxed when asked."""

    memory_limit_mb = Integer(
        DEFAULT_MEMORY_MB, help="Address-space cap for each kernel, in MiB (0: no cap)."
    ).tag(config=True)
    cpu_limit_seconds = Integer(600, help="CPU seconds per kernel (0: no cap).").tag(config=True)
    file_limit_mb = Integer(64, help="Largest file a kernel may write, MiB (0: none).").tag(
        config=True
    )
    process_limit = Integer(128, help="Processes and threads per kernel (0: no cap).").tag(
        config=True
    )
    disk_limit_mb = Integer(256, help="Size of the sandbox's /tmp and /submission, MiB.").tag(
        config=True
    )
    sandbox = Bool(False, help="Run every kernel in the bubblewrap sandbox.").tag(config=True)
    runtime_folder = Unicode(help="Private folder of this kernel's connection file and sockets.")

    @default("runtime_folder")
    def _default_runtime_folder(self) -> str:
        return tempfile.mkdtemp(prefix="et-k-")

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc" if os.name == "posix" else "tcp"

    @default("ip")
    def _default_ip(self) -> str:
        if self.transport == "ipc":
            return os.path.join(self.runtime_folder, "kernel")
        return super()._ip_default()

    @default("connection_file")
    def _default_connection_file(self) -> str:
        return os.path.join(self.runtime_folder, "kernel.json")

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        """The kernel's command, wrapped by the launcher (caps, and the sandbox)."""
        cmd = super().format_kernel_cmd(extra_arguments)
        caps = (self.memory_limit_mb, self.cpu_limit_seconds, self.file_limit_mb)
        if os.name != "posix" or not (self.sandbox or any(caps) or self.process_limit):
            return cmd
        if self.sandbox and self.kernel_spec is not None:
            self.kernel_spec.interrupt_mode = "message"
        launcher = [sys.executable, "-m", LIMITS_MODULE, "--memory-mb", str(self.memory_limit_mb)]
        launcher += ["--cpu-seconds", str(self.cpu_limit_seconds)]
        launcher += ["--file-mb", str(self.file_limit_mb)]
        launcher += ["--processes", str(self.process_limit)]
        if self.sandbox:
            launcher += ["--disk-mb", str(self.disk_limit_mb), "--sandbox", self.runtime_folder]
        return [*launcher, "--", *cmd]

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self.runtime_folder, ignore_errors=True)
