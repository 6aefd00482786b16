"""The grading lock, the guarded-file digests and the sandbox's command line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from endtrafficking.grading import integrity, sandbox


def test_second_run_is_told_who_is_grading(tmp_path: Path) -> None:
    """Does a second run stop at once, saying since when and by whom grading runs?"""
    with integrity.grading_lock(tmp_path):
        with pytest.raises(integrity.GradingBusy, match=r"already running \(since .* by .*\)"):
            with integrity.grading_lock(tmp_path):
                pass
    with integrity.grading_lock(tmp_path):  # released afterwards
        pass


def test_changed_guarded_files_are_named(tmp_path: Path) -> None:
    """Are a changed, an added and a removed file in source/ or submitted/ all reported?"""
    (tmp_path / "source" / "a").mkdir(parents=True)
    (tmp_path / "submitted" / "x" / "a").mkdir(parents=True)
    (tmp_path / "source" / "a" / "n.ipynb").write_text("1")
    (tmp_path / "submitted" / "x" / "a" / "w.json").write_text("1")
    before = integrity.snapshot(tmp_path)
    (tmp_path / "source" / "a" / "n.ipynb").write_text("2")
    (tmp_path / "submitted" / "x" / "a" / "w.json").unlink()
    (tmp_path / "submitted" / "x" / "a" / "new").write_text("")
    found = integrity.changes(before, integrity.snapshot(tmp_path), set())
    assert len(found) == 3 and any("source/a/n.ipynb changed" in f for f in found)
    assert integrity.changes(before, before, set()) == []


def test_gradebook_rows_of_others_must_not_change() -> None:
    """Is a changed row reported only for a submission this run did not grade?"""
    before = {("a", "x"): "1", ("a", "y"): "1"}
    after = {("a", "x"): "2", ("a", "y"): "2"}
    found = integrity.gradebook_changes(before, after, {("a", "x")})
    assert found == ["the gradebook's scores of y in a changed, but were not graded"]


@pytest.mark.skipif(bool(sandbox.unavailable_reason()), reason="bubblewrap cannot run here")
def test_sandbox_binds_nothing_of_the_repository(tmp_path: Path) -> None:
    """Does the sandbox's command line bind only neutral paths, and no network?"""
    (tmp_path / "runtime").mkdir()
    args = sandbox.bwrap_args(sandbox.Layout.current(), tmp_path, tmp_path / "runtime", 16)
    repo = str(Path(__file__).resolve().parents[3])
    assert not [a for a in args if a.startswith(repo)]
    assert {"--unshare-net", "--unshare-pid", "--die-with-parent", "--new-session"} <= set(args)
    for index, arg in enumerate(args):
        if arg in ("--ro-bind-fd", "--bind-fd", "--file"):
            os.close(int(args[index + 1]))


def test_missing_bubblewrap_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    """Does a machine without bwrap get a reason that says how to install it?"""
    sandbox.unavailable_reason.cache_clear()
    monkeypatch.setattr(sandbox.shutil, "which", lambda _name: None)
    try:
        assert "apt-get install bubblewrap" in sandbox.unavailable_reason()
    finally:
        sandbox.unavailable_reason.cache_clear()


def test_grade_command_refuses_while_another_run_grades(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Does `endtrafficking grade` exit non-zero with who and since when, at once?"""
    from endtrafficking.cli import main

    (tmp_path / "nbgrader_config.py").write_text("")
    with integrity.grading_lock(tmp_path):
        status = main(["grade", "--course", str(tmp_path)])
    assert status != 0
    assert "grading is already running (since " in capsys.readouterr().err
