"""An assessment as JSON: the lossless format the course saves learners' work in.

``{"format": "endtrafficking.assessment", "version": 1, "framework_version": ...,
"community": ..., "fictional": ..., "updated": ..., "assessed_on": ...,
"partner": ..., "responses": {id: {rating, evidence, organizations, notes}},
"context": {prompt id: answer}}``. Reading checks every field and fails with
an :class:`AssessmentFileError` naming the file, the field, the problem and the fix.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

from endtrafficking.assessment import Assessment, Response, clean_text, split_organizations
from endtrafficking.assessment_rows import parse_date, parse_rating
from endtrafficking.errors import AssessmentFileError
from endtrafficking.framework import Framework
from endtrafficking.tables import decode_text

JSON_FORMAT = "endtrafficking.assessment"
JSON_VERSION = 1


def to_json(assessment: Assessment) -> str:
    """The assessment as pretty JSON text."""
    data = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "framework_version": assessment.framework.version,
        "community": assessment.community,
        "fictional": assessment.fictional,
        "updated": assessment.updated,
        "assessed_on": assessment.assessed_on,
        "partner": assessment.partner,
        "responses": {
            ind_id: {
                "rating": resp.rating,
                "evidence": resp.evidence,
                "organizations": list(resp.organizations),
                "notes": resp.notes,
            }
            for ind_id, resp in assessment.responses.items()
        },
        "context": dict(assessment.context),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def from_json(path: Path, framework: Framework) -> Assessment:
    """Read an assessment JSON file, checking every field.

    Raises:
        AssessmentFileError: naming the file, the field, the problem and the fix.
    """
    try:
        data = json.loads(decode_text(path, path.read_bytes(), AssessmentFileError))
    except json.JSONDecodeError as exc:
        raise AssessmentFileError(
            f"the JSON is not valid ({exc.msg}).",
            fix="look for a missing comma, quote or bracket near that place, or restore "
            "the .bak copy saved beside it.",
            file=path,
            where=f"line {exc.lineno}, column {exc.colno}",
        ) from None
    if not isinstance(data, dict):
        raise AssessmentFileError(
            "the JSON does not hold an object with the assessment's fields.",
            fix="start from a file that the course saved, or restore the .bak copy.",
            file=path,
        )
    if data.get("format", JSON_FORMAT) != JSON_FORMAT:
        raise AssessmentFileError(
            f"the field format is {data.get('format')!r}, not {JSON_FORMAT!r}.",
            fix="this file is not a community assessment; choose the right file.",
            file=path,
            where="field format",
        )
    responses = data.get("responses", {})
    if not isinstance(responses, dict):
        raise AssessmentFileError(
            "the field responses must map indicator ids to answers.",
            fix='write it as {"PRE1": {"rating": 2, ...}, ...}.',
            file=path,
            where="field responses",
        )
    assessment = Assessment(framework=framework)
    community = data.get("community", "")
    if not isinstance(community, str):
        raise AssessmentFileError(
            "the community name must be text.",
            fix='write it in quotes, e.g. "Riverbend".',
            file=path,
            where="field community",
        )
    assessment.community = clean_text(community)
    fictional = data.get("fictional", False)
    if not isinstance(fictional, bool):
        raise AssessmentFileError(
            f"fictional must be true or false, not {fictional!r}.",
            fix="write true or false without quotes.",
            file=path,
            where="field fictional",
        )
    assessment.fictional = fictional
    assessment.updated = str(data.get("updated", "") or "")
    assessment.file_framework_version = str(data.get("framework_version", "") or "")
    for key in ("partner", "assessed_on"):
        value = data.get(key, "") or ""
        if not isinstance(value, str):
            raise AssessmentFileError(
                f"{key} must be text.",
                fix="put the value in quotes.",
                file=path,
                where=f"field {key}",
            )
        try:
            value = parse_date(value) if key == "assessed_on" else value
        except ValueError as exc:
            raise AssessmentFileError(
                f"{exc}.", fix='write it as "2025-03-14", or "".', file=path, where=f"field {key}"
            ) from None
        setattr(assessment, key, " ".join(clean_text(value).split()))
    known = set(framework.indicator_ids)
    for ind_id, answer in responses.items():
        where = f"field responses.{ind_id}"
        if ind_id not in known:
            close = difflib.get_close_matches(str(ind_id), sorted(known), n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            raise AssessmentFileError(
                f"{ind_id!r} is not an indicator of this framework.",
                fix=f"{hint}use the indicator ids of the framework, or remove it.",
                file=path,
                where=where,
            )
        if not isinstance(answer, dict):
            raise AssessmentFileError(
                "each answer must be an object with rating, evidence, organizations and notes.",
                fix='write it as {"rating": 2, "evidence": "...", "organizations": [], "notes": ""}.',
                file=path,
                where=where,
            )
        try:
            rating = parse_rating(answer.get("rating"), framework)
        except ValueError as exc:
            raise AssessmentFileError(
                f"{exc}.",
                fix="use a whole number on the scale, or null if not rated yet.",
                file=path,
                where=f"{where}.rating",
            ) from None
        orgs = answer.get("organizations", [])
        if isinstance(orgs, str):
            orgs = [orgs]
        if not isinstance(orgs, list) or not all(isinstance(o, str) for o in orgs):
            raise AssessmentFileError(
                "organizations must be a list of names.",
                fix='write it as ["First organization", "Second organization"].',
                file=path,
                where=f"{where}.organizations",
            )
        for key in ("evidence", "notes"):
            if not isinstance(answer.get(key, ""), str):
                raise AssessmentFileError(
                    f"{key} must be text.",
                    fix="put the value in quotes.",
                    file=path,
                    where=f"{where}.{key}",
                )
        assessment.responses[ind_id] = Response(
            rating=rating,
            evidence=answer.get("evidence", ""),
            organizations=split_organizations(orgs),
            notes=answer.get("notes", ""),
        )
    context = data.get("context", {})
    if not isinstance(context, dict):
        raise AssessmentFileError(
            "the field context must map prompt ids to answers.",
            fix='write it as {"CTX1": "...", ...}.',
            file=path,
            where="field context",
        )
    prompts = {p.id for p in framework.prompts}
    for key, value in context.items():
        if key not in prompts or not isinstance(value, str):
            raise AssessmentFileError(
                f"{key!r} is not a prompt of this framework, or its answer is not text.",
                fix="use the prompt ids of the framework (CTX1, SAF1, ...) with text answers.",
                file=path,
                where=f"field context.{key}",
            )
        assessment.context[key] = clean_text(value)
    return assessment
