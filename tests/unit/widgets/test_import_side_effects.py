"""Importing the widget modules builds no widget (a widget built at import opens a comm)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import endtrafficking.widgets

MODULES = sorted(
    f"endtrafficking.widgets.{m.name}"
    for m in pkgutil.iter_modules(endtrafficking.widgets.__path__)
)
PROBE = """
import importlib, sys
from ipywidgets.widgets.widget import _instances
for name in sys.argv[1:]:
    importlib.import_module(name)
    if _instances:
        print(name, sorted({type(w).__name__ for w in _instances.values()}))
        break
"""


def test_importing_a_widget_module_builds_no_widget():
    """Does importing every widget module, in a fresh interpreter, leave no widget behind?"""
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *MODULES], capture_output=True, text=True, check=True
    )
    assert len(MODULES) > 10
    assert run.stdout == "", f"a module builds widgets when imported: {run.stdout}"
