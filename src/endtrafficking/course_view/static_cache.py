"""Let the browser keep the course page's content-hashed scripts instead of asking again.

Every course page loads about twenty scripts of the widget extensions from
``/voila/labextensions/``. Jupyter server serves them with ``Cache-Control:
no-cache``, so the browser asks the server about each of them on every page a
learner opens, in chains (an extension's entry script, then its chunks). Their
names carry a hash of their content (``remoteEntry.5cbb9d23….js``), so a file
of that name never changes: the server's own ``static_immutable_cache`` setting
may mark them immutable. Only files whose names carry such a hash are listed,
one URL each; any other file (``style.js``, licences) keeps the server's default.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from jupyter_core.paths import jupyter_path
from jupyter_server.utils import url_path_join

#: A built asset whose name carries its content hash: ``568.1e2faa2b….js``,
#: ``remoteEntry.5cbb9d23….js``, ``9834b82ad26e2a37583d.woff2``.
HASHED_NAME = re.compile(r"^(?:[\w-]+\.)?[0-9a-f]{8,}\.[a-z0-9]+$")
#: Where a server serves the labextensions' files: Voila's pages and JupyterLab.
PREFIXES = ("voila/labextensions", "lab/extensions")


def hashed_assets(roots: Iterable[Path]) -> Iterator[str]:
    """Paths (``<extension>/static/<file>``) of the content-hashed files under ``roots``."""
    for root in roots:
        for static in sorted(Path(root).glob("**/static")):
            if not static.is_dir():
                continue
            for file in sorted(static.iterdir()):
                if file.is_file() and HASHED_NAME.match(file.name):
                    yield file.relative_to(root).as_posix()


def immutable_urls(base_url: str, roots: Iterable[Path]) -> list[str]:
    """The URLs of every content-hashed labextension file, under each prefix."""
    assets = sorted(set(hashed_assets(roots)))
    return [url_path_join(base_url, prefix, asset) for prefix in PREFIXES for asset in assets]


def apply_static_cache(settings: dict[str, Any], roots: Iterable[Path] | None = None) -> int:
    """Add the content-hashed files to the server's ``static_immutable_cache``; how many."""
    paths = [Path(p) for p in (jupyter_path("labextensions") if roots is None else roots)]
    urls = immutable_urls(settings.get("base_url", "/"), [p for p in paths if p.is_dir()])
    current = list(settings.get("static_immutable_cache") or [])
    settings["static_immutable_cache"] = current + [u for u in urls if u not in current]
    return len(urls)
