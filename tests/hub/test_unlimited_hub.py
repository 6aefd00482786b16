"""A hub whose limits cannot be applied, with `limits.when_unavailable: warn`: servers
start, and the hub's log and admin page say loudly that nobody is limited.

(With `refuse`, `make hub` stops instead: ``test_launcher.py``.)
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import requests

from endtrafficking_hub.credentials import read_code

from .conftest import require_proxy, require_root

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def unlimited(harness: ModuleType) -> Iterator[Any]:
    """A users-mode hub pointed at a folder that holds no cgroup tree, in warn mode."""
    require_proxy()
    require_root()
    nowhere = Path(tempfile.mkdtemp(prefix="etw-nocg-"))
    hub = harness.HubHarness(
        limits={"memory": "1G", "cpu": 1.0, "when_unavailable": "warn", "cgroup_root": str(nowhere)}
    )
    try:
        hub.start()
        hub.create_users(["ana"])
        hub.start_servers(["ana"])
        yield hub
    finally:
        hub.close()
        nowhere.rmdir()


def signed_in(hub: Any, name: str, password: str, code: str) -> requests.Session:
    """A browser-like session signed in through the login form."""
    session = requests.Session()
    session.get(f"{hub.base}/hub/login", timeout=30)
    form = {"username": name, "password": password, "otp": code}
    form["_xsrf"] = session.cookies.get("_xsrf", "")
    reply = session.post(f"{hub.base}/hub/login", data=form, timeout=30, allow_redirects=False)
    assert reply.status_code == 302, reply.text[:300]
    return session


def test_server_starts_with_a_loud_log_line(unlimited: Any) -> None:
    """Does the learner's server run, and does the hub's log say its limits are missing?"""
    assert unlimited.api("GET", "/users/ana").json()["servers"][""]["ready"]
    log = unlimited.log_text()
    assert "memory and CPU limits are NOT applied" in log
    assert "LIMITS NOT APPLIED to ana's server" in log


def test_admin_page_warns_instructors_not_learners(unlimited: Any) -> None:
    """Does the admin page carry the warning for an instructor, and a learner's page not?"""
    s = unlimited.settings
    lead = signed_in(unlimited, "lead", "lead-password", read_code(s, "instructor"))
    admin = lead.get(f"{unlimited.base}/hub/admin", timeout=30)
    assert admin.status_code == 200
    assert "memory and CPU limits are NOT applied" in admin.text
    assert "ana" in admin.text.split("NOT applied", 1)[1]
    dee = signed_in(unlimited, "dee", "dee-password", read_code(s, "learner"))
    home = dee.get(f"{unlimited.base}/hub/home", timeout=30)
    assert home.status_code == 200 and "NOT applied" not in home.text
