"""A small disk cache for pages' static parts, so a course page opens fast on every visit.

The course view starts a fresh kernel for every visit, so the worked examples
of the fictional example community (charts, tables) would be drawn again each
time, although they never change between visits. :func:`cached_text` keeps the
rendered HTML in the user's cache folder, under a key made of the package
version, the name of the view and the content of every data file it depends
on: change a file and the view is drawn again. The cache is only a shortcut:
when it cannot be read or written (a read-only home, a full disk), the view is
simply drawn.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from endtrafficking.safe_save import atomic_write

CACHE_ENV = "ENDTRAFFICKING_CACHE"
#: Old entries are removed once the folder holds more than this many.
MAX_ENTRIES = 64
#: The package files whose change makes every cached view be drawn again.
FINGERPRINT_SUFFIXES = frozenset({".py", ".j2", ".css", ".yaml", ".csv", ".json"})


def cache_dir() -> Path:
    """``$ENDTRAFFICKING_CACHE``, else ``$XDG_CACHE_HOME/endtrafficking``, else ``~/.cache/...``."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "endtrafficking"


def _package_version() -> str:
    try:
        return version("endtrafficking")
    except PackageNotFoundError:
        return "unknown"


def files_fingerprint(root: Path) -> str:
    """A digest of the name, size and time of each code or data file under ``root``."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in FINGERPRINT_SUFFIXES and "__pycache__" not in path.parts:
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """The package's version and :func:`files_fingerprint` of its folder.

    A view's HTML depends on code as well as on data: a new release or an edited
    source file (an editable install) must not serve a page drawn by older code.
    """
    here = files_fingerprint(Path(__file__).resolve().parent)
    return f"{_package_version()}-{here}"


def cache_key(name: str, files: Iterable[Path]) -> str:
    """A key for view ``name`` that changes whenever the package's code or any of ``files`` does."""
    digest = hashlib.sha256(f"{name}\0{package_fingerprint()}".encode())
    for path in files:
        digest.update(str(path).encode())
        try:
            digest.update(Path(path).read_bytes())
        except OSError:
            digest.update(b"\0missing")
    return digest.hexdigest()[:32]


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.html"), key=lambda p: p.stat().st_mtime)
    for old in entries[:-MAX_ENTRIES]:
        old.unlink(missing_ok=True)


def cached_text(name: str, files: Iterable[Path], build: Callable[[], str]) -> str:
    """The text ``build()`` makes, from the cache when the package and ``files`` are unchanged."""
    files = list(files)
    folder = cache_dir()
    path = folder / f"{cache_key(name, files)}.html"
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    text = build()
    try:
        atomic_write(path, text, keep_backup=False)
        _prune(folder)
    except OSError:
        pass
    return text
