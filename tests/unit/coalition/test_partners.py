"""Partners' files checked together: names, duplicates, framework versions, communities."""

from __future__ import annotations

import pytest

from endtrafficking.coalition.partners import (
    CoalitionError,
    PartnerFile,
    check_partner_files,
    combine_partner_files,
    read_partner_files,
    read_partner_upload,
)
from endtrafficking.framework import load_framework
from endtrafficking.storage import save_assessment, to_csv

FRAMEWORK = load_framework()


def files(assessments) -> list[PartnerFile]:
    return [PartnerFile(f"file{n}.csv", a) for n, a in enumerate(assessments, start=1)]


def kinds(problems) -> list[str]:
    return sorted(p.kind for p in problems)


def test_three_good_files_have_no_problem(partners):
    """Do three partners' files of one community, one version, pass the checks?"""
    assert check_partner_files(files(partners), FRAMEWORK) == []


def test_a_partner_who_sent_two_files(partners):
    """Is a partner with two files (names differing only in case) reported, naming both files?"""
    partners[2].partner = partners[0].partner.upper()
    problems = check_partner_files(files(partners), FRAMEWORK)
    assert kinds(problems) == ["duplicate_partner"]
    assert problems[0].files == ("file1.csv", "file3.csv")
    assert "sent 2 files" in problems[0].problem and "keep one file per partner" in problems[0].fix


def test_a_file_from_another_framework_version(partners):
    """Is a file made from another framework version reported, and accepted only when decided?"""
    partners[1].file_framework_version = "0.9"
    problems = check_partner_files(files(partners), FRAMEWORK)
    assert kinds(problems) == ["framework_version"] and "file2.csv says 0.9" in problems[0].problem
    assert check_partner_files(files(partners), FRAMEWORK, allow_other_versions=True) == []


def test_a_file_from_a_different_community(partners):
    """Is a file naming another community reported, and settled by naming the community?"""
    partners[1].community = "Lakeside (fictional)"
    problems = check_partner_files(files(partners), FRAMEWORK)
    assert kinds(problems) == ["community"]
    assert "Lakeside (fictional) (file2.csv)" in problems[0].problem
    combination = combine_partner_files(
        files(partners), FRAMEWORK, community="Elderbrook County (fictional)"
    )
    assert combination.to_assessment().community == "Elderbrook County (fictional)"


def test_a_file_without_a_partner_name_or_with_contact_details(partners):
    """Is a file naming no partner, or a person's email as partner, reported with the fix?"""
    partners[0].partner = ""
    partners[1].partner = "jane.doe@example.org"
    problems = check_partner_files(files(partners), FRAMEWORK)
    assert kinds(problems) == ["no_partner", "partner_contact"]
    assert "organization's name (never a person's)" in problems[0].fix


def test_nothing_is_combined_until_every_problem_is_settled(partners):
    """Does combining refuse, listing every problem, while any remains?"""
    partners[2].partner = partners[0].partner
    partners[1].community = "Lakeside (fictional)"
    with pytest.raises(CoalitionError) as info:
        combine_partner_files(files(partners), FRAMEWORK)
    assert len(info.value.problems) == 2
    assert "nothing was combined" in str(info.value)
    assert check_partner_files([], FRAMEWORK)[0].kind == "none"


def test_unreadable_files_are_listed_with_file_and_row(partners, tmp_path):
    """Are files that cannot be read listed with their own errors, the others read?"""
    good = save_assessment(partners[0], tmp_path / "shelter.csv")
    bad = tmp_path / "school.csv"
    bad.write_text(
        to_csv(partners[1]).replace("RST1,", "RST1 ,").replace(",0,", ",seven,", 1),
        encoding="utf-8",
    )
    missing = tmp_path / "hospital.xlsx"
    read, errors = read_partner_files([good, bad, missing], FRAMEWORK)
    assert [f.name for f in read] == ["shelter.csv"]
    assert len(errors) == 2 and "school.csv" in str(errors[0]) and "row" in str(errors[0])
    assert "does not exist" in str(errors[1])


def test_upload_keeps_only_the_file_name(partners):
    """Does an uploaded file keep its own name (no folders), for messages only?"""
    file = read_partner_upload(
        "C:\\Users\\someone\\shelter.csv", to_csv(partners[0]).encode(), FRAMEWORK
    )
    assert file.name == "shelter.csv" and file.partner == partners[0].partner
