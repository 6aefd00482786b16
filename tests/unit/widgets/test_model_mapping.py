"""The model-mapping exercise of module 01, driven without a browser."""

from __future__ import annotations

import json

import pytest
import yaml

from endtrafficking.course_meta import load_bibliography
from endtrafficking.paths import course_dir
from endtrafficking.widgets.model_mapping import (
    ModelMapping,
    ModelsFileError,
    coverage_chart,
    coverage_table,
    load_models,
    mapping_feedback,
    model_mapping,
    part_feedback,
)
from endtrafficking.workspace import MODEL_MAPPING_FILE, work_dir


@pytest.fixture(scope="module")
def models():
    """The course's own models file."""
    return load_models()


def _set_reference(widget: ModelMapping) -> None:
    for model_id, parts in widget.models.reference_mapping().items():
        for part_id, areas in parts.items():
            widget.set_part(model_id, part_id, areas)


def test_models_file_holds_the_three_models_with_sources(models):
    """Does models.yaml hold Polaris, IJM and Not For Sale with their parts, each sourced?"""
    assert [m.id for m in models.models] == ["polaris", "ijm", "not_for_sale"]
    assert [len(m.parts) for m in models.models] == [3, 3, 3]
    bib = load_bibliography()
    assert {k for m in models.models for k in m.sources} <= set(bib)
    assert models.model("polaris").sources == ("F7",)
    # IJM's model is cited from IJM's own pages (issue 12, item 13), not the church toolkit I1.
    assert models.model("ijm").sources == ("I2", "I3", "I4")
    assert models.model("not_for_sale").sources == ("N1",)


def test_ijm_summary_is_a_teaching_summary_not_a_quote(models):
    """Is "rescue, restore, restrain, represent" presented as the course's summary, not a quote?"""
    ijm = models.model("ijm")
    assert "rescue, restore, restrain, represent" in ijm.teaching_summary
    assert "not a quote" in ijm.teaching_summary
    assert "rescue, restore" not in ijm.summary
    widget = ModelMapping(models)
    header = " ".join(c.value for c in widget.children if hasattr(c, "value"))
    assert "Teaching summary:" in header and "interpretation" in header


def test_reference_mapping_leaves_partnership_uncovered(models, framework):
    """Under the course's reading, does every area except Partnership have a model?"""
    table = coverage_table(models.reference_mapping(), models, framework)
    assert table.loc[table["models"] == 0].index.tolist() == ["partnership"]
    assert (
        table.at["restoration", "covered_by"] == "International Justice Mission (IJM); Not For Sale"
    )


def test_reference_mapping_matches_everywhere(models, framework):
    """Does the course's own mapping get 'matches' for every part?"""
    feedback = mapping_feedback(models.reference_mapping(), models, framework)
    assert {f.status for f in feedback} == {"matches"}


def test_reasonable_alternative_is_explained_not_wrong(models, framework):
    """Does a reasonable alternative get its reason and no 'differs' verdict?"""
    polaris = models.model("polaris")
    equip = polaris.parts[1]
    result = part_feedback(
        polaris, equip, ["identification", "prevention", "partnership"], framework
    )
    assert result.status == "reasonable"
    assert any("coalition" in line for line in result.lines)
    only_alt = part_feedback(polaris, equip, ["partnership"], framework)
    assert only_alt.status == "reasonable"
    assert any("also reads this part as Prevention, Identification" in x for x in only_alt.lines)


def test_unrelated_area_is_explained(models, framework):
    """Does an area outside the course's reading get an explanation and an invitation to reflect?"""
    nfs = models.model("not_for_sale")
    result = part_feedback(nfs, nfs.parts[0], ["justice"], framework)
    assert result.status == "differs"
    text = " ".join(result.lines)
    assert "does not read this part as mainly about Justice" in text and "reflection" in text
    assert "Restoration" in text


def test_partly_and_not_mapped(models, framework):
    """Is half of a two-area reading 'partly', and an empty part 'not mapped'?"""
    ijm = models.model("ijm")
    assert part_feedback(ijm, ijm.parts[0], ["restoration"], framework).status == "partly"
    assert part_feedback(ijm, ijm.parts[0], [], framework).status == "not_mapped"


def test_ticking_updates_the_coverage_view():
    """Does ticking a box update the coverage table, the chart's alt text and the sentence?"""
    widget = model_mapping()
    assert isinstance(widget, ModelMapping)
    assert (widget.coverage_frame()["models"] == 0).all()
    assert "No model covers: Prevention" in widget.coverage.value
    widget.boxes[("not_for_sale", "skills")]["restoration"].value = True
    frame = widget.coverage_frame()
    assert bool(frame.at["restoration", "Not For Sale"]) and frame.at["restoration", "models"] == 1
    assert "Not For Sale covers Restoration." in widget.coverage.value
    assert 'aria-label="' in widget.coverage.value and "<table" in widget.coverage.value


def test_every_control_has_a_visible_label():
    """Does every checkbox carry the focus area's name as its label?"""
    widget = ModelMapping()
    names = {a.name for a in widget.framework.areas}
    for row in widget.boxes.values():
        assert {box.description for box in row.values()} == names


def test_check_gives_feedback_and_saves():
    """Does Check give per-part feedback, and is the mapping saved as checked?"""
    widget = ModelMapping()
    _set_reference(widget)
    widget.check_button.click()
    assert "9 of 9 parts match" in widget.feedback.value
    state = json.loads((work_dir() / MODEL_MAPPING_FILE).read_text(encoding="utf-8"))
    assert state["kind"] == "model_mapping" and state["state"]["checked"] is True
    assert state["state"]["mapping"]["ijm"]["rescue_aftercare"] == [
        "rescue_response",
        "restoration",
    ]
    widget.set_part("ijm", "accountable", ["justice", "prevention"])
    assert "check it again" in widget.feedback.value


def test_mapping_comes_back_after_a_restart():
    """Does rebuilding the exercise restore the ticks and the feedback?"""
    first = ModelMapping()
    first.set_part("polaris", "respond", ["rescue_response", "identification"])
    first.check_button.click()
    again = ModelMapping()
    assert again.mapping["polaris"]["respond"] == ["identification", "rescue_response"]
    assert "Respond to victims" in again.feedback.value
    assert "restored" in again.status.value


def test_chart_labels_uncovered_areas_in_words(models, framework):
    """Does the chart say 'no model covers this area' in words, not only by colour?"""
    table = coverage_table(models.reference_mapping(), models, framework)
    svg = coverage_chart(table, models, "label")
    assert svg.count(">no model covers this area<") == 1
    assert ">covers<" in svg and 'aria-label="label"' in svg


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        (lambda d: d["models"][0]["parts"][0].update(reference=["rescue"]), "reference", "rescue"),
        (lambda d: d["models"][1].update(sources=["ZZ1"]), "models[1].sources[0]", "ZZ1"),
        (
            lambda d: d["models"][0]["parts"][0]["alternatives"].update(
                rescue_response="also here"
            ),
            "alternatives",
            "both",
        ),
        (lambda d: d["models"][2].update(id="polaris"), "models[2].id", "used twice"),
        (lambda d: d["models"][0]["parts"][0].pop("explanation"), "parts[0]", "explanation"),
    ],
)
def test_bad_models_file_is_named(tmp_path, change, where, words):
    """Is a broken models file refused, naming the field, the problem and the fix?"""
    data = yaml.safe_load((course_dir() / "models.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "models.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ModelsFileError) as info:
        load_models(path)
    message = str(info.value)
    assert where in message and words in message and "How to fix it" in message
