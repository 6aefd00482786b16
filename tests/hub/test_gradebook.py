"""The gradebook in PostgreSQL: Debian's server, a role and database, a URL only
instructors can read, and nbgrader's own Gradebook working on it. Real PostgreSQL."""

from __future__ import annotations

import grp
import os
import secrets
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from nbgrader.api import Gradebook

from endtrafficking_hub import gradebook
from endtrafficking_hub.settings import load_settings

from .conftest import require, require_root

pytestmark = [pytest.mark.hub, pytest.mark.slow]


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Settings with a throwaway database and role; both dropped afterwards."""
    require_root()
    # nbgrader migrates a database other than SQLite with the `alembic` command.
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    require(bool(shutil.which("pg_lsclusters") or shutil.which("apt-get")), "no PostgreSQL")
    tag = f"etw_gb_{secrets.token_hex(3)}"
    path = tmp_path / "workshop.yaml"
    data = {
        "state_dir": str(tmp_path / "st"),
        "course_root": str(tmp_path / "co"),
        "gradebook": {"backend": "postgresql", "database": tag, "user": tag},
    }
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    s = load_settings(path)
    s.course_dir.mkdir(parents=True)
    yield s
    gradebook.drop(s)


def test_database_is_made_and_nbgrader_uses_it(settings) -> None:
    """Does preparation start PostgreSQL, create the role and database, keep the URL private
    to instructors, and can nbgrader's Gradebook write and read through it?"""
    group = grp.getgrgid(os.getgid())
    note = gradebook.prepare(settings, group.gr_gid)
    assert settings.gradebook_database in note
    url_file = gradebook.url_file(settings)
    assert stat.S_IMODE(url_file.stat().st_mode) == 0o640
    assert url_file.stat().st_gid == group.gr_gid
    url = url_file.read_text().strip()
    assert url.startswith("postgresql+psycopg://")
    with Gradebook(url, course_id="endtrafficking") as gb:
        gb.add_student("jupyter-ana")
        gb.add_assignment("ps1")
    with Gradebook(url, course_id="endtrafficking") as gb:
        assert [s.id for s in gb.students] == ["jupyter-ana"]
    # Idempotent: a second start keeps the database and the same password.
    gradebook.prepare(settings, group.gr_gid)
    assert url_file.read_text().strip() == url
    with Gradebook(url, course_id="endtrafficking") as gb:
        assert [a.name for a in gb.assignments] == ["ps1"]


def test_drop_removes_database_and_role(settings) -> None:
    """After `drop`, are the database and the role gone?"""
    gradebook.prepare(settings, None)
    gradebook.drop(settings)
    listing = subprocess.run(
        ["psql", "-X", "-t", "-A", "-c", "SELECT datname FROM pg_database"],
        user="postgres",
        cwd="/",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert settings.gradebook_database not in listing
