"""Reuse a worker's execution when the gradebook writer runs nbgrader's ``Autograde``.

The parallel grader (:mod:`.parallel`) executes each learner's notebooks in a
worker process, then runs nbgrader's own ``Autograde`` again in the one process
that writes the gradebook. There, :class:`ReuseExecution` stands in for the
execution step and takes the outputs the worker computed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode


def class_path(value: Any) -> str:
    """The dotted import path of a preprocessor given as a class or as a string."""
    return value if isinstance(value, str) else f"{value.__module__}.{value.__qualname__}"


def _import(path: str) -> type:
    from traitlets.utils.importstring import import_item

    return import_item(path)


def split_preprocessors(preprocessors: list[Any]) -> tuple[list[Any], int]:
    """The configured autograde preprocessors, and the index of the execution step.

    Raises:
        ValueError: no preprocessor executes the notebook.
    """
    from nbconvert.preprocessors import ExecutePreprocessor

    for index, pp in enumerate(preprocessors):
        cls = _import(pp) if isinstance(pp, str) else pp
        if isinstance(cls, type) and issubclass(cls, ExecutePreprocessor):
            return list(preprocessors), index
    raise ValueError("no preprocessor in Autograde.autograde_preprocessors executes notebooks")


class ReuseExecution(NbGraderPreprocessor):
    """Take a notebook's outputs from a worker's run instead of executing it again.

    The worker's notebook is used only if every cell has the same type and
    source as the notebook being graded; otherwise (or if there is none) the
    notebook is executed here by ``executor``, exactly as a serial run would.
    """

    cache_root = Unicode("", help="Folder holding <student>/<assignment>/<notebook>.ipynb").tag(
        config=True
    )
    executor = Unicode(
        "endtrafficking.grading.execute.GuardedExecute",
        help="The preprocessor that executes a notebook when no worker result fits.",
    ).tag(config=True)

    def cached_path(self, resources: dict[str, Any]) -> Path:
        """Where the worker wrote this notebook."""
        info = resources["nbgrader"]
        return Path(
            self.cache_root, info["student"], info["assignment"], f"{info['notebook']}.ipynb"
        )

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        """Copy the worker's outputs into ``nb``, or execute it."""
        path = self.cached_path(resources)
        if path.is_file():
            done = nbformat.read(path, as_version=nbformat.NO_CONVERT)
            if _same_cells(nb, done):
                for cell, ran in zip(nb.cells, done.cells, strict=True):
                    if cell.cell_type == "code":
                        cell.outputs = ran.get("outputs", [])
                        cell.execution_count = ran.get("execution_count")
                if "language_info" in done.metadata:
                    nb.metadata["language_info"] = done.metadata["language_info"]
                return nb, resources
            self.log.warning("%s changed since it was executed; executing it again.", path.name)
        executor = _import(self.executor)(parent=self.parent, config=self.config)
        return executor.preprocess(nb, resources)


def _same_cells(a: Any, b: Any) -> bool:
    return len(a.cells) == len(b.cells) and all(
        x.cell_type == y.cell_type and x.source == y.source
        for x, y in zip(a.cells, b.cells, strict=True)
    )
