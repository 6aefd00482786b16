"""The JupyterHub configuration, built from the workshop settings. Changes nothing on the host.

``data/jupyterhub_config.py`` (the file JupyterHub loads) calls :func:`configure`.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from .host import limits_reason
from .limits import admin_announcement, record_problem
from .settings import Settings, WorkshopConfigError, load_settings
from .signin import WorkshopAuthenticator
from .spawner import INSTRUCTORS_GROUP, WorkshopSpawner

ADMIN_TOKEN_ENV = "WORKSHOP_ADMIN_TOKEN"
AUTOMATION_SCOPES = [
    "admin:users",
    "admin:servers",
    "admin:groups",
    "tokens",
    "access:servers",
    "list:users",
    "read:users",
    "read:servers",
    "admin:server_state",
]
CULLER_SCOPES = ["list:users", "read:users:activity", "read:servers", "delete:servers"]


def _network(c: Any, s: Settings) -> None:
    """The public port on bind_ip; hub and proxy API on loopback only."""
    c.JupyterHub.bind_url = f"http://{s.bind_ip}:{s.port}/"
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = s.hub_port
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s.proxy_api_port}"
    proxy = shutil.which("configurable-http-proxy")
    if proxy:
        c.ConfigurableHTTPProxy.command = [proxy]
    c.Spawner.ip = "127.0.0.1"


def _state(c: Any, s: Settings) -> None:
    """Database, cookie secret and pid files live in the state folder."""
    c.JupyterHub.db_url = f"sqlite:///{s.state_dir / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(s.state_dir / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(s.state_dir / "jupyterhub.pid")
    c.ConfigurableHTTPProxy.pid_file = str(s.state_dir / "jupyterhub-proxy.pid")
    c.JupyterHub.cleanup_servers = True  # stopping the hub stops everyone's server


def _people(c: Any, s: Settings) -> None:
    """Sign-in, admins, the instructors group, the spawner and its limits."""
    c.JupyterHub.authenticator_class = WorkshopAuthenticator
    c.WorkshopAuthenticator.settings_file = str(s.source)
    c.Authenticator.allow_all = True  # new names need the workshop code (see signin)
    c.Authenticator.admin_users = set(s.instructors)
    c.JupyterHub.load_groups = {INSTRUCTORS_GROUP: {"users": list(s.instructors)}}
    c.JupyterHub.spawner_class = WorkshopSpawner
    c.WorkshopSpawner.settings_file = str(s.source)
    c.Spawner.cmd = [sys.executable, "-m", "endtrafficking_hub.singleuser"]
    # A room signing in at once queues for the CPU (HOSTS.md, Sizing): wait, do not fail.
    c.Spawner.start_timeout = 300
    c.Spawner.http_timeout = 300
    if s.mem_limit_bytes:
        c.Spawner.mem_limit = s.mem_limit_bytes  # also shown to the server as MEM_LIMIT
    if s.cpu_limit:
        c.Spawner.cpu_limit = s.cpu_limit
    c.JupyterHub.template_vars = {"announcement": admin_announcement}


def _services(c: Any, s: Settings) -> None:
    """The idle culler, and an optional automation token for scripts."""
    c.JupyterHub.services = []
    c.JupyterHub.load_roles = []
    if s.cull_enabled:
        cull = [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={s.cull_timeout}",
            f"--cull-every={s.cull_every}",
        ]
        if s.cull_max_age:
            cull.append(f"--max-age={s.cull_max_age}")
        c.JupyterHub.services.append({"name": "idle-culler", "command": cull})
        c.JupyterHub.load_roles.append(
            {"name": "idle-culler", "scopes": CULLER_SCOPES, "services": ["idle-culler"]}
        )
    token = os.environ.get(ADMIN_TOKEN_ENV, "")
    if token:
        if len(token) < 32:
            raise WorkshopConfigError(
                f"${ADMIN_TOKEN_ENV} is shorter than 32 characters. "
                "Fix: use e.g. `openssl rand -hex 32`."
            )
        c.JupyterHub.services.append({"name": "workshop-automation", "api_token": token})
        c.JupyterHub.load_roles.append(
            {
                "name": "workshop-automation",
                "scopes": AUTOMATION_SCOPES,
                "services": ["workshop-automation"],
            }
        )


def configure(c: Any, settings: Settings | None = None) -> Settings:
    """Fill JupyterHub's config object ``c`` from the settings ($WORKSHOP_HUB_CONFIG)."""
    s = settings or load_settings()
    reason = limits_reason(s)
    if reason:  # only in warn mode: in refuse mode `prepare` stopped before this
        record_problem("", reason)
        print(f"WARNING: memory and CPU limits are NOT applied: {reason}", file=sys.stderr)
    _network(c, s)
    _state(c, s)
    _people(c, s)
    _services(c, s)
    return s
