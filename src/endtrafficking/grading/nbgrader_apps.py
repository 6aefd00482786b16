"""Run nbgrader's own applications in this process, for one course root.

The grading pipeline calls nbgrader as a library rather than through its
command line, so it can run one step per learner, report progress and swap
the execution step for the parallel grader. Everything else (paths, the
gradebook, every preprocessor) stays nbgrader's, configured by the course's
``nbgrader_config.py``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from endtrafficking.errors import CourseInputError

CONFIG_FILE = "nbgrader_config.py"


@contextlib.contextmanager
def working_directory(folder: str | Path) -> Iterator[None]:
    """Run a block with ``folder`` as the current directory."""
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def nbgrader_path() -> None:
    """Put this interpreter's scripts folder on PATH: nbgrader runs ``alembic`` by name."""
    scripts = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if scripts not in parts:
        os.environ["PATH"] = os.pathsep.join([scripts, *parts])


def check_course_root(root: str | Path) -> Path:
    """The course root as an absolute path.

    Raises:
        CourseInputError: the folder has no ``nbgrader_config.py``.
    """
    root = Path(root).resolve()
    if not (root / CONFIG_FILE).is_file():
        raise CourseInputError(
            f"this folder is not an nbgrader course root (it has no {CONFIG_FILE}).",
            fix="pass the course folder, for example --course course (the folder holding "
            "nbgrader_config.py and source/).",
            file=root,
        )
    return root


def load_app(
    root: str | Path,
    app_class: type,
    argv: Sequence[str] = (),
    *,
    quiet: bool = True,
    overrides: dict[str, dict[str, Any]] | None = None,
    log_file: str | Path | None = None,
) -> Any:
    """An initialized nbgrader application for the course at ``root``.

    ``overrides`` are extra configuration, as ``{"Class": {"trait": value}}``;
    they win over ``nbgrader_config.py``. ``quiet`` shows only nbgrader's
    warnings and errors; with ``log_file``, warnings go to that file and only
    errors reach the terminal.
    """
    from traitlets.config import Config

    root = check_course_root(root)
    nbgrader_path()
    with working_directory(root):
        app = app_class()
        app.initialize(list(argv))
        if overrides:
            extra = Config()
            for section, values in overrides.items():
                for key, value in values.items():
                    extra[section][key] = value
            app.update_config(extra)
    if quiet:
        app.log.setLevel(logging.WARNING)
    if log_file is not None:
        log_to_file(app.log, Path(log_file))
    return app


def log_to_file(log: logging.Logger, path: Path) -> None:
    """Send ``log``'s warnings and errors to ``path`` (appended), not to the terminal."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for handler in list(log.handlers):
        if isinstance(handler, logging.FileHandler):
            log.removeHandler(handler)
        elif isinstance(handler, logging.StreamHandler):
            handler.setLevel(logging.CRITICAL)
    to_file = logging.FileHandler(path, encoding="utf-8", delay=True)
    to_file.setLevel(logging.WARNING)
    to_file.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(message)s"))
    log.addHandler(to_file)
