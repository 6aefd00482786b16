"""Every lesson notebook runs headless, cleanly, and has the parts a lesson needs.

The execution tests start a real kernel per notebook (nbclient) in a temporary
working folder and fail on any error, any output on stderr, and any warning in
the outputs. The data checks read the notebooks as JSON (no kernel): every
notebook is listed in course/course.yaml and the reverse, each has its header,
knowledge check, key points and Sources, and each is committed clean.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from endtrafficking.course_meta import load_course

from .conftest import REPO_ROOT, notebooks_on_disk

TIMEOUT = 180
WARNING = re.compile(r"\b\w*Warning\b\s*:|^\s*warnings\.warn", re.MULTILINE)
ERROR_NOTICE = 'class="et-notice et-error"'
FORBIDDEN_CODE = {
    "import *": re.compile(r"\bimport\s+\*"),
    "sys.path": re.compile(r"\bsys\.path\b"),
    "!pip / %pip": re.compile(r"^\s*[!%]\s*(pip|conda)\b", re.MULTILINE),
}


def _lesson_for(notebook: Path):
    rel = notebook.relative_to(REPO_ROOT).as_posix()
    for lesson in load_course().lessons:
        if lesson.path == rel:
            return lesson
    pytest.fail(f"{rel} is not listed in course/course.yaml; add an entry for it")


def _output_text(output: nbformat.NotebookNode) -> str:
    if output.get("output_type") == "stream":
        return str(output.get("text", ""))
    data = output.get("data", {})
    return "\n".join(
        str(data.get(kind, "")) for kind in ("text/plain", "text/html", "text/markdown")
    )


def output_problems(nb: nbformat.NotebookNode) -> list[str]:
    """Errors, stderr output, warnings and error notices in an executed notebook."""
    problems = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            where = f"cell {index} ({cell.source.splitlines()[-1][:60] if cell.source else ''})"
            if kind == "error":
                problems.append(f"{where}: {output.get('ename')}: {output.get('evalue')}")
            elif kind == "stream" and output.get("name") == "stderr":
                problems.append(f"{where}: stderr: {output.get('text', '')[:300]}")
            elif WARNING.search(_output_text(output)):
                problems.append(f"{where}: warning in output: {_output_text(output)[:300]}")
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    for model in state.get("state", {}).values():
        value = model.get("state", {}).get("value")
        if isinstance(value, str) and ERROR_NOTICE in value:
            problems.append(f"a widget shows an error: {re.sub('<[^>]+>', ' ', value)[:300]}")
    return problems


# --------------------------------------------------------------------------- execution
@pytest.mark.notebooks
def test_notebook_runs_clean(notebook_path: Path, tmp_path: Path, monkeypatch):
    """Does the notebook run top to bottom with no error, no stderr and no warning?"""
    monkeypatch.setenv("ENDTRAFFICKING_WORK", str(tmp_path / "work"))
    monkeypatch.setenv("PYTHONWARNINGS", "default")
    nb = nbformat.read(notebook_path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(notebook_path.parent)}},
    )
    client.execute()
    problems = output_problems(nb)
    assert not problems, "\n".join(problems)


@pytest.mark.notebooks
def test_problems_are_detected():
    """Would an error, a stderr stream, a warning or a widget error notice be caught?"""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("error", ename="ValueError", evalue="bad", traceback=[]),
        nbformat.v4.new_output("stream", name="stderr", text="oops"),
        nbformat.v4.new_output("stream", name="stdout", text="x.py:1: FutureWarning: soon"),
    ]
    nb.cells.append(cell)
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {
            "state": {"m": {"state": {"value": f'<div {ERROR_NOTICE}">broken</div>'}}}
        }
    }
    assert len(output_problems(nb)) == 4


# --------------------------------------------------------------------------- data checks
def test_notebooks_and_course_yaml_agree():
    """Is every notebook on disk listed in course.yaml, and does every listed notebook exist?"""
    on_disk = {p.relative_to(REPO_ROOT).as_posix() for p in notebooks_on_disk()}
    listed = {lesson.path for lesson in load_course().lessons}
    assert sorted(on_disk - listed) == [], "notebooks missing from course/course.yaml"
    assert sorted(listed - on_disk) == [], "course/course.yaml lists notebooks that do not exist"


def test_lesson_has_required_parts(notebook_path: Path):
    """Does the lesson show its header, a knowledge check, key points and Sources?"""
    lesson = _lesson_for(notebook_path)
    assert lesson.total_minutes > 0 and lesson.questions and lesson.objectives
    nb = nbformat.read(notebook_path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    headings = [
        line.strip().lower()
        for c in nb.cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("#")
    ]
    missing = []
    if f'lesson_header("{lesson.id}")' not in code:
        missing.append(f'a lesson_header("{lesson.id}") call (minutes, questions, objectives)')
    # The finish and checkpoints pages gather work and hand it in; they teach nothing new.
    asks_questions = lesson.step not in ("Finish", "Checkpoints")
    if asks_questions and "knowledge_check(" not in code:
        missing.append("a knowledge_check(...) call")
    if "## key points" not in headings:
        missing.append("a '## Key points' section")
    if "## sources" not in headings:
        missing.append("a '## Sources' section")
    if asks_questions and lesson.kind == "modules" and "## reflection" not in headings:
        missing.append("a '## Reflection' section")
    assert not missing, f"{notebook_path.name} lacks: " + "; ".join(missing)


def test_notebook_is_committed_clean(notebook_path: Path):
    """Are outputs stripped, code cells one or two lines, and helpers imported properly?"""
    raw = json.loads(notebook_path.read_text(encoding="utf-8"))
    nb = nbformat.read(notebook_path, as_version=4)
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            if cell.get("outputs") or cell.get("execution_count") is not None:
                problems.append(f"cell {index} has outputs: strip with nbstripout --keep-id")
            lines = [line for line in cell.source.splitlines() if line.strip()]
            if len(lines) > 2:
                problems.append(f"cell {index} has {len(lines)} lines of code (at most 2)")
            for name, pattern in FORBIDDEN_CODE.items():
                if pattern.search(cell.source):
                    problems.append(f"cell {index} uses {name}")
        if "instructor note" in cell.source.lower():
            tagged = "instructor-note" in cell.metadata.get("tags", [])
            if not (tagged and cell.source.lstrip().startswith("> **Instructor note")):
                problems.append(
                    f"cell {index}: an instructor note must be its own cell, tagged "
                    "'instructor-note' and starting '> **Instructor note'"
                )
    assert raw.get("nbformat") == 4
    assert not problems, "\n".join(problems)
