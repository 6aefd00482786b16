"""Parse YAML text safely, with libyaml where PyYAML was built with it.

libyaml's safe loader gives the same results as PyYAML's own and is about ten
times faster; every course page reads the course map and its question banks.
"""

from __future__ import annotations

from typing import Any

import yaml

#: libyaml's safe loader where available, else PyYAML's own.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """``yaml.safe_load``, with libyaml where it is available (same results, faster)."""
    return yaml.load(text, Loader=YAML_LOADER)  # noqa: S506 - a safe loader
