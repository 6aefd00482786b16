"""What a warm kernel prepares covers what the course's pages import."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from endtrafficking.course_view.warm import page_modules

ROOT = Path(__file__).resolve().parents[3]
PAGE_FOLDERS = ("modules", "engage_lessons")


def _imported_modules(notebook: Path) -> set[str]:
    names: set[str] = set()
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
    return names


def test_a_warm_kernel_imports_every_module_a_course_page_imports():
    """Would a page still import a course module itself (slower) after warming?"""
    warmed = set(page_modules())
    missing = {}
    for folder in PAGE_FOLDERS:
        for notebook in sorted((ROOT / folder).glob("*.ipynb")):
            left = {
                m for m in _imported_modules(notebook) if m.startswith("endtrafficking")
            } - warmed
            if left:
                missing[notebook.name] = sorted(left)
    assert not missing, f"not imported by warm_up (add to PAGE_MODULES): {missing}"


def test_warm_up_imports_and_reads_the_course_in_a_fresh_interpreter():
    """Does warm_up run in a new Python, importing the widgets and caching the data?"""
    code = (
        "import sys\n"
        "from endtrafficking.course_view.warm import warm_up\n"
        "names = warm_up()\n"
        "from endtrafficking.course_meta import _load_course_cached\n"
        "from endtrafficking.knowledge_bank import _load_bank_cached\n"
        "assert 'endtrafficking.widgets.assessment' in sys.modules\n"
        "assert _load_course_cached.cache_info().currsize == 1\n"
        "assert _load_bank_cached.cache_info().currsize >= 5\n"
        "print(len(names))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.strip()) > 10
