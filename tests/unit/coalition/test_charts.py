"""Charts of a coalition and of progress, and their text equivalents."""

from __future__ import annotations

from endtrafficking.coalition.charts import (
    DETAIL_PARTNERS,
    agreement_counts,
    agreement_heatmap,
    agreement_table,
    agreement_text,
    then_and_now_radar,
    then_and_now_text,
)
from endtrafficking.coalition.combine import combine_assessments
from endtrafficking.coalition.compare import compare_assessments
from endtrafficking.examples import example_assessment
from endtrafficking.framework import load_framework
from endtrafficking.plots import to_png

FRAMEWORK = load_framework()


def test_heatmap_has_a_cell_per_partner_and_marks_disagreement(partners):
    """Does the heatmap show each partner and the combined column, and label disagreements?"""
    combination = combine_assessments(partners, FRAMEWORK)
    fig = agreement_heatmap(combination)
    ax = fig.axes[0]
    columns = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    assert len(columns) == len(partners) + 1 and columns[-1] == "combined"
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert any(label.startswith("RST1") and "disagree" in label for label in labels)
    assert to_png(fig).startswith(b"\x89PNG")


def test_text_equivalents_hold_every_rating(partners):
    """Do the table and the words name every partner, rating and disagreement?"""
    combination = combine_assessments(partners, FRAMEWORK)
    table = agreement_table(combination)
    assert list(table.columns[2:5]) == list(combination.partners)
    row = table[table["indicator"] == "IDE2"].iloc[0]
    assert "not rated" in set(row)
    text = agreement_text(combination)
    assert all(p in text for p in combination.partners) and "RST1" in text


def test_many_partners_are_counted_not_listed(partners):
    """With more than 20 partners, does the chart count the ratings instead?"""
    many = []
    for n in range(DETAIL_PARTNERS + 5):
        copy = example_assessment()
        copy.partner = f"Partner {n} (fictional)"
        copy.set_response("RST1", rating=n % 4)
        many.append(copy)
    combination = combine_assessments(many, FRAMEWORK)
    counts = agreement_counts(combination)
    assert counts.loc["RST1"].sum() == len(many)
    assert len(agreement_heatmap(combination).axes[0].get_xticklabels()) == len(FRAMEWORK.scale) + 1
    assert "25 partners" in agreement_text(combination)
    assert "partners: 0 Absent" in agreement_table(combination).columns


def test_then_and_now_radar_draws_both(partners):
    """Does the radar draw then and now, with both in the legend and the words?"""
    old, new = example_assessment(), example_assessment()
    old.assessed_on, new.assessed_on = "2024-05-01", "2025-05-01"
    new.set_response("RST1", rating=3)
    comparison = compare_assessments(old, new)
    fig = then_and_now_radar(comparison)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "then (2024-05-01)" in legend and "now (2025-05-01)" in legend
    text = then_and_now_text(comparison)
    assert "Restoration 7 to 27" in text and "dashed" in text
