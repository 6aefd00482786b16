"""The workshop JupyterHub: settings, authenticator, spawner, host preparation and launcher.

One module, loaded three ways:

- ``jupyterhub_config.py`` imports it for :class:`WorkshopAuthenticator`,
  :class:`WorkshopSpawner` and :func:`load_settings`;
- ``make hub`` runs it as a script (``python hub/workshop_hub.py run``), which checks the
  host, prepares directories and then execs ``jupyterhub``;
- ``hub/harness.py`` (tests and the load benchmark) imports it for the same settings.

The host edits ``hub/workshop.yaml``. It is checked on load against :data:`SCHEMA` plus a few
rules; every error names the field and the fix.
"""

from __future__ import annotations

import argparse
import asyncio
import grp
import hashlib
import hmac
import ipaddress
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from jupyterhub.auth import Authenticator
from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from tornado import web
from traitlets import Unicode

HUB_DIR = Path(__file__).resolve().parent
REPO_ROOT = HUB_DIR.parent
DEFAULT_SETTINGS_FILE = HUB_DIR / "workshop.yaml"
SETTINGS_ENV = "WORKSHOP_HUB_CONFIG"
ADMIN_TOKEN_ENV = "WORKSHOP_ADMIN_TOKEN"
LEARNER_CODE_ENV = "WORKSHOP_LEARNER_CODE"
INSTRUCTOR_CODE_ENV = "WORKSHOP_INSTRUCTOR_CODE"
INSTRUCTORS_GROUP = "instructors"  # the JupyterHub group; the system group is in the settings
ROLES_DIR = HUB_DIR / "roles"
SINGLEUSER_WRAPPER = HUB_DIR / "singleuser_start.py"
# Hub usernames: short, lowercase, safe as part of a system account name.
USERNAME_RE = r"^[a-z][a-z0-9_-]{0,19}$"
MIN_LEARNER_CODE = 8
MIN_INSTRUCTOR_CODE = 16
MIN_PASSWORD = 8
CGROUP_ROOT = Path("/sys/fs/cgroup")
CPU_PERIOD_US = 100_000


class WorkshopConfigError(ValueError):
    """A settings file is wrong; the message names the field and the fix."""


# --------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "course_id": {"type": "string", "pattern": r"^[A-Za-z0-9_-]{1,40}$"},
        "mode": {"enum": ["users", "demo"]},
        "bind_ip": {"type": "string"},
        "port": {"type": "integer", "minimum": 1, "maximum": 65535},
        "hub_port": {"type": "integer", "minimum": 1, "maximum": 65535},
        "proxy_api_port": {"type": "integer", "minimum": 1, "maximum": 65535},
        "state_dir": {"type": "string", "minLength": 1},
        "exchange_root": {"type": "string", "minLength": 1},
        "course_root": {"type": "string", "minLength": 1},
        "course_source": {"type": ["string", "null"]},
        "seed_dirs": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "system_user_prefix": {"type": "string", "pattern": r"^[a-z][a-z0-9_-]{1,11}$"},
        "instructors_system_group": {"type": "string", "pattern": r"^[a-z][a-z0-9_-]{1,31}$"},
        "instructors": {"type": "array", "items": {"type": "string", "pattern": USERNAME_RE}},
        "culling": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "enabled": {"type": "boolean"},
                "timeout_seconds": {"type": "integer", "minimum": 10},
                "every_seconds": {"type": "integer", "minimum": 5},
                "max_age_seconds": {"type": "integer", "minimum": 0},
            },
        },
        "limits": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "memory": {"type": ["string", "null"]},
                "cpu": {"type": ["number", "null"], "exclusiveMinimum": 0},
                "cgroup_name": {"type": "string", "pattern": r"^[A-Za-z0-9_.-]{1,64}$"},
            },
        },
    },
}

FIELD_HINTS: dict[str, str] = {
    "course_id": "use letters, digits, '-' or '_' (at most 40), e.g. endtrafficking",
    "mode": "write 'users' (one system account per person; needs root) or 'demo'",
    "port": "use a port number from 1 to 65535, e.g. 8000",
    "hub_port": "use a free port number from 1 to 65535, e.g. 8081",
    "proxy_api_port": "use a free port number from 1 to 65535, e.g. 8001",
    "system_user_prefix": "use 2-12 lowercase letters, digits, '-' or '_', e.g. jupyter-",
    "instructors_system_group": "use a lowercase group name, e.g. jupyter-instructors",
    "instructors": "list hub usernames: lowercase, starting with a letter, at most 20 chars",
    "culling": "set enabled, timeout_seconds (>= 10), every_seconds (>= 5), max_age_seconds",
    "limits": "set memory (e.g. 2G or null) and cpu (e.g. 1.0 or null)",
}

DEFAULTS: dict[str, Any] = {
    "course_id": "endtrafficking",
    "mode": "users",
    "bind_ip": "127.0.0.1",
    "port": 8000,
    "hub_port": 8081,
    "proxy_api_port": 8001,
    "state_dir": "state",
    "exchange_root": "/srv/nbgrader/exchange",
    "course_root": "/srv/nbgrader/courses",
    "course_source": "../course",
    "seed_dirs": ["../modules", "../engage_lessons", "../assessments_templates"],
    "system_user_prefix": "jupyter-",
    "instructors_system_group": "jupyter-instructors",
    "instructors": ["instructor"],
    "culling": {
        "enabled": True,
        "timeout_seconds": 3600,
        "every_seconds": 300,
        "max_age_seconds": 0,
    },
    "limits": {"memory": "2G", "cpu": 1.0, "cgroup_name": "jupyterhub-workshop"},
}


@dataclass(frozen=True)
class Settings:
    """The checked workshop settings, with paths made absolute."""

    source: Path
    course_id: str
    mode: str
    bind_ip: str
    port: int
    hub_port: int
    proxy_api_port: int
    state_dir: Path
    exchange_root: Path
    course_root: Path
    course_source: Path | None
    seed_dirs: tuple[Path, ...]
    system_user_prefix: str
    instructors_system_group: str
    instructors: tuple[str, ...]
    cull_enabled: bool
    cull_timeout: int
    cull_every: int
    cull_max_age: int
    mem_limit_bytes: int | None
    cpu_limit: float | None
    cgroup_name: str
    warnings: tuple[str, ...] = field(default=())

    @property
    def course_dir(self) -> Path:
        """The shared nbgrader course directory (source, gradebook, submissions)."""
        return self.course_root / self.course_id

    @property
    def url(self) -> str:
        """The address people open in a browser."""
        host = f"[{self.bind_ip}]" if ":" in self.bind_ip else self.bind_ip
        if self.bind_ip in ("0.0.0.0", "::"):
            host = "127.0.0.1"
        return f"http://{host}:{self.port}/"

    def system_username(self, hub_name: str) -> str:
        """The OS account that runs ``hub_name``'s server."""
        if self.mode == "demo":
            return pwd.getpwuid(os.geteuid()).pw_name
        return f"{self.system_user_prefix}{hub_name}"

    def demo_home(self, hub_name: str) -> Path:
        """A demo-mode user's home folder (all owned by the one OS account)."""
        return self.state_dir / "homes" / hub_name


def parse_size(text: str, where: str) -> int:
    """Turn '512M', '2G' or '1.5G' into bytes; raise a WorkshopConfigError naming ``where``."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*", text, flags=re.IGNORECASE)
    if not match:
        raise WorkshopConfigError(
            f"{where}: {text!r} is not a size. Fix: write a number with K, M or G, e.g. 2G."
        )
    number, unit = float(match.group(1)), match.group(2).upper()
    size = int(number * 1024 ** "_KMGT".index(unit or "_"))
    if size < 256 * 1024**2:
        raise WorkshopConfigError(
            f"{where}: {text!r} is below 256M; a learner's server alone needs about 150M and "
            "a kernel more. Fix: use at least 512M, e.g. 2G."
        )
    return size


def _deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``over`` into a copy of ``base``: dicts merge, everything else is replaced."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _error_message(path: Path, error: jsonschema.ValidationError) -> str:
    """A one-line message for a schema error: file, field, problem, fix."""
    where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
    if error.validator == "additionalProperties":
        known = ", ".join(sorted(error.schema.get("properties", {})))
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return (
            f"{path}: unknown field(s) {', '.join(extra)} in {where}. "
            f"Fix: check the spelling; known fields are: {known}."
        )
    top = str(error.absolute_path[0]) if error.absolute_path else ""
    hint = FIELD_HINTS.get(top, "see the comments in hub/workshop.yaml")
    return f"{path}: field '{where}': {error.message}. Fix: {hint}."


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Read, check and resolve the workshop settings.

    ``path`` defaults to ``$WORKSHOP_HUB_CONFIG`` or ``hub/workshop.yaml``. Relative paths in
    the file are relative to the file's own folder.
    """
    source = Path(path or os.environ.get(SETTINGS_ENV) or DEFAULT_SETTINGS_FILE).resolve()
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise WorkshopConfigError(
            f"{source}: not found. Fix: copy hub/workshop.yaml or set {SETTINGS_ENV}."
        ) from exc
    except yaml.YAMLError as exc:
        raise WorkshopConfigError(f"{source}: not valid YAML ({exc}). Fix the syntax.") from exc
    raw = raw or {}
    if not isinstance(raw, dict):
        raise WorkshopConfigError(f"{source}: must be a mapping of field: value.")
    errors = sorted(
        jsonschema.Draft7Validator(SCHEMA).iter_errors(raw),
        key=lambda e: list(map(str, e.absolute_path)),
    )
    if errors:
        raise WorkshopConfigError(_error_message(source, errors[0]))
    data = _deep_merge(DEFAULTS, raw)
    base = source.parent

    def resolve(value: str) -> Path:
        return (base / os.path.expanduser(value)).resolve()

    try:
        ipaddress.ip_address(data["bind_ip"])
    except ValueError as exc:
        raise WorkshopConfigError(
            f"{source}: field 'bind_ip': {data['bind_ip']!r} is not an IP address. "
            "Fix: use 127.0.0.1 (this machine only) or 0.0.0.0 (every network; see HOSTS.md)."
        ) from exc
    ports = {k: data[k] for k in ("port", "hub_port", "proxy_api_port")}
    if len(set(ports.values())) != 3:
        raise WorkshopConfigError(
            f"{source}: fields 'port', 'hub_port', 'proxy_api_port' must differ, got {ports}. "
            "Fix: give each its own port."
        )
    exchange_root = resolve(data["exchange_root"])
    course_root = resolve(data["course_root"])
    for name, value in (("exchange_root", exchange_root), ("course_root", course_root)):
        if value in (Path("/"), Path("/tmp"), Path("/home"), Path("/srv")):
            raise WorkshopConfigError(
                f"{source}: field '{name}': {value} is a system folder whose permissions the hub "
                f"would change. Fix: use a folder of its own, e.g. /srv/nbgrader/exchange."
            )
    limits = data["limits"]
    mem = limits.get("memory")
    instructors = tuple(data["instructors"])
    if len(set(instructors)) != len(instructors):
        raise WorkshopConfigError(
            f"{source}: field 'instructors' lists a name twice. Fix: list each instructor once."
        )
    warnings: list[str] = []
    seed_dirs = tuple(resolve(d) for d in data["seed_dirs"])
    for seed in seed_dirs:
        if not seed.is_dir():
            warnings.append(f"seed_dirs: {seed} does not exist yet; learners get the rest.")
    course_source = resolve(data["course_source"]) if data["course_source"] else None
    if course_source is not None and not (course_source / "source").is_dir():
        warnings.append(
            f"course_source: {course_source}/source does not exist yet; "
            "instructors start with an empty course."
        )
    culling = data["culling"]
    return Settings(
        source=source,
        course_id=data["course_id"],
        mode=data["mode"],
        bind_ip=data["bind_ip"],
        port=data["port"],
        hub_port=data["hub_port"],
        proxy_api_port=data["proxy_api_port"],
        state_dir=resolve(data["state_dir"]),
        exchange_root=exchange_root,
        course_root=course_root,
        course_source=course_source,
        seed_dirs=seed_dirs,
        system_user_prefix=data["system_user_prefix"],
        instructors_system_group=data["instructors_system_group"],
        instructors=instructors,
        cull_enabled=bool(culling["enabled"]),
        cull_timeout=int(culling["timeout_seconds"]),
        cull_every=int(culling["every_seconds"]),
        cull_max_age=int(culling["max_age_seconds"]),
        mem_limit_bytes=parse_size(mem, f"{source}: field 'limits.memory'") if mem else None,
        cpu_limit=float(limits["cpu"]) if limits.get("cpu") else None,
        cgroup_name=limits["cgroup_name"],
        warnings=tuple(warnings),
    )


@lru_cache(maxsize=8)
def cached_settings(path: str) -> Settings:
    """Settings loaded once per file for the hub process (spawners ask often)."""
    return load_settings(path)


# --------------------------------------------------------------------------------------
# Secrets: sign-up codes and personal passwords
# --------------------------------------------------------------------------------------


def _write_private(path: Path, text: str) -> None:
    """Atomically write ``text`` to ``path`` with mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def code_file(settings: Settings, role: str) -> Path:
    """Where the sign-up code of ``role`` ('learner' or 'instructor') is kept."""
    return settings.state_dir / f"{role}-code"


def read_code(settings: Settings, role: str) -> str:
    """The sign-up code for ``role``: from the environment, else from the state file."""
    env = os.environ.get(LEARNER_CODE_ENV if role == "learner" else INSTRUCTOR_CODE_ENV)
    if env:
        return env.strip()
    path = code_file(settings, role)
    return path.read_text(encoding="utf-8").strip() if path.is_file() else ""


def ensure_codes(settings: Settings) -> None:
    """Create the learner and instructor sign-up codes if missing; check their lengths."""
    for role, minimum in (("learner", MIN_LEARNER_CODE), ("instructor", MIN_INSTRUCTOR_CODE)):
        env_name = LEARNER_CODE_ENV if role == "learner" else INSTRUCTOR_CODE_ENV
        if os.environ.get(env_name):
            if len(os.environ[env_name].strip()) < minimum:
                raise WorkshopConfigError(
                    f"{env_name} is shorter than {minimum} characters. Fix: choose a longer code."
                )
            continue
        path = code_file(settings, role)
        if not path.is_file():
            words = secrets.token_hex(3) + "-" + secrets.token_hex(3)
            code = words if role == "learner" else secrets.token_urlsafe(18)
            _write_private(path, code + "\n")
        elif len(read_code(settings, role)) < minimum:
            raise WorkshopConfigError(
                f"{path}: the {role} code is shorter than {minimum} characters. "
                "Fix: write a longer code into the file, or delete it to get a new one."
            )


def hash_password(password: str) -> str:
    """A salted scrypt hash, as text."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt$16384$8$1${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches a hash made by :func:`hash_password`."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    got = hashlib.scrypt(
        password.encode(),
        salt=bytes.fromhex(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        dklen=len(digest) // 2,
    )
    return hmac.compare_digest(got.hex(), digest)


class PasswordStore:
    """Personal password hashes, one JSON file (mode 0600) in the state folder."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, str]:
        """All name -> hash entries."""
        if not self.path.is_file():
            return {}
        return dict(json.loads(self.path.read_text(encoding="utf-8")))

    def get(self, name: str) -> str | None:
        """The hash for ``name``, or None if the name is unclaimed."""
        return self.load().get(name)

    def set(self, name: str, hashed: str) -> None:
        """Store ``name``'s hash."""
        data = self.load()
        data[name] = hashed
        _write_private(self.path, json.dumps(data, indent=1, sort_keys=True))

    def remove(self, name: str) -> bool:
        """Forget ``name``'s password (they may claim the name again with the code)."""
        data = self.load()
        found = data.pop(name, None) is not None
        _write_private(self.path, json.dumps(data, indent=1, sort_keys=True))
        return found


# --------------------------------------------------------------------------------------
# System accounts, permissions and cgroups (mode "users", as root)
# --------------------------------------------------------------------------------------


def _run(cmd: list[str]) -> None:
    """Run an admin command; raise with its output on failure."""
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
        _run(["groupadd", name])
        return grp.getgrnam(name).gr_gid


def ensure_system_user(username: str, instructor_group: str, instructor: bool) -> pwd.struct_passwd:
    """Create ``username`` (home 0700) if missing and set its instructors-group membership.

    Refuses accounts below uid 1000, so a hub name can never map to a system account.
    """
    try:
        entry = pwd.getpwnam(username)
    except KeyError:
        _run(
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
        os.chmod(entry.pw_dir, 0o700)
    if entry.pw_uid < 1000:
        raise RuntimeError(
            f"refusing to run a server as system account {username} (uid {entry.pw_uid} < 1000)"
        )
    members = grp.getgrnam(instructor_group).gr_mem
    if instructor and username not in members:
        _run(["usermod", "--append", "--groups", instructor_group, username])
    elif not instructor and username in members:
        _run(["gpasswd", "--delete", username, instructor_group])
    return pwd.getpwnam(username)


def untraversable_dirs(paths: Iterable[Path]) -> list[Path]:
    """Folders on the way to ``paths`` that other users cannot enter (no o+x)."""
    blocked: list[Path] = []
    for path in paths:
        for parent in [*reversed(path.parents), path if path.is_dir() else path.parent]:
            if parent.is_dir() and not parent.stat().st_mode & stat.S_IXOTH:
                if parent not in blocked:
                    blocked.append(parent)
    return blocked


def interpreter_paths() -> list[Path]:
    """What a learner's server must be able to reach: Python, the venv, this folder."""
    return [Path(sys.executable).resolve(), Path(sys.prefix), HUB_DIR, REPO_ROOT / "src"]


class Cgroups:
    """Per-user memory and CPU limits through the kernel's cgroups (v2, or v1 as fallback).

    LocalProcessSpawner itself enforces nothing; the hub (root) makes one cgroup per server,
    and the server's process joins it before it drops privileges, so the kernels it starts
    are inside too.
    """

    def __init__(self, name: str, root: Path = CGROUP_ROOT) -> None:
        self.name = name
        self.root = root
        self.version = self._detect()

    def _detect(self) -> int:
        if (self.root / "cgroup.controllers").is_file():
            return 2
        if (self.root / "memory" / "cgroup.procs").is_file():
            return 1
        return 0

    @property
    def available(self) -> bool:
        """True when the hub can create cgroups here (root and a writable hierarchy)."""
        if self.version == 0 or os.geteuid() != 0:
            return False
        probe = self.root if self.version == 2 else self.root / "memory"
        return os.access(probe, os.W_OK)

    def _dirs(self, user: str) -> dict[str, Path]:
        if self.version == 2:
            return {"unified": self.root / self.name / user}
        dirs = {"memory": self.root / "memory" / self.name / user}
        cpu = self.root / "cpu"
        if (cpu / "cgroup.procs").is_file():
            dirs["cpu"] = cpu / self.name / user
        return dirs

    def create(self, user: str, mem_bytes: int | None, cpu: float | None) -> list[Path]:
        """Make ``user``'s cgroup(s) with the limits; return the cgroup.procs files to join."""
        dirs = self._dirs(user)
        if self.version == 2:
            parent = self.root / self.name
            parent.mkdir(exist_ok=True)
            for ctl in (self.root / "cgroup.subtree_control", parent / "cgroup.subtree_control"):
                enabled = (ctl.parent / "cgroup.controllers").read_text().split()
                wanted = [f"+{c}" for c in ("memory", "cpu") if c in enabled]
                if wanted:
                    ctl.write_text(" ".join(wanted))
            d = dirs["unified"]
            d.mkdir(exist_ok=True)
            if mem_bytes:
                (d / "memory.max").write_text(str(mem_bytes))
                if (d / "memory.swap.max").exists():
                    (d / "memory.swap.max").write_text("0")
            if cpu:
                (d / "cpu.max").write_text(f"{int(cpu * CPU_PERIOD_US)} {CPU_PERIOD_US}")
            self._rebalance()
            return [d / "cgroup.procs"]
        for kind, d in dirs.items():
            d.mkdir(parents=True, exist_ok=True)
            if kind == "memory" and mem_bytes:
                (d / "memory.limit_in_bytes").write_text(str(mem_bytes))
            if kind == "cpu" and cpu:
                (d / "cpu.cfs_period_us").write_text(str(CPU_PERIOD_US))
                (d / "cpu.cfs_quota_us").write_text(str(int(cpu * CPU_PERIOD_US)))
        self._rebalance()
        return [d / "cgroup.procs" for d in dirs.values()]

    def _rebalance(self) -> None:
        """Weigh the parent group like one ordinary process per person in it.

        Without this, all learners together would get the CPU share of a single process
        whenever anything else on the machine is busy.
        """
        if self.version == 2:
            parent, name, unit, cap = self.root / self.name, "cpu.weight", 100, 10000
        else:
            parent, name, unit, cap = self.root / "cpu" / self.name, "cpu.shares", 1024, 262144
        if not (parent / name).is_file():
            return
        people = sum(1 for child in parent.iterdir() if child.is_dir())
        (parent / name).write_text(str(min(cap, unit * max(1, people))))

    def memory_limit_file(self, user: str) -> Path:
        """The file that holds ``user``'s memory limit."""
        d = next(iter(self._dirs(user).values()))
        return d / ("memory.max" if self.version == 2 else "memory.limit_in_bytes")

    def pids(self, user: str) -> set[int]:
        """Processes now in ``user``'s cgroup."""
        found: set[int] = set()
        for d in self._dirs(user).values():
            procs = d / "cgroup.procs"
            if procs.is_file():
                found.update(int(x) for x in procs.read_text().split())
        return found

    def remove(self, user: str) -> None:
        """Kill what is left in ``user``'s cgroup (stray kernels) and remove it."""
        for pid in self.pids(user):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for d in self._dirs(user).values():
            for _ in range(50):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.1)
        self._rebalance()

    def remove_all(self) -> None:
        """Remove the parent cgroup(s) once every user's is gone."""
        parents = (
            [self.root / self.name]
            if self.version == 2
            else [self.root / c / self.name for c in ("memory", "cpu")]
        )
        for parent in parents:
            if parent.is_dir():
                for child in parent.iterdir():
                    if child.is_dir():
                        self.remove(child.name)
                try:
                    parent.rmdir()
                except OSError:
                    pass


def _copy_missing(src: Path, dest: Path, dir_mode: int, file_mode: int, gid: int | None) -> None:
    """Copy files from ``src`` that ``dest`` lacks; never overwrite (instructors edit them)."""
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        target = dest / rel
        if path.is_dir():
            target.mkdir(exist_ok=True)
            os.chmod(target, dir_mode)
        elif not target.exists():
            shutil.copyfile(path, target)
            os.chmod(target, file_mode)
        else:
            continue
        if gid is not None:
            os.chown(target, 0, gid)


def prepare_host(settings: Settings) -> None:
    """Create the state folder, sign-up codes, nbgrader exchange and shared course folder.

    Mode 'users' (root): exchange 1777 as nbgrader's docs ask (sticky: nobody deletes another
    person's files); course folder root:<instructors group> 2770, so learners cannot enter it
    (sources with solutions, gradebook, submissions). Mode 'demo': the same folders, owned by
    the one account that runs everything.
    """
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.state_dir, 0o700)
    ensure_codes(settings)
    users_mode = settings.mode == "users"
    if users_mode:
        if os.geteuid() != 0:
            raise WorkshopConfigError(
                f"{settings.source}: mode 'users' creates one system account per person and "
                "needs root. Fix: start it as root (sudo make hub), or set mode: demo for a "
                "single-account demo without isolation (see hub/HOSTS.md)."
            )
        blocked = untraversable_dirs(interpreter_paths())
        if blocked:
            raise WorkshopConfigError(
                "learners' servers could not start: other users cannot enter "
                + ", ".join(map(str, blocked))
                + ". Fix: run `chmod o+x "
                + " ".join(map(str, blocked))
                + "` (lets users "
                "pass through, not list them), or put the repository and its venv under /opt "
                "with a system Python."
            )
        gid = ensure_group(settings.instructors_system_group)
    settings.exchange_root.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.exchange_root, 0o1777 if users_mode else 0o700)
    settings.course_root.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.course_root, 0o755 if users_mode else 0o700)
    course = settings.course_dir
    course.mkdir(exist_ok=True)
    if users_mode:
        os.chown(course, 0, gid)
        os.chmod(course, 0o2770)
    if settings.course_source is not None:
        config = settings.course_source / "nbgrader_config.py"
        target = course / "nbgrader_config.py"
        if config.is_file() and not target.exists():
            shutil.copyfile(config, target)
            os.chmod(target, 0o660)
            if users_mode:
                os.chown(target, 0, gid)
        source = settings.course_source / "source"
        if source.is_dir():
            (course / "source").mkdir(exist_ok=True)
            _copy_missing(source, course / "source", 0o2770, 0o660, gid if users_mode else None)
            if users_mode:
                os.chown(course / "source", 0, gid)
                os.chmod(course / "source", 0o2770)
    if settings.mode == "demo":
        (settings.state_dir / "homes").mkdir(exist_ok=True)


# --------------------------------------------------------------------------------------
# JupyterHub classes
# --------------------------------------------------------------------------------------


class WorkshopAuthenticator(Authenticator):
    """First sign-in with a workshop code sets a personal password (as TLJH's first-use).

    - A name listed in ``instructors`` can be claimed only with the instructor code; those
      people become hub admins and join the ``instructors`` group.
    - Any other new name can be claimed with the learner code.
    - After that, the personal password alone signs in; the code no longer works for that
      name, so nobody can sign in as someone else with the shared code.
    """

    settings_file = Unicode(config=True, help="Path of the workshop settings YAML.")
    request_otp = True  # the login form's extra field, used for the workshop code
    otp_prompt = "Workshop code (first sign-in only; leave empty afterwards):"

    @property
    def settings(self) -> Settings:
        """The workshop settings."""
        return cached_settings(self.settings_file)

    @property
    def store(self) -> PasswordStore:
        """The personal password store."""
        return PasswordStore(self.settings.state_dir / "passwords.json")

    async def authenticate(
        self, handler: web.RequestHandler, data: dict[str, str]
    ) -> dict[str, Any] | None:
        """Check a sign-in; claim the name on first use with the right code."""
        name = self.normalize_username(data.get("username", "").strip())
        password = data.get("password", "")
        code = data.get("otp", "").strip()
        if not re.fullmatch(USERNAME_RE, name):
            raise web.HTTPError(
                400,
                "Use a username of lowercase letters, digits, '-' or '_', "
                "starting with a letter, at most 20 characters.",
            )
        instructor = name in self.settings.instructors
        answer = {"name": name, "admin": True} if instructor else {"name": name}
        stored = await asyncio.to_thread(self.store.get, name)
        if stored is not None:
            ok = await asyncio.to_thread(verify_password, password, stored)
            return answer if ok else None
        expected = read_code(self.settings, "instructor" if instructor else "learner")
        if not code or not expected or not hmac.compare_digest(code, expected):
            self.log.warning("First sign-in for %s refused: wrong or missing workshop code", name)
            return None
        if len(password) < MIN_PASSWORD:
            raise web.HTTPError(
                400,
                f"First sign-in: choose a personal password of at least {MIN_PASSWORD} characters.",
            )
        hashed = await asyncio.to_thread(hash_password, password)
        await asyncio.to_thread(self.store.set, name, hashed)
        self.log.info("%s claimed the name %s", "Instructor" if instructor else "Learner", name)
        return answer


class WorkshopSpawner(LocalProcessSpawner):
    """LocalProcessSpawner with one system account per hub user (``<prefix><name>``).

    Before the server starts: the account exists (home 0700), instructors are in the
    instructors system group, and a cgroup holds the memory/CPU limits. The process runs
    ``hub/singleuser_start.py`` as the user, which copies the course materials into the
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
    def cgroups(self) -> Cgroups:
        """The cgroup helper for these settings."""
        return Cgroups(self.settings.cgroup_name)

    @property
    def home(self) -> str:
        """This user's home folder."""
        if self.settings.mode == "demo":
            return str(self.settings.demo_home(self.user.name))
        return pwd.getpwnam(self.system_username).pw_dir

    def make_preexec_fn(self, name: str) -> Callable[[], None]:
        """Join the cgroup, set the umask, drop to the user (runs after fork, before exec)."""
        users_mode = self.settings.mode == "users"
        setuid = set_user_setuid(self.system_username) if users_mode else None
        procs = list(self._cgroup_procs)
        umask = 0o007 if self.is_instructor else 0o077
        home = self.home

        def preexec() -> None:
            for path in procs:
                try:
                    with open(path, "w") as handle:
                        handle.write(str(os.getpid()))
                except OSError:
                    pass  # no limits rather than no server; tests/hub checks membership
            os.umask(umask)
            if setuid is not None:
                setuid()
            else:
                os.chdir(home)

        return preexec

    def user_env(self, env: dict[str, str]) -> dict[str, str]:
        """USER, HOME and SHELL of the system account."""
        if self.settings.mode == "demo":
            env["USER"] = self.system_username
            env["HOME"] = self.home
            return env
        entry = pwd.getpwnam(self.system_username)
        env.update(USER=entry.pw_name, HOME=entry.pw_dir, SHELL=entry.pw_shell or "/bin/bash")
        return env

    def get_env(self) -> dict[str, str]:
        """Role config folder and nbgrader locations for the server and its wrapper."""
        env = super().get_env()
        s = self.settings
        role = "instructor" if self.is_instructor else "learner"
        env.update(
            JUPYTER_CONFIG_PATH=str(ROLES_DIR / role),
            WORKSHOP_ROLE=role,
            WORKSHOP_COURSE_ID=s.course_id,
            WORKSHOP_EXCHANGE_ROOT=str(s.exchange_root),
            WORKSHOP_SEED_DIRS=os.pathsep.join(str(d) for d in s.seed_dirs if d.is_dir()),
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', os.defpath)}",
        )
        if self.is_instructor:
            env["WORKSHOP_COURSE_DIR"] = str(s.course_dir)
        return env

    async def start(self) -> tuple[str, int]:
        """Make sure the account and cgroup exist, then start as LocalProcessSpawner does."""
        s = self.settings
        self._cgroup_procs: list[Path] = []
        if s.mode == "users":
            await asyncio.to_thread(ensure_group, s.instructors_system_group)
            await asyncio.to_thread(
                ensure_system_user,
                self.system_username,
                s.instructors_system_group,
                self.is_instructor,
            )
            cg = self.cgroups
            if (s.mem_limit_bytes or s.cpu_limit) and cg.available:
                try:
                    self._cgroup_procs = await asyncio.to_thread(
                        cg.create, self.system_username, s.mem_limit_bytes, s.cpu_limit
                    )
                except OSError as exc:  # e.g. a controller the kernel does not delegate
                    self.log.error(
                        "Limits NOT applied to %s: cannot set up cgroup %s (%s)",
                        self.user.name,
                        s.cgroup_name,
                        exc,
                    )
        else:
            Path(self.home).mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0 and "--allow-root" not in self.args:
                self.log.warning("demo mode as root: servers run as root (--allow-root)")
                self.args = [*self.args, "--allow-root"]
        return await super().start()

    async def stop(self, now: bool = False) -> None:
        """Stop the server, then kill strays in its cgroup and remove the cgroup."""
        await super().stop(now=now)
        if self.settings.mode == "users" and self.cgroups.available:
            await asyncio.to_thread(self.cgroups.remove, self.system_username)


# --------------------------------------------------------------------------------------
# Launcher (make hub)
# --------------------------------------------------------------------------------------


def find_proxy() -> str | None:
    """configurable-http-proxy from PATH or from ``make hub-deps`` (.node)."""
    local = REPO_ROOT / ".node" / "node_modules" / ".bin" / "configurable-http-proxy"
    return shutil.which("configurable-http-proxy") or (str(local) if local.exists() else None)


def banner(settings: Settings) -> str:
    """What the host needs to know after start: URL, codes' files, how to open up."""
    lines = [
        "",
        f"Workshop hub for course '{settings.course_id}' ({settings.mode} mode)",
        f"  Open: {settings.url}",
        f"  Learner sign-up code:    {code_file(settings, 'learner')}"
        + (" (from $WORKSHOP_LEARNER_CODE)" if os.environ.get(LEARNER_CODE_ENV) else ""),
        f"  Instructor sign-up code: {code_file(settings, 'instructor')}"
        + (" (from $WORKSHOP_INSTRUCTOR_CODE)" if os.environ.get(INSTRUCTOR_CODE_ENV) else ""),
        f"  Instructors: {', '.join(settings.instructors) or '(none)'}",
    ]
    loopback = ipaddress.ip_address(settings.bind_ip).is_loopback
    if loopback:
        lines += [
            f"  Bound to {settings.bind_ip} only: nobody else on the network can reach it.",
            "  To open it to the network on purpose, set `bind_ip: 0.0.0.0` in "
            f"{settings.source}, put TLS in front (hub/HOSTS.md), and restart.",
        ]
    else:
        lines += [
            f"  WARNING: bound to {settings.bind_ip}: reachable from the network. Sign-ins "
            "travel in clear text unless TLS is in front (hub/HOSTS.md).",
        ]
    if settings.mode == "demo":
        lines.append(
            "  DEMO MODE: everyone runs as one account; learners can read each "
            "other's files and the solutions. Never use it with real learners."
        )
    lines += [f"  Note: {w}" for w in settings.warnings]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``run`` (default), ``check``, ``reset-password NAME``."""
    parser = argparse.ArgumentParser(prog="workshop_hub", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--config", help=f"settings YAML (default ${SETTINGS_ENV} or hub/workshop.yaml)"
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="check, prepare and start the hub (default)")
    sub.add_parser("check", help="check the settings file and print a summary")
    reset = sub.add_parser(
        "reset-password",
        help="forget a person's password; they sign in again with the workshop code",
    )
    reset.add_argument("name")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config)
    except WorkshopConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "check":
        print(f"{settings.source}: OK")
        for warning in settings.warnings:
            print(f"note: {warning}")
        return 0
    if args.command == "reset-password":
        found = PasswordStore(settings.state_dir / "passwords.json").remove(args.name)
        print(f"{args.name}: password {'forgotten' if found else 'was not set'}")
        return 0
    proxy = find_proxy()
    if proxy is None:
        print(
            "error: configurable-http-proxy not found. Fix: run `make hub-deps` (needs npm) "
            "or `npm install -g configurable-http-proxy`.",
            file=sys.stderr,
        )
        return 2
    try:
        prepare_host(settings)
    except (WorkshopConfigError, RuntimeError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(banner(settings), flush=True)
    env = dict(os.environ, **{SETTINGS_ENV: str(settings.source)})
    env["PATH"] = (
        f"{Path(proxy).parent}{os.pathsep}{Path(sys.executable).parent}"
        f"{os.pathsep}{env.get('PATH', os.defpath)}"
    )
    cmd = [sys.executable, "-m", "jupyterhub", "-f", str(HUB_DIR / "jupyterhub_config.py")]
    os.chdir(settings.state_dir)
    # Started in the background (`&`, nohup), SIGINT arrives ignored and stays ignored in
    # every child: the idle culler would then take ~30 s to stop with the hub. Restore it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.execve(sys.executable, cmd, env)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())


__all__ = [
    "Cgroups",
    "Settings",
    "WorkshopAuthenticator",
    "WorkshopConfigError",
    "WorkshopSpawner",
    "load_settings",
    "main",
    "prepare_host",
]
