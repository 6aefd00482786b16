"""Sign-up codes and personal passwords: private files, salted hashes, never printed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from endtrafficking_hub import credentials
from endtrafficking_hub.launcher import banner
from endtrafficking_hub.settings import WorkshopConfigError, load_settings

pytestmark = pytest.mark.hub


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Settings whose state folder is a fresh temporary folder; no codes in the environment."""
    monkeypatch.delenv(credentials.LEARNER_CODE_ENV, raising=False)
    monkeypatch.delenv(credentials.INSTRUCTOR_CODE_ENV, raising=False)
    path = tmp_path / "workshop.yaml"
    path.write_text(yaml.safe_dump({"state_dir": str(tmp_path / "st")}), encoding="utf-8")
    return load_settings(path)


def test_passwords_are_salted_hashes() -> None:
    """Does a stored password verify, a wrong one not, and two hashes of one password
    differ?"""
    one = credentials.hash_password("correct horse")
    assert credentials.verify_password("correct horse", one)
    assert not credentials.verify_password("wrong horse", one)
    assert not credentials.verify_password("correct horse", "garbage")
    assert one != credentials.hash_password("correct horse")
    assert "correct horse" not in one


def test_codes_are_created_private_and_never_printed(settings) -> None:
    """Are sign-up codes generated with mode 0600, and does the banner show only their
    paths?"""
    credentials.ensure_codes(settings)
    text = banner(settings, [])
    for role in ("learner", "instructor"):
        path = credentials.code_file(settings, role)
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        code = credentials.read_code(settings, role)
        assert len(code) >= credentials.MIN_CODE[role]
        assert code not in text
        assert str(path) in text
    assert "127.0.0.1" in text and "bind_ip: 0.0.0.0" in text


def test_short_code_from_environment_is_refused(settings, monkeypatch) -> None:
    """Is a learner code shorter than 8 characters refused with the fix?"""
    monkeypatch.setenv(credentials.LEARNER_CODE_ENV, "abc")
    with pytest.raises(WorkshopConfigError, match="longer code"):
        credentials.ensure_codes(settings)


def test_password_store_keeps_and_forgets(settings) -> None:
    """Does the store keep a hash in a 0600 file and forget it on reset?"""
    store = credentials.password_store(settings)
    store.set("ana", credentials.hash_password("a-good-password"))
    assert oct(store.path.stat().st_mode & 0o777) == "0o600"
    assert store.get("ana") and store.get("ben") is None
    assert store.remove("ana") is True
    assert store.get("ana") is None and store.remove("ana") is False
