"""The assessment framework: focus areas, indicators, rating scale and sections.

The framework is data (``assessments_templates/framework.yaml``). It is checked
against ``framework.schema.json`` and a few rules a schema cannot express
(unique ids, a contiguous scale starting at 0) every time it is loaded.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from endtrafficking.errors import FrameworkError
from endtrafficking.schema_check import schema_errors
from endtrafficking.yaml_text import parse_yaml

if TYPE_CHECKING:
    import jsonschema
from endtrafficking.paths import data_file, templates_dir

FRAMEWORK_FILE = "framework.yaml"
SCHEMA_FILE = "framework.schema.json"
ENGAGEMENT_OPTIONS = ("enhance", "come_alongside", "fill_gap")


@dataclass(frozen=True)
class Indicator:
    """One question a community team rates on the scale."""

    id: str
    area_id: str
    question: str
    source: str | None = None


@dataclass(frozen=True)
class Area:
    """A focus area of a complete strategy."""

    id: str
    name: str
    summary: str
    sources: tuple[str, ...]
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Prompt:
    """An open question in a supporting (unrated) section."""

    id: str
    section_id: str
    prompt: str


@dataclass(frozen=True)
class Section:
    """A supporting section (Local context, Safeguards): not rated."""

    id: str
    name: str
    purpose: str
    sources: tuple[str, ...]
    prompts: tuple[Prompt, ...]


@dataclass(frozen=True)
class ScaleLevel:
    """One level of the rating scale."""

    value: int
    label: str
    description: str


@dataclass(frozen=True)
class Framework:
    """The whole framework, validated."""

    version: str
    title: str
    scale: tuple[ScaleLevel, ...]
    areas: tuple[Area, ...]
    sections: tuple[Section, ...]
    options: dict[str, str]
    source_path: str = ""

    @property
    def max_rating(self) -> int:
        """The highest value on the scale."""
        return self.scale[-1].value

    @cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator, in framework order."""
        return tuple(ind for area in self.areas for ind in area.indicators)

    @cached_property
    def indicator_ids(self) -> tuple[str, ...]:
        """Every indicator id, in framework order."""
        return tuple(ind.id for ind in self.indicators)

    @cached_property
    def prompts(self) -> tuple[Prompt, ...]:
        """Every prompt of the supporting sections."""
        return tuple(p for s in self.sections for p in s.prompts)

    def indicator(self, indicator_id: str) -> Indicator:
        """Look up an indicator by id (KeyError if unknown)."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def area(self, area_id: str) -> Area:
        """Look up an area by id or by its display name."""
        for area in self.areas:
            if area_id in (area.id, area.name):
                return area
        raise KeyError(area_id)

    @cached_property
    def _area_labels(self) -> dict[str, Area]:
        return {
            label_key(key): area
            for area in self.areas
            for key in (area.id, area.name, area.id.replace("_", " "))
        }

    def area_for_label(self, label: str) -> Area | None:
        """The area a person wrote as its id or its name, in any case (None if unknown)."""
        return self._area_labels.get(label_key(label))

    def scale_label(self, value: int | None) -> str:
        """The label for a rating, or 'Not rated yet'."""
        if value is None:
            return "Not rated yet"
        for level in self.scale:
            if level.value == value:
                return level.label
        raise KeyError(value)


def label_key(text: str) -> str:
    """A label as compared with others: case, underscores and extra spaces ignored."""
    return " ".join(str(text).replace("_", " ").casefold().split())


def _where(error: jsonschema.ValidationError) -> str:
    parts: list[str] = []
    for part in error.absolute_path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "field " + ("".join(parts) or "(top level)")


def _problem(error: jsonschema.ValidationError) -> str:
    if error.validator == "minItems":
        return f"the list needs at least {error.validator_value} entries."
    message = error.message if len(error.message) <= 200 else error.message[:200] + "..."
    return f"{message}."


def _fix_for(error: jsonschema.ValidationError) -> str:
    if error.validator == "required":
        return "add the missing field, as in the framework.yaml shipped with the course."
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = (
            [k for k in error.instance if k not in allowed]
            if isinstance(error.instance, dict)
            else []
        )
        close = difflib.get_close_matches(str(extra[0]), allowed, n=1) if extra else []
        hint = f"did you mean {close[0]!r}? " if close else ""
        return (
            f"{hint}check the spelling of the field name against framework.schema.json "
            f"(allowed here: {', '.join(allowed)}), or remove it."
        )
    if error.validator == "pattern":
        return (
            "area and section ids are lower_case_with_underscores; indicator and prompt ids "
            "are UPPER_CASE letters and digits (for example PRE1)."
        )
    if error.validator in ("type", "minLength", "minItems", "enum", "const", "minimum"):
        return "give the value the type and form the schema expects (see framework.schema.json)."
    return "compare this part with the framework.yaml shipped with the course."


def _error_order(error: jsonschema.ValidationError) -> tuple[list[str], int]:
    """Errors in file order; at one place a misspelt field before the field it lacks."""
    path = [f"{p:06d}" if isinstance(p, int) else str(p) for p in error.absolute_path]
    return path, 0 if error.validator == "additionalProperties" else 1


#: How PyYAML and libyaml word a block that does not line up.
INDENTATION_PROBLEMS = (
    "expected <block end>",
    "mapping values are not allowed",
    "did not find expected key",
    "did not find expected '-' indicator",
)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """YAML's complaint in plain words, with where the broken part starts."""
    problem = getattr(exc, "problem", None) or "the file is not valid YAML"
    if any(words in problem for words in INDENTATION_PROBLEMS):
        problem = f"the indentation does not line up with the lines above (YAML: {problem})"
    context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and start is not None:
        problem += f", {context} that starts at line {start.line + 1}, column {start.column + 1}"
    return f"{problem}."


def validate_framework_data(data: object, path: str | Path = FRAMEWORK_FILE) -> None:
    """Check parsed framework data against the schema and the extra rules.

    Raises:
        FrameworkError: naming the file, the field, the problem and the fix.
    """
    schema = json.loads(data_file(SCHEMA_FILE).read_text(encoding="utf-8"))
    errors = sorted(schema_errors(data, schema), key=_error_order)
    if errors:
        err = errors[0]
        raise FrameworkError(_problem(err), fix=_fix_for(err), file=path, where=_where(err))
    assert isinstance(data, dict)
    values = [level["value"] for level in data["scale"]]
    if values != list(range(len(values))):
        raise FrameworkError(
            f"the scale values are {values}, but they must count up from 0 without gaps.",
            fix="number the scale levels 0, 1, 2, ... in order.",
            file=path,
            where="field scale",
        )
    seen: dict[str, str] = {}
    for a_i, area in enumerate(data["areas"]):
        for key, where in [(area["id"], f"field areas[{a_i}].id")] + [
            (ind["id"], f"field areas[{a_i}].indicators[{i_i}].id")
            for i_i, ind in enumerate(area["indicators"])
        ]:
            if key in seen:
                raise FrameworkError(
                    f"the id {key!r} is used twice (also at {seen[key]}).",
                    fix="give every area and indicator its own id.",
                    file=path,
                    where=where,
                )
            seen[key] = where
    for s_i, section in enumerate(data["sections"]):
        for p_i, prompt in enumerate(section["prompts"]):
            key = prompt["id"]
            where = f"field sections[{s_i}].prompts[{p_i}].id"
            if key in seen:
                raise FrameworkError(
                    f"the id {key!r} is used twice (also at {seen[key]}).",
                    fix="give every prompt its own id.",
                    file=path,
                    where=where,
                )
            seen[key] = where


def parse_framework(data: dict, path: str | Path = FRAMEWORK_FILE) -> Framework:
    """Build a :class:`Framework` from already-validated data."""
    validate_framework_data(data, path)
    areas = tuple(
        Area(
            id=a["id"],
            name=a["name"],
            summary=a.get("summary", ""),
            sources=tuple(a.get("sources", [])),
            indicators=tuple(
                Indicator(
                    id=i["id"], area_id=a["id"], question=i["question"], source=i.get("source")
                )
                for i in a["indicators"]
            ),
        )
        for a in data["areas"]
    )
    sections = tuple(
        Section(
            id=s["id"],
            name=s["name"],
            purpose=s.get("purpose", ""),
            sources=tuple(s.get("sources", [])),
            prompts=tuple(
                Prompt(id=p["id"], section_id=s["id"], prompt=p["prompt"]) for p in s["prompts"]
            ),
        )
        for s in data["sections"]
    )
    scale = tuple(
        ScaleLevel(value=lv["value"], label=lv["label"], description=lv.get("description", ""))
        for lv in data["scale"]
    )
    options = {o["id"]: o["label"] for o in data["engagement_options"]}
    return Framework(
        version=data["framework_version"],
        title=data["title"],
        scale=scale,
        areas=areas,
        sections=sections,
        options=options,
        source_path=str(path),
    )


def load_framework(path: str | Path | None = None) -> Framework:
    """Load and validate the framework file (the course's own by default).

    Raises:
        FrameworkError: if the file is missing, is not YAML, or breaks the schema.
    """
    resolved = Path(path) if path is not None else templates_dir() / FRAMEWORK_FILE
    return _load_cached(str(resolved.resolve()), _mtime(resolved))


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> Framework:
    file = Path(path)
    if mtime < 0:
        raise FrameworkError(
            "the framework file does not exist.",
            fix="check the path, or unset ENDTRAFFICKING_TEMPLATES to use the course's own framework.",
            file=file,
        )
    try:
        data = parse_yaml(file.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        raise FrameworkError(
            _yaml_problem(exc),
            fix="check the indentation and the quotes near that line (YAML uses spaces, not tabs).",
            file=file,
            where=where,
        ) from None
    except UnicodeDecodeError:
        raise FrameworkError(
            "the file is not UTF-8 text.", fix="save it as UTF-8 text.", file=file
        ) from None
    if not isinstance(data, dict):
        raise FrameworkError(
            "the file does not hold a mapping of fields (it is empty or a plain list).",
            fix="start from the framework.yaml shipped with the course.",
            file=file,
        )
    return parse_framework(data, file)
