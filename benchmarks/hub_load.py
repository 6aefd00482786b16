"""Load benchmark for the workshop hub: N learners sign in, start servers and run module 01.

Everything happens on this machine, on loopback: a real hub started with ``make hub``
(through ``tests/hub/harness.py``; mode 'users', one system account per learner, the default
2G / 1 CPU cgroup limits), then all learners at once:

1. their servers are requested together; we time until every one is ready;
2. each opens ``modules/01_strategy.ipynb`` (copied into their home at first sign-in) in a
   new kernel and runs every code cell, all learners at the same time, over the kernel
   websocket as JupyterLab would;
3. a sampler reads, every 0.5 s, the resident memory (RSS) of every process of each
   learner's account: server + kernel.

Needs root and configurable-http-proxy (``make hub-deps``). Run from the repository root:

    sudo .venv/bin/python -m benchmarks.hub_load [--learners 20]

The last line printed holds the key figures and the sizing rule hub/HOSTS.md gives.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import pwd
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil

from tests.hub import harness
from tests.hub.kernel_client import run_cells

REPO_ROOT = Path(__file__).resolve().parents[1]

MODULE = REPO_ROOT / "modules" / "01_strategy.ipynb"
STAND_IN = [
    "import pandas as pd\nimport matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt",
    "import ipywidgets as widgets\nw = widgets.IntSlider(value=3, min=0, max=5)\nw",
    "df = pd.DataFrame({'area': list('ABCDEF'), 'score': [3, 1, 4, 1, 5, 2]})\n"
    "fig, ax = plt.subplots()\ndf.plot.bar(x='area', y='score', ax=ax)\nfig.savefig('gaps.png')",
]


def pss(pid: int) -> int:
    """A process's proportional set size in bytes: shared pages split among their users."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


class MemorySampler(threading.Thread):
    """Peak RSS and PSS per system account (sum over its processes), sampled every 0.5 s.

    RSS counts every shared library page again for every learner; PSS splits shared pages
    among the processes that map them, so its sum over learners is what the machine holds.
    """

    def __init__(self, users: dict[str, str]) -> None:
        super().__init__(daemon=True)
        self.uids = {pwd.getpwnam(sys_name).pw_uid: name for name, sys_name in users.items()}
        self.peak: dict[str, int] = {name: 0 for name in users}
        self.peak_pss: dict[str, int] = {name: 0 for name in users}
        self.system_peak = 0
        self.stop_event = threading.Event()

    def run(self) -> None:
        """Sample until stopped."""
        base = psutil.virtual_memory().used
        while not self.stop_event.is_set():
            totals: dict[str, int] = {name: 0 for name in self.peak}
            shares: dict[str, int] = {name: 0 for name in self.peak}
            for proc in psutil.process_iter(["uids", "memory_info"]):
                uids, mem = proc.info["uids"], proc.info["memory_info"]
                if uids is None or mem is None:
                    continue
                name = self.uids.get(uids.real)
                if name is not None:
                    totals[name] += mem.rss
                    shares[name] += pss(proc.pid)
            for name, rss in totals.items():
                self.peak[name] = max(self.peak[name], rss)
                self.peak_pss[name] = max(self.peak_pss[name], shares[name])
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
                *(run_cells(hub, n, tokens[n], cells, path=path) for n in names)
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
    pss_median = statistics.median(sampler.peak_pss[n] / mib for n in names)
    print(f"peak PSS per learner (shared pages split): median {pss_median:.0f} MiB")
    print(
        f"RESULT learners={len(names)} all_servers_ready_s={all_ready:.1f} "
        f"peak_rss_per_learner_mib_median={statistics.median(peaks):.0f} "
        f"peak_rss_per_learner_mib_max={max(peaks):.0f} "
        f"peak_pss_per_learner_mib_median={pss_median:.0f} module01_all_done_s={exec_all:.1f} "
        f'cell_errors={len(errors)} sizing="{sizing_rule(peaks, idles, all_ready, len(names))}"'
    )
    return 0


def sizing_rule(peaks: list[float], idles: list[float], all_ready: float, learners: int) -> str:
    """hub/HOSTS.md's rule from the figures: memory per learner (their peak plus one more
    kernel, rounded up to 0.1 GiB) and learners per core for everyone ready within 30 s."""
    kernel = max(p - i for p, i in zip(peaks, idles, strict=True))
    per_learner = math.ceil((max(peaks) + kernel) / 102.4) / 10
    cores = psutil.cpu_count() or 1
    per_core = max(1, math.floor(learners * 30 / (all_ready * cores)))
    return f"RAM 1 GiB + {per_learner:.1f} GiB per learner; 1 core per {per_core} learners"


if __name__ == "__main__":
    sys.exit(main())
