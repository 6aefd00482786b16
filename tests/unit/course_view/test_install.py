"""Linking the course view's files into an environment: idempotent, and only its own files."""

from __future__ import annotations

from endtrafficking.course_view.install import link_into_prefix, planned_links


def test_links_every_file_once(tmp_path):
    """Are the template and server settings linked in, and a second run a no-op?"""
    made = link_into_prefix(tmp_path)
    expected = {dest for _src, dest in planned_links(tmp_path)}
    assert set(made) == expected
    assert (tmp_path / "share/jupyter/voila/templates/endtrafficking/index.html.j2").is_symlink()
    assert (tmp_path / "etc/jupyter/jupyter_server_config.d/endtrafficking.json").is_symlink()
    assert link_into_prefix(tmp_path) == []


def test_a_copy_from_a_wheel_is_left_alone(tmp_path):
    """Is an identical file already installed (by a wheel) kept, and a stale one replaced?"""
    pairs = planned_links(tmp_path)
    source, dest = pairs[0]
    dest.parent.mkdir(parents=True)
    dest.write_bytes(source.read_bytes())
    stale_source, stale = pairs[1]
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_text("old", encoding="utf-8")
    made = link_into_prefix(tmp_path)
    assert dest not in made and not dest.is_symlink()
    assert stale in made and stale.resolve() == stale_source


def test_other_files_are_untouched(tmp_path):
    """Does linking leave the environment's other settings alone?"""
    other = tmp_path / "etc/jupyter/jupyter_server_config.d/voila.json"
    other.parent.mkdir(parents=True)
    other.write_text("{}", encoding="utf-8")
    link_into_prefix(tmp_path)
    assert other.read_text(encoding="utf-8") == "{}"


def test_slow_extras_are_left_out_as_on_the_hub(monkeypatch):
    """Does the install remove exactly the hub's lean list, and only what is present?"""
    import subprocess

    from endtrafficking.course_view import install
    from endtrafficking_hub.environment import LEAN_REMOVALS

    calls: list[list[str]] = []
    monkeypatch.setattr(install.importlib.util, "find_spec", lambda name: object())
    monkeypatch.setattr(subprocess, "run", lambda cmd, check: calls.append(cmd))
    assert install.remove_lean_packages() == LEAN_REMOVALS
    assert calls and calls[0][-len(LEAN_REMOVALS) :] == list(LEAN_REMOVALS)
    calls.clear()
    monkeypatch.setattr(install.importlib.util, "find_spec", lambda name: None)
    assert install.remove_lean_packages() == {} and calls == []
