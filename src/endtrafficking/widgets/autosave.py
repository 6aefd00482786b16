"""Save and restore an exercise's answers as JSON in the learner's working folder.

A save is atomic and keeps the previous version as ``.bak``. If the file is
damaged (for example edited by hand), :meth:`AutosaveStore.load` falls back to
the backup and reports what happened instead of raising, so a learner never
sees a traceback and never loses what they entered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from endtrafficking.safe_save import atomic_write, backup_path
from endtrafficking.workspace import work_file


@dataclass
class AutosaveStore:
    """A JSON file holding one exercise's state."""

    path: Path
    kind: str
    messages: list[str] = field(default_factory=list)

    @classmethod
    def in_work_dir(cls, filename: str, kind: str) -> AutosaveStore:
        """A store for ``filename`` in the learner's working folder."""
        return cls(path=work_file(filename), kind=kind)

    def load(self) -> dict[str, Any] | None:
        """The saved state, or None if nothing was saved yet.

        A damaged file is kept aside (``.damaged``) and the backup is used;
        ``messages`` says so in plain words.
        """
        self.messages.clear()
        for candidate in (self.path, backup_path(self.path)):
            if not candidate.exists():
                continue
            try:
                data = json.loads(candidate.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError, OSError) as exc:
                self.messages.append(
                    f"{candidate.name} could not be read ({exc.__class__.__name__}); "
                    "trying the previous version."
                )
                continue
            if not isinstance(data, dict) or data.get("kind") != self.kind:
                self.messages.append(f"{candidate.name} does not hold {self.kind} answers.")
                continue
            if candidate != self.path:
                damaged = self.path.with_name(self.path.name + ".damaged")
                if self.path.exists():
                    self.path.replace(damaged)
                    self.messages.append(f"The damaged file was kept as {damaged.name}.")
                self.messages.append("Your answers were restored from the previous version.")
            return data.get("state", {})
        return None

    def save(self, state: dict[str, Any]) -> Path:
        """Write ``state`` atomically (previous version kept as ``.bak``)."""
        payload = {
            "kind": self.kind,
            "saved": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "state": state,
        }
        return atomic_write(self.path, json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
