"""Load benchmark for the workshop hub: N learners sign in, start servers and run module 01.

Everything happens on this machine, on loopback: a real hub (hub/harness.py, mode 'users',
one system account per learner, the default 2G / 1 CPU cgroup limits), then all learners at
once:

1. their servers are requested together; we time until every one is ready;
2. each opens ``modules/01_strategy.ipynb`` (copied into their home at first sign-in) in a
   new kernel and runs every code cell, all learners at the same time, over the kernel
   websocket as JupyterLab would;
3. a sampler reads, every 0.5 s, the resident memory (RSS) of every process of each
   learner's account: server + kernel.

Needs root and configurable-http-proxy (``make hub-deps``). Run:

    sudo PATH=.node/node_modules/.bin:$PATH .venv/bin/python benchmarks/hub_load.py

The last line printed holds the key figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pwd
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import nbformat
import psutil
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "hub"))  # the hub folder is not a package

import harness  # noqa: E402

MODULE = REPO_ROOT / "modules" / "01_strategy.ipynb"
STAND_IN = [
    "import pandas as pd\nimport matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt",
    "import ipywidgets as widgets\nw = widgets.IntSlider(value=3, min=0, max=5)\nw",
    "df = pd.DataFrame({'area': list('ABCDEF'), 'score': [3, 1, 4, 1, 5, 2]})\n"
    "fig, ax = plt.subplots()\ndf.plot.bar(x='area', y='score', ax=ax)\nfig.savefig('gaps.png')",
]


class MemorySampler(threading.Thread):
    """Peak RSS per system account (sum over all of its processes), sampled every 0.5 s."""

    def __init__(self, users: dict[str, str]) -> None:
        super().__init__(daemon=True)
        self.uids = {pwd.getpwnam(sys_name).pw_uid: name for name, sys_name in users.items()}
        self.peak: dict[str, int] = {name: 0 for name in users}
        self.system_peak = 0
        self.stop_event = threading.Event()

    def run(self) -> None:
        """Sample until stopped."""
        base = psutil.virtual_memory().used
        while not self.stop_event.is_set():
            totals: dict[str, int] = {name: 0 for name in self.peak}
            for proc in psutil.process_iter(["uids", "memory_info"]):
                uids, mem = proc.info["uids"], proc.info["memory_info"]
                if uids is None or mem is None:
                    continue
                name = self.uids.get(uids.real)
                if name is not None:
                    totals[name] += mem.rss
            for name, rss in totals.items():
                self.peak[name] = max(self.peak[name], rss)
            self.system_peak = max(self.system_peak, psutil.virtual_memory().used - base)
            self.stop_event.wait(0.5)


def stand_in_notebook(folder: Path) -> Path:
    """A notebook that imports pandas, matplotlib and ipywidgets, used if module 01 is absent."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in STAND_IN]
    target = folder / "modules" / "01_strategy.ipynb"
    target.parent.mkdir(parents=True)
    nbformat.write(nb, target)
    return target.parent


async def run_notebook(
    hub: harness.HubHarness, name: str, token: str, path: str, cells: list[str]
) -> tuple[float, list[str]]:
    """Open ``path`` in a new kernel on ``name``'s server and run ``cells``; return
    (seconds, errors)."""
    t0 = time.monotonic()
    reply = await asyncio.to_thread(
        hub.user_request,
        "POST",
        name,
        "api/sessions",
        token,
        json={
            "path": path,
            "type": "notebook",
            "name": Path(path).name,
            "kernel": {"name": "python3"},
        },
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
            await conn.write_message(
                json.dumps(
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
            )
            while True:
                raw = await asyncio.wait_for(conn.read_message(), timeout=300)
                if raw is None:
                    raise ConnectionError("kernel websocket closed")
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "error":
                    errors.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")
                if msg["msg_type"] == "execute_reply":
                    break
    finally:
        conn.close()
    return time.monotonic() - t0, errors


def main() -> int:
    """Run the benchmark and print the figures; the last line holds the key ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=20)
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("error: needs root (one system account per learner)", file=sys.stderr)
        return 2
    # Stop cleanly (hub, accounts, folders) on Ctrl-C or kill, even when run in the background.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = Path(tempfile.mkdtemp(prefix="etw-bench-"))
    os.chmod(tmp, 0o755)
    if MODULE.is_file():
        seed, module_note = MODULE.parent, "modules/01_strategy.ipynb"
    else:
        seed = stand_in_notebook(tmp)
        module_note = "stand-in (pandas+matplotlib+ipywidgets; modules/01_strategy.ipynb absent)"
    nb = nbformat.read(seed / "01_strategy.ipynb", as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    names = [f"l{i:02d}" for i in range(args.learners)]
    hub = harness.HubHarness(seed_dirs=[seed], limits={"memory": "2G", "cpu": 1.0})
    try:
        hub.start()
        hub.create_users(names)
        # Accounts are created at first spawn; the sampler needs them, so it starts after.
        t0 = time.monotonic()
        ready = hub.start_servers(names, timeout=600)
        all_ready = time.monotonic() - t0
        tokens = {name: hub.user_token(name) for name in names}
        sampler = MemorySampler({n: hub.settings.system_username(n) for n in names})
        sampler.start()
        time.sleep(1.5)
        idle = dict(sampler.peak)
        path = f"endtrafficking/{seed.name}/01_strategy.ipynb"

        async def everyone() -> list[tuple[float, list[str]]]:
            return await asyncio.gather(
                *(run_notebook(hub, n, tokens[n], path, cells) for n in names)
            )

        t1 = time.monotonic()
        results = asyncio.run(everyone())
        exec_all = time.monotonic() - t1
        time.sleep(1.0)
        sampler.stop_event.set()
        sampler.join()
    finally:
        hub.close()
        shutil.rmtree(tmp, ignore_errors=True)
    mib = 1024**2
    peaks = [sampler.peak[n] / mib for n in names]
    idles = [idle[n] / mib for n in names]
    errors = [(n, e) for n, (_, errs) in zip(names, results, strict=True) for e in errs]
    print(f"module: {module_note} ({len(cells)} code cells)")
    print(
        f"machine: {psutil.cpu_count()} cores, {psutil.virtual_memory().total / 1024**3:.0f} "
        f"GiB; limits per learner: 2G memory, 1 CPU (cgroups)"
    )
    print(
        f"servers ready: first {min(ready.values()):.1f}s, median "
        f"{statistics.median(ready.values()):.1f}s, all {all_ready:.1f}s"
    )
    print(f"server RSS before any kernel: median {statistics.median(idles):.0f} MiB")
    print(
        f"module 01 in every kernel at once: {exec_all:.1f}s until all done; per learner "
        f"median {statistics.median(r[0] for r in results):.1f}s"
    )
    print(
        f"peak RSS per learner (server + kernel): median {statistics.median(peaks):.0f} MiB, "
        f"max {max(peaks):.0f} MiB; machine memory in use rose by at most "
        f"{sampler.system_peak / mib:.0f} MiB"
    )
    for name, err in errors[:5]:
        print(f"error in {name}: {err}")
    print(
        f"RESULT learners={len(names)} all_servers_ready_s={all_ready:.1f} "
        f"peak_rss_per_learner_mib_median={statistics.median(peaks):.0f} "
        f"peak_rss_per_learner_mib_max={max(peaks):.0f} module01_all_done_s={exec_all:.1f} "
        f"cell_errors={len(errors)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
