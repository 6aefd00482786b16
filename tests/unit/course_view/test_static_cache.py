"""Only content-hashed labextension files are marked immutable for the browser."""

from __future__ import annotations

from pathlib import Path

from endtrafficking.course_view.static_cache import apply_static_cache, immutable_urls


def _extension(root: Path, name: str, files: list[str]) -> None:
    static = root / name / "static"
    static.mkdir(parents=True)
    for file in files:
        (static / file).write_text("x")


def test_only_hashed_names_are_immutable(tmp_path: Path):
    _extension(
        tmp_path,
        "@jupyter-widgets/jupyterlab-manager",
        [
            "remoteEntry.c8c9eed2cdefdeac.js",
            "84.09c61a35dce1705f.js",
            "style.js",
            "third-party-licenses.json",
            "9834b82ad26e2a37583d.woff2",
            "index.js",
        ],
    )
    urls = immutable_urls("/user/ana/", [tmp_path])
    voila = sorted(u for u in urls if "/voila/" in u)
    assert voila == [
        "/user/ana/voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/84.09c61a35dce1705f.js",
        "/user/ana/voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/9834b82ad26e2a37583d.woff2",
        "/user/ana/voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/remoteEntry.c8c9eed2cdefdeac.js",
    ]
    assert len(urls) == 6 and all("/lab/extensions/" in u for u in urls if "/voila/" not in u)


def test_apply_keeps_the_hosts_own_entries_and_adds_nothing_twice(tmp_path: Path):
    _extension(tmp_path, "anywidget", ["2.3dbf81c0.js"])
    settings = {"base_url": "/", "static_immutable_cache": ["/static/mine"]}
    assert apply_static_cache(settings, [tmp_path]) == 2
    apply_static_cache(settings, [tmp_path])
    assert settings["static_immutable_cache"] == [
        "/static/mine",
        "/voila/labextensions/anywidget/static/2.3dbf81c0.js",
        "/lab/extensions/anywidget/static/2.3dbf81c0.js",
    ]
