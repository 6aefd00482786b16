"""Run code in a learner's kernel through the hub, over the websocket, as JupyterLab does.

Test support for ``tests/hub`` and ``benchmarks/hub_load.py``.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

T = TypeVar("T")

#: What :func:`run_cells` returns for a cell whose kernel died (for example killed by the
#: kernel's OOM killer at the memory limit).
KERNEL_DIED = "kernel died"


def execute_request(code: str, session: str, msg_id: str, name: str) -> str:
    """A Jupyter ``execute_request`` message, as JupyterLab sends it over the websocket."""
    return json.dumps(
        {
            "header": {
                "msg_id": msg_id,
                "msg_type": "execute_request",
                "session": session,
                "username": name,
                "version": "5.3",
                "date": "",
            },
            "parent_header": {},
            "metadata": {},
            "channel": "shell",
            "buffers": [],
            "content": {
                "code": code,
                "silent": False,
                "store_history": True,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
        }
    )


async def run_cells(
    hub: Any, name: str, token: str, cells: list[str], path: str | None = None
) -> tuple[float, list[str]]:
    """Start a kernel on ``name``'s server (a notebook session when ``path`` is given) and
    run ``cells`` over the websocket; return (seconds, errors). A dead kernel is an error
    :data:`KERNEL_DIED` and ends the run."""
    t0 = time.monotonic()
    body: dict[str, Any] = {"kernel": {"name": "python3"}, "type": "notebook"}
    body.update(path=path or f"probe-{uuid.uuid4().hex[:6]}.ipynb", name=Path(path or "p").name)
    reply = await asyncio.to_thread(
        hub.user_request, "POST", name, "api/sessions", token, json=body
    )
    if reply.status_code != 201:
        return time.monotonic() - t0, [f"session: HTTP {reply.status_code} {reply.text[:200]}"]
    kernel_id = reply.json()["kernel"]["id"]
    url = f"ws://127.0.0.1:{hub.port}/user/{name}/api/kernels/{kernel_id}/channels"
    conn = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {token}"}))
    errors: list[str] = []
    session = uuid.uuid4().hex
    try:
        for code in cells:
            msg_id = uuid.uuid4().hex
            await conn.write_message(execute_request(code, session, msg_id, name))
            outcome = await _wait_for_reply(conn, msg_id)
            if outcome:
                errors.append(outcome)
            if outcome == KERNEL_DIED:
                break
    finally:
        conn.close()
    return time.monotonic() - t0, errors


async def _wait_for_reply(conn: Any, msg_id: str) -> str:
    """'' when the cell ran, the error's text, or :data:`KERNEL_DIED`."""
    error = ""
    while True:
        raw = await asyncio.wait_for(conn.read_message(), timeout=300)
        if raw is None:
            return KERNEL_DIED
        msg = json.loads(raw)
        state = msg.get("content", {}).get("execution_state")
        if msg["msg_type"] == "status" and state in ("dead", "restarting", "autorestarting"):
            return KERNEL_DIED
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "error":
            error = f"{msg['content']['ename']}: {msg['content']['evalue']}"
        if msg["msg_type"] == "execute_reply":
            return error


def run_in_own_loop(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` in a new event loop on its own thread.

    ``asyncio.run`` refuses to start where a loop already runs in this thread, as
    Playwright's sync API leaves one while the browser tests' session is open.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
