"""The three organizational models of module 01, as data: ``models.yaml``, validated.

Each model (Polaris Project, IJM, Not For Sale) has parts, and each part the
course's reading of the focus areas it serves, with explanations. The file is
checked against ``models.schema.json``, the framework and the bibliography when
it is loaded. The grader reads it too, so nothing here needs ipywidgets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from endtrafficking.course_meta import _mtime, check_schema, load_bibliography, read_yaml
from endtrafficking.errors import CourseInputError
from endtrafficking.framework import Framework, load_framework
from endtrafficking.paths import data_file

MODELS_FILE = "models.yaml"
SCHEMA_FILE = "models.schema.json"


Mapping = dict[str, dict[str, list[str]]]


class ModelsFileError(CourseInputError):
    """course/models.yaml is missing or breaks its format."""


@dataclass(frozen=True)
class Part:
    """One part of an organizational model, with the course's reading of it."""

    id: str
    text: str
    reference: tuple[str, ...]
    explanation: str
    alternatives: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OrgModel:
    """An organizational model and its parts."""

    id: str
    name: str
    sources: tuple[str, ...]
    summary: str
    parts: tuple[Part, ...]
    teaching_summary: str = ""


@dataclass(frozen=True)
class Models:
    """Every model in course/models.yaml, validated."""

    interpretation_note: str
    models: tuple[OrgModel, ...]

    def model(self, model_id: str) -> OrgModel:
        """Look up a model by id (KeyError if unknown)."""
        for model in self.models:
            if model.id == model_id:
                return model
        raise KeyError(model_id)

    def reference_mapping(self) -> Mapping:
        """The course's reading as a mapping (model -> part -> area ids)."""
        return {m.id: {p.id: list(p.reference) for p in m.parts} for m in self.models}


def parse_models(data: Any, path: str | Path, framework: Framework | None = None) -> Models:
    """Validate parsed models data against the schema, the framework and the bibliography.

    Raises:
        ModelsFileError: naming the file, the field, the problem and the fix.
    """
    if not isinstance(data, dict):
        raise ModelsFileError(
            "the file does not hold a mapping with 'interpretation_note' and 'models'.",
            fix="start from the models.yaml shipped with the course.",
            file=path,
        )
    check_schema(data, SCHEMA_FILE, path, ModelsFileError)
    framework = framework or load_framework()
    bib = load_bibliography()
    models = []
    model_ids: set[str] = set()
    for m_i, raw in enumerate(data["models"]):
        where = f"field models[{m_i}]"
        if raw["id"] in model_ids:
            raise ModelsFileError(
                f"the model id {raw['id']!r} is used twice.",
                fix="give every model its own id.",
                file=path,
                where=f"{where}.id",
            )
        model_ids.add(raw["id"])
        for s_i, key in enumerate(raw["sources"]):
            if key not in bib:
                raise ModelsFileError(
                    f"the source key {key!r} is not in course/bibliography.yaml.",
                    fix="cite a key listed in course/bibliography.yaml.",
                    file=path,
                    where=f"{where}.sources[{s_i}]",
                )
        parts = []
        for p_i, part in enumerate(raw["parts"]):
            p_where = f"{where}.parts[{p_i}]"
            parts.append(_parse_part(part, p_where, path, framework, parts))
        models.append(
            OrgModel(
                id=raw["id"],
                name=raw["name"],
                sources=tuple(raw["sources"]),
                summary=raw["summary"],
                parts=tuple(parts),
                teaching_summary=raw.get("teaching_summary", ""),
            )
        )
    return Models(interpretation_note=data["interpretation_note"], models=tuple(models))


def _parse_part(
    part: dict[str, Any], p_where: str, path: str | Path, framework: Framework, earlier: list[Part]
) -> Part:
    """One part of a model, checked: a new id, known focus areas, reference or alternative."""
    areas = {a.id for a in framework.areas}
    if any(p.id == part["id"] for p in earlier):
        raise ModelsFileError(
            f"the part id {part['id']!r} is used twice in this model.",
            fix="give every part of a model its own id.",
            file=path,
            where=f"{p_where}.id",
        )
    alternatives = dict(part.get("alternatives", {}))
    for field_name, ids in (
        ("reference", part["reference"]),
        ("alternatives", alternatives),
    ):
        unknown = [a for a in ids if a not in areas]
        if unknown:
            raise ModelsFileError(
                f"{', '.join(map(repr, unknown))} is not a focus area id.",
                fix=f"use the ids in framework.yaml: {', '.join(sorted(areas))}.",
                file=path,
                where=f"{p_where}.{field_name}",
            )
    both = set(alternatives) & set(part["reference"])
    if both:
        raise ModelsFileError(
            f"{', '.join(sorted(both))} is both in the reference and an alternative.",
            fix="list an area in the reference or among the alternatives, not both.",
            file=path,
            where=f"{p_where}.alternatives",
        )
    return Part(
        id=part["id"],
        text=part["text"],
        reference=tuple(a for a in framework_order(framework) if a in part["reference"]),
        explanation=part["explanation"],
        alternatives=alternatives,
    )


def framework_order(framework: Framework) -> list[str]:
    """Area ids in framework order."""
    return [a.id for a in framework.areas]


def load_models(path: str | Path | None = None) -> Models:
    """Load and validate course/models.yaml (or ``path``).

    Raises:
        ModelsFileError: the file is missing, not YAML, or breaks the format.
    """
    resolved = Path(path) if path is not None else data_file(MODELS_FILE)
    return _load_cached(str(resolved.resolve()), _mtime(resolved))


@lru_cache(maxsize=4)
def _load_cached(path: str, mtime: float) -> Models:
    return parse_models(read_yaml(path, ModelsFileError), path)


def clean_mapping(mapping: Any, models: Models, framework: Framework) -> Mapping:
    """Keep only known models, parts and areas (framework order); fill in the rest as empty."""
    order = framework_order(framework)
    raw = mapping if isinstance(mapping, dict) else {}
    out: Mapping = {}
    for model in models.models:
        parts = raw.get(model.id) if isinstance(raw.get(model.id), dict) else {}
        out[model.id] = {}
        for part in model.parts:
            chosen = parts.get(part.id, []) if isinstance(parts.get(part.id), list) else []
            out[model.id][part.id] = [a for a in order if a in chosen]
    return out
