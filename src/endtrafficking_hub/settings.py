"""The host's workshop settings (``hub/workshop.yaml``), checked against a schema on load.

The schema is a data file (``data/workshop.schema.json``); each field there carries the
``fix`` shown with an error in it. Loading settings reads one file and changes nothing.
"""

from __future__ import annotations

import ipaddress
import json
import os
import pwd
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import yaml

SETTINGS_ENV = "WORKSHOP_HUB_CONFIG"
MIN_MEMORY = 256 * 1024**2
SYSTEM_FOLDERS = {Path(p) for p in ("/", "/tmp", "/home", "/srv", "/opt", "/usr", "/var")}

DEFAULTS: dict[str, Any] = {
    "course_id": "endtrafficking",
    "mode": "users",
    "bind_ip": "127.0.0.1",
    "port": 8000,
    "hub_port": 8081,
    "proxy_api_port": 8001,
    "state_dir": "state",
    "shared_dir": "/opt/endtrafficking",
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
    "limits": {
        "memory": "2G",
        "cpu": 1.0,
        "when_unavailable": "refuse",
        "cgroup_name": "jupyterhub-workshop",
        "cgroup_root": "/sys/fs/cgroup",
    },
    "gradebook": {
        "backend": "sqlite",
        "database": "endtrafficking_gradebook",
        "user": "endtrafficking_grader",
    },
}


class WorkshopConfigError(ValueError):
    """A settings file (or the host) is wrong; the message names the field and the fix."""


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
    shared_dir: Path
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
    limits_required: bool
    cgroup_name: str
    cgroup_root: Path
    gradebook_backend: str
    gradebook_database: str
    gradebook_user: str
    warnings: tuple[str, ...] = field(default=())

    @property
    def course_dir(self) -> Path:
        """The shared nbgrader course folder (source, gradebook, submissions)."""
        return self.course_root / self.course_id

    @property
    def seed_root(self) -> Path:
        """Where the hub keeps the course files every learner's copy is made from."""
        return self.course_root / f"{self.course_id}-for-learners"

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


def schema() -> dict[str, Any]:
    """The settings schema (a data file of this package)."""
    text = files("endtrafficking_hub").joinpath("data", "workshop.schema.json").read_text("utf-8")
    return dict(json.loads(text))


def parse_size(text: str, where: str) -> int:
    """Turn '512M', '2G' or '1.5G' into bytes; raise a WorkshopConfigError naming ``where``."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*", text, flags=re.IGNORECASE)
    if not match:
        raise WorkshopConfigError(
            f"{where}: {text!r} is not a size. Fix: write a number with K, M or G, e.g. 2G."
        )
    number, unit = float(match.group(1)), match.group(2).upper()
    size = int(number * 1024 ** "_KMGT".index(unit or "_"))
    if size < MIN_MEMORY:
        raise WorkshopConfigError(
            f"{where}: {text!r} is below 256M; a learner's server alone needs about 100M and "
            "a kernel more. Fix: use at least 512M, e.g. 2G."
        )
    return size


def deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``over`` into a copy of ``base``: dicts merge, everything else is replaced."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _schema_message(path: Path, error: jsonschema.ValidationError, rules: dict[str, Any]) -> str:
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
    fix = rules["properties"].get(top, {}).get("fix", "see the comments in hub/workshop.yaml")
    return f"{path}: field '{where}': {error.message}. Fix: {fix}."


def read_settings_file(source: Path) -> dict[str, Any]:
    """The file's mapping, checked against the schema (not yet merged with defaults)."""
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
    rules = schema()
    errors = sorted(
        jsonschema.Draft7Validator(rules).iter_errors(raw),
        key=lambda e: list(map(str, e.absolute_path)),
    )
    if errors:
        raise WorkshopConfigError(_schema_message(source, errors[0], rules))
    return raw


def _check_rules(source: Path, data: dict[str, Any], paths: dict[str, Path]) -> None:
    """The rules a schema cannot say: an IP address, distinct ports, no system folders."""
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
    for name, value in paths.items():
        if value in SYSTEM_FOLDERS:
            raise WorkshopConfigError(
                f"{source}: field '{name}': {value} is a system folder whose permissions the hub "
                "would change. Fix: use a folder of its own, e.g. /srv/nbgrader/exchange."
            )
    if len(set(data["instructors"])) != len(data["instructors"]):
        raise WorkshopConfigError(
            f"{source}: field 'instructors' lists a name twice. Fix: list each instructor once."
        )


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Read, check and resolve the workshop settings.

    ``path`` defaults to ``$WORKSHOP_HUB_CONFIG``. Relative paths in the file are relative to
    the file's own folder.
    """
    chosen = path or os.environ.get(SETTINGS_ENV)
    if not chosen:
        raise WorkshopConfigError(
            f"no settings file given. Fix: pass --config hub/workshop.yaml or set {SETTINGS_ENV}."
        )
    source = Path(chosen).resolve()
    data = deep_merge(DEFAULTS, read_settings_file(source))

    def resolve(value: str) -> Path:
        return (source.parent / os.path.expanduser(value)).resolve()

    folders = {k: resolve(data[k]) for k in ("exchange_root", "course_root", "shared_dir")}
    _check_rules(source, data, folders)
    seed_dirs = tuple(resolve(d) for d in data["seed_dirs"])
    warnings = [
        f"seed_dirs: {d} does not exist; learners get the rest."
        for d in seed_dirs
        if not d.is_dir()
    ]
    course_source = resolve(data["course_source"]) if data["course_source"] else None
    if course_source is not None and not (course_source / "source").is_dir():
        warnings.append(
            f"course_source: {course_source}/source does not exist; "
            "instructors start with an empty course."
        )
    culling, limits, gradebook = data["culling"], data["limits"], data["gradebook"]
    mem = limits.get("memory")
    return Settings(
        source=source,
        course_id=data["course_id"],
        mode=data["mode"],
        bind_ip=data["bind_ip"],
        port=data["port"],
        hub_port=data["hub_port"],
        proxy_api_port=data["proxy_api_port"],
        state_dir=resolve(data["state_dir"]),
        shared_dir=folders["shared_dir"],
        exchange_root=folders["exchange_root"],
        course_root=folders["course_root"],
        course_source=course_source,
        seed_dirs=seed_dirs,
        system_user_prefix=data["system_user_prefix"],
        instructors_system_group=data["instructors_system_group"],
        instructors=tuple(data["instructors"]),
        cull_enabled=bool(culling["enabled"]),
        cull_timeout=int(culling["timeout_seconds"]),
        cull_every=int(culling["every_seconds"]),
        cull_max_age=int(culling["max_age_seconds"]),
        mem_limit_bytes=parse_size(mem, f"{source}: field 'limits.memory'") if mem else None,
        cpu_limit=float(limits["cpu"]) if limits.get("cpu") else None,
        limits_required=limits["when_unavailable"] == "refuse",
        cgroup_name=limits["cgroup_name"],
        cgroup_root=Path(limits["cgroup_root"]),
        gradebook_backend=gradebook["backend"],
        gradebook_database=gradebook["database"],
        gradebook_user=gradebook["user"],
        warnings=tuple(warnings),
    )


@lru_cache(maxsize=8)
def cached_settings(path: str) -> Settings:
    """Settings loaded once per file for the hub process (spawners ask often)."""
    return load_settings(path)
