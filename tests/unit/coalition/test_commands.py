"""The combine and compare commands, and report on a combined assessment or --since."""

from __future__ import annotations

import re

from endtrafficking import cli
from endtrafficking.coalition.combined_file import read_combination
from endtrafficking.framework import load_framework
from endtrafficking.storage import load_assessment, save_assessment

FRAMEWORK = load_framework()


def partner_files(partners, tmp_path):
    names = ["shelter.xlsx", "school.csv", "hospital.json"]
    return [str(save_assessment(a, tmp_path / n)) for a, n in zip(partners, names, strict=True)]


def test_combine_writes_the_file_and_prints_the_list(partners, tmp_path, capsys):
    """Does combine write a combined file and print the rule and the discussion list?"""
    out = tmp_path / "combined.xlsx"
    assert (
        cli.main(
            ["combine", *partner_files(partners, tmp_path), "-o", str(out), "--date", "2025-04-01"]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "Combined 3 partners" in printed and "median" in printed and "Discussion list" in printed
    assert load_assessment(out).assessed_on == "2025-04-01"
    assert read_combination(out, FRAMEWORK).partners[0].startswith("Elderbrook")


def test_combine_refuses_and_writes_nothing(partners, tmp_path, capsys):
    """Are a duplicate partner and another community refused together, with nothing written?"""
    partners[2].partner = partners[0].partner
    partners[1].community = "Lakeside (fictional)"
    out = tmp_path / "combined.csv"
    assert cli.main(["combine", *partner_files(partners, tmp_path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "nothing was combined: 2 problem(s)" in err and "Traceback" not in err
    assert "--community NAME" in err and not out.exists()


def test_combine_names_an_unreadable_file(partners, tmp_path, capsys):
    """Is a file that cannot be read named with its row, and nothing combined?"""
    files = partner_files(partners, tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        open(files[1], encoding="utf-8-sig").read().replace("Restoration,RST1", "Astrology,RST1"),
        encoding="utf-8",
    )
    assert cli.main(["combine", files[0], str(bad), "-o", str(tmp_path / "c.csv")]) == 2
    err = capsys.readouterr().err
    assert "bad.csv" in err and re.search(r"row \d+, column area", err) and "Astrology" in err


def test_combine_settles_with_options(partners, tmp_path, capsys):
    """Do --community and --allow-other-versions settle those problems?"""
    partners[1].community = "Elderbrook (fictional)"
    files = partner_files(partners, tmp_path)
    args = [
        "combine",
        *files,
        "-o",
        str(tmp_path / "c.json"),
        "--community",
        "Elderbrook County (fictional)",
    ]
    assert cli.main(args) == 0
    assert cli.main(["combine", *files, "--date", "soon"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_report_on_a_combined_file_and_since(partners, tmp_path, capsys):
    """Does report show the heatmap and discussion list, and progress with --since?"""
    combined = tmp_path / "combined.xlsx"
    cli.main(["combine", *partner_files(partners, tmp_path), "-o", str(combined)])
    old = partners[0]
    old.assessed_on = "2024-03-01"
    old_path = save_assessment(old, tmp_path / "last_year.csv")
    report = tmp_path / "report.html"
    assert cli.main(["report", str(combined), "--since", str(old_path), "-o", str(report)]) == 0
    html = report.read_text(encoding="utf-8")
    assert "Discussion list for the consensus meeting" in html and "Partners' ratings" in html
    assert "Progress since then (2024-03-01)" in html and "rounded down" in html
    assert "http://" not in html and "https://" not in html and "<script" not in html
    plain = tmp_path / "plain.html"
    assert cli.main(["report", str(old_path), "-o", str(plain)]) == 0
    assert "Discussion list" not in plain.read_text(encoding="utf-8")


def test_compare_prints_progress(partners, tmp_path, capsys):
    """Does compare print each area's change and whether the weakest area changed, or JSON?"""
    old, new = partners[0], partners[1]
    old.assessed_on, new.assessed_on = "2024-03-01", "2025-03-01"
    new.set_response("RST3", rating=3)
    a, b = save_assessment(old, tmp_path / "old.csv"), save_assessment(new, tmp_path / "new.xlsx")
    assert cli.main(["compare", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "Progress from then (2024-03-01) to now (2025-03-01)" in out and "Restoration" in out
    assert cli.main(["compare", str(a), str(b), "--format", "json"]) == 0
    assert '"weakest_changed"' in capsys.readouterr().out
