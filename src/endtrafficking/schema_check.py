"""Schema checks that cost nothing when a file is valid.

``jsonschema`` gives the detailed errors the course shows to people, but
importing it takes seconds here (its format checkers build a grammar on
import), and every learner's kernel loads the framework. So valid data is
checked with a compiled ``fastjsonschema`` validator, and ``jsonschema`` is
imported only to explain a file that failed.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import fastjsonschema

if TYPE_CHECKING:
    import jsonschema


@lru_cache(maxsize=16)
def _compiled(schema_text: str) -> Any:
    schema = json.loads(schema_text)
    schema.pop("$schema", None)  # fastjsonschema knows drafts 4-7; our keywords are in all of them
    return fastjsonschema.compile(schema)


def schema_errors(data: object, schema: dict[str, Any]) -> list[jsonschema.ValidationError]:
    """Every error in ``data`` against ``schema`` (draft 2020-12); ``[]`` when valid."""
    try:
        _compiled(json.dumps(schema, sort_keys=True))(data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    import jsonschema  # slow to import: only when there is something to explain

    return list(jsonschema.Draft202012Validator(schema).iter_errors(data))
