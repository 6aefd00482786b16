"""The course view's server extension fills in Voila's settings, never over a host's own."""

from __future__ import annotations

import json

import voila.paths
from traitlets.config import Config

from endtrafficking.course_view import _jupyter_server_extension_points
from endtrafficking.course_view.install import planned_links
from endtrafficking.course_view.server import VOILA_SETTINGS, apply_voila_settings


def test_settings_are_filled_in():
    """With no settings of the host's, are the course view's own applied?"""
    config = Config()
    applied = apply_voila_settings(config)
    assert applied == VOILA_SETTINGS
    assert config.VoilaConfiguration.template == "endtrafficking"
    assert config.VoilaConfiguration.show_tracebacks is False


def test_a_hosts_setting_wins():
    """Does a host's own Voila setting stay as the host set it?"""
    config = Config()
    config.VoilaConfiguration.template = "lab"
    applied = apply_voila_settings(config)
    assert config.VoilaConfiguration.template == "lab" and "template" not in applied


def test_extension_is_declared_and_enabled_by_its_config_file(tmp_path):
    """Does the package declare its server extension, and the shipped file enable it?"""
    assert _jupyter_server_extension_points() == [{"module": "endtrafficking.course_view.server"}]
    enabling = [
        src
        for src, dest in planned_links(tmp_path)
        if dest.parent.name == "jupyter_server_config.d"
    ]
    assert len(enabling) == 1
    data = json.loads(enabling[0].read_text(encoding="utf-8"))
    assert data["ServerApp"]["jpserver_extensions"]["endtrafficking.course_view"] is True


def test_this_environment_finds_the_template():
    """Can Voila find the course's template in this environment (make venv linked it)?"""
    paths = voila.paths.collect_template_paths(["voila", "nbconvert"], "endtrafficking")
    assert any(p.endswith("voila/templates/endtrafficking") for p in paths)


class _Manager:
    cull_idle_timeout = 0
    cull_interval = 300
    cull_connected = False


class _App:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.kernel_manager = _Manager()


def test_closed_pages_kernels_are_culled():
    """Are kernels no page is connected to shut down after a while, unless the host chose?"""
    from endtrafficking.course_view.server import KERNEL_CULLING, apply_kernel_culling

    app = _App(Config())
    assert apply_kernel_culling(app) == KERNEL_CULLING
    assert (
        app.kernel_manager.cull_idle_timeout == 900 and app.kernel_manager.cull_connected is False
    )
    config = Config()
    config.MappingKernelManager.cull_idle_timeout = 60
    app = _App(config)
    applied = apply_kernel_culling(app)
    assert "cull_idle_timeout" not in applied and app.kernel_manager.cull_idle_timeout == 0
