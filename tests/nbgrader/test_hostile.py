"""Hostile submissions, graded with real nbgrader and real kernels in the sandbox.

Every hostile learner hands in 03_context with the reference work files and the right
answers, plus an attack in the first answer cell (see :data:`ATTACKS`). One pipeline
run grades them all in parallel (a module fixture). Each test asserts the grade given,
that the two honest learners' grades are full and equal, that ``source/``, the
submissions and the gradebook's other rows are unchanged, and that feedback leaks
nothing. Fictional learners only.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbgrader_cohort import KNOWLEDGE_CHECK

from endtrafficking.grading import integrity, pipeline, reference, results, sandbox

pytestmark = [
    pytest.mark.nbgrader,
    pytest.mark.slow,
    pytest.mark.skipif(bool(sandbox.unavailable_reason()), reason="bubblewrap cannot run here"),
]

ASSIGNMENT = "03_context"
HONEST = ("honest", "victim")
#: Code that looks for the course from inside the kernel (every path it could know).
FIND = """
import os, pathlib, endtrafficking
def course_candidates():
    here = [pathlib.Path.cwd(), pathlib.Path(endtrafficking.__file__).resolve()]
    seen = [p for h in here for p in [h, *h.parents]]
    seen += [pathlib.Path(p) for p in ("/work", "/root", "/home", "/srv", os.path.expanduser("~"))]
    found = []
    for base in seen:
        for name in ("gradebook.db", "course/gradebook.db", "source", "course/source", "submitted"):
            if (base / name).exists():
                found.append(base / name)
    return found
FOUND = course_candidates()
print("FOUND", FOUND)
"""
ATTACKS = {
    "gradebook_writer": FIND
    + """
import sqlite3
for path in FOUND:
    if path.name == "gradebook.db":
        db = sqlite3.connect(path)
        db.execute("UPDATE grade SET manual_score = 0")
        db.commit()
""",
    "overscorer": """
import ast
class FortyFive(ast.NodeTransformer):
    def visit_Module(self, node):
        node.body.append(ast.Expr(ast.Constant(45.0)))
        return node
get_ipython().ast_transformers.append(FortyFive())
""",
    "overwriter": FIND
    + """
for path in FOUND:
    if path.name == "submitted":
        for target in path.glob("*/03_context/*.json"):
            target.write_text("{}")
""",
    "source_editor": FIND
    + """
for path in FOUND:
    if path.name == "source":
        for target in path.glob("03_context/*.ipynb"):
            target.write_text(target.read_text().replace("expect_answer", "print"))
""",
    "snooper": FIND
    + """
print(endtrafficking.__file__, os.listdir("/"), os.listdir("/opt"), os.getcwd())
print(os.listdir(os.path.expanduser("~")), os.listdir("/proc"))
print(open("/proc/1/cmdline").read())
for path in FOUND:
    print(path, os.listdir(path) if path.is_dir() else path.read_bytes()[:2000])
""",
    "monkeypatcher": """
import sys
checkpoint_module = sys.modules["endtrafficking.grading.checkpoint"]
for name in dir(checkpoint_module):
    if name.startswith(("expect", "check")):
        setattr(checkpoint_module, name, lambda *args, **kwargs: None)
""",
    "always_equal": """
class Agree(str):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __hash__(self): return 0
import endtrafficking.grading.typed_answers as cp
cp.canonical = lambda value: 0
""",
    "fork_bomb": """
import os, time
children = 0
try:
    while True:
        if os.fork() == 0:
            time.sleep(20)
            os._exit(0)
        children += 1
except OSError as exc:
    print("fork stopped after", children, "children:", exc.__class__.__name__)
""",
    "disk_filler": """
written = 0
for folder in ("/tmp", "/submission"):
    for i in range(20):
        try:
            with open(f"{folder}/fill{i}", "wb") as out:
                out.write(b"0" * (100 * 1024 * 1024))
            written += 1
        except OSError as exc:
            print("write stopped:", folder, i, exc.__class__.__name__)
            break
""",
    "network": """
import socket
try:
    socket.create_connection(("127.0.0.1", PORT), timeout=3).sendall(b"secret")
    print("CONNECTED")
except OSError as exc:
    print("no network:", exc.__class__.__name__)
""",
}
#: Learners whose saved answer is wrong (everything else is right).
WRONG_Q1 = {"monkeypatcher"}
WRONG_Q2 = {"always_equal"}


@dataclass
class Hostile:
    """The graded hostile cohort."""

    root: Path
    report: pipeline.PipelineReport
    source_before: str
    submitted_before: dict[str, str]
    listener_got: list[bytes]


def _digest(folder: Path) -> str:
    hashes = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            hashes.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return hashes.hexdigest()


def _listen() -> tuple[int, list[bytes]]:
    """A TCP server on 127.0.0.1 that records anything sent to it."""
    server = socket.create_server(("127.0.0.1", 0))
    got: list[bytes] = []

    def serve() -> None:
        server.settimeout(600)
        try:
            conn, _ = server.accept()
            got.append(conn.recv(100))
        except OSError:
            pass

    threading.Thread(target=serve, daemon=True).start()
    return server.getsockname()[1], got


def add_cell(path: Path, code: str) -> None:
    """Add a code cell with ``code`` after the setup cell (an added cell is run too)."""
    nb = nbformat.read(path, as_version=4)
    at = next(
        i
        for i, c in enumerate(nb.cells)
        if c.metadata.get("nbgrader", {}).get("grade_id") == "setup"
    )
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell(code))
    nbformat.write(nb, path)


def wrong_answer(folder: Path, question: str) -> None:
    """Save a wrong (but well-formed) answer to ``question``."""
    from endtrafficking.grading.verify import ANSWERS_FILE

    path = folder / ANSWERS_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    entry = data["state"]["answers"][question]
    options = {"q1": ["documented_cases"], "q2": ["windshield_survey"]}
    entry["selected"] = options[question]
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(generated_course: Path, tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    """Every hostile learner and the two honest ones, graded in one run (two workers)."""
    root = tmp_path_factory.mktemp("hostile") / "course"
    shutil.copytree(generated_course, root)
    port, got = _listen()
    for student in (*HONEST, *ATTACKS):
        folder = reference.write_submission(root, ASSIGNMENT, student)
        if student in ATTACKS:
            add_cell(folder / KNOWLEDGE_CHECK, ATTACKS[student].replace("PORT", str(port)))
        for question in ("q1",) * (student in WRONG_Q1) + ("q2",) * (student in WRONG_Q2):
            wrong_answer(folder, question)
    source_before = _digest(root / "source")
    submitted_before = integrity.snapshot(root)
    out = io.StringIO()
    report = pipeline.run(
        pipeline.GradeOptions(root=root, assignments=[ASSIGNMENT], jobs=2, force=True), out
    )
    return Hostile(root, report, source_before, submitted_before, got)


@pytest.fixture(scope="module")
def cells(hostile: Hostile) -> pd.DataFrame:
    """The autograded cells of every submission."""
    table = results.cell_scores(results.db_url(hostile.root))
    return table[table["autograded"] & (table["assignment"] == ASSIGNMENT)]


def scores(cells: pd.DataFrame, student: str) -> dict[str, float]:
    """grade id -> points of one learner's autograded cells."""
    part = cells[cells["student"] == student]
    return dict(zip(part["notebook"] + "/" + part["cell"], part["score"], strict=True))


def full(cells: pd.DataFrame) -> dict[str, float]:
    """grade id -> maximum points."""
    part = cells[cells["student"] == "honest"]
    return dict(zip(part["notebook"] + "/" + part["cell"], part["max_score"], strict=True))


def feedback_text(root: Path, student: str) -> str:
    """Every feedback page of one learner, as one text."""
    pages = sorted((root / "feedback" / student / ASSIGNMENT).glob("*.html"))
    assert pages, f"no feedback for {student}"
    return "\n".join(p.read_text(encoding="utf-8") for p in pages)


def test_honest_learners_get_full_marks(hostile: Hostile, cells: pd.DataFrame) -> None:
    """Are both honest learners graded in full, and equally, beside the attacks?"""
    assert scores(cells, "honest") == full(cells) == scores(cells, "victim")


def test_course_and_submissions_unchanged(hostile: Hostile) -> None:
    """Is source/ byte for byte as before, and is every submission as handed in?"""
    assert _digest(hostile.root / "source") == hostile.source_before
    assert integrity.snapshot(hostile.root) == hostile.submitted_before
    assert hostile.report.tampering == []


@pytest.mark.parametrize("student", sorted(set(ATTACKS) - WRONG_Q1 - WRONG_Q2))
def test_attack_earns_exactly_the_right_answers(
    hostile: Hostile, cells: pd.DataFrame, student: str
) -> None:
    """Does each attacker with right answers get exactly full marks, never more?"""
    assert scores(cells, student) == full(cells)


def test_overscorer_is_capped_and_flagged(hostile: Hostile, cells: pd.DataFrame) -> None:
    """Is a test cell that returns 45 points scored at its maximum, and flagged?"""
    assert sum(scores(cells, "overscorer").values()) == sum(full(cells).values())
    assert any("overscorer FLAGGED" in p for p in hostile.report.problems)
    lms = pd.read_csv(hostile.root / "exports" / "lms_grades.csv").set_index("student_id")
    assert lms.loc["overscorer", "flagged"] == ASSIGNMENT
    assert (lms["percent"] <= 100).all() and (lms["sandbox"] == "on").all()


def test_monkeypatched_checks_earn_nothing(hostile: Hostile, cells: pd.DataFrame) -> None:
    """Do wrong answers score 0 even with the check functions replaced, and is it flagged?"""
    got = scores(cells, "monkeypatcher")
    assert got[f"{KNOWLEDGE_CHECK[:-6]}/q1_test"] == 0
    assert any("monkeypatcher FLAGGED" in p for p in hostile.report.problems)


def test_always_equal_object_is_not_an_answer(hostile: Hostile, cells: pd.DataFrame) -> None:
    """Does an object whose __eq__ always agrees fail the hidden test?"""
    assert scores(cells, "always_equal")[f"{KNOWLEDGE_CHECK[:-6]}/q2_test"] == 0


def test_feedback_leaks_nothing(hostile: Hostile) -> None:
    """Does no feedback carry the course's paths, solutions, hidden tests or the gradebook?"""
    secrets = [str(hostile.root), f"{Path.home()}/", "BEGIN SOLUTION", "BEGIN HIDDEN TESTS"]
    repository = str(Path(__file__).resolve().parents[2])  # the checkout, wherever it is
    secrets += ["SQLite format 3", repository, "expect_answer("]
    for student in (*HONEST, *ATTACKS):
        text = feedback_text(hostile.root, student)
        for secret in secrets:
            assert secret not in text, f"{student}'s feedback shows {secret!r}"
    assert "FOUND []" in feedback_text(hostile.root, "snooper")


def test_caps_hold(hostile: Hostile) -> None:
    """Do the process and disk caps stop a fork bomb and a disk filler, with no network?"""
    assert "fork stopped after" in feedback_text(hostile.root, "fork_bomb")
    assert "write stopped: /tmp" in feedback_text(hostile.root, "disk_filler")
    assert "write stopped: /submission" in feedback_text(hostile.root, "disk_filler")
    assert "no network" in feedback_text(hostile.root, "network")
    assert hostile.listener_got == []
    big = [p for p in hostile.root.rglob("fill*")]
    assert big == []
