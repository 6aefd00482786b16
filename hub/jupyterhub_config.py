"""JupyterHub configuration for a workshop on one machine.

Start it with ``make hub`` (which runs ``hub/workshop_hub.py run``). The host edits
``hub/workshop.yaml``, not this file; ``$WORKSHOP_HUB_CONFIG`` points at another settings file.
See ``hub/HOSTS.md``.
"""

import os
import sys
from pathlib import Path

HUB_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(HUB_DIR))  # the hub folder is not a package; its module sits beside us

import workshop_hub  # noqa: E402

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)
settings = workshop_hub.load_settings()
workshop_hub.prepare_host(settings)  # idempotent; `make hub` did it already

# --- Network: the public port on bind_ip; hub and proxy API on loopback only ----------
c.JupyterHub.bind_url = f"http://{settings.bind_ip}:{settings.port}/"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings.hub_port
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
proxy = workshop_hub.find_proxy()
if proxy:
    c.ConfigurableHTTPProxy.command = [proxy]
c.Spawner.ip = "127.0.0.1"

# --- State: database, cookie secret and proxy token live in the state folder ----------
state = settings.state_dir
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops everyone's server

# --- Sign-in: first sign-in with a workshop code sets a personal password ------------
c.JupyterHub.authenticator_class = workshop_hub.WorkshopAuthenticator
c.WorkshopAuthenticator.settings_file = str(settings.source)
c.Authenticator.allow_all = True  # new names need the workshop code (see the authenticator)
c.Authenticator.admin_users = set(settings.instructors)
c.JupyterHub.load_groups = {
    workshop_hub.INSTRUCTORS_GROUP: {"users": list(settings.instructors)},
}

# --- Servers: one system account per person; course copied in; limits via cgroups ----
c.JupyterHub.spawner_class = workshop_hub.WorkshopSpawner
c.WorkshopSpawner.settings_file = str(settings.source)
c.Spawner.cmd = [sys.executable, str(workshop_hub.SINGLEUSER_WRAPPER)]
c.Spawner.default_url = "/lab"
# A server needs a few CPU-seconds to start; when a whole room signs in at once on a small
# machine they queue for the CPU (HOSTS.md, Sizing). Give them time rather than fail.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
if settings.mem_limit_bytes:
    c.Spawner.mem_limit = settings.mem_limit_bytes  # also shown to the server as MEM_LIMIT
if settings.cpu_limit:
    c.Spawner.cpu_limit = settings.cpu_limit

# --- Services: idle culler; an optional automation token for scripts ----------------
c.JupyterHub.services = []
c.JupyterHub.load_roles = []
if settings.cull_enabled:
    cull = [
        sys.executable,
        "-m",
        "jupyterhub_idle_culler",
        f"--timeout={settings.cull_timeout}",
        f"--cull-every={settings.cull_every}",
    ]
    if settings.cull_max_age:
        cull.append(f"--max-age={settings.cull_max_age}")
    c.JupyterHub.services.append({"name": "idle-culler", "command": cull})
    c.JupyterHub.load_roles.append(
        {
            "name": "idle-culler",
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            "services": ["idle-culler"],
        }
    )
automation_token = os.environ.get(workshop_hub.ADMIN_TOKEN_ENV, "")
if automation_token:
    if len(automation_token) < 32:
        raise workshop_hub.WorkshopConfigError(
            f"${workshop_hub.ADMIN_TOKEN_ENV} is shorter than 32 characters. "
            "Fix: use e.g. `openssl rand -hex 32`."
        )
    c.JupyterHub.services.append({"name": "workshop-automation", "api_token": automation_token})
    c.JupyterHub.load_roles.append(
        {
            "name": "workshop-automation",
            "scopes": [
                "admin:users",
                "admin:servers",
                "admin:groups",
                "tokens",
                "access:servers",
                "list:users",
                "read:users",
                "read:servers",
                "admin:server_state",
            ],
            "services": ["workshop-automation"],
        }
    )
