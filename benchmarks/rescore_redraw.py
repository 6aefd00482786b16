"""Time from a rating change in the assessment widget to a re-scored, redrawn exercise.

Builds the real community-assessment widget (module 03_context) on the
fictional example community in a temporary working folder, then changes one
rating at a time by setting the rating control's value, exactly as the
browser does when a learner clicks. Every timed change moves the chart (a
switch between "not rated" and 0, which the widget need not redraw, is never
chosen). Each change runs the widget's own handler: update the model, save
atomically, re-score, redraw the radar chart into its persistent figure, and
rebuild the text equivalent, the readiness and balance message and the
ranked-gap table. The time of each change is
measured around the ``value`` assignment, so it includes all of that. The
median CPU time of the process per change is printed too: on a busy machine
the wall-clock figure grows with the load, the CPU figure much less.

The LAST line is the key figure:

    median re-score+redraw: NN ms (target ≤ 100 ms)

Run: ``.venv/bin/python benchmarks/rescore_redraw.py [--changes N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time

TARGET_MS = 100.0
CHANGES = 60
WARMUP = 3
SEED = 20240601


def main() -> None:
    """Run the benchmark and print the median as the last line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=CHANGES, help="rating changes to time")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    if args.changes < 1:
        parser.error("--changes must be at least 1")

    with tempfile.TemporaryDirectory() as work:
        os.environ["ENDTRAFFICKING_WORK"] = work
        os.environ.setdefault("MPLBACKEND", "Agg")
        from endtrafficking.examples import example_assessment
        from endtrafficking.saved_assessment import save_learner_assessment
        from endtrafficking.widgets.assessment import NOT_RATED, AssessmentExercise

        save_learner_assessment(example_assessment())
        widget = AssessmentExercise()
        widget.build_all_pages()  # learners build sections by visiting them; not timed here
        rng = random.Random(args.seed)
        ids = list(widget.framework.indicator_ids)
        values = [NOT_RATED] + [lv.value for lv in widget.framework.scale]

        cpu: list[float] = []

        def change() -> float:
            ind_id = rng.choice(ids)
            control = widget.ratings[ind_id]
            # Only changes that move the chart: "not rated" and 0 both count as 0, and the
            # widget skips the redraw between them, which would flatter the median.
            current = max(control.value, 0)
            new = rng.choice([v for v in values if max(v, 0) != current])
            start, start_cpu = time.perf_counter(), time.process_time()
            control.value = new
            cpu.append((time.process_time() - start_cpu) * 1000.0)
            return (time.perf_counter() - start) * 1000.0

        for _ in range(WARMUP):
            change()
        del cpu[:]
        saves_before = widget.save_count
        times = [change() for _ in range(args.changes)]
        if widget.save_count - saves_before != args.changes:
            raise SystemExit("the widget did not save once per change; the timing is not valid")

    times.sort()
    p90 = times[int(0.9 * (len(times) - 1))]
    print(f"changes timed: {len(times)} (after {WARMUP} warm-up changes)")
    print(f"min {times[0]:.1f} ms, p90 {p90:.1f} ms, max {times[-1]:.1f} ms")
    print(f"median CPU time of this process per change: {statistics.median(cpu):.0f} ms")
    print(f"load average (1 min) during the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    median = statistics.median(times)
    print(f"median re-score+redraw: {median:.0f} ms (target ≤ {TARGET_MS:.0f} ms)")


if __name__ == "__main__":
    main()
