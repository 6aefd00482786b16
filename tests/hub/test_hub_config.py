"""Loading the JupyterHub configuration reads the settings and changes nothing on the host."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from traitlets.config import Config

from endtrafficking_hub import hub_config
from endtrafficking_hub.settings import WorkshopConfigError

pytestmark = pytest.mark.hub


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    """Users-mode settings whose folders do not exist (yet)."""
    path = tmp_path / "workshop.yaml"
    data = {
        "state_dir": str(tmp_path / "st"),
        "exchange_root": str(tmp_path / "ex"),
        "course_root": str(tmp_path / "co"),
        "shared_dir": str(tmp_path / "shared"),
        "instructors": ["lead"],
        "limits": {"when_unavailable": "warn", "cgroup_root": str(tmp_path / "nocg")},
    }
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_loading_the_config_file_changes_nothing(settings_file: Path, tmp_path: Path) -> None:
    """Does JupyterHub's own loading of data/jupyterhub_config.py set the hub up without
    creating a single folder, account or group?"""
    config_file = Path(hub_config.__file__).parent / "data" / "jupyterhub_config.py"
    code = (
        "from jupyterhub.app import JupyterHub\n"
        "app = JupyterHub()\n"
        f"app.load_config_file({str(config_file)!r})\n"
        "print(app.config.JupyterHub.bind_url, app.config.Spawner.cmd[-1])\n"
    )
    groups = Path("/etc/group").read_text()
    before = sorted(os.listdir(tmp_path))
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=dict(os.environ, WORKSHOP_HUB_CONFIG=str(settings_file)),
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["http://127.0.0.1:8000/", "endtrafficking_hub.singleuser"]
    assert "limits are NOT applied" in out.stderr
    assert sorted(os.listdir(tmp_path)) == before
    assert Path("/etc/group").read_text() == groups


def test_configuration_values(settings_file: Path) -> None:
    """Are the hub and proxy API on loopback, instructors admins, and the admin page's
    warning wired in?"""
    c = Config()
    s = hub_config.configure(c, hub_config.load_settings(settings_file))
    assert c.JupyterHub.hub_ip == "127.0.0.1"
    assert c.ConfigurableHTTPProxy.api_url.startswith("http://127.0.0.1:")
    assert c.Authenticator.admin_users == {"lead"}
    assert c.JupyterHub.template_vars["announcement"] is hub_config.admin_announcement
    assert c.JupyterHub.db_url == f"sqlite:///{s.state_dir / 'jupyterhub.sqlite'}"
    assert any(svc["name"] == "idle-culler" for svc in c.JupyterHub.services)


def test_short_automation_token_is_refused(settings_file: Path, monkeypatch) -> None:
    """Is an automation token shorter than 32 characters refused with the fix?"""
    monkeypatch.setenv(hub_config.ADMIN_TOKEN_ENV, "short")
    with pytest.raises(WorkshopConfigError, match="openssl rand"):
        hub_config.configure(Config(), hub_config.load_settings(settings_file))
