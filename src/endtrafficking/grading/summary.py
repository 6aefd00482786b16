"""The cohort summary: one HTML page an instructor reads after grading.

It shows, for the whole cohort,

* the score distribution of each assignment (a chart and the same numbers as
  a table), and how many submissions still wait for manual grading;
* the questions most learners missed (autograded cells, lowest share of
  learners with full marks first);
* the learners' communities aggregated by focus area, from the
  ``assessment.json`` each learner submitted, using the course's own
  aggregation (:func:`endtrafficking.aggregate.aggregate`).

Communities are shown without their names ("Community 1", ...), and no
learner is named anywhere on the page: it can be shown to the cohort.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from endtrafficking.grading import results
from endtrafficking.grading.work_files import WorkFileError, load_assessment_work
from endtrafficking.safe_save import atomic_write

SUMMARY_FILE = "cohort_summary.html"
#: How many of the most-missed questions the page lists.
MOST_MISSED = 10
#: Assignments whose folders hold the learner's assessment, most recent first.
ASSESSMENT_ASSIGNMENTS = ("04_engage", "03_context")
BINS = 10
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #1a1a1a; line-height: 1.5; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #999; padding: 0.25rem 0.6rem; text-align: left; }
th { background: #eee; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 100%; height: auto; }
.note { color: #444; font-size: 0.95rem; }
"""


@dataclass
class CohortData:
    """Everything the summary shows, as tables."""

    scores: pd.DataFrame
    cells: pd.DataFrame
    maxima: dict[str, float]
    assessments: list = field(default_factory=list)
    unreadable: int = 0


def learner_assessments(root: Path) -> tuple[list, int]:
    """Each learner's submitted assessment (the most recent assignment's), and how many
    learners submitted one that could not be read."""
    found: dict[str, object] = {}
    damaged: set[str] = set()
    for assignment in ASSESSMENT_ASSIGNMENTS:
        for folder in sorted(root.glob(f"submitted/*/{assignment}")):
            student = folder.parent.name
            if student in found or not (folder / "assessment.json").exists():
                continue
            try:
                found[student] = load_assessment_work(folder)
            except WorkFileError:
                damaged.add(student)
    unreadable = len(damaged - set(found))
    return [found[s] for s in sorted(found)], unreadable


def gather(root: str | Path) -> CohortData:
    """Read the gradebook and the submitted assessments of the course at ``root``."""
    root = Path(root).resolve()
    url = results.db_url(root)
    assessments, unreadable = learner_assessments(root)
    maxima = results.course_maxima(root)
    scores = results.submission_scores(url)
    scores = scores[scores["assignment"].isin(list(maxima))]
    results.check_possible(scores, maxima)
    return CohortData(
        scores=scores,
        cells=results.cell_scores(url),
        maxima=maxima,
        assessments=assessments,
        unreadable=unreadable,
    )


def score_distribution(scores: pd.DataFrame, maxima: dict[str, float]) -> pd.DataFrame:
    """Per assignment: submissions, mean, median, min and max score (percent), pending."""
    rows = []
    for name in sorted(maxima):
        part = scores[scores["assignment"] == name]
        pct = 100 * part["score"] / maxima[name] if maxima[name] else part["score"] * 0
        rows.append(
            {
                "assignment": name,
                "submissions": len(part),
                "mean %": round(float(pct.mean()), 1) if len(part) else None,
                "median %": round(float(pct.median()), 1) if len(part) else None,
                "lowest %": round(float(pct.min()), 1) if len(part) else None,
                "highest %": round(float(pct.max()), 1) if len(part) else None,
                "awaiting manual grading": int(part["needs_manual_grade"].sum()),
            }
        )
    return pd.DataFrame(rows)


def most_missed(cells: pd.DataFrame, top: int = MOST_MISSED) -> pd.DataFrame:
    """The autograded questions with the lowest share of learners on full marks."""
    auto = cells[cells["autograded"]]
    if auto.empty:
        return pd.DataFrame(columns=["assignment", "notebook", "cell", "learners", "full marks %"])
    grouped = auto.assign(full=auto["score"] >= auto["max_score"]).groupby(
        ["assignment", "notebook", "cell"]
    )
    table = grouped.agg(learners=("student", "nunique"), full=("full", "mean")).reset_index()
    table["full marks %"] = (100 * table["full"]).round(1)
    table = table.drop(columns="full").sort_values(
        ["full marks %", "assignment", "notebook", "cell"], ignore_index=True
    )
    return table[table["full marks %"] < 100].head(top)


def distribution_chart(scores: pd.DataFrame, maxima: dict[str, float]) -> str:
    """A data URI of histograms of the score (percent) per assignment."""
    from matplotlib.figure import Figure

    from endtrafficking.plots import to_data_uri

    names = sorted(maxima)
    fig = Figure(figsize=(7.5, 1.6 + 1.4 * max(len(names), 1)))
    axes = fig.subplots(max(len(names), 1), 1, squeeze=False)[:, 0]
    for ax, name in zip(axes, names, strict=False):
        part = scores[scores["assignment"] == name]
        pct = (100 * part["score"] / maxima[name]) if maxima[name] else part["score"] * 0
        ax.hist(pct, bins=BINS, range=(0, 100), color="#56B4E9", edgecolor="#0072B2")
        ax.set_xlim(0, 100)
        ax.set_title(f"{name}: {len(part)} submissions", fontsize=9, loc="left")
        ax.set_ylabel("learners", fontsize=8)
    axes[-1].set_xlabel("score (% of the assignment's points)")
    fig.tight_layout()
    return to_data_uri(fig)


def _table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "<p class='note'>Nothing to show yet.</p>"
    head = "".join(f"<th scope='col'>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for value in row:
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            text = "" if value is None or (numeric and pd.isna(value)) else str(value)
            cells.append(f"<td{' class=num' if numeric else ''}>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def communities_section(data: CohortData) -> str:
    """The communities aggregated by focus area, as a chart, a sentence and a table."""
    note = ""
    if data.unreadable:
        note = (
            f"<p class='note'>{data.unreadable} submitted assessment(s) could not be read and "
            "are left out; those learners' feedback says why.</p>"
        )
    if not data.assessments:
        return "<p class='note'>No learner has submitted an assessment yet.</p>" + note
    from endtrafficking.aggregate import aggregate, cohort_summary
    from endtrafficking.plots import aggregate_chart, aggregate_text, to_data_uri

    table = aggregate(data.assessments)
    table.index = pd.Index([f"Community {i}" for i in range(1, len(table) + 1)], name="community")
    chart = to_data_uri(aggregate_chart(table, title="Coverage by focus area (0-100)"))
    per_area = cohort_summary(table).reset_index()
    per_area["weakest_share"] = (100 * per_area["weakest_share"]).round(1)
    per_area = per_area.rename(
        columns={
            "area": "focus area",
            "mean": "mean",
            "median": "median",
            "min": "lowest",
            "weakest_share": "weakest area for % of communities",
            "below_weak": "communities below the weak mark",
        }
    )
    return (
        f"<p>{len(table)} communities, from the assessments learners submitted (names "
        "withheld; many are fictional examples).</p>"
        f"<img src='{chart}' alt='{html.escape(aggregate_text(table), quote=True)}'>"
        f"<p>{html.escape(aggregate_text(table))}</p>" + _table(per_area) + note
    )


def render(data: CohortData, title: str = "Cohort summary") -> str:
    """The cohort summary page as HTML text."""
    distribution = score_distribution(data.scores, data.maxima)
    missed = most_missed(data.cells)
    chart = distribution_chart(data.scores, data.maxima) if data.maxima else ""
    described = "; ".join(
        f"{r['assignment']}: median {r['median %']}% of {r['submissions']} submissions"
        for _, r in distribution.iterrows()
    )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{STYLE}</style></head><body>
<h1>{html.escape(title)}</h1>
<p class="note">Made {stamp} from the gradebook. Scores include manual grades given so far.</p>
<h2>Score distribution per assignment</h2>
{f"<img src='{chart}' alt='{html.escape(described, quote=True)}'>" if chart else ""}
{_table(distribution)}
<h2>Questions most learners missed</h2>
<p class="note">Autograded checks, by the share of learners who got full marks.</p>
{_table(missed)}
<h2>The cohort's communities by focus area</h2>
{communities_section(data)}
</body></html>
"""


def write_summary(root: str | Path, out_dir: str | Path, title: str = "Cohort summary") -> Path:
    """Write ``cohort_summary.html`` into ``out_dir`` (atomically)."""
    path = Path(out_dir) / SUMMARY_FILE
    return atomic_write(path, render(gather(root), title), keep_backup=False)
