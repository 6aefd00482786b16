"""Saving and restoring an exercise's answers, recovering from damage."""

from __future__ import annotations

import json

from endtrafficking.safe_save import backup_path
from endtrafficking.widgets.autosave import AutosaveStore
from endtrafficking.workspace import work_dir


def test_nothing_saved_yet(tmp_path):
    """Does load() return None, with no message, before anything is saved?"""
    store = AutosaveStore(tmp_path / "a.json", kind="action_plan")
    assert store.load() is None
    assert store.messages == []


def test_save_then_load(tmp_path):
    """Does a saved state come back exactly, unicode included?"""
    store = AutosaveStore(tmp_path / "a.json", kind="action_plan")
    state = {"priorities": ["Restoration", "Justice"], "note": "café 日本", "n": 3}
    store.save(state)
    assert AutosaveStore(tmp_path / "a.json", kind="action_plan").load() == state
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert data["kind"] == "action_plan" and data["saved"].endswith("+00:00")


def test_in_work_dir(monkeypatch, tmp_path):
    """Does in_work_dir() put the file in the learner's working folder?"""
    store = AutosaveStore.in_work_dir("plan.json", kind="action_plan")
    assert store.path == work_dir() / "plan.json"


def test_each_save_keeps_previous(tmp_path):
    """Does each save keep the previous version as .bak?"""
    store = AutosaveStore(tmp_path / "a.json", kind="k")
    store.save({"v": 1})
    store.save({"v": 2})
    assert json.loads(backup_path(store.path).read_text(encoding="utf-8"))["state"] == {"v": 1}


def test_damaged_file_recovers_from_backup(tmp_path):
    """If the file is damaged, are the answers restored from the backup, the damage kept aside?"""
    store = AutosaveStore(tmp_path / "a.json", kind="k")
    store.save({"v": 1})
    store.save({"v": 2})
    store.path.write_text('{"kind": "k", "state": {"v": ', encoding="utf-8")
    assert store.load() == {"v": 1}
    damaged = tmp_path / "a.json.damaged"
    assert damaged.read_text(encoding="utf-8").startswith('{"kind"')
    assert not store.path.exists()
    text = " ".join(store.messages)
    assert "could not be read" in text and "restored from the previous version" in text
    store.save({"v": 3})
    assert AutosaveStore(store.path, kind="k").load() == {"v": 3}


def test_not_utf8_recovers(tmp_path):
    """Is a file that is not UTF-8 treated as damaged, never raising?"""
    store = AutosaveStore(tmp_path / "a.json", kind="k")
    store.save({"v": 1})
    store.save({"v": 2})
    store.path.write_bytes(b"\xff\xfe\x00garbage")
    assert store.load() == {"v": 1}


def test_wrong_kind_is_not_loaded(tmp_path):
    """Is a file holding another exercise's answers ignored, with a message?"""
    AutosaveStore(tmp_path / "a.json", kind="inventory").save({"x": 1})
    store = AutosaveStore(tmp_path / "a.json", kind="action_plan")
    assert store.load() is None
    assert "does not hold action_plan answers" in store.messages[0]


def test_both_damaged_returns_none(tmp_path):
    """If the file and its backup are both damaged, does load() return None without raising?"""
    store = AutosaveStore(tmp_path / "a.json", kind="k")
    store.path.write_text("{", encoding="utf-8")
    backup_path(store.path).write_text("[", encoding="utf-8")
    assert store.load() is None
    assert len(store.messages) == 2
    assert store.path.read_text(encoding="utf-8") == "{"  # nothing thrown away


def test_messages_reset_on_each_load(tmp_path):
    """Are old messages cleared when loading again?"""
    store = AutosaveStore(tmp_path / "a.json", kind="k")
    store.path.write_text("{", encoding="utf-8")
    store.load()
    store.save({"v": 1})
    store.load()
    assert store.messages == []
