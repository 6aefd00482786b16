"""Shared helpers for the workshop hub tests.

Under ``CI=true`` a missing proxy or missing root is a failure; elsewhere the test is skipped
and says why.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
HUB_DIR = REPO_ROOT / "hub"
CI = os.environ.get("CI", "").lower() == "true"


def load_hub_module(name: str) -> ModuleType:
    """Import ``hub/<name>.py`` (the hub folder is not an installed package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HUB_DIR / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def require(condition: bool, reason: str) -> None:
    """Skip with ``reason`` when ``condition`` is false; under CI=true, fail instead."""
    if condition:
        return
    if CI:
        pytest.fail(f"required under CI=true: {reason}")
    pytest.skip(reason)


def require_proxy() -> None:
    """configurable-http-proxy must be on PATH or installed by `make hub-deps`."""
    local = REPO_ROOT / ".node" / "node_modules" / ".bin" / "configurable-http-proxy"
    require(
        bool(shutil.which("configurable-http-proxy")) or local.exists(),
        "configurable-http-proxy not found: run `make hub-deps` (npm) first",
    )


def require_root() -> None:
    """Creating one system account per learner needs root."""
    require(
        os.geteuid() == 0,
        "not root: the hub cannot create a system account per learner, "
        "so isolation between learners cannot be tested here",
    )


@pytest.fixture(scope="session")
def workshop_hub() -> ModuleType:
    """The hub's main module."""
    return load_hub_module("workshop_hub")


@pytest.fixture(scope="session")
def harness() -> ModuleType:
    """The hub test harness module."""
    return load_hub_module("harness")
