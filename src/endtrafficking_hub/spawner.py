"""The spawner: one system account per person, limits through cgroups, a landing page by role.

Learners land in the course view (Voilà's ``/voila/render/...``), instructors in JupyterLab.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import Unicode

from . import limits
from .accounts import ensure_group, ensure_system_user
from .settings import Settings, cached_settings
from .singleuser import SEED_DEST

INSTRUCTORS_GROUP = "instructors"  # the JupyterHub group; the system group is in the settings
LEARNER_LANDING = f"/voila/render/{SEED_DEST}/modules/00_welcome.ipynb"
INSTRUCTOR_LANDING = "/lab"
#: glibc makes one malloc arena per thread; two are plenty for a server or a kernel and
#: keep each person's resident memory lower (HOSTS.md, Sizing).
LEAN_ENV = {"MALLOC_ARENA_MAX": "2"}


def landing_url(instructor: bool) -> str:
    """Where a person's server opens."""
    return INSTRUCTOR_LANDING if instructor else LEARNER_LANDING


class WorkshopSpawner(LocalProcessSpawner):
    """LocalProcessSpawner with one system account per hub user (``<prefix><name>``).

    Before the server starts: the account exists (home 0700), instructors are in the
    instructors system group, and a cgroup holds the limits. The process runs
    ``python -m endtrafficking_hub.singleuser`` as the user, which copies the course into the
    home folder and execs ``jupyterhub-singleuser``.
    """

    settings_file = Unicode(config=True, help="Path of the workshop settings YAML.")

    @property
    def settings(self) -> Settings:
        """The workshop settings."""
        return cached_settings(self.settings_file)

    @property
    def system_username(self) -> str:
        """The OS account for this server."""
        return self.settings.system_username(self.user.name)

    @property
    def is_instructor(self) -> bool:
        """Member of the hub's instructors group, or listed in the settings."""
        groups = {g.name for g in self.user.groups}
        return INSTRUCTORS_GROUP in groups or self.user.name in self.settings.instructors

    @property
    def cgroups(self) -> limits.Cgroups:
        """The cgroup helper for these settings."""
        return limits.Cgroups(self.settings.cgroup_name, self.settings.cgroup_root)

    @property
    def home(self) -> str:
        """This user's home folder."""
        if self.settings.mode == "demo":
            return str(self.settings.demo_home(self.user.name))
        return pwd.getpwnam(self.system_username).pw_dir

    @property
    def wants_limits(self) -> bool:
        """Are limits configured, and is this a mode that can apply them?"""
        s = self.settings
        return s.mode == "users" and bool(s.mem_limit_bytes or s.cpu_limit)

    def make_preexec_fn(self, name: str) -> Callable[[], None]:
        """Join the cgroup, set the umask, drop to the user (runs after fork, before exec)."""
        users_mode = self.settings.mode == "users"
        setuid = set_user_setuid(self.system_username) if users_mode else None
        procs = list(getattr(self, "_cgroup_procs", []))
        strict = self.settings.limits_required
        umask = 0o007 if self.is_instructor else 0o077
        home = self.home

        def preexec() -> None:
            for path in procs:
                try:
                    with open(path, "w") as handle:
                        handle.write(str(os.getpid()))
                except OSError:
                    if strict:
                        raise  # Popen fails: no server runs without its limits
            os.umask(umask)
            if setuid is not None:
                setuid()
            else:
                os.chdir(home)

        return preexec

    def user_env(self, env: dict[str, str]) -> dict[str, str]:
        """USER, HOME and SHELL of the system account."""
        if self.settings.mode == "demo":
            env.update(USER=self.system_username, HOME=self.home)
            return env
        entry = pwd.getpwnam(self.system_username)
        env.update(USER=entry.pw_name, HOME=entry.pw_dir, SHELL=entry.pw_shell or "/bin/bash")
        return env

    def get_env(self) -> dict[str, str]:
        """Role, course locations and seed folders for the server and its wrapper."""
        env = super().get_env()
        s = self.settings
        seeds = [s.seed_root / d.name for d in s.seed_dirs] if s.mode == "users" else s.seed_dirs
        env.update(
            LEAN_ENV,
            WORKSHOP_ROLE="instructor" if self.is_instructor else "learner",
            WORKSHOP_COURSE_ID=s.course_id,
            WORKSHOP_EXCHANGE_ROOT=str(s.exchange_root),
            WORKSHOP_SEED_DIRS=os.pathsep.join(str(d) for d in seeds),
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', os.defpath)}",
        )
        if self.is_instructor:
            env["WORKSHOP_COURSE_DIR"] = str(s.course_dir)
            if s.gradebook_backend == "postgresql":
                env["WORKSHOP_GRADEBOOK_URL_FILE"] = str(s.course_dir / ".gradebook-url")
        return env

    async def _apply_limits(self) -> None:
        """Create this person's cgroup, or record (warn mode) or raise (refuse mode) why not."""
        self._cgroup_procs: list[Path] = []
        if not self.wants_limits:
            return
        cg = self.cgroups
        reason = cg.unavailable_reason()
        if not reason:
            try:
                self._cgroup_procs = await asyncio.to_thread(
                    cg.create,
                    self.system_username,
                    self.settings.mem_limit_bytes,
                    self.settings.cpu_limit,
                )
                return
            except OSError as exc:  # e.g. a controller the kernel does not delegate
                reason = f"cannot set up cgroup {cg.name}/{self.system_username} ({exc})"
        self._limits_failed(reason)

    def _limits_failed(self, reason: str) -> None:
        """Refuse the server, or let it run with a loud warning, as the settings say."""
        if self.settings.limits_required:
            self.log.error(
                "Server of %s NOT started: limits cannot be applied: %s", self.user.name, reason
            )
            raise limits.LimitsUnavailable(
                f"Your server was not started: the workshop's memory and CPU limits cannot be "
                f"applied ({reason}). Please tell the workshop host."
            )
        self.log.warning("LIMITS NOT APPLIED to %s's server: %s", self.user.name, reason)
        limits.record_problem(self.user.name, reason)

    async def start(self) -> tuple[str, int]:
        """Account, cgroup and landing page first, then start as LocalProcessSpawner does."""
        s = self.settings
        self.default_url = landing_url(self.is_instructor)
        self._cgroup_procs = []
        if s.mode == "users":
            await asyncio.to_thread(ensure_group, s.instructors_system_group)
            await asyncio.to_thread(
                ensure_system_user,
                self.system_username,
                s.instructors_system_group,
                self.is_instructor,
            )
            await self._apply_limits()
        else:
            Path(self.home).mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0 and "--allow-root" not in self.args:
                self.log.warning("demo mode as root: servers run as root (--allow-root)")
                self.args = [*self.args, "--allow-root"]
        try:
            url = await super().start()
        except subprocess.SubprocessError as exc:  # refuse mode: preexec could not join
            if self._cgroup_procs and self.settings.limits_required:
                self._limits_failed(f"the server could not join its cgroup ({exc})")
            raise
        if self._cgroup_procs:
            await self._check_membership()
        return url

    async def _check_membership(self) -> None:
        """Read back from the kernel that the server really is inside its cgroup."""
        if self.cgroups.holds(self.system_username, self.pid):
            limits.clear_problem(self.user.name)
            return
        reason = f"process {self.pid} is not in cgroup {self.settings.cgroup_name}"
        if self.settings.limits_required:
            await super().stop(now=True)
        self._limits_failed(reason)

    async def stop(self, now: bool = False) -> None:
        """Stop the server, then kill strays in its cgroup and remove the cgroup."""
        await super().stop(now=now)
        cg = self.cgroups
        if self.wants_limits and not cg.unavailable_reason():
            await asyncio.to_thread(cg.remove, self.system_username)
