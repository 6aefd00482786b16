"""A real workshop hub on loopback: accounts, formgrader, the nbgrader round trip, isolation.

One hub (configurable-http-proxy, JupyterHub, four single-user servers as four system
accounts) is shared by the tests in this module; it is stopped and every account, cgroup and
folder it made is removed afterwards.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import psutil
import pytest
import requests

from .conftest import require_proxy, require_root

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.timeout(600)]

INSTRUCTOR = "teacher"
LEARNERS = ("ana", "ben", "cy")
# What each learner writes, and the points it must earn (tests are worth 1 and 2).
ANSWERS = {
    "ana": ("def double(x):\n    return 2 * x\n", 3.0),
    "ben": ("def double(x):\n    return x\n", 0.0),
    "cy": ("def double(x):\n    return 4 if x == 2 else 0\n", 1.0),
}
COURSE_ID = "endtrafficking"


@dataclass
class Workshop:
    """The running hub, its people and their tokens."""

    hub: Any
    tokens: dict[str, str]
    ready_seconds: dict[str, float]
    source_dir: Path
    scores: dict[str, float] = field(default_factory=dict)

    def uid(self, name: str) -> int:
        """The uid of ``name``'s system account."""
        return pwd.getpwnam(self.hub.settings.system_username(name)).pw_uid

    def home(self, name: str) -> Path:
        """``name``'s home folder."""
        return Path(pwd.getpwnam(self.hub.settings.system_username(name)).pw_dir)


@pytest.fixture(scope="module")
def workshop(harness: ModuleType) -> Iterator[Workshop]:
    """Start the hub, create an instructor and three learners by REST API, start servers."""
    require_proxy()
    require_root()
    tmp = Path(tempfile.mkdtemp(prefix="etw-src-"))
    os.chmod(tmp, 0o755)
    course = harness.write_tiny_course(tmp / "course")
    seed = tmp / "modules"
    seed.mkdir()
    nbformat.write(nbformat.v4.new_notebook(), seed / "00_hello.ipynb")
    hub = harness.HubHarness(
        course_source=course, seed_dirs=[seed], limits={"memory": "1G", "cpu": 1.0}
    )
    try:
        hub.start()
        hub.create_users([INSTRUCTOR, *LEARNERS])
        hub.add_to_group("instructors", [INSTRUCTOR])
        ready = hub.start_servers([INSTRUCTOR, *LEARNERS])
        tokens = {name: hub.user_token(name) for name in (INSTRUCTOR, *LEARNERS)}
        yield Workshop(
            hub=hub,
            tokens=tokens,
            ready_seconds=ready,
            source_dir=hub.settings.course_dir / "source",
        )
    finally:
        hub.close()
        subprocess.run(["rm", "-rf", str(tmp)], check=False)


def _ok(reply: requests.Response, what: str) -> dict[str, Any]:
    """The JSON of a successful nbgrader reply, or a failure that shows nbgrader's log."""
    assert reply.status_code == 200, f"{what}: HTTP {reply.status_code} {reply.text[:500]}"
    body = reply.json()
    assert body.get("success", True), f"{what}: {body.get('error') or body}"
    return dict(body)


@pytest.fixture(scope="module")
def graded(workshop: Workshop) -> Workshop:
    """Release, fetch, answer, submit, collect and autograde, all through the servers' APIs."""
    hub, tok = workshop.hub, workshop.tokens
    fg = "formgrader/api"
    _ok(
        hub.user_request("POST", INSTRUCTOR, f"{fg}/assignment/ps1/assign", tok[INSTRUCTOR]),
        "generate_assignment",
    )
    _ok(
        hub.user_request("POST", INSTRUCTOR, f"{fg}/assignment/ps1/release", tok[INSTRUCTOR]),
        "release_assignment",
    )
    for name in LEARNERS:
        form = {"course_id": COURSE_ID, "assignment_id": "ps1"}
        listing = _ok(
            hub.user_request(
                "GET", name, "assignments", tok[name], params={"course_id": COURSE_ID}
            ),
            f"{name} list",
        )
        assert [a["assignment_id"] for a in listing["value"]] == ["ps1"]
        _ok(
            hub.user_request("POST", name, "assignments/fetch", tok[name], data=form),
            f"{name} fetch",
        )
        path = "api/contents/ps1/problem1.ipynb"
        model = hub.user_request("GET", name, path, tok[name]).json()
        cells = model["content"]["cells"]
        answer = next(c for c in cells if c["metadata"].get("nbgrader", {}).get("solution"))
        assert "BEGIN SOLUTION" not in answer["source"], "the learner edition leaked a solution"
        answer["source"] = ANSWERS[name][0]
        put = hub.user_request(
            "PUT",
            name,
            path,
            tok[name],
            json={"type": "notebook", "format": "json", "content": model["content"]},
        )
        assert put.status_code == 200, put.text
        _ok(
            hub.user_request("POST", name, "assignments/submit", tok[name], data=form),
            f"{name} submit",
        )
    _ok(
        hub.user_request("POST", INSTRUCTOR, f"{fg}/assignment/ps1/collect", tok[INSTRUCTOR]),
        "collect",
    )
    for name in LEARNERS:
        student = hub.settings.system_username(name)
        _ok(
            hub.user_request(
                "POST", INSTRUCTOR, f"{fg}/submission/ps1/{student}/autograde", tok[INSTRUCTOR]
            ),
            f"autograde {name}",
        )
    reply = hub.user_request("GET", INSTRUCTOR, f"{fg}/submissions/ps1", tok[INSTRUCTOR])
    assert reply.status_code == 200, reply.text
    prefix = hub.settings.system_user_prefix
    workshop.scores = {s["student"].removeprefix(prefix): s["score"] for s in reply.json()}
    return workshop


def _try_as(uid: int, code: str) -> str:
    """Run ``code`` with Python as ``uid`` (its own groups only); return what it printed."""
    entry = pwd.getpwuid(uid)
    result = subprocess.run(
        [sys.executable, "-c", code],
        user=uid,
        group=entry.pw_gid,
        extra_groups=os.getgrouplist(entry.pw_name, entry.pw_gid),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        cwd="/",
        env={"HOME": entry.pw_dir, "PATH": os.defpath},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


PROBE = """
import os, sys
path, how = sys.argv[1], sys.argv[2]
try:
    if how == "list":
        os.listdir(path)
    else:
        open(path, "rb").read(1)
    print("allowed")
except PermissionError:
    print("denied")
"""


def access_as(uid: int, path: Path, how: str) -> str:
    """'allowed' or 'denied': can ``uid`` read (or list) ``path``? A real open() as that user."""
    assert path.exists(), f"{path} must exist for the check to mean anything"
    code = f"import sys; sys.argv = ['', {str(path)!r}, {how!r}]\n{PROBE}"
    return _try_as(uid, code)


def test_each_person_runs_as_their_own_account(workshop: Workshop) -> None:
    """Does every server run under its own system account, with a private home folder?"""
    uids = {}
    for name in (INSTRUCTOR, *LEARNERS):
        pid = workshop.hub.server_pid(name)
        uids[name] = psutil.Process(pid).uids().real
        assert uids[name] == workshop.uid(name) >= 1000
        assert stat.S_IMODE(workshop.home(name).stat().st_mode) == 0o700
    assert len(set(uids.values())) == 4


def test_course_copied_into_every_home_at_first_login(workshop: Workshop) -> None:
    """Does each learner find the course notebooks in ~/endtrafficking, owned by them?"""
    for name in LEARNERS:
        copy = workshop.home(name) / "endtrafficking" / "modules" / "00_hello.ipynb"
        assert copy.is_file()
        assert copy.stat().st_uid == workshop.uid(name)
    link = workshop.home(INSTRUCTOR) / "course"
    assert link.is_symlink() and link.resolve() == workshop.hub.settings.course_dir


def test_formgrader_for_instructors_only(workshop: Workshop) -> None:
    """Does formgrader answer the instructor (framable by the hub's own pages) and refuse
    learners, whose servers keep JupyterHub's frame-ancestors 'none'?"""
    hub, tok = workshop.hub, workshop.tokens
    page = hub.user_request("GET", INSTRUCTOR, "formgrader/manage_assignments", tok[INSTRUCTOR])
    assert page.status_code == 200
    assert "ps1" in page.text or "Manage Assignments" in page.text
    assert page.headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    own = hub.user_request("GET", "ana", "formgrader/manage_assignments", tok["ana"])
    assert own.status_code == 404
    other = hub.user_request("GET", INSTRUCTOR, "formgrader/manage_assignments", tok["ana"])
    assert other.status_code == 403
    lab = hub.user_request("GET", "ana", "lab", tok["ana"])
    assert lab.status_code == 200
    assert lab.headers["Content-Security-Policy"] == "frame-ancestors 'none'"
    # The learner's Lab does not even show the formgrader or create-assignment tools.
    disabled = lab_page_config(lab.text)["disabledExtensions"]
    assert "@jupyter/nbgrader:formgrader" in disabled
    assert "@jupyter/nbgrader:create-assignment" in disabled
    teacher_lab = hub.user_request("GET", INSTRUCTOR, "lab", tok[INSTRUCTOR])
    assert "@jupyter/nbgrader:formgrader" not in lab_page_config(teacher_lab.text).get(
        "disabledExtensions", []
    )


def lab_page_config(html: str) -> dict[str, Any]:
    """The page config JupyterLab embeds in its HTML (which plugins are disabled)."""
    match = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
        html,
        flags=re.DOTALL,
    )
    assert match, "JupyterLab page without its config"
    return dict(json.loads(match.group(1)))


def test_release_fetch_submit_collect_autograde(graded: Workshop) -> None:
    """Does the whole nbgrader round trip through the exchange give each learner their
    points?"""
    assert graded.scores == {name: points for name, (_, points) in ANSWERS.items()}


def test_learners_cannot_read_each_other_solutions_or_gradebook(graded: Workshop) -> None:
    """Checked with real open()/listdir() calls as the learner's own uid."""
    ben = graded.uid("ben")
    course = graded.hub.settings.course_dir
    inbound = graded.hub.settings.exchange_root / COURSE_ID / "inbound"
    ana_home = graded.home("ana")
    # Positive controls: the probe can say "allowed".
    assert access_as(ben, graded.home("ben") / "ps1" / "problem1.ipynb", "read") == "allowed"
    assert access_as(graded.uid(INSTRUCTOR), course / "gradebook.db", "read") == "allowed"
    checks = {
        "another learner's home": (ana_home, "list"),
        "another learner's notebook": (ana_home / "ps1" / "problem1.ipynb", "read"),
        "the exchange's inbound submissions": (inbound, "list"),
        "the course folder": (course, "list"),
        "the source with solutions": (graded.source_dir / "ps1" / "problem1.ipynb", "read"),
        "the gradebook": (course / "gradebook.db", "read"),
        "collected submissions": (course / "submitted", "list"),
    }
    for what, (path, how) in checks.items():
        assert access_as(ben, path, how) == "denied", f"ben could {how} {what}: {path}"


def test_per_user_memory_and_cpu_limits(workshop: Workshop, workshop_hub: ModuleType) -> None:
    """Is each server (and so every kernel it starts) inside a cgroup with the limits?"""
    cgroups = workshop_hub.Cgroups(workshop.hub.settings.cgroup_name)
    if not cgroups.available:
        pytest.skip("no writable cgroup hierarchy here: limits are documented, not enforced")
    for name in LEARNERS:
        user = workshop.hub.settings.system_username(name)
        assert workshop.hub.server_pid(name) in cgroups.pids(user)
        limit = int(cgroups.memory_limit_file(user).read_text())
        assert limit == 1024**3
    # The learners' parent group weighs like one process per person (4 people here).
    if cgroups.version == 2:
        weight = cgroups.root / cgroups.name / "cpu.weight"
        assert weight.read_text().strip() == "400"
    else:
        weight = cgroups.root / "cpu" / cgroups.name / "cpu.shares"
        assert weight.read_text().strip() == str(4 * 1024)


def _login(hub: Any, name: str, password: str, code: str = "") -> int:
    """Sign in through the real login form; return the HTTP status (302 = signed in)."""
    session = requests.Session()
    form = session.get(f"{hub.base}/hub/login", timeout=30)
    assert form.status_code == 200
    reply = session.post(
        f"{hub.base}/hub/login",
        timeout=30,
        allow_redirects=False,
        data={
            "username": name,
            "password": password,
            "otp": code,
            "_xsrf": session.cookies.get("_xsrf", ""),
        },
    )
    return reply.status_code


def test_first_sign_in_needs_the_workshop_code(
    workshop: Workshop, workshop_hub: ModuleType
) -> None:
    """Does the code claim a name once, after which only the personal password works, and
    are instructor names reserved for the instructor code?"""
    hub = workshop.hub
    learner_code = workshop_hub.read_code(hub.settings, "learner")
    instructor_code = workshop_hub.read_code(hub.settings, "instructor")
    assert len(learner_code) >= 8 and len(instructor_code) >= 16
    assert _login(hub, "dee", "a-good-password", code="wrong-code") == 403
    assert _login(hub, "dee", "short", code=learner_code) == 400
    assert _login(hub, "dee", "a-good-password", code=learner_code) == 302
    assert _login(hub, "dee", "another-password", code=learner_code) == 403
    assert _login(hub, "dee", "a-good-password") == 302
    assert _login(hub, "lead", "instructor-password", code=learner_code) == 403
    assert _login(hub, "lead", "instructor-password", code=instructor_code) == 302
    assert hub.api("GET", "/users/lead").json()["admin"] is True
    assert hub.api("GET", "/users/dee").json()["admin"] is False
