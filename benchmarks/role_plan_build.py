"""Time to build the engage lessons' plan exercise, and to save one edit.

Saves the fictional example community's assessment in a temporary working
folder (as module 03 does), then builds the real role-plan widget for every
role, as a learner does by running the exercise cell: read the assessment,
rank its gaps for the role, pre-fill three actions and save. Then it times one
edit of a free-text field (privacy check and atomic save).

The LAST line is the key figure:

    median role_plan build: NN ms (target ≤ 500 ms)

Run: ``.venv/bin/python benchmarks/role_plan_build.py [--repeats N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

TARGET_MS = 500.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="builds per role")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        os.environ["ENDTRAFFICKING_WORK"] = work
        from endtrafficking.examples import example_assessment
        from endtrafficking.roles import load_roles
        from endtrafficking.storage import save_assessment
        from endtrafficking.widgets.role_plan import RolePlan, role_plan
        from endtrafficking.workspace import ASSESSMENT_FILE, work_file

        save_assessment(example_assessment(), work_file(ASSESSMENT_FILE))
        roles = load_roles().ids
        role_plan(roles[0])  # warm-up: imports, caches
        builds: list[float] = []
        edits: list[float] = []
        for n in range(args.repeats):
            for role_id in roles:
                start = time.perf_counter()
                w = role_plan(role_id)
                builds.append((time.perf_counter() - start) * 1000)
                assert isinstance(w, RolePlan) and len(w.actions()) == 3
                start = time.perf_counter()
                w.rows[0].first_step.value = f"Ask for ten minutes at the team meeting ({n})"
                edits.append((time.perf_counter() - start) * 1000)
    print(f"roles: {len(roles)}, builds: {len(builds)}")
    print(f"median edit (privacy check + atomic save): {statistics.median(edits):.1f} ms")
    print(f"max role_plan build: {max(builds):.0f} ms")
    print(
        f"median role_plan build: {statistics.median(builds):.0f} ms (target ≤ {TARGET_MS:.0f} ms)"
    )


if __name__ == "__main__":
    main()
