"""Sign-in: a workshop code on first use, a personal password afterwards (TLJH's first-use)."""

from __future__ import annotations

import asyncio
import hmac
import re
from typing import Any

from jupyterhub.auth import Authenticator
from tornado import web
from traitlets import Unicode

from .credentials import MIN_PASSWORD, hash_password, password_store, read_code, verify_password
from .settings import Settings, cached_settings

# Hub usernames: short, lowercase, safe as part of a system account name.
USERNAME_RE = r"^[a-z][a-z0-9_-]{0,19}$"


class WorkshopAuthenticator(Authenticator):
    """First sign-in with a workshop code sets a personal password.

    - A name listed in ``instructors`` can be claimed only with the instructor code; those
      people become hub admins and join the ``instructors`` group.
    - Any other new name can be claimed with the learner code.
    - After that, the personal password alone signs in; the code no longer works for that
      name, so nobody can sign in as someone else with the shared code.
    """

    settings_file = Unicode(config=True, help="Path of the workshop settings YAML.")
    request_otp = True  # the login form's extra field, used for the workshop code
    otp_prompt = "Workshop code (first sign-in only; leave empty afterwards):"

    @property
    def settings(self) -> Settings:
        """The workshop settings."""
        return cached_settings(self.settings_file)

    async def authenticate(
        self, handler: web.RequestHandler, data: dict[str, str]
    ) -> dict[str, Any] | None:
        """Check a sign-in; claim the name on first use with the right code."""
        name = self.normalize_username(data.get("username", "").strip())
        password = data.get("password", "")
        code = data.get("otp", "").strip()
        if not re.fullmatch(USERNAME_RE, name):
            raise web.HTTPError(
                400,
                "Use a username of lowercase letters, digits, '-' or '_', "
                "starting with a letter, at most 20 characters.",
            )
        instructor = name in self.settings.instructors
        answer = {"name": name, "admin": True} if instructor else {"name": name}
        store = password_store(self.settings)
        stored = await asyncio.to_thread(store.get, name)
        if stored is not None:
            ok = await asyncio.to_thread(verify_password, password, stored)
            return answer if ok else None
        expected = read_code(self.settings, "instructor" if instructor else "learner")
        if not code or not expected or not hmac.compare_digest(code, expected):
            self.log.warning("First sign-in for %s refused: wrong or missing workshop code", name)
            return None
        if len(password) < MIN_PASSWORD:
            raise web.HTTPError(
                400,
                f"First sign-in: choose a personal password of at least {MIN_PASSWORD} characters.",
            )
        await asyncio.to_thread(store.set, name, await asyncio.to_thread(hash_password, password))
        self.log.info("%s claimed the name %s", "Instructor" if instructor else "Learner", name)
        return answer
