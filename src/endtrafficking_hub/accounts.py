"""System accounts: one per person (``<prefix><hub name>``), and the instructors' group."""

from __future__ import annotations

import grp
import os
import pwd
import subprocess

MIN_UID = 1000
#: An account every Debian or Ubuntu system has, with no rights of its own: what a learner
#: can reach, it can reach.
NOBODY = "nobody"


def run_admin(cmd: list[str]) -> None:
    """Run an admin command; raise RuntimeError with its output on failure."""
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} failed ({result.returncode}): "
            f"{(result.stderr or result.stdout).strip()}"
        )


def ensure_group(name: str) -> int:
    """Create system group ``name`` if missing; return its gid."""
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        run_admin(["groupadd", name])
        return grp.getgrnam(name).gr_gid


def ensure_system_user(username: str, instructor_group: str, instructor: bool) -> pwd.struct_passwd:
    """Create ``username`` (home 0700) if missing and set its instructors-group membership.

    Refuses accounts below uid 1000, so a hub name can never map to a system account.
    """
    try:
        entry = pwd.getpwnam(username)
    except KeyError:
        run_admin(
            [
                "useradd",
                "--create-home",
                "--user-group",
                "--shell",
                "/bin/bash",
                "--comment",
                "workshop hub user",
                username,
            ]
        )
        entry = pwd.getpwnam(username)
        # useradd's home mode follows the host's HOME_MODE/UMASK; learners' homes are private.
        os.chmod(entry.pw_dir, 0o700)
    if entry.pw_uid < MIN_UID:
        raise RuntimeError(
            f"refusing to run a server as system account {username} (uid {entry.pw_uid} < 1000)"
        )
    members = grp.getgrnam(instructor_group).gr_mem
    if instructor and username not in members:
        run_admin(["usermod", "--append", "--groups", instructor_group, username])
    elif not instructor and username in members:
        run_admin(["gpasswd", "--delete", username, instructor_group])
    return pwd.getpwnam(username)


def can_run_as_other_user(python: str, code: str) -> tuple[bool, str]:
    """Can an account without rights (``nobody``) start ``python`` and run ``code``?

    A real run as that account, so every folder on the way, every file mode and every ACL
    counts as it will for a learner. Returns (ok, what went wrong).
    """
    try:
        result = subprocess.run(
            [python, "-c", code],
            user=NOBODY,
            group=pwd.getpwnam(NOBODY).pw_gid,
            extra_groups=[],
            cwd="/",
            env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return False, f"{python}: {exc}"
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        return False, f"{python}: {lines[-1] if lines else result.returncode}"
    return True, ""
