"""The hub's command line: ``python -m endtrafficking_hub [--config FILE] COMMAND``.

- ``check``: check the settings file and print a summary;
- ``prepare``: prepare the host (shared environment, folders, codes, gradebook);
- ``start``: start JupyterHub from this Python, on a prepared host;
- ``run`` (``make hub``): ``prepare``, then ``start`` from the Python learners can run;
- ``reset-password NAME``: forget a person's password;
- ``systemd-unit``: print a systemd unit that runs this hub.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shutil
import signal
import sys
from importlib.resources import files
from pathlib import Path
from string import Template

from .credentials import code_env, code_file, password_store
from .environment import checkout_of_this_package, hub_python
from .host import check_limits, prepare_host
from .settings import SETTINGS_ENV, Settings, WorkshopConfigError, load_settings

PROXY = "configurable-http-proxy"


def find_proxy() -> str | None:
    """configurable-http-proxy from PATH or from ``make hub-deps`` (the checkout's .node)."""
    found = shutil.which(PROXY)
    checkout = checkout_of_this_package()
    local = checkout / ".node" / "node_modules" / ".bin" / PROXY if checkout else None
    return found or (str(local) if local and local.exists() else None)


def banner(settings: Settings, notes: list[str]) -> str:
    """What the host needs to know after start: URL, codes' files, how to open up."""
    lines = [
        "",
        f"Workshop hub for course '{settings.course_id}' ({settings.mode} mode)",
        f"  Open: {settings.url}",
    ]
    for role in ("learner", "instructor"):
        source = f" (from ${code_env(role)})" if os.environ.get(code_env(role)) else ""
        lines.append(f"  {role.capitalize()} sign-up code: {code_file(settings, role)}{source}")
    lines.append(f"  Instructors: {', '.join(settings.instructors) or '(none)'}")
    if ipaddress.ip_address(settings.bind_ip).is_loopback:
        lines += [
            f"  Bound to {settings.bind_ip} only: nobody else on the network can reach it.",
            "  To open it to the network on purpose, set `bind_ip: 0.0.0.0` in "
            f"{settings.source}, put TLS in front (hub/HOSTS.md), and restart.",
        ]
    else:
        lines.append(
            f"  WARNING: bound to {settings.bind_ip}: reachable from the network. Sign-ins "
            "travel in clear text unless TLS is in front (hub/HOSTS.md)."
        )
    if settings.mode == "demo":
        lines.append(
            "  DEMO MODE: everyone runs as one account; learners can read each "
            "other's files and the solutions. Never use it with real learners."
        )
    lines += [f"  {note}" for note in notes]
    lines += [f"  Note: {w}" for w in settings.warnings]
    return "\n".join(lines)


def start(settings: Settings) -> int:
    """Exec JupyterHub from this Python with the package's configuration file."""
    config = Path(str(files("endtrafficking_hub").joinpath("data", "jupyterhub_config.py")))
    env = dict(os.environ, **{SETTINGS_ENV: str(settings.source)})
    proxy = find_proxy()
    if proxy is None:
        print(
            f"error: {PROXY} not found. Fix: run `make hub-deps` (needs npm) "
            f"or `npm install -g {PROXY}`.",
            file=sys.stderr,
        )
        return 2
    bins = [str(Path(proxy).parent), str(Path(sys.executable).parent)]
    env["PATH"] = os.pathsep.join([*bins, env.get("PATH", os.defpath)])
    os.chdir(settings.state_dir)
    # Started in the background (`&`, nohup), SIGINT arrives ignored and stays ignored in
    # every child: the idle culler would then take ~30 s to stop with the hub. Restore it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    cmd = [sys.executable, "-m", "jupyterhub", "-f", str(config)]
    os.execve(sys.executable, cmd, env)
    return 0  # not reached


def run(settings: Settings) -> int:
    """Prepare the host, then start the hub from a Python every learner's account can run."""
    proxy = find_proxy()
    if proxy is None:
        return start(settings)  # prints the missing proxy's fix
    check_limits(settings)  # before any slow step: refuse mode stops here
    python = hub_python(settings)
    notes = prepare_host(settings, python)
    print(banner(settings, notes), flush=True)
    if python == sys.executable:
        return start(settings)
    path = os.pathsep.join([str(Path(proxy).parent), os.environ.get("PATH", os.defpath)])
    cmd = [python, "-m", "endtrafficking_hub", "--config", str(settings.source), "start"]
    os.execve(python, cmd, dict(os.environ, PATH=path))
    return 0  # not reached


def systemd_unit(settings: Settings) -> str:
    """A systemd unit that runs ``make hub``'s command for these settings."""
    template = files("endtrafficking_hub").joinpath("data", "endtrafficking-hub.service")
    proxy = find_proxy()
    bins = [str(Path(proxy).parent)] if proxy else []
    path = os.pathsep.join([*bins, "/usr/local/bin", "/usr/bin", "/bin"])
    return Template(template.read_text("utf-8")).substitute(
        python=sys.executable, config=settings.source, state=settings.state_dir, path=path
    )


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command; errors are one line, exit status 2."""
    parser = argparse.ArgumentParser(prog="endtrafficking_hub", description=__doc__.split("\n")[0])
    parser.add_argument("--config", help=f"settings YAML (default ${SETTINGS_ENV})")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("check", "check the settings file"),
        ("prepare", "prepare the host (environment, folders, codes, gradebook)"),
        ("start", "start JupyterHub on a prepared host"),
        ("run", "prepare, then start (make hub)"),
        ("systemd-unit", "print a systemd unit for this hub"),
    ):
        sub.add_parser(name, help=text)
    reset = sub.add_parser("reset-password", help="forget a person's password")
    reset.add_argument("name")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config)
        if args.command == "check":
            print(f"{settings.source}: OK")
            print("\n".join(f"note: {w}" for w in settings.warnings) or "", end="")
            return 0
        if args.command == "reset-password":
            found = password_store(settings).remove(args.name)
            print(f"{args.name}: password {'forgotten' if found else 'was not set'}")
            return 0
        if args.command == "systemd-unit":
            print(systemd_unit(settings))
            return 0
        if args.command == "prepare":
            check_limits(settings)
            print(banner(settings, prepare_host(settings, hub_python(settings))))
            return 0
        return start(settings) if args.command == "start" else run(settings)
    except (WorkshopConfigError, RuntimeError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
