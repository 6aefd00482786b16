"""Committed notebooks are clean, and the project's stripper keeps nbgrader's metadata.

* no outputs and no execution counts in any committed notebook (``make strip``
  would change nothing);
* ``make strip`` (nbstripout) keeps nbgrader's cell metadata and cell ids;
* no ``Untitled`` notebooks or checkpoint folders; lesson notebooks are numbered;
* code cells import the helper package: no ``sys.path`` tricks, ``!pip`` or
  ``import *``.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Folders whose notebooks are lessons, named 00_name.ipynb, 01_name.ipynb, ...
NUMBERED_FOLDERS = ("modules", "engage_lessons")
FORBIDDEN_CODE = {
    "sys.path manipulation (install the package instead)": re.compile(r"\bsys\.path\b"),
    "installing from a cell (!pip, %pip, !conda)": re.compile(
        r"^\s*[!%]\s*(pip|pip3|conda|mamba)\b", re.MULTILINE
    ),
    "a star import (import names explicitly)": re.compile(r"\bimport\s+\*"),
}
NBGRADER_CELLS = [
    (
        "markdown",
        "## Question 1\nExplain in your own words.",
        {
            "grade": False,
            "grade_id": "q1_intro",
            "locked": True,
            "schema_version": 3,
            "solution": False,
            "task": False,
        },
    ),
    (
        "code",
        "answer = 2  # BEGIN SOLUTION\n### END SOLUTION",
        {
            "grade": False,
            "grade_id": "q1_answer",
            "locked": False,
            "schema_version": 3,
            "solution": True,
            "task": False,
        },
    ),
    (
        "code",
        "assert answer == 2\n### BEGIN HIDDEN TESTS\nassert answer > 1\n### END HIDDEN TESTS",
        {
            "grade": True,
            "grade_id": "q1_tests",
            "locked": True,
            "points": 2,
            "schema_version": 3,
            "solution": False,
            "task": False,
        },
    ),
    (
        "markdown",
        "YOUR ANSWER HERE",
        {
            "grade": True,
            "grade_id": "q2_reflection",
            "locked": False,
            "points": 4,
            "schema_version": 3,
            "solution": True,
            "task": False,
        },
    ),
]


def committed_notebooks() -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "-z", "--", "*.ipynb"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [ROOT / name for name in out.split("\0") if name]


def stripper_command() -> list[str]:
    """The nbstripout command of ``make strip``, with its options, from the Makefile."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"^strip:.*?\n((?:\t.*\n?)+)", makefile, flags=re.MULTILINE)
    assert match, "the Makefile has no strip target"
    recipe = match.group(1)
    options = re.search(r"nbstripout((?:\s+--?[\w-]+(?:=\S+)?)*)", recipe)
    assert options, f"make strip does not run nbstripout:\n{recipe}"
    executable = Path(sys.executable).with_name("nbstripout")
    program = str(executable) if executable.exists() else shutil.which("nbstripout")
    assert program, "nbstripout is not installed (it is in the test extra)"
    return [program, *shlex.split(options.group(1))]


def code_cells(path: Path):
    notebook = nbformat.read(path, as_version=4)
    return [(i, c) for i, c in enumerate(notebook.cells) if c.cell_type == "code"]


def test_the_repository_has_notebooks():
    """Does git list the course's notebooks (so the checks below check something)?"""
    assert committed_notebooks()


def test_no_outputs_or_execution_counts():
    """Is every committed notebook free of outputs and execution counts?"""
    dirty = []
    for path in committed_notebooks():
        for index, cell in code_cells(path):
            if cell.get("outputs") or cell.get("execution_count") is not None:
                dirty.append(f"{path.relative_to(ROOT)} cell {index}")
    assert dirty == [], "run `make strip`:\n" + "\n".join(dirty)


def test_make_strip_would_change_nothing():
    """Would `make strip` leave every committed notebook exactly as it is?"""
    notebooks = [str(p) for p in committed_notebooks()]
    result = subprocess.run(
        [*stripper_command(), "--verify", *notebooks],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, "run `make strip`:\n" + result.stdout + result.stderr


def test_notebooks_are_valid_nbformat():
    """Does every committed notebook pass nbformat's schema?"""
    for path in committed_notebooks():
        nbformat.validate(nbformat.read(path, as_version=4))


def test_no_untitled_or_checkpoints():
    """Are there no Untitled notebooks and no .ipynb_checkpoints in git?"""
    names = [p.relative_to(ROOT).as_posix() for p in committed_notebooks()]
    bad = [n for n in names if "untitled" in n.lower() or ".ipynb_checkpoints" in n]
    assert bad == []


def test_lesson_notebooks_are_numbered():
    """Are lesson notebooks named with a number first (00_welcome.ipynb)?"""
    bad = [
        p.relative_to(ROOT).as_posix()
        for p in committed_notebooks()
        if p.relative_to(ROOT).parts[0] in NUMBERED_FOLDERS and not re.match(r"\d\d_", p.name)
    ]
    assert bad == []


def test_code_cells_import_the_package_properly():
    """Do code cells avoid sys.path tricks, installing packages and star imports?"""
    found = []
    for path in committed_notebooks():
        for index, cell in code_cells(path):
            for problem, pattern in FORBIDDEN_CODE.items():
                if pattern.search(cell.source):
                    found.append(f"{path.relative_to(ROOT)} cell {index}: {problem}")
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("import sys\nsys.path.insert(0, '../src')", "sys.path"),
        ("!pip install endtrafficking", "installing"),
        ("  %pip install pandas", "installing"),
        ("from endtrafficking.scoring import *", "star import"),
    ],
)
def test_forbidden_code_is_recognised(source, problem):
    """Does each pattern catch what it is for (so the check above can fail)?"""
    hits = [name for name, pattern in FORBIDDEN_CODE.items() if pattern.search(source)]
    assert len(hits) == 1 and problem in hits[0]


def test_ordinary_code_is_not_flagged():
    """Is ordinary course code (imports, calls, a hotline in a string) not flagged?"""
    source = (
        "from endtrafficking.widgets.assessment import assessment_editor\n"
        "assessment_editor()  # saves as you type\n"
        "print('1-888-373-7888')  # a string, not a shell command"
    )
    assert not [p for p in FORBIDDEN_CODE.values() if p.search(source)]


def test_stripper_keeps_nbgrader_metadata(tmp_path):
    """Does `make strip` remove outputs but keep nbgrader's cell metadata and cell ids?"""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    for kind, source, grader in NBGRADER_CELLS:
        if kind == "code":
            cell = nbformat.v4.new_code_cell(
                source,
                execution_count=7,
                outputs=[nbformat.v4.new_output("stream", name="stdout", text="2\n")],
            )
            cell.metadata["ExecuteTime"] = {"end_time": "2026-01-01T00:00:00"}
        else:
            cell = nbformat.v4.new_markdown_cell(source)
        cell.metadata["nbgrader"] = dict(grader)
        cell.metadata["deletable"] = False
        cell.metadata["editable"] = not grader["locked"]
        notebook.cells.append(cell)
    path = tmp_path / "01_problem.ipynb"
    nbformat.write(notebook, path)
    ids = [c.id for c in notebook.cells]

    subprocess.run([*stripper_command(), str(path)], cwd=ROOT, check=True, timeout=120)

    stripped = nbformat.read(path, as_version=4)
    assert [c.id for c in stripped.cells] == ids
    for cell, (_kind, source, grader) in zip(stripped.cells, NBGRADER_CELLS, strict=True):
        assert cell.metadata["nbgrader"] == grader
        assert cell.metadata["deletable"] is False
        assert cell.source == source
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            assert "ExecuteTime" not in cell.metadata
    assert stripped.metadata["kernelspec"]["name"] == "python3"
    assert "widgets" not in stripped.metadata


@pytest.mark.parametrize("layout", ["no-info-folder", "worktree"])
def test_make_git_filters_sets_up_any_clone(tmp_path, layout):
    """``make git-filters`` works in a clone without ``.git/info`` (as CI clones
    are) and in a worktree (where ``.git`` is a file), and running it twice adds
    nothing twice."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    shutil.copy(ROOT / "Makefile", clone / "Makefile")
    shutil.rmtree(clone / ".git" / "info", ignore_errors=True)
    where = clone
    if layout == "worktree":
        where = tmp_path / "worktree"
        subprocess.run(
            ["git", "-C", str(clone), "worktree", "add", "-q", "--detach", str(where)],
            check=True,
            timeout=120,
        )
        shutil.copy(ROOT / "Makefile", where / "Makefile")
    bin_dir = Path(sys.executable).parent
    for _ in range(2):
        subprocess.run(
            ["make", "--no-print-directory", "-C", str(where), "git-filters", f"BIN={bin_dir}"],
            check=True,
            capture_output=True,
            timeout=60,
        )
    attributes = subprocess.run(
        [
            "git",
            "-C",
            str(where),
            "rev-parse",
            "--path-format=absolute",
            "--git-path",
            "info/attributes",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert Path(attributes).read_text().count("filter=nbstripout") == 1
    check = subprocess.run(
        ["git", "-C", str(where), "check-attr", "filter", "modules/00_welcome.ipynb"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert check.strip().endswith("nbstripout"), check
