"""The coordinator's widget: upload, settle problems, combine, agree, download, use."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from endtrafficking.coalition.combined_file import read_combination
from endtrafficking.coalition.example_partners import example_partner_assessments
from endtrafficking.saved_assessment import load_saved_assessment, save_learner_assessment
from endtrafficking.storage import load_assessment, to_csv, to_xlsx_bytes
from endtrafficking.widgets.coalition import NOT_DECIDED, CoalitionExercise, coalition_exercise
from endtrafficking.workspace import work_dir


def upload(w: CoalitionExercise, *files: tuple[str, bytes]) -> None:
    """What the browser sends when the coordinator picks several files."""
    w.upload.value = tuple(
        {
            "name": name,
            "type": "",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime(2026, 1, 1, tzinfo=UTC),
        }
        for name, content in files
    )


@pytest.fixture
def three():
    shelter, school, hospital = example_partner_assessments()
    return [
        ("shelter.xlsx", to_xlsx_bytes(shelter)),
        ("school.csv", to_csv(school).encode()),
        ("hospital.csv", to_csv(hospital).encode("utf-8-sig")),
    ]


def test_upload_three_files_and_combine(three):
    """Do three uploaded files combine into a heatmap and a discussion list?"""
    w = coalition_exercise()
    upload(w, *three)
    assert "Read 3 file(s)" in w.upload_status.value and w.problems.value == ""
    assert not w.combine_button.disabled and w.results.layout.display == "none"
    w.combine_button.click()
    assert w.combination is not None and w.results.layout.display is None
    assert "<img" in w.picture.value and "alt=" in w.picture.value and "median" in w.picture.value
    assert set(w.decisions) == set(w.combination.disagreements()) and w.decisions


def test_problems_block_combining_until_decided(three):
    """Is a second file from one partner a problem until one of them is unticked?"""
    shelter_again = example_partner_assessments()[0]
    w = CoalitionExercise()
    upload(w, *three, ("shelter_draft.csv", to_csv(shelter_again).encode()))
    assert w.combine_button.disabled and "sent 2 files" in w.problems.value
    assert "Problem: nothing can be combined yet" in w.problems.value
    w.include["shelter_draft.csv"].value = False
    assert not w.combine_button.disabled and w.problems.value == ""


def test_community_box_settles_a_spelling_difference(three):
    """Does naming the community settle files that spell it differently?"""
    other = example_partner_assessments()[1]
    other.community = "Elderbrook (fictional)"
    w = CoalitionExercise()
    upload(w, three[0], three[2], ("school.csv", to_csv(other).encode()))
    assert w.combine_button.disabled and "different communities" in w.problems.value
    w.community.value = "Elderbrook County (fictional)"
    assert not w.combine_button.disabled
    w.combine_button.click()
    assert w.combination.to_assessment().community == "Elderbrook County (fictional)"


def test_bad_file_is_explained_and_left_out(three):
    """Is a file that cannot be read explained (file, row, fix) and not added?"""
    text = three[1][1].decode().replace("Restoration,RST1", "Justice,RST1")
    w = CoalitionExercise()
    upload(w, three[0], ("broken.csv", text.encode()))
    status = w.upload_status.value
    assert "Problem: this file was not added" in status and "broken.csv" in status
    assert "column area" in status and "How to fix it" in status and "Traceback" not in status
    assert list(w.include) == ["shelter.xlsx"]


def test_settle_a_disagreement_and_download(three):
    """Does an agreed rating count in the downloads, and is it kept after a restart?"""
    w = CoalitionExercise()
    upload(w, *three)
    w.combine_button.click()
    first = next(iter(w.decisions))
    w.decisions[first].value = 3
    assert w.combination.to_assessment().responses[first].rating == 3
    name, data = w.downloads.children[0].deliver()
    path = work_dir() / name
    path.write_bytes(data)
    assert read_combination(path, w.framework).agreed == {first: 3}
    assert load_assessment(path).responses[first].rating == 3
    report_name, report = w.downloads.children[3].deliver()
    assert (
        report_name.endswith(".html") and b"Discussion list" in report and b"https://" not in report
    )
    again = CoalitionExercise()
    assert again.combination is not None and again.decisions[first].value == 3
    again.decisions[first].value = NOT_DECIDED
    assert first not in again.combination.agreed


def test_download_before_combining_says_what_to_do():
    """Does a download before combining show a message, not a traceback?"""
    w = CoalitionExercise()
    assert w.downloads.children[0].deliver() is None
    assert "combine the partners' files first" in w.downloads.children[0].status


def test_use_as_my_assessment_keeps_the_old_one(three, filled):
    """Does the agreed assessment become the learner's own, after backing up the current one?"""
    save_learner_assessment(filled)
    w = CoalitionExercise()
    upload(w, *three)
    w.combine_button.click()
    w.use_button.click()
    assert "Saved as your community assessment" in w.use_status.value
    assert load_saved_assessment().assessment == w.combination.to_assessment()
    assert list(work_dir().glob("assessment_before_import_*.json"))


def test_practice_files_are_fictional():
    """Do the practice files add three fictional partners that combine?"""
    w = CoalitionExercise()
    w.example_button.click()
    assert len(w.include) == 3 and all("(fictional)" in name for name in w.include)
    assert "FICTIONAL" in w.upload_status.value
    w.combine_button.click()
    assert w.combination.to_assessment().fictional
