"""Links to files an exercise has written, shown in the exercise after an export."""

from __future__ import annotations

import html
import os
from pathlib import Path


def link_html(path: Path, label: str) -> str:
    """A link to ``path`` relative to the notebook's folder, with the full path shown."""
    try:
        href = os.path.relpath(path, Path.cwd())
    except ValueError:  # another drive on Windows
        href = str(path)
    return (
        f'{html.escape(label)}: <a href="{html.escape(href.replace(os.sep, "/"))}" '
        f'target="_blank">{html.escape(path.name)}</a> '
        f"(saved at <code>{html.escape(str(path))}</code>)"
    )
