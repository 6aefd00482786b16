"""A real workshop hub on loopback: accounts, landing pages, formgrader, the nbgrader round
trip with two instructors grading at once, isolation and the real memory limit.

One hub, started with ``make hub`` as a host starts it (configurable-http-proxy, JupyterHub,
PostgreSQL for the gradebook, five single-user servers as five system accounts), is shared by
the tests in this module; it is stopped and every account, cgroup, database and folder it made
is removed afterwards.
"""

from __future__ import annotations

import asyncio
import json
import os
import pwd
import re
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import nbformat
import psutil
import pytest
import requests
from nbgrader.api import Gradebook

from endtrafficking_hub.credentials import read_code
from endtrafficking_hub.gradebook import url_file
from endtrafficking_hub.limits import Cgroups
from endtrafficking_hub.spawner import LEARNER_LANDING

from .conftest import require_proxy, require_root
from .kernel_client import KERNEL_DIED, run_cells, run_in_own_loop

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.timeout(900)]

INSTRUCTOR, AIDE = "teacher", "aide"  # two instructors who grade at the same time
INSTRUCTORS = (INSTRUCTOR, AIDE)
LEARNERS = ("ana", "ben", "cy")
PEOPLE = (*INSTRUCTORS, *LEARNERS)
ASSIGNMENTS = ("ps1", "ps2")
# What each learner writes, and the points it must earn (tests are worth 1 and 2).
ANSWERS = {
    "ana": ("def double(x):\n    return 2 * x\n", 3.0),
    "ben": ("def double(x):\n    return x\n", 0.0),
    "cy": ("def double(x):\n    return 4 if x == 2 else 0\n", 1.0),
}
COURSE_ID = "endtrafficking"
SYSTEM_PYTHON = "/usr/bin/python3"  # what a learner's account can run for the probes


@dataclass
class Workshop:
    """The running hub, its people and their tokens."""

    hub: Any
    tokens: dict[str, str]
    ready_seconds: dict[str, float]
    source_dir: Path
    scores: dict[str, dict[str, float]] = field(default_factory=dict)

    def uid(self, name: str) -> int:
        """The uid of ``name``'s system account."""
        return pwd.getpwnam(self.hub.settings.system_username(name)).pw_uid

    def home(self, name: str) -> Path:
        """``name``'s home folder."""
        return Path(pwd.getpwnam(self.hub.settings.system_username(name)).pw_dir)


def welcome_notebook() -> nbformat.NotebookNode:
    """A stand-in welcome page: a heading and one code cell whose source must not show."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Welcome to the course"),
        nbformat.v4.new_code_cell("secret_source_marker = 6 * 7\nprint(secret_source_marker)"),
    ]
    return nb


@pytest.fixture(scope="module")
def workshop(harness: ModuleType) -> Iterator[Workshop]:
    """Start the hub with `make hub`, create two instructors and three learners by REST API,
    start everyone's server."""
    require_proxy()
    require_root()
    tmp = Path(tempfile.mkdtemp(prefix="etw-src-"))
    course = harness.write_tiny_course(tmp / "course", ASSIGNMENTS)
    seed = tmp / "modules"
    seed.mkdir()
    nbformat.write(welcome_notebook(), seed / "00_welcome.ipynb")
    (tmp / "framework.yaml").write_text("areas: []\n", encoding="utf-8")
    (seed / "framework.yaml").symlink_to(tmp / "framework.yaml")  # as the repository's links
    (seed / "gone.yaml").symlink_to(tmp / "missing.yaml")
    os.chmod(tmp, 0o700)  # the source stays private: learners get the hub's published copy
    hub = harness.HubHarness(
        course_source=course,
        seed_dirs=[seed],
        instructors=INSTRUCTORS,
        limits={"memory": "1G", "cpu": 1.0, "when_unavailable": "refuse"},
        gradebook_backend="postgresql",
    )
    try:
        hub.start()
        hub.create_users(list(PEOPLE))
        hub.add_to_group("instructors", list(INSTRUCTORS))
        ready = hub.start_servers(list(PEOPLE))
        tokens = {name: hub.user_token(name) for name in PEOPLE}
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


def _hand_in(hub: Any, name: str, token: str, assignment: str) -> None:
    """A learner fetches ``assignment``, writes their answer and submits it, by REST API."""
    form = {"course_id": COURSE_ID, "assignment_id": assignment}
    _ok(hub.user_request("POST", name, "assignments/fetch", token, data=form), f"{name} fetch")
    path = f"api/contents/{assignment}/problem1.ipynb"
    model = hub.user_request("GET", name, path, token).json()
    cells = model["content"]["cells"]
    answer = next(c for c in cells if c["metadata"].get("nbgrader", {}).get("solution"))
    assert "BEGIN SOLUTION" not in answer["source"], "the learner edition leaked a solution"
    answer["source"] = ANSWERS[name][0]
    content = {"type": "notebook", "format": "json", "content": model["content"]}
    put = hub.user_request("PUT", name, path, token, json=content)
    assert put.status_code == 200, put.text
    _ok(hub.user_request("POST", name, "assignments/submit", token, data=form), f"{name} submit")


def _autograde_all(hub: Any, instructor: str, token: str, assignment: str) -> list[str]:
    """One instructor autogrades every learner's ``assignment`` in formgrader; the learners."""
    done = []
    for name in LEARNERS:
        student = hub.settings.system_username(name)
        url = f"formgrader/api/submission/{assignment}/{student}/autograde"
        _ok(hub.user_request("POST", instructor, url, token), f"{instructor} autograde {name}")
        done.append(name)
    return done


@pytest.fixture(scope="module")
def graded(workshop: Workshop) -> Workshop:
    """Release, fetch, answer, submit and collect both assignments through the servers'
    APIs; then the two instructors autograde at the same time, one assignment each."""
    hub, tok = workshop.hub, workshop.tokens
    fg = "formgrader/api"
    for assignment in ASSIGNMENTS:
        for step in ("assign", "release"):
            url = f"{fg}/assignment/{assignment}/{step}"
            _ok(hub.user_request("POST", INSTRUCTOR, url, tok[INSTRUCTOR]), f"{step} {assignment}")
    for name in LEARNERS:
        listing = _ok(
            hub.user_request(
                "GET", name, "assignments", tok[name], params={"course_id": COURSE_ID}
            ),
            f"{name} list",
        )
        assert sorted(a["assignment_id"] for a in listing["value"]) == list(ASSIGNMENTS)
        for assignment in ASSIGNMENTS:
            _hand_in(hub, name, tok[name], assignment)
    for assignment in ASSIGNMENTS:
        url = f"{fg}/assignment/{assignment}/collect"
        _ok(hub.user_request("POST", INSTRUCTOR, url, tok[INSTRUCTOR]), f"collect {assignment}")
    # Two instructors, two servers, two processes writing one gradebook at the same time.
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = [
            pool.submit(_autograde_all, hub, who, tok[who], assignment)
            for who, assignment in zip(INSTRUCTORS, ASSIGNMENTS, strict=True)
        ]
        assert [r.result() for r in runs] == [list(LEARNERS)] * 2
    prefix = hub.settings.system_user_prefix
    for who, assignment in zip(INSTRUCTORS, ASSIGNMENTS, strict=True):
        reply = hub.user_request("GET", who, f"{fg}/submissions/{assignment}", tok[who])
        assert reply.status_code == 200, reply.text
        workshop.scores[assignment] = {
            s["student"].removeprefix(prefix): s["score"] for s in reply.json()
        }
    return workshop


def _try_as(uid: int, code: str) -> str:
    """Run ``code`` with Python as ``uid`` (its own groups only); return what it printed."""
    entry = pwd.getpwuid(uid)
    result = subprocess.run(
        [SYSTEM_PYTHON, "-c", code],
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
    for name in PEOPLE:
        pid = workshop.hub.server_pid(name)
        uids[name] = psutil.Process(pid).uids().real
        assert uids[name] == workshop.uid(name) >= 1000
        assert stat.S_IMODE(workshop.home(name).stat().st_mode) == 0o700
    assert len(set(uids.values())) == len(PEOPLE)


def test_course_copied_into_every_home_at_first_login(workshop: Workshop) -> None:
    """Does each learner find the course in ~/endtrafficking, owned by them, with real files
    where the repository has links and nothing where a link leads nowhere?"""
    for name in LEARNERS:
        folder = workshop.home(name) / "endtrafficking" / "modules"
        copy = folder / "00_welcome.ipynb"
        assert copy.is_file()
        assert copy.stat().st_uid == workshop.uid(name)
        framework = folder / "framework.yaml"
        assert framework.is_file() and not framework.is_symlink()
        assert not (folder / "gone.yaml").exists() and not (folder / "gone.yaml").is_symlink()
    for name in INSTRUCTORS:
        link = workshop.home(name) / "course"
        assert link.is_symlink() and link.resolve() == workshop.hub.settings.course_dir


def test_learners_land_in_the_course_view_instructors_in_lab(workshop: Workshop) -> None:
    """Does a learner's server open the welcome page in Voila (its text, none of its code),
    and an instructor's open JupyterLab?"""
    hub, tok = workshop.hub, workshop.tokens
    root = hub.user_request("GET", "ana", "", tok["ana"])
    assert root.status_code == 302
    assert urlsplit(root.headers["Location"]).path == f"/user/ana{LEARNER_LANDING}"
    page = hub.user_request("GET", "ana", LEARNER_LANDING, tok["ana"])
    assert page.status_code == 200, page.text[:300]
    assert "Welcome to the course" in page.text
    assert "secret_source_marker = 6 * 7" not in page.text  # outputs only, never the source
    assert "42" in page.text
    # Learners never write code: no terminal (and no language servers) in their server;
    # an instructor's server has both (so the addresses are right).
    for path in ("api/terminals", "lsp/status"):
        assert hub.user_request("GET", "ana", path, tok["ana"]).status_code == 404, path
        assert hub.user_request("GET", INSTRUCTOR, path, tok[INSTRUCTOR]).status_code == 200
    teacher = hub.user_request("GET", INSTRUCTOR, "", tok[INSTRUCTOR])
    assert urlsplit(teacher.headers["Location"]).path == f"/user/{INSTRUCTOR}/lab"


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
    points, in both assignments, graded by two instructors at the same time?"""
    expected = {name: points for name, (_, points) in ANSWERS.items()}
    assert graded.scores == {assignment: expected for assignment in ASSIGNMENTS}


def test_both_instructors_grades_are_in_the_gradebook(graded: Workshop) -> None:
    """Read back from the PostgreSQL gradebook itself: is every grade of both concurrent
    autograding runs there, and no SQLite file beside it?"""
    settings = graded.hub.settings
    url = url_file(settings).read_text(encoding="utf-8").strip()
    assert url.startswith("postgresql+psycopg://")
    with Gradebook(url, course_id=COURSE_ID) as gb:
        for assignment in ASSIGNMENTS:
            for name, (_, points) in ANSWERS.items():
                student = settings.system_username(name)
                submission = gb.find_submission(assignment, student)
                assert submission.score == points, (assignment, name)
                assert submission.needs_manual_grade is False
    assert not (settings.course_dir / "gradebook.db").exists()


def test_learners_cannot_read_each_other_solutions_or_gradebook(graded: Workshop) -> None:
    """Checked for every learner with real open()/listdir() calls as that learner's own uid:
    can they reach nobody else's work, the solutions or the gradebook?"""
    s = graded.hub.settings
    course = s.course_dir
    inbound = s.exchange_root / COURSE_ID / "inbound"
    gradebook_url = url_file(s)
    # Positive control: an instructor's probe can say "allowed".
    assert access_as(graded.uid(AIDE), gradebook_url, "read") == "allowed"
    for learner in LEARNERS:
        uid = graded.uid(learner)
        other = graded.home(next(n for n in LEARNERS if n != learner))
        own = graded.home(learner) / "ps1" / "problem1.ipynb"
        assert access_as(uid, own, "read") == "allowed"  # the probe can say "allowed"
        checks = {
            "another learner's home": (other, "list"),
            "another learner's notebook": (other / "ps1" / "problem1.ipynb", "read"),
            "the exchange's inbound submissions": (inbound, "list"),
            "the course folder": (course, "list"),
            "the source with solutions": (graded.source_dir / "ps1" / "problem1.ipynb", "read"),
            "the gradebook's address and password": (gradebook_url, "read"),
            "the private source of the course files": (s.seed_dirs[0], "list"),
            "collected submissions": (course / "submitted", "list"),
        }
        for what, (path, how) in checks.items():
            assert access_as(uid, path, how) == "denied", f"{learner} could {how} {what}: {path}"


def test_per_user_memory_and_cpu_limits(workshop: Workshop) -> None:
    """Is each server (and so every kernel it starts) inside a cgroup with the limits, as
    the kernel itself reports?"""
    s = workshop.hub.settings
    cgroups = Cgroups(s.cgroup_name, s.cgroup_root)
    assert cgroups.unavailable_reason() == ""  # the hub refused to start otherwise
    for name in PEOPLE:
        user = s.system_username(name)
        assert cgroups.holds(user, workshop.hub.server_pid(name))
        assert int(cgroups.memory_limit_file(user).read_text()) == 1024**3
    # The learners' parent group weighs like one process per person.
    if cgroups.version == 2:
        weight = cgroups.root / cgroups.name / "cpu.weight"
        assert weight.read_text().strip() == str(100 * len(PEOPLE))
    else:
        weight = cgroups.root / "cpu" / cgroups.name / "cpu.shares"
        assert weight.read_text().strip() == str(1024 * len(PEOPLE))


def _oom_kills(cgroups: Cgroups, user: str) -> int:
    """How many processes the kernel's OOM killer stopped in ``user``'s cgroup."""
    d = cgroups.memory_limit_file(user).parent
    name = "memory.events" if cgroups.version == 2 else "memory.oom_control"
    fields = dict(line.split() for line in (d / name).read_text().splitlines())
    return int(fields.get("oom_kill", 0))


def test_kernel_past_its_memory_limit_is_stopped_others_keep_working(
    graded: Workshop,
) -> None:
    """Real limits on this machine: when cy's kernel allocates 1.5 GiB against a 1 GiB
    limit, does the kernel's OOM killer stop it, while cy's server, and ana's kernel at the
    same moment, keep working?"""
    hub, tok, s = graded.hub, graded.tokens, graded.hub.settings
    cgroups = Cgroups(s.cgroup_name, s.cgroup_root)
    before = _oom_kills(cgroups, s.system_username("cy"))

    async def both() -> list[tuple[float, list[str]]]:
        hog = run_cells(hub, "cy", tok["cy"], ["hog = b'x' * (1536 * 2**20)", "print('alive')"])
        fine = run_cells(hub, "ana", tok["ana"], ["total = sum(range(10**6))", "print(total)"])
        return list(await asyncio.gather(hog, fine))

    (_, hog_errors), (_, fine_errors) = run_in_own_loop(both())
    assert hog_errors == [KERNEL_DIED]
    assert fine_errors == []
    assert _oom_kills(cgroups, s.system_username("cy")) > before
    assert hub.user_request("GET", "cy", "api/status", tok["cy"]).status_code == 200
    _, again = run_in_own_loop(run_cells(hub, "cy", tok["cy"], ["print(6 * 7)"]))
    assert again == []  # a new kernel works: only the one past its limit was stopped


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


def test_first_sign_in_needs_the_workshop_code(workshop: Workshop) -> None:
    """Through the real login form: does the code claim a name once, after which only the
    personal password works, and are instructor names reserved for the instructor code?"""
    hub = workshop.hub
    learner_code = read_code(hub.settings, "learner")
    instructor_code = read_code(hub.settings, "instructor")
    assert len(learner_code) >= 8 and len(instructor_code) >= 16
    assert _login(hub, "dee", "a-good-password", code="wrong-code") == 403
    assert _login(hub, "dee", "short", code=learner_code) == 400
    assert _login(hub, "dee", "a-good-password", code=learner_code) == 302
    assert _login(hub, "dee", "another-password", code=learner_code) == 403
    assert _login(hub, "dee", "a-good-password") == 302
    assert _login(hub, AIDE, "instructor-password", code=learner_code) == 403
    assert _login(hub, AIDE, "instructor-password", code=instructor_code) == 302
    assert hub.api("GET", f"/users/{AIDE}").json()["admin"] is True
    assert hub.api("GET", "/users/dee").json()["admin"] is False
