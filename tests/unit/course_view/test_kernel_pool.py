"""The warm kernel pool, with real kernels: a page gets a warm kernel that acts like a new one."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
from pathlib import Path

import pytest

from endtrafficking.course_view.kernel_pool import PooledKernelManager, adopt_code

pytestmark = pytest.mark.timeout(180)


def _in_own_loop(coro_fn) -> object:
    """Run an async test body in a thread with its own event loop (a browser test's
    Playwright session may hold the main thread's loop)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(coro_fn())).result()


async def _ask(km: PooledKernelManager, kernel_id: str, expression: str) -> object:
    client = km.get_kernel(kernel_id).client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        msg_id = client.execute(f"import json as _j; print(_j.dumps({expression}))")
        while True:
            msg = await client.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
                return json.loads(msg["content"]["text"])
    finally:
        client.stop_channels()


async def _wait_warm(km: PooledKernelManager) -> None:
    for _ in range(600):
        if km._warm:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("no warm kernel within 60 s")


def test_a_page_gets_a_warm_kernel_with_its_own_folder_and_environment(tmp_path: Path):
    """Is the second kernel the warm one, already importing the course, but in the page's
    folder and with the page's environment, and never listed as the learner's?"""
    (tmp_path / "modules").mkdir()

    async def body() -> None:
        km = PooledKernelManager(root_dir=str(tmp_path), pool_size=1)
        try:
            first = await km.start_kernel(path="")
            await _wait_warm(km)
            warm = km._warm[0]
            assert [k["id"] for k in km.list_kernels()] == [first]
            second = await km.start_kernel(path="modules", env={"SCRIPT_NAME": "/voila/render/x"})
            assert second == warm
            seen = await _ask(
                km,
                second,
                "[__import__('os').getcwd(), __import__('os').environ.get('SCRIPT_NAME'),"
                " 'pandas' in __import__('sys').modules]",
            )
            assert seen == [str(tmp_path / "modules"), "/voila/render/x", True]
            await _wait_warm(km)
            assert km._warm and km._warm[0] not in (first, second)
        finally:
            await km.shutdown_all(now=True)

    _in_own_loop(body)


def test_the_next_kernel_is_warmed_only_after_the_refill_delay(tmp_path: Path):
    """While the page that took the warm kernel opens, is no other kernel warming (they
    would share the CPU), and is one warm after the delay?"""

    async def body() -> None:
        km = PooledKernelManager(root_dir=str(tmp_path), pool_size=1, refill_delay=3.0)
        try:
            km._refill()
            await _wait_warm(km)
            taken = await km.start_kernel(path="")
            await asyncio.sleep(2.0)
            assert km._warm == [] and not km._heating, "warming began before the delay"
            assert [k["id"] for k in km.list_kernels()] == [taken]
            await _wait_warm(km)
            assert km._warm[0] != taken
        finally:
            await km.shutdown_all(now=True)

    _in_own_loop(body)


def test_a_page_that_asks_while_a_kernel_warms_gets_that_kernel(tmp_path: Path):
    """Does a page wait for the kernel being warmed (ready sooner) instead of starting
    another, and is that kernel warmed (the course's widgets already imported)?"""

    async def body() -> None:
        km = PooledKernelManager(root_dir=str(tmp_path), pool_size=1, refill_delay=60.0)
        try:
            km._refill()
            for _ in range(200):
                if km._heating:
                    break
                await asyncio.sleep(0.05)
            assert km._heating and not km._warm
            page = await km.start_kernel(path="")
            imported = await _ask(
                km, page, "'endtrafficking.widgets.assessment' in __import__('sys').modules"
            )
            assert imported is True
            assert km.list_kernel_ids() == [page], "a second kernel was started for the page"
            assert [k["id"] for k in km.list_kernels()] == [page]
        finally:
            await km.shutdown_all(now=True)

    _in_own_loop(body)


def test_no_pool_is_the_stock_manager(tmp_path: Path):
    """With pool_size 0, is no warm kernel started?"""

    async def body() -> None:
        km = PooledKernelManager(root_dir=str(tmp_path), pool_size=0)
        try:
            await km.start_kernel(path="")
            await asyncio.sleep(1)
            assert km._warm == [] and len(km.list_kernels()) == 1
        finally:
            await km.shutdown_all(now=True)

    _in_own_loop(body)


def test_adoption_code_is_safe_for_any_text():
    """Are a folder and environment with quotes and newlines passed as data, not as code?"""
    code = adopt_code('/tmp/a "b"\nc', {"K": "v'\"\n x"})
    namespace: dict = {}
    import os

    before = os.getcwd()
    try:
        os.makedirs('/tmp/a "b"\nc', exist_ok=True)
        exec(code, namespace)  # noqa: S102 - the code under test is the adoption code
        assert os.getcwd() == '/tmp/a "b"\nc' and os.environ["K"] == "v'\"\n x"
    finally:
        os.chdir(before)
        os.environ.pop("K", None)
