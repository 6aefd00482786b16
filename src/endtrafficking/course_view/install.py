"""Put the course view's Voilà template and server settings where Jupyter finds them.

A built wheel installs them itself (``[tool.setuptools.data-files]`` in
``pyproject.toml``). An editable install (``make venv``) does not install data
files, so ``python -m endtrafficking.course_view.install`` links them into the
environment; it is idempotent and touches only the environment's own
``share/jupyter`` and ``etc/jupyter`` folders.

It also removes the packages that dependencies' extras install and that only slow
every server and kernel down (the list and the reasons are the hub's,
:data:`endtrafficking_hub.environment.LEAN_REMOVALS`), so that a laptop's course
view starts as fast as a hub's.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

SHARE = Path(__file__).resolve().parent / "share"
#: Source folder inside ``share/`` -> destination inside the environment's prefix.
DESTINATIONS = {
    "voila/templates/endtrafficking": "share/jupyter/voila/templates/endtrafficking",
    "jupyter_server_config.d": "etc/jupyter/jupyter_server_config.d",
}


def planned_links(prefix: Path) -> list[tuple[Path, Path]]:
    """Every (file in the package, where the environment should have it)."""
    pairs = []
    for source_dir, dest_dir in DESTINATIONS.items():
        for source in sorted((SHARE / source_dir).rglob("*")):
            if source.is_file():
                pairs.append((source, prefix / dest_dir / source.relative_to(SHARE / source_dir)))
    return pairs


def link_into_prefix(prefix: Path | None = None) -> list[Path]:
    """Link each file into ``prefix`` (default: this environment) unless it is there already."""
    prefix = Path(prefix or sys.prefix)
    made = []
    for source, dest in planned_links(prefix):
        if dest.is_symlink() and dest.resolve() == source:
            continue
        if dest.exists() and not dest.is_symlink() and dest.read_bytes() == source.read_bytes():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.is_symlink() or dest.exists():
            dest.unlink()
        dest.symlink_to(source)
        made.append(dest)
    return made


def remove_lean_packages() -> dict[str, str]:
    """Uninstall from this environment each package the hub leaves out; return those
    removed, with the reason."""
    from endtrafficking_hub.environment import LEAN_REMOVALS

    present = {
        name: why
        for name, why in LEAN_REMOVALS.items()
        if importlib.util.find_spec(name.replace("-", "_"))
    }
    if present:
        subprocess.run(
            [sys.executable, "-m", "pip", "uninstall", "--yes", "--quiet", *present], check=True
        )
    return present


def main() -> int:
    """Link the files, leave out the slow extras, and say what was done."""
    made = link_into_prefix()
    for name, why in remove_lean_packages().items():
        print(f"course view: removed {name} ({why})")
    print(
        f"course view: {len(made)} file(s) linked into {sys.prefix}"
        if made
        else "course view: up to date"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
