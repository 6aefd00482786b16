"""How long each module takes to execute headless, top to bottom, in a fresh kernel.

For every notebook listed under ``modules:`` in ``course/course.yaml`` this
starts a new ``python3`` kernel with nbclient, runs every cell in a temporary
working folder (``ENDTRAFFICKING_WORK``), and times it from kernel start to
kernel shutdown, which is what a learner waits for with "Run All" on a freshly
opened notebook. Each module is run ``--repeat`` times and the median is kept.
It also reports the time of an empty notebook, the kernel's own start-up cost,
and the CPU seconds the kernel itself used (read by an extra last cell), which
stays meaningful when other work shares the machine and the wall time does not.

The LAST line is the key figure:

    slowest module: NAME X.X s (target ≤ 5 s)

Run: ``.venv/bin/python benchmarks/module_execution.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from endtrafficking.course_meta import load_course

TARGET_SECONDS = 5.0
CPU_PROBE = "import time\nprint(time.process_time())"


def run_once(nb: nbformat.NotebookNode, folder: Path) -> tuple[float, float]:
    """Wall seconds to execute a copy of ``nb`` in a fresh kernel, and the kernel's CPU seconds."""
    copy = nbformat.from_dict(nb)
    copy.cells.append(nbformat.v4.new_code_cell(CPU_PROBE))
    with tempfile.TemporaryDirectory(prefix="endtrafficking-bench-") as work:
        os.environ["ENDTRAFFICKING_WORK"] = work
        start = time.perf_counter()
        NotebookClient(
            copy, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
        ).execute()
        wall = time.perf_counter() - start
    probe = "".join(o.get("text", "") for o in copy.cells[-1].outputs)
    return wall, float(probe.split()[-1])


def main() -> None:
    """Time every module and print the slowest last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per module (median kept)")
    args = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    course = load_course()
    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    empty.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    base = [run_once(empty, Path.cwd()) for _ in range(args.repeat)]
    print(
        f"empty notebook (kernel start-up): {statistics.median(w for w, _ in base):.2f} s, "
        f"kernel CPU {statistics.median(c for _, c in base):.2f} s"
    )
    results: dict[str, float] = {}
    for lesson in course.modules:
        path = lesson.notebook_path()
        nb = nbformat.read(path, as_version=4)
        runs = [run_once(nb, path.parent) for _ in range(args.repeat)]
        results[lesson.id] = statistics.median(w for w, _ in runs)
        spread = ", ".join(f"{w:.2f}" for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"{lesson.id}: {results[lesson.id]:.2f} s (runs: {spread}; kernel CPU {cpu:.2f} s)")
    print(f"load average while measuring: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    slowest = max(results, key=results.__getitem__)
    print(f"slowest module: {slowest} {results[slowest]:.1f} s (target ≤ {TARGET_SECONDS:.0f} s)")


if __name__ == "__main__":
    main()
