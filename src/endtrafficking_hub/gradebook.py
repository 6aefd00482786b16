"""The instructors' gradebook in PostgreSQL (``gradebook: {backend: postgresql}``).

nbgrader's default gradebook is one SQLite file: two instructors grading at once can meet
"database is locked". With PostgreSQL each writer has its own connection and nothing waits
for a file lock. This module installs Debian's ``postgresql`` if missing, starts its cluster,
creates the role and database, and writes the database URL into a file only instructors can
read (``<course>/.gradebook-url``); their nbgrader configuration reads it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from pathlib import Path

from .accounts import run_admin
from .credentials import write_private
from .settings import Settings, WorkshopConfigError

DRIVER = "postgresql+psycopg"


def _psql(sql: str, database: str = "postgres") -> str:
    """Run ``sql`` as the ``postgres`` account through its local socket; return the output."""
    result = subprocess.run(
        ["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql],
        user="postgres",
        cwd="/",
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    if result.returncode != 0:
        raise RuntimeError(f"PostgreSQL refused {sql[:60]!r}: {result.stderr.strip()}")
    return result.stdout.strip()


def _ensure_installed() -> None:
    """Install Debian's postgresql when its cluster tools are missing."""
    if shutil.which("pg_lsclusters"):
        return
    if not shutil.which("apt-get"):
        raise WorkshopConfigError(
            "gradebook.backend is postgresql but PostgreSQL is not installed and apt-get is "
            "missing. Fix: install PostgreSQL, or set gradebook.backend: sqlite."
        )
    print("Installing PostgreSQL with apt-get (gradebook.backend: postgresql)...", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    run_admin(["apt-get", "install", "-y", "-qq", "postgresql"])


def ensure_cluster() -> int:
    """Start the first PostgreSQL cluster (creating one if there is none); return its port."""
    _ensure_installed()
    listing = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    clusters = [line.split() for line in listing if line.strip()]
    if not clusters:
        version = sorted(os.listdir("/usr/lib/postgresql"))[-1]
        run_admin(["pg_createcluster", version, "main", "--start"])
        return ensure_cluster()
    version, name, port, status = clusters[0][:4]
    if status != "online":
        run_admin(["pg_ctlcluster", version, name, "start"])
    return int(port)


def database_url(settings: Settings, password: str, port: int) -> str:
    """The SQLAlchemy URL nbgrader uses."""
    user, db = settings.gradebook_user, settings.gradebook_database
    return f"{DRIVER}://{user}:{password}@127.0.0.1:{port}/{db}"


def url_file(settings: Settings) -> Path:
    """The file holding the URL, readable by instructors only."""
    return settings.course_dir / ".gradebook-url"


def prepare(settings: Settings, gid: int | None) -> str:
    """Role, database and URL file; returns a note for the banner. Idempotent."""
    port = ensure_cluster()
    user, db = settings.gradebook_user, settings.gradebook_database
    secret_file = settings.state_dir / "gradebook-password"
    if secret_file.is_file():
        password = secret_file.read_text(encoding="utf-8").strip()
    else:
        password = secrets.token_hex(24)  # hex only: safe to put in SQL and in a URL
        write_private(secret_file, password + "\n")
    verb = "ALTER" if _psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{user}'") else "CREATE"
    _psql(f"{verb} ROLE {user} LOGIN PASSWORD '{password}'")
    if not _psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'"):
        _psql(f"CREATE DATABASE {db} OWNER {user}")
    target = url_file(settings)
    write_private(target, database_url(settings, password, port) + "\n")
    if gid is not None:
        os.chown(target, 0, gid)
        os.chmod(target, 0o640)
    return f"Gradebook: PostgreSQL database {db} on 127.0.0.1:{port} (URL in {target})"


def drop(settings: Settings) -> None:
    """Remove the database and role (after a workshop, or a test's throwaway hub)."""
    _psql(f"DROP DATABASE IF EXISTS {settings.gradebook_database} WITH (FORCE)")
    _psql(f"DROP ROLE IF EXISTS {settings.gradebook_user}")
