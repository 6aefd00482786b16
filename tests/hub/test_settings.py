"""The host's settings file is checked against the schema on load; errors name the field
and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from endtrafficking_hub.settings import WorkshopConfigError, load_settings, parse_size, schema

from .conftest import HUB_DIR

pytestmark = pytest.mark.hub


def write(tmp_path: Path, data: dict[str, object]) -> Path:
    """A settings file holding ``data``."""
    path = tmp_path / "workshop.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_shipped_settings_are_valid_and_safe() -> None:
    """Does hub/workshop.yaml load, bind to loopback, isolate learners and refuse to run
    without limits by default?"""
    s = load_settings(HUB_DIR / "workshop.yaml")
    assert s.bind_ip == "127.0.0.1"
    assert s.mode == "users"
    assert s.state_dir == HUB_DIR / "state"
    assert s.cull_enabled and s.cull_timeout == 3600
    assert s.mem_limit_bytes == 2 * 1024**3 and s.cpu_limit == 1.0
    assert s.limits_required
    assert s.instructors == ("instructor",)
    assert s.gradebook_backend == "postgresql"
    assert s.shared_dir == Path("/opt/endtrafficking")


def test_schema_is_a_data_file_with_a_fix_for_every_field() -> None:
    """Is the schema shipped as package data, and does every field say how to fix it?"""
    rules = schema()
    assert rules["additionalProperties"] is False
    assert all("fix" in field for field in rules["properties"].values())


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"prot": 8000}, ["prot", "unknown field", "Fix"]),
        ({"port": "eight"}, ["'port'", "Fix", "65535"]),
        ({"mode": "everyone"}, ["'mode'", "Fix", "demo"]),
        ({"bind_ip": "localhost"}, ["'bind_ip'", "127.0.0.1"]),
        ({"port": 8000, "hub_port": 8000}, ["must differ", "Fix"]),
        ({"exchange_root": "/tmp"}, ["'exchange_root'", "Fix"]),
        ({"shared_dir": "/opt"}, ["'shared_dir'", "Fix"]),
        ({"limits": {"memory": "lots"}}, ["limits.memory", "2G"]),
        ({"limits": {"memory": "100M"}}, ["limits.memory", "256M"]),
        ({"limits": {"when_unavailable": "maybe"}}, ["'limits.when_unavailable'", "refuse"]),
        ({"gradebook": {"backend": "mysql"}}, ["'gradebook.backend'", "postgresql"]),
        ({"gradebook": {"database": "x; drop"}}, ["'gradebook.database'", "lowercase"]),
        ({"instructors": ["Dr Who"]}, ["'instructors.0'", "lowercase"]),
        ({"instructors": ["amy", "amy"]}, ["'instructors'", "twice"]),
        ({"system_user_prefix": ""}, ["'system_user_prefix'", "jupyter-"]),
        ({"culling": {"timeout_seconds": 1}}, ["'culling.timeout_seconds'", "Fix"]),
    ],
)
def test_bad_settings_name_field_and_fix(
    tmp_path: Path, data: dict[str, object], words: list[str]
) -> None:
    """Does each mistake give one clear error naming the file, the field and a fix?"""
    path = write(tmp_path, data)
    with pytest.raises(WorkshopConfigError) as err:
        load_settings(path)
    message = str(err.value)
    assert str(path) in message
    for word in words:
        assert word in message, message


def test_broken_yaml_is_reported(tmp_path: Path) -> None:
    """Is a YAML syntax error reported with the file name rather than a traceback?"""
    path = tmp_path / "workshop.yaml"
    path.write_text("port: [8000\n", encoding="utf-8")
    with pytest.raises(WorkshopConfigError, match="not valid YAML"):
        load_settings(path)


def test_no_settings_file_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --config or $WORKSHOP_HUB_CONFIG, does loading say how to name the file?"""
    monkeypatch.delenv("WORKSHOP_HUB_CONFIG", raising=False)
    with pytest.raises(WorkshopConfigError, match="--config"):
        load_settings()


def test_relative_paths_follow_the_file(tmp_path: Path) -> None:
    """Are relative paths resolved against the settings file's folder, and missing seed
    folders a note rather than an error?"""
    s = load_settings(write(tmp_path, {"state_dir": "st", "seed_dirs": ["nowhere"]}))
    assert s.state_dir == tmp_path / "st"
    assert any("nowhere" in w for w in s.warnings)


@pytest.mark.parametrize(("text", "size"), [("512M", 512 * 1024**2), ("1.5G", 3 * 1024**3 // 2)])
def test_sizes(text: str, size: int) -> None:
    """Are memory sizes read as a host writes them?"""
    assert parse_size(text, "here") == size
