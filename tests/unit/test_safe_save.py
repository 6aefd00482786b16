"""Atomic saves that keep the previous version."""

from __future__ import annotations

import pytest

from endtrafficking import safe_save
from endtrafficking.safe_save import atomic_write, backup_path


def leftovers(folder):
    """Temporary files a save left behind."""
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_first_save_creates_file_and_folder(tmp_path):
    """Does a first save create the folder and the file, with no backup yet?"""
    path = tmp_path / "deep" / "er" / "answers.json"
    assert atomic_write(path, "{}\n") == path
    assert path.read_text(encoding="utf-8") == "{}\n"
    assert not backup_path(path).exists()


def test_text_is_saved_as_utf8(tmp_path):
    """Is text saved as UTF-8?"""
    path = atomic_write(tmp_path / "a.txt", "café 日本")
    assert path.read_bytes() == "café 日本".encode()


def test_second_save_keeps_previous_as_bak(tmp_path):
    """Does each save keep the version before it as .bak?"""
    path = tmp_path / "a.json"
    atomic_write(path, b"one")
    atomic_write(path, b"two")
    atomic_write(path, b"three")
    assert path.read_bytes() == b"three"
    assert backup_path(path).read_bytes() == b"two"
    assert backup_path(path).name == "a.json.bak"
    assert leftovers(tmp_path) == []


def test_unchanged_content_keeps_backup(tmp_path):
    """Does saving the same content again leave the backup alone (so it stays useful)?"""
    path = tmp_path / "a.json"
    atomic_write(path, b"one")
    atomic_write(path, b"two")
    atomic_write(path, b"two")
    assert backup_path(path).read_bytes() == b"one"
    assert leftovers(tmp_path) == []


def test_keep_backup_false(tmp_path):
    """Can a caller write without a backup?"""
    path = tmp_path / "a.json"
    atomic_write(path, b"one", keep_backup=False)
    atomic_write(path, b"two", keep_backup=False)
    assert not backup_path(path).exists()


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_failure_mid_save_leaves_old_file(tmp_path, monkeypatch, step):
    """If the disk fails mid-save, is the old file whole and no temporary file left?"""
    path = tmp_path / "a.json"
    atomic_write(path, b"old")
    atomic_write(path, b"current")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device (simulated)")

    monkeypatch.setattr(safe_save.os, step, fail)
    with pytest.raises(OSError, match="No space left"):
        atomic_write(path, b"new")
    monkeypatch.undo()
    assert path.read_bytes() == b"current"
    assert backup_path(path).read_bytes() in (b"old", b"current")
    assert leftovers(tmp_path) == []


def test_interrupted_save_leaves_old_file(tmp_path, monkeypatch):
    """If the save is interrupted (Ctrl-C, kernel restart), is the old file whole?"""
    path = tmp_path / "a.json"
    atomic_write(path, b"current")

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(safe_save.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, b"new")
    monkeypatch.undo()
    assert path.read_bytes() == b"current"
    assert leftovers(tmp_path) == []


def test_failed_backup_copy_leaves_old_file(tmp_path, monkeypatch):
    """If the backup cannot be written, is the saved file left as it was?"""
    path = tmp_path / "a.json"
    atomic_write(path, b"old")
    atomic_write(path, b"current")

    def fail(*args, **kwargs):
        raise PermissionError("backup folder is read-only (simulated)")

    monkeypatch.setattr(safe_save.shutil, "copy2", fail)
    with pytest.raises(PermissionError):
        atomic_write(path, b"new")
    monkeypatch.undo()
    assert path.read_bytes() == b"current"
    assert backup_path(path).read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_read_only_folder(tmp_path, monkeypatch):
    """In a folder that refuses new files, does a save fail and leave the old file?

    (The tests run as root, which can write anywhere, so the refusal is simulated.)
    """
    path = tmp_path / "a.json"
    atomic_write(path, b"current")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied (simulated read-only folder)")

    monkeypatch.setattr(safe_save.tempfile, "mkstemp", refuse)
    with pytest.raises(PermissionError):
        atomic_write(path, b"new")
    monkeypatch.undo()
    assert path.read_bytes() == b"current"
