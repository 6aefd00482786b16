"""Role data for the engage lessons, validated on load.

``engage_lessons/roles.yaml`` describes every role-based lesson: who it serves,
what people in that role may see (with sources), the framework indicators that
matter most to them, the training programmes that exist for them, what not to
do, examples of the three engagement options, and the knowledge checks. One
lesson notebook and the shared plan widget (:mod:`endtrafficking.widgets.role_plan`)
read everything from here, so there is one widget and nine data entries, not
nine copies.

On load the file is checked against ``engage_lessons/roles.schema.json`` and
against the course: every indicator id must exist in the framework, every
example's indicators must be among the role's own, and every source key must
be in ``course/bibliography.yaml``. A mistake raises :class:`RoleDataError`
naming the file, the field (for example ``field roles[2].indicators[1]``), the
problem and the fix.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from endtrafficking.course_meta import load_bibliography, read_yaml, schema_where
from endtrafficking.errors import CourseInputError
from endtrafficking.framework import ENGAGEMENT_OPTIONS, Framework, load_framework
from endtrafficking.paths import data_file
from endtrafficking.schema_check import schema_errors

if TYPE_CHECKING:
    import jsonschema

ROLES_FILE = "roles.yaml"
SCHEMA_FILE = "roles.schema.json"


class RoleDataError(CourseInputError):
    """The role data file (engage_lessons/roles.yaml) is broken."""


@dataclass(frozen=True)
class Cited:
    """A statement, with the bibliography keys that support it."""

    text: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Training:
    """A public training programme or tool for a role."""

    name: str
    description: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Example:
    """A concrete example of one engagement option, tied to indicators."""

    text: str
    indicators: tuple[str, ...]
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Role:
    """One role and its engage lesson."""

    id: str
    name: str
    lesson: str
    summary: str
    may_see: tuple[Cited, ...]
    indicators: tuple[str, ...]
    trainings: tuple[Training, ...]
    do_not: tuple[Cited, ...]
    engagement: dict[str, tuple[Example, ...]]
    knowledge_checks: tuple[str, ...]

    @property
    def lesson_id(self) -> str:
        """The lesson's id in course.yaml (the notebook's file name without .ipynb)."""
        return Path(self.lesson).stem

    def examples(self, option: str) -> tuple[Example, ...]:
        """The examples for one engagement option (KeyError if the option is unknown)."""
        return self.engagement[option]

    def source_keys(self) -> list[str]:
        """Every bibliography key the role's data cites, in order, once each."""
        keys: list[str] = []
        groups: list[tuple[str, ...]] = [c.sources for c in self.may_see]
        groups += [t.sources for t in self.trainings]
        groups += [c.sources for c in self.do_not]
        groups += [e.sources for option in ENGAGEMENT_OPTIONS for e in self.engagement[option]]
        for group in groups:
            for key in group:
                if key not in keys:
                    keys.append(key)
        return keys


@dataclass(frozen=True)
class RoleCatalogue:
    """The whole role file, validated."""

    version: str
    safety: tuple[Cited, ...]
    roles: tuple[Role, ...]
    source_path: str = ""

    @property
    def ids(self) -> tuple[str, ...]:
        """Every role id, in lesson order."""
        return tuple(r.id for r in self.roles)

    def role(self, role_id: str) -> Role:
        """Look up a role by id.

        Raises:
            RoleDataError: naming the known ids when ``role_id`` is unknown.
        """
        for item in self.roles:
            if item.id == role_id:
                return item
        close = difflib.get_close_matches(str(role_id), self.ids, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise RoleDataError(
            f"there is no role with id {role_id!r}.",
            fix=f"{hint}use one of: {', '.join(self.ids)}.",
            file=self.source_path or ROLES_FILE,
        )

    def safety_keys(self) -> list[str]:
        """Bibliography keys cited by the shared safety list."""
        keys: list[str] = []
        for item in self.safety:
            keys += [k for k in item.sources if k not in keys]
        return keys


# --------------------------------------------------------------------------- validation
def roles_path() -> Path:
    """The course's own role data file (package data)."""
    return data_file(ROLES_FILE)


def _schema() -> dict[str, Any]:
    return json.loads(data_file(SCHEMA_FILE).read_text(encoding="utf-8"))


_SCHEMA_FIXES = {
    "required": "add the missing field (compare with another role in roles.yaml).",
    "additionalProperties": f"check the field name's spelling against {SCHEMA_FILE}, or remove it.",
    "pattern": (
        "role ids are lower_case_with_underscores; indicator ids look like PRE1; source keys "
        "look like R4; knowledge-check ids are '<lesson id>.<check id>'; lesson paths look "
        "like engage_lessons/01_educators.ipynb."
    ),
    "minItems": "add more entries: the schema asks for at least the number it names.",
    "maxItems": "keep the list shorter (the in-lesson rating must stay short).",
    "uniqueItems": "remove the repeated entry.",
}


def _misspelt_field(
    problems: list[jsonschema.ValidationError], parts: list[Any]
) -> tuple[str, str] | None:
    """(problem, fix) when a required field is missing because it was spelt differently."""
    here = [p for p in problems if list(p.absolute_path) == parts]
    extra = next((p for p in here if p.validator == "additionalProperties"), None)
    missing = [p for p in here if p.validator == "required"]
    if extra is None or not missing or not isinstance(extra.instance, dict):
        return None
    allowed = set(extra.schema.get("properties", {}))
    unknown = sorted(k for k in extra.instance if k not in allowed)
    needed = sorted({r for p in missing for r in p.validator_value if r not in p.instance})
    for name in unknown:
        close = difflib.get_close_matches(name, needed, n=1)
        if close:
            return (
                f"the field {name!r} is not one the file uses, and {close[0]!r} is missing.",
                f"rename {name!r} to {close[0]!r}.",
            )
    return None


def _role_label(data: Any, index: int) -> str:
    try:
        return f" (role {data['roles'][index]['id']!r})"
    except (KeyError, IndexError, TypeError):
        return ""


def validate_roles_data(
    data: Any,
    path: str | Path = ROLES_FILE,
    *,
    framework: Framework | None = None,
    bibliography: dict[str, Any] | None = None,
) -> None:
    """Check parsed role data against the schema, the framework and the bibliography.

    Raises:
        RoleDataError: naming the file, the field, the problem and the fix.
    """
    if not isinstance(data, dict):
        raise RoleDataError(
            "the file does not hold a mapping with 'version', 'safety' and 'roles'.",
            fix="start from the roles.yaml shipped with the course.",
            file=path,
        )
    problems = sorted(schema_errors(data, _schema()), key=lambda e: list(map(str, e.absolute_path)))
    if problems:
        first = problems[0]
        where = schema_where(first)
        parts = list(first.absolute_path)
        if len(parts) >= 2 and parts[0] == "roles" and isinstance(parts[1], int):
            where += _role_label(data, parts[1])
        renamed = _misspelt_field(problems, parts)
        if renamed:
            raise RoleDataError(renamed[0], fix=renamed[1], file=path, where=where)
        fix = _SCHEMA_FIXES.get(
            str(first.validator), f"give the value the type and form that {SCHEMA_FILE} expects."
        )
        raise RoleDataError(f"{first.message}.", fix=fix, file=path, where=where)
    framework = framework or load_framework()
    bibliography = bibliography if bibliography is not None else load_bibliography()
    known_ids = set(framework.indicator_ids)
    _check_sources(data.get("safety", []), "field safety", path, bibliography)
    seen: dict[str, str] = {}
    lessons: dict[str, str] = {}
    for r_i, role in enumerate(data["roles"]):
        at = f"field roles[{r_i}]"
        label = f" (role {role['id']!r})"
        for key, value, table in (("id", role["id"], seen), ("lesson", role["lesson"], lessons)):
            if value in table:
                raise RoleDataError(
                    f"the {key} {value!r} is used twice (also at {table[value]}).",
                    fix=f"give every role its own {key}.",
                    file=path,
                    where=f"{at}.{key}{label}",
                )
            table[value] = f"{at}.{key}"
        for i_i, ind in enumerate(role["indicators"]):
            if ind not in known_ids:
                close = difflib.get_close_matches(ind, sorted(known_ids), n=1)
                hint = f"did you mean {close[0]}? " if close else ""
                raise RoleDataError(
                    f"{ind!r} is not an indicator of the framework.",
                    fix=f"{hint}use indicator ids from assessments_templates/framework.yaml.",
                    file=path,
                    where=f"{at}.indicators[{i_i}]{label}",
                )
        for option in ENGAGEMENT_OPTIONS:
            for e_i, example in enumerate(role["engagement"][option]):
                for i_i, ind in enumerate(example["indicators"]):
                    if ind not in role["indicators"]:
                        raise RoleDataError(
                            f"the example's indicator {ind!r} is not one of this role's "
                            f"indicators ({', '.join(role['indicators'])}).",
                            fix="tag the example with one of the role's indicators, or add "
                            "the indicator to the role's list.",
                            file=path,
                            where=f"{at}.engagement.{option}[{e_i}].indicators[{i_i}]{label}",
                        )
        lesson_stem = Path(role["lesson"]).stem
        for k_i, check_id in enumerate(role["knowledge_checks"]):
            if check_id.partition(".")[0] != lesson_stem:
                raise RoleDataError(
                    f"the knowledge check {check_id!r} is not from this lesson's bank "
                    f"({lesson_stem}).",
                    fix=f"write it as '{lesson_stem}.<check id>'.",
                    file=path,
                    where=f"{at}.knowledge_checks[{k_i}]{label}",
                )
        for part in ("may_see", "do_not", "trainings"):
            _check_sources(role[part], f"{at}.{part}", path, bibliography, label)
        for option in ENGAGEMENT_OPTIONS:
            _check_sources(
                role["engagement"][option], f"{at}.engagement.{option}", path, bibliography, label
            )


def _check_sources(
    items: list[dict[str, Any]],
    at: str,
    path: str | Path,
    bibliography: dict[str, Any],
    label: str = "",
) -> None:
    for i, item in enumerate(items):
        for s_i, key in enumerate(item.get("sources", [])):
            if key not in bibliography:
                raise RoleDataError(
                    f"the source key {key!r} is not in course/bibliography.yaml.",
                    fix="cite a key listed in course/bibliography.yaml, or add the source there "
                    "first.",
                    file=path,
                    where=f"{at}[{i}].sources[{s_i}]{label}",
                )


# --------------------------------------------------------------------------- parsing
def _cited(items: list[dict[str, Any]]) -> tuple[Cited, ...]:
    return tuple(Cited(i["text"], tuple(i.get("sources", []))) for i in items)


def parse_roles(
    data: Any,
    path: str | Path = ROLES_FILE,
    *,
    framework: Framework | None = None,
    bibliography: dict[str, Any] | None = None,
) -> RoleCatalogue:
    """Validate parsed role data and build the :class:`RoleCatalogue`.

    Raises:
        RoleDataError: naming the file, the field, the problem and the fix.
    """
    validate_roles_data(data, path, framework=framework, bibliography=bibliography)
    roles = tuple(
        Role(
            id=r["id"],
            name=r["name"],
            lesson=r["lesson"],
            summary=r["summary"],
            may_see=_cited(r["may_see"]),
            indicators=tuple(r["indicators"]),
            trainings=tuple(
                Training(t["name"], t["description"], tuple(t["sources"])) for t in r["trainings"]
            ),
            do_not=_cited(r["do_not"]),
            engagement={
                option: tuple(
                    Example(e["text"], tuple(e["indicators"]), tuple(e.get("sources", [])))
                    for e in r["engagement"][option]
                )
                for option in ENGAGEMENT_OPTIONS
            },
            knowledge_checks=tuple(r["knowledge_checks"]),
        )
        for r in data["roles"]
    )
    return RoleCatalogue(
        version=str(data["version"]),
        safety=_cited(data["safety"]),
        roles=roles,
        source_path=str(path),
    )


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0


def load_roles(path: str | Path | None = None) -> RoleCatalogue:
    """Load and validate the role data (the course's own by default).

    Raises:
        RoleDataError: the file is missing, is not YAML, or breaks a rule.
    """
    resolved = Path(path) if path is not None else roles_path()
    return _load_cached(str(resolved.resolve()), _mtime(resolved))


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> RoleCatalogue:
    return parse_roles(read_yaml(path, RoleDataError), path)


def load_role(role_id: str) -> Role:
    """The course's role with this id.

    Raises:
        RoleDataError: the file is broken or there is no such role.
    """
    return load_roles().role(role_id)
