"""Atomic saves that keep the previous version.

Every file a learner's work goes into is written through :func:`atomic_write`:
the new content goes to a temporary file in the same folder, is flushed to
disk, and then replaces the old file in one step. The old file is first kept
as ``<name>.bak``. A crash or a full disk mid-save leaves the old file whole.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

BACKUP_SUFFIX = ".bak"


def backup_path(path: str | Path) -> Path:
    """Where the previous version of ``path`` is kept."""
    path = Path(path)
    return path.with_name(path.name + BACKUP_SUFFIX)


def atomic_write(path: str | Path, data: bytes | str, *, keep_backup: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically; keep the old file as ``path.bak``.

    Returns the path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp_name, _mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if keep_backup and path.exists():
            if path.read_bytes() == payload:
                os.unlink(tmp_name)
                return path
            _copy_atomically(path, backup_path(path))
        os.replace(tmp_name, path)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    return path


def _mode_for(path: Path) -> int:
    """The existing file's mode, or what a plain ``open()`` would give (0o666 less umask).

    ``mkstemp`` creates files readable by their owner only; a report or a
    template must stay readable by whoever could read it before.
    """
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _copy_atomically(src: Path, dst: Path) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent)
    os.close(fd)
    try:
        shutil.copy2(src, tmp_name)
        os.replace(tmp_name, dst)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
