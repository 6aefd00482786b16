"""System accounts, made for real with useradd (as root), and the "can a learner run it?"
check, made for real as an account without rights."""

from __future__ import annotations

import grp
import os
import pwd
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from endtrafficking_hub import accounts

from .conftest import require_root

pytestmark = pytest.mark.hub


@pytest.fixture
def names() -> tuple[str, str]:
    """A throwaway account and group name; both removed afterwards."""
    require_root()
    tag = secrets.token_hex(2)
    user, group = f"etw-acc-{tag}", f"etw-accg-{tag}"
    yield user, group
    subprocess.run(["userdel", "--remove", user], capture_output=True, check=False)
    subprocess.run(["groupdel", group], capture_output=True, check=False)


def test_account_is_made_private_and_joins_the_group(names: tuple[str, str]) -> None:
    """Is a new person's account made with a 0700 home, a uid of 1000 or more, and moved
    into and out of the instructors' group as their role changes?"""
    user, group = names
    accounts.ensure_group(group)
    entry = accounts.ensure_system_user(user, group, instructor=True)
    assert entry.pw_uid >= accounts.MIN_UID
    assert stat.S_IMODE(os.stat(entry.pw_dir).st_mode) == 0o700
    assert user in grp.getgrnam(group).gr_mem
    accounts.ensure_system_user(user, group, instructor=False)
    assert user not in grp.getgrnam(group).gr_mem
    assert accounts.ensure_system_user(user, group, instructor=False).pw_uid == entry.pw_uid


def test_system_accounts_are_refused(names: tuple[str, str]) -> None:
    """Is a server never run as an account below uid 1000 (such as a daemon's)?"""
    _, group = names
    accounts.ensure_group(group)
    daemon = pwd.getpwuid(1).pw_name
    with pytest.raises(RuntimeError, match="uid 1 < 1000"):
        accounts.ensure_system_user(daemon, group, instructor=False)


def test_reachability_is_tried_as_another_account(tmp_path: Path) -> None:
    """Does the check say no for a Python in a folder others cannot enter, and yes for the
    system's Python, trying it for real as an account without rights?"""
    require_root()
    ok, _ = accounts.can_run_as_other_user("/usr/bin/python3", "import os")
    assert ok
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    os.chmod(tmp_path, 0o755)
    (private / "python3").symlink_to("/usr/bin/python3")
    ok, why = accounts.can_run_as_other_user(str(private / "python3"), "import os")
    assert not ok and "Permission denied" in why
    mine_ok, _ = accounts.can_run_as_other_user(sys.executable, "import os")
    assert mine_ok == all(
        os.stat(p).st_mode & stat.S_IXOTH for p in Path(sys.executable).resolve().parents
    )
