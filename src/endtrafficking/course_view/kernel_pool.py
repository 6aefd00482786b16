"""A kernel kept ready for the next course page, so a page opens without waiting for one.

The course view starts a fresh kernel for every page a learner opens, and about
a second and a half of every opening was the kernel starting and importing the
course's widgets, pandas and matplotlib. :class:`PooledKernelManager` (the
server's kernel manager, set by ``make course``) keeps ``pool_size`` kernels
started and warmed (those imports done) in the background. When a page or a
notebook asks for a kernel, it gets a warm one: the kernel is first moved to the
page's folder and given the page's environment (what Voila and JupyterLab would
have started it with), so it behaves exactly like a new one; then, after
``refill_delay`` seconds (the page that just opened has the CPU to itself while
it draws), another is warmed for the next page. A page that asks while a kernel
is being warmed waits for that one, which is ready sooner than a new kernel.

Warm kernels are not listed, not culled and not counted as the learner's; a warm
kernel that died or failed to adopt is shut down and a new one started the
usual way. With ``pool_size = 0`` it is the server's stock kernel manager.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Float, Integer, Unicode

#: What a warm kernel runs while it waits: the course pages' imports and data (.warm).
WARM_IMPORTS = "from endtrafficking.course_view.warm import warm_up as _w; _w(); del _w"
#: How long a warm kernel may take to answer when it is adopted, in seconds.
ADOPT_TIMEOUT = 10.0


def adopt_code(cwd: str | None, env: dict[str, str]) -> str:
    """The code that gives a warm kernel the folder and environment of a new one."""
    lines = ["import os as _os"]
    if env:
        lines.append(f"_os.environ.update({json.dumps(env)})")
    if cwd:
        lines.append(f"_os.chdir({json.dumps(cwd)})")
    lines.append("del _os")
    return "\n".join(lines)


class PooledKernelManager(AsyncMappingKernelManager):
    """The server's kernel manager, with warm kernels ready for the next page."""

    pool_size = Integer(1, config=True, help="Warm kernels kept ready (0: none).")
    warm_code = Unicode(WARM_IMPORTS, config=True, help="What a warm kernel runs while waiting.")
    refill_delay = Float(
        4.0,
        config=True,
        help="Seconds to wait after a page took a warm kernel before warming the next one "
        "(so the warming does not compete for the CPU with the page that is opening).",
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._warm: list[str] = []
        self._warming: set[asyncio.Task] = set()
        self._heating: set[asyncio.Task] = set()  # warming now (past the refill delay)
        self._unready: set[str] = set()  # kernels started by warming, not yet warm

    # -- the pool ----------------------------------------------------------------------
    def _refill(self, delay: float = 0.0) -> None:
        """Start warming kernels until ``pool_size`` are warm or warming, after ``delay`` s."""
        missing = self.pool_size - len(self._warm) - len(self._warming)
        for _ in range(max(missing, 0)):
            task = asyncio.ensure_future(self._warm_one(delay))
            self._warming.add(task)
            task.add_done_callback(self._warming.discard)

    async def _warm_one(self, delay: float = 0.0) -> None:
        await asyncio.sleep(delay)
        task = asyncio.current_task()
        self._heating.add(task)
        kernel_id = None
        try:
            kernel_id = await super().start_kernel(kernel_name=self.default_kernel_name)
            self._unready.add(kernel_id)
            await self._run(kernel_id, self.warm_code)
        except Exception as exc:  # noqa: BLE001 - a pool that cannot warm just stays empty
            self.log.warning("course view: no warm kernel (%s)", exc)
            if kernel_id is not None:
                await super().shutdown_kernel(kernel_id, now=True)
            return
        finally:
            self._heating.discard(task)
            self._unready.discard(kernel_id)
        self._warm.append(kernel_id)

    async def _wait_for_heating(self) -> None:
        """If a kernel is being warmed now, wait for it: it is ready sooner than a new one."""
        if not self._warm and self._heating:
            await asyncio.wait(
                set(self._heating), timeout=ADOPT_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
            )

    async def _run(self, kernel_id: str, code: str) -> None:
        """Run ``code`` silently in ``kernel_id`` and wait for it to finish."""
        client = self.get_kernel(kernel_id).client()
        client.start_channels()
        try:
            await asyncio.wait_for(client.wait_for_ready(), ADOPT_TIMEOUT)
            msg_id = client.execute(code, silent=True, store_history=False)
            while True:
                reply = await asyncio.wait_for(client.get_shell_msg(), ADOPT_TIMEOUT)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            if reply["content"].get("status") != "ok":
                raise RuntimeError(reply["content"].get("evalue", "the code failed"))
        finally:
            client.stop_channels()

    # -- the kernel manager's own interface --------------------------------------------
    async def start_kernel(
        self, *, kernel_id: str | None = None, path: Any = None, **kwargs: Any
    ) -> str:
        """A warm kernel moved to ``path`` with the caller's environment, else a new one."""
        name = kwargs.get("kernel_name") or self.default_kernel_name
        if kernel_id is None and name == self.default_kernel_name:
            await self._wait_for_heating()
        if kernel_id is None and self._warm and name == self.default_kernel_name:
            warm = self._warm.pop(0)
            cwd = self.cwd_for_path(path, env=kwargs.get("env", {})) if path is not None else None
            try:
                await self._run(warm, adopt_code(cwd, dict(kwargs.get("env") or {})))
            except Exception as exc:  # noqa: BLE001 - fall back to a new kernel
                self.log.warning("course view: warm kernel %s not adopted (%s)", warm, exc)
                await super().shutdown_kernel(warm, now=True)
            else:
                self._refill(self.refill_delay)
                return warm
        started = await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)
        self._refill(self.refill_delay)
        return started

    def list_kernels(self) -> list[dict[str, Any]]:
        """The learner's kernels (warm ones are the server's, not theirs)."""
        hidden = set(self._warm) | self._unready
        return [k for k in super().list_kernels() if k["id"] not in hidden]

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """Cull idle kernels as usual, but never a warm one waiting for a page."""
        if kernel_id in self._warm or kernel_id in self._unready:
            return
        await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_all(self, now: bool = False) -> None:
        """Shut every kernel down, warm ones included (the server is stopping)."""
        for task in list(self._warming):
            task.cancel()
        self._warm.clear()
        await super().shutdown_all(now=now)
