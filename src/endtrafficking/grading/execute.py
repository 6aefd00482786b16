"""nbgrader's ``Execute`` preprocessor, made safe for grading a whole cohort.

Stock nbgrader gives up on a learner's whole submission when a kernel dies
(``os._exit``, a segfault, the memory cap) or when a cell loops forever and
ignores the interrupt: nbclient raises, the submission is reported as an error,
and none of it is graded. :class:`GuardedExecute` instead

* fails only that cell: it gets an error output saying what happened in plain
  words, so its test (if it is one) scores 0;
* restarts the kernel and silently re-runs the cells before it that ran
  normally, so the cells after it run with the state they expect;
* goes on with the rest of the notebook.

Every kernel runs under a memory cap (:class:`~endtrafficking.grading.kernel.CappedKernelManager`)
and every cell under nbgrader's per-cell ``timeout``. What happened is logged,
and written to the notebook's metadata under ``endtrafficking.incidents`` (the
parallel grader reports it; nbgrader clears notebook metadata afterwards).

A notebook without code (a reflection) is not given a kernel at all: there is
nothing to run, and starting one costs about a second per learner. A graded
kernel is stopped at once when its notebook is done (``shutdown_kernel`` is
``"immediate"``): nothing in it is kept, and a polite shutdown waits about a
quarter of a second per notebook.
"""

from __future__ import annotations

from queue import Empty
from typing import Any

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async, run_sync
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Integer, default

from endtrafficking.grading.kernel import CappedKernelManager

INCIDENTS_KEY = "incidents"
METADATA_KEY = "endtrafficking"
KERNEL_DIED = "KernelDied"
TIMED_OUT = "CellTimeoutError"
#: Runs right after execution: a test cell claiming impossible points fails (:mod:`.verified`).
CAP = "endtrafficking.grading.verified.CapClaimedPoints"


def has_code(nb: NotebookNode) -> bool:
    """True when the notebook has a code cell with something to run."""
    return any(c.cell_type == "code" and c.source.strip() for c in nb.cells)


def error_output(ename: str, message: str) -> NotebookNode:
    """An error output whose traceback is one plain sentence."""
    return NotebookNode(
        output_type="error",
        ename=ename,
        evalue=message,
        traceback=[f"{ename}: {message}"],
    )


class GuardedExecute(Execute):
    """Execute a submission cell by cell; a crash or a hang fails one cell, not the notebook."""

    restart_timeout = Integer(60, help="Seconds to wait for a restarted kernel to be ready.").tag(
        config=True
    )

    @default("shutdown_kernel")
    def _default_shutdown_kernel(self) -> str:
        return "immediate"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_manager_class", CappedKernelManager)
        super().__init__(**kwargs)
        self._failed: set[int] = set()
        self.incidents: list[str] = []

    # -- the notebook ---------------------------------------------------------------------
    def preprocess(
        self, nb: NotebookNode, resources: Any = None, km: Any = None
    ) -> tuple[NotebookNode, Any]:
        """Run every code cell; skip the kernel entirely when there is no code."""
        self._failed = set()
        self.incidents = []
        if not has_code(nb):
            return nb, resources
        nb, resources = super().preprocess(nb, resources, km)
        if self.incidents:
            nb.metadata.setdefault(METADATA_KEY, {})[INCIDENTS_KEY] = list(self.incidents)
        return nb, resources

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> tuple[Any, Any]:
        """Run one cell; on a dead or hung kernel, fail this cell and recover."""
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._fail(
                cell,
                index,
                KERNEL_DIED,
                "The kernel stopped while running this cell (the code crashed it, or it used "
                "more memory than allowed). This cell failed; the kernel was restarted and the "
                "rest of the notebook was run.",
            )
        except CellTimeoutError:
            self._fail(
                cell,
                index,
                TIMED_OUT,
                f"This cell did not finish within {self.timeout} seconds (for example an endless "
                "loop) and could not be interrupted. This cell failed; the kernel was restarted "
                "and the rest of the notebook was run.",
            )
        return cell, self.resources

    def on_cell_executed(self, **kwargs: Any) -> None:
        """Record a cell that timed out but could be interrupted (nbgrader fails it)."""
        super().on_cell_executed(**kwargs)
        reply = kwargs.get("execute_reply") or {}
        if reply.get("content", {}).get("ename") == TIMED_OUT:
            cell = kwargs["cell"]
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "a cell")
            self.incidents.append(f"{grade_id}: {TIMED_OUT} (interrupted after {self.timeout} s)")

    # -- recovery -------------------------------------------------------------------------
    def _fail(self, cell: NotebookNode, index: int, ename: str, message: str) -> None:
        self._failed.add(index)
        cell.outputs = list(cell.get("outputs", [])) + [error_output(ename, message)]
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", f"cell {index}")
        note = f"{grade_id}: {ename}"
        self.incidents.append(note)
        self.log.warning("%s (%s); restarting the kernel and going on.", note, message)
        run_sync(self._async_recover)(index)

    async def _async_recover(self, index: int) -> None:
        """Restart the kernel and re-run, silently, the cells before ``index`` that worked."""
        assert self.km is not None
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        await ensure_async(self.km.restart_kernel(now=True))
        self.kc = self.km.client()
        await ensure_async(self.kc.start_channels())
        await ensure_async(self.kc.wait_for_ready(timeout=self.restart_timeout))
        self.kc.allow_stdin = False
        for earlier in range(index):
            cell = self.nb.cells[earlier]
            if earlier in self._failed or cell.cell_type != "code" or not cell.source.strip():
                continue
            if not await self._async_replay(cell):
                self.log.warning("Replaying cell %s did not complete; going on.", earlier)
                return

    async def _async_replay(self, cell: NotebookNode) -> bool:
        """Run a cell's code again without recording anything; False if it hung or died."""
        assert self.kc is not None
        msg_id = await ensure_async(self.kc.execute(cell.source, store_history=False, silent=True))
        deadline = self._get_timeout(cell)
        try:
            while True:
                reply = await ensure_async(self.kc.get_shell_msg(timeout=deadline))
                if reply["parent_header"].get("msg_id") == msg_id:
                    return True
        except (Empty, TimeoutError, RuntimeError):
            return False


def split_preprocessors(preprocessors: list[Any]) -> tuple[list[Any], int]:
    """The configured autograde preprocessors, and the index of the execution step.

    Raises:
        ValueError: no preprocessor executes the notebook.
    """
    from nbconvert.preprocessors import ExecutePreprocessor
    from traitlets.utils.importstring import import_item

    for index, pp in enumerate(preprocessors):
        cls = import_item(pp) if isinstance(pp, str) else pp
        if isinstance(cls, type) and issubclass(cls, ExecutePreprocessor):
            return list(preprocessors), index
    raise ValueError("no preprocessor in Autograde.autograde_preprocessors executes notebooks")


def grading_steps(app: Any) -> list[Any]:
    """The course's autograde preprocessors, with impossible claimed points capped after execution."""
    steps, index = split_preprocessors(list(app.config.Autograde.autograde_preprocessors))
    return steps[: index + 1] + [CAP] + steps[index + 1 :]
