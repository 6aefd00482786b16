"""The per-person start: the course copy keeps a learner's changes; roles choose config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from endtrafficking_hub import singleuser

pytestmark = pytest.mark.hub


def test_seeding_keeps_learner_changes(tmp_path: Path) -> None:
    """Are course files copied once, deletions respected, edits kept, new files added?"""
    src = tmp_path / "modules"
    src.mkdir()
    (src / "01.ipynb").write_text("v1", encoding="utf-8")
    (src / ".hidden").write_text("x", encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    assert singleuser.seed(home, [src]) == ["modules/01.ipynb"]
    copy = home / "endtrafficking" / "modules" / "01.ipynb"
    copy.write_text("my answers", encoding="utf-8")
    (src / "01.ipynb").write_text("v2", encoding="utf-8")
    assert singleuser.seed(home, [src]) == []
    assert copy.read_text(encoding="utf-8") == "my answers"
    copy.unlink()
    (src / "02.ipynb").write_text("new", encoding="utf-8")
    assert singleuser.seed(home, [src]) == ["modules/02.ipynb"]
    assert not copy.exists()
    assert not (home / "endtrafficking" / "modules" / ".hidden").exists()
    marker = json.loads((home / singleuser.MARKER).read_text())
    assert marker == ["modules/01.ipynb", "modules/02.ipynb"]


def test_links_become_real_files_and_dangling_links_are_skipped(tmp_path: Path) -> None:
    """Does a learner get the file a link points at, and nothing for a dangling link?"""
    src = tmp_path / "templates"
    src.mkdir()
    (tmp_path / "framework.yaml").write_text("areas: []", encoding="utf-8")
    (src / "framework.yaml").symlink_to(tmp_path / "framework.yaml")
    (src / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    home = tmp_path / "home"
    home.mkdir()
    assert singleuser.seed(home, [src]) == ["templates/framework.yaml"]
    copy = home / "endtrafficking" / "templates" / "framework.yaml"
    assert copy.is_file() and not copy.is_symlink()
    assert not (home / "endtrafficking" / "templates" / "gone.yaml").exists()


def test_role_config_folders() -> None:
    """Does each role have its Jupyter config, and is an unknown role refused?"""
    learner = json.loads(
        (singleuser.role_config_dir("learner") / "jupyter_server_config.json").read_text()
    )
    extensions = learner["ServerApp"]["jpserver_extensions"]
    assert extensions["voila.server_extension"] is True
    assert extensions["nbgrader.server_extensions.formgrader"] is False
    assert extensions["jupyter_server_terminals"] is False
    with pytest.raises(ValueError, match="WORKSHOP_ROLE"):
        singleuser.role_config_dir("root")


def test_course_link_is_not_forced_over_a_file(tmp_path: Path, capsys) -> None:
    """Is ~/course left alone (with a note) when something else is already there?"""
    (tmp_path / "course").write_text("mine", encoding="utf-8")
    singleuser.link_course(tmp_path, "/srv/nbgrader/courses/x")
    assert (tmp_path / "course").read_text(encoding="utf-8") == "mine"
    assert "not the course link" in capsys.readouterr().err
    other = tmp_path / "other"
    other.mkdir()
    singleuser.link_course(other, str(tmp_path))
    assert (other / "course").resolve() == tmp_path
