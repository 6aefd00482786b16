"""Shared helpers for the workshop hub tests.

Under ``CI=true`` a missing proxy or missing root is a failure; elsewhere the test is skipped
and says why.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

import pytest

from . import harness as harness_module

REPO_ROOT = Path(__file__).resolve().parents[2]
HUB_DIR = REPO_ROOT / "hub"
CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip with ``reason`` when ``condition`` is false; under CI=true, fail instead."""
    if condition:
        return
    if CI:
        pytest.fail(f"required under CI=true: {reason}")
    pytest.skip(reason)


def require_proxy() -> None:
    """configurable-http-proxy must be on PATH or installed by `make hub-deps`."""
    from endtrafficking_hub.launcher import find_proxy

    require(find_proxy() is not None, "configurable-http-proxy not found: run `make hub-deps`")


def require_root() -> None:
    """Creating one system account per learner needs root."""
    require(
        os.geteuid() == 0,
        "not root: the hub cannot create a system account per learner, "
        "so isolation between learners cannot be tested here",
    )


@pytest.fixture(scope="session")
def harness() -> ModuleType:
    """The hub test harness module (tests/hub/harness.py)."""
    return harness_module
