"""Demo mode (one OS account, no isolation) and idle culling, on a real hub."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import psutil
import pytest

from .conftest import require_proxy

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def demo_hub(harness: ModuleType) -> Iterator[Any]:
    """A demo-mode hub whose idle culler stops servers after 10 idle seconds."""
    require_proxy()
    hub = harness.HubHarness(
        mode="demo", culling={"enabled": True, "timeout_seconds": 10, "every_seconds": 5}
    )
    try:
        hub.start()
        hub.create_users(["demo"])
        yield hub
    finally:
        hub.close()


def test_demo_server_runs_as_the_hub_account(demo_hub: Any) -> None:
    """Does a demo server start as the hub's own account, even as root (--allow-root),
    with its home in the state folder?"""
    if not demo_hub.api("GET", "/users/demo").json()["servers"]:
        demo_hub.start_servers(["demo"])
    proc = psutil.Process(demo_hub.server_pid("demo"))
    assert proc.uids().real == os.geteuid()
    assert Path(proc.cwd()) == demo_hub.settings.demo_home("demo")
    if os.geteuid() == 0:
        assert "--allow-root" in proc.cmdline()
    token = demo_hub.user_token("demo")
    assert demo_hub.user_request("GET", "demo", "api/status", token).status_code == 200


def test_idle_server_is_culled(demo_hub: Any) -> None:
    """Does jupyterhub-idle-culler, run as a hub service, stop a server left idle?"""
    if not demo_hub.api("GET", "/users/demo").json()["servers"]:
        demo_hub.start_servers(["demo"])
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if not demo_hub.api("GET", "/users/demo").json()["servers"]:
            log = demo_hub.log_path.read_text(errors="replace")
            assert re.search(r"DELETE /hub/api/users/demo/server \(idle-culler@", log), (
                "the server stopped, but not by the culler"
            )
            return
        time.sleep(2)
    pytest.fail(f"server still running after 90 s:\n{demo_hub.log_tail()}")
