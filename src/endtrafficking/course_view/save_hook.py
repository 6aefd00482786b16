"""Keep outputs out of the course's notebooks when a learner saves them in JupyterLab.

Working through the course in JupyterLab used to write every widget's output
into the tracked notebooks: ``git status`` showed them modified, the next
``git pull`` conflicted, and a notebook reopened later showed "Error
displaying widget: model not found" in every exercise. The learner's answers
never live in a notebook (they are saved in ``my_work/``), so the course's
notebooks are saved without outputs; any cell a learner adds is kept.

The hook is set in the course's server settings
(``ContentsManager.pre_save_hook``) and touches only notebooks in the
``modules/`` and ``engage_lessons/`` folders of a course folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from endtrafficking.paths import is_course_folder

#: The course folders whose notebooks are saved without outputs.
COURSE_NOTEBOOK_FOLDERS = ("modules", "engage_lessons")
#: Notebook metadata that only describes a past run.
RUN_METADATA = ("widgets",)


def is_course_notebook(path: Path) -> bool:
    """Whether ``path`` is a notebook in a course folder's modules/ or engage_lessons/."""
    return (
        path.suffix == ".ipynb"
        and path.parent.name in COURSE_NOTEBOOK_FOLDERS
        and is_course_folder(path.parent.parent)
    )


def strip_outputs(content: dict[str, Any]) -> bool:
    """Remove outputs, execution counts and widget state from a notebook dict; say if any."""
    changed = False
    for cell in content.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs") or cell.get("execution_count") is not None:
            changed = True
        cell["outputs"] = []
        cell["execution_count"] = None
    metadata = content.get("metadata", {})
    for key in RUN_METADATA:
        if key in metadata:
            del metadata[key]
            changed = True
    language = metadata.get("language_info")
    if isinstance(language, dict) and set(language) - {"name"}:
        # The kernel fills in its version and lexer; the course keeps only the language.
        metadata["language_info"] = {"name": language.get("name", "python")}
        changed = True
    return changed


def strip_course_outputs(model: dict[str, Any], path: str, contents_manager: Any, **_: Any) -> None:
    """``ContentsManager.pre_save_hook``: save course notebooks without outputs."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    root = Path(getattr(contents_manager, "root_dir", ".") or ".")
    if is_course_notebook(root / path.lstrip("/")):
        strip_outputs(model["content"])
