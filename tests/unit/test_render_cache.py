"""The cache of pages' static parts: reused while nothing changes, redrawn when a file does."""

from __future__ import annotations

from endtrafficking.render_cache import cache_dir, cached_text


def test_second_visit_uses_the_cache(tmp_path):
    """Is the view drawn once, and then read back while its files are unchanged?"""
    source = tmp_path / "framework.yaml"
    source.write_text("v1", encoding="utf-8")
    calls: list[int] = []

    def build() -> str:
        calls.append(1)
        return f"<p>drawn {len(calls)}</p>"

    assert cached_text("view", [source], build) == "<p>drawn 1</p>"
    assert cached_text("view", [source], build) == "<p>drawn 1</p>"
    assert len(calls) == 1
    source.write_text("v2", encoding="utf-8")
    assert cached_text("view", [source], build) == "<p>drawn 2</p>"


def test_an_unwritable_cache_still_draws(tmp_path, monkeypatch):
    """When the cache folder cannot be written, is the view simply drawn?"""
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x", encoding="utf-8")
    monkeypatch.setenv("ENDTRAFFICKING_CACHE", str(blocked / "cache"))
    assert cache_dir() == blocked / "cache"
    assert cached_text("view", [], lambda: "<p>ok</p>") == "<p>ok</p>"


def test_worked_example_is_drawn_once():
    """Is the module 01 worked example kept after its first drawing, and shown the same?"""
    from endtrafficking.lesson_views import worked_gap_example

    assert not list(cache_dir().glob("*.html"))
    first = worked_gap_example().data
    assert len(list(cache_dir().glob("*.html"))) == 1
    assert worked_gap_example().data == first and "fictional" in first


def test_changed_code_changes_the_fingerprint(tmp_path):
    """Does editing a code file (an upgrade, an editable install) give a new fingerprint?"""
    from endtrafficking.render_cache import files_fingerprint

    module = tmp_path / "plots.py"
    module.write_text("A = 1\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    before = files_fingerprint(tmp_path)
    (tmp_path / "notes.txt").write_text("still ignored", encoding="utf-8")
    assert files_fingerprint(tmp_path) == before
    module.write_text("A = 22\n", encoding="utf-8")
    assert files_fingerprint(tmp_path) != before


def test_example_assessment_is_drawn_once(monkeypatch):
    """Is module 03's worked example drawn on the first visit only, and shown the same?"""
    from endtrafficking import demos

    first = demos.example_assessment_demo().data

    def no_drawing(_assessment):
        raise AssertionError("drawn again although nothing changed")

    monkeypatch.setattr(demos, "assessment_overview_html", no_drawing)
    assert demos.example_assessment_demo().data == first
    assert "Elderbrook" in first and "fictional" in first.lower()
