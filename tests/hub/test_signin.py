"""Sign-in: the workshop code claims a name once; then only the personal password works.

Called directly here (a unit test); ``test_workshop_hub.py`` signs in through the real form.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from tornado import web

from endtrafficking_hub.credentials import ensure_codes, read_code
from endtrafficking_hub.settings import cached_settings
from endtrafficking_hub.signin import WorkshopAuthenticator

from .kernel_client import run_in_own_loop

pytestmark = pytest.mark.hub


@pytest.fixture
def auth(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> WorkshopAuthenticator:
    """An authenticator on fresh settings with generated codes."""
    monkeypatch.delenv("WORKSHOP_LEARNER_CODE", raising=False)
    monkeypatch.delenv("WORKSHOP_INSTRUCTOR_CODE", raising=False)
    path = tmp_path / "workshop.yaml"
    data = {"state_dir": str(tmp_path / "st"), "instructors": ["lead"]}
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    ensure_codes(cached_settings(str(path)))
    return WorkshopAuthenticator(settings_file=str(path))


def sign_in(auth: WorkshopAuthenticator, name: str, password: str, code: str = ""):
    """One sign-in attempt, as the login form sends it."""
    data = {"username": name, "password": password, "otp": code}
    return run_in_own_loop(auth.authenticate(None, data))  # type: ignore[arg-type]


def test_code_claims_a_name_once(auth: WorkshopAuthenticator) -> None:
    """Does the learner code claim a new name, after which only its password signs in?"""
    code = read_code(auth.settings, "learner")
    assert sign_in(auth, "dee", "a-good-password", "wrong") is None
    with pytest.raises(web.HTTPError):
        sign_in(auth, "dee", "short", code)
    assert sign_in(auth, "dee", "a-good-password", code) == {"name": "dee"}
    assert sign_in(auth, "dee", "another-password", code) is None
    assert sign_in(auth, "dee", "a-good-password") == {"name": "dee"}


def test_instructor_names_need_the_instructor_code(auth: WorkshopAuthenticator) -> None:
    """Is an instructor's name refused with the learner code, and made admin with theirs?"""
    learner_code = read_code(auth.settings, "learner")
    instructor_code = read_code(auth.settings, "instructor")
    assert sign_in(auth, "lead", "instructor-password", learner_code) is None
    answer = sign_in(auth, "lead", "instructor-password", instructor_code)
    assert answer == {"name": "lead", "admin": True}


def test_odd_usernames_are_refused(auth: WorkshopAuthenticator) -> None:
    """Is a name that could not be a safe account name refused with a clear message?"""
    with pytest.raises(web.HTTPError) as err:
        sign_in(auth, "../root", "a-good-password", read_code(auth.settings, "learner"))
    assert "lowercase" in str(err.value.log_message)
