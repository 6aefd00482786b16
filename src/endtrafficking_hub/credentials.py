"""Sign-up codes (one for learners, one for instructors) and personal password hashes.

Both live in the hub's state folder with mode 0600; codes are never printed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from pathlib import Path

from .settings import Settings, WorkshopConfigError

LEARNER_CODE_ENV = "WORKSHOP_LEARNER_CODE"
INSTRUCTOR_CODE_ENV = "WORKSHOP_INSTRUCTOR_CODE"
MIN_CODE = {"learner": 8, "instructor": 16}
MIN_PASSWORD = 8
SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def write_private(path: Path, text: str) -> None:
    """Atomically write ``text`` to ``path`` with mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def code_env(role: str) -> str:
    """The environment variable that may hold ``role``'s code."""
    return LEARNER_CODE_ENV if role == "learner" else INSTRUCTOR_CODE_ENV


def code_file(settings: Settings, role: str) -> Path:
    """Where the sign-up code of ``role`` ('learner' or 'instructor') is kept."""
    return settings.state_dir / f"{role}-code"


def read_code(settings: Settings, role: str) -> str:
    """The sign-up code for ``role``: from the environment, else from the state file."""
    env = os.environ.get(code_env(role))
    if env:
        return env.strip()
    path = code_file(settings, role)
    return path.read_text(encoding="utf-8").strip() if path.is_file() else ""


def ensure_codes(settings: Settings) -> None:
    """Create the learner and instructor sign-up codes if missing; check their lengths."""
    for role, minimum in MIN_CODE.items():
        env_name = code_env(role)
        if os.environ.get(env_name):
            if len(os.environ[env_name].strip()) < minimum:
                raise WorkshopConfigError(
                    f"{env_name} is shorter than {minimum} characters. Fix: choose a longer code."
                )
            continue
        path = code_file(settings, role)
        if not path.is_file():
            easy = secrets.token_hex(3) + "-" + secrets.token_hex(3)
            write_private(path, (easy if role == "learner" else secrets.token_urlsafe(18)) + "\n")
        elif len(read_code(settings, role)) < minimum:
            raise WorkshopConfigError(
                f"{path}: the {role} code is shorter than {minimum} characters. "
                "Fix: write a longer code into the file, or delete it to get a new one."
            )


def hash_password(password: str) -> str:
    """A salted scrypt hash, as text."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **SCRYPT)
    return f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches a hash made by :func:`hash_password`."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    got = hashlib.scrypt(
        password.encode(),
        salt=bytes.fromhex(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        dklen=len(digest) // 2,
    )
    return hmac.compare_digest(got.hex(), digest)


class PasswordStore:
    """Personal password hashes, one JSON file (mode 0600) in the state folder."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, str]:
        """All name -> hash entries."""
        if not self.path.is_file():
            return {}
        return dict(json.loads(self.path.read_text(encoding="utf-8")))

    def get(self, name: str) -> str | None:
        """The hash for ``name``, or None if the name is unclaimed."""
        return self.load().get(name)

    def set(self, name: str, hashed: str) -> None:
        """Store ``name``'s hash."""
        data = self.load()
        data[name] = hashed
        write_private(self.path, json.dumps(data, indent=1, sort_keys=True))

    def remove(self, name: str) -> bool:
        """Forget ``name``'s password (they may claim the name again with the code)."""
        data = self.load()
        found = data.pop(name, None) is not None
        write_private(self.path, json.dumps(data, indent=1, sort_keys=True))
        return found


def password_store(settings: Settings) -> PasswordStore:
    """The hub's password store."""
    return PasswordStore(settings.state_dir / "passwords.json")
