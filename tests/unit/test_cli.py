"""Tests of the `endtrafficking` command.

The main paths run the installed entry point in a subprocess, checking the
exit status (0 ok, 2 bad input) and that no traceback reaches the person at
the keyboard. The many kinds of bad input run ``cli.main`` in this process,
the same code path, because each new process pays for importing the stack.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

from endtrafficking import cli
from endtrafficking.examples import EXAMPLE_INVENTORY_FILE, example_path
from endtrafficking.paths import templates_dir

#: The committed blank templates (made by `endtrafficking templates`, not package data).
REPO_TEMPLATES = Path(__file__).resolve().parents[2] / "assessments_templates"

ENTRY_POINT = Path(sys.executable).with_name("endtrafficking")
EXAMPLE = example_path()


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `endtrafficking` entry point."""
    result = subprocess.run(
        [str(ENTRY_POINT), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def call(capsys, *args: str | Path) -> tuple[int, str, str]:
    """Run the command in this process (same code path as the entry point, faster)."""
    try:
        code = cli.main([str(a) for a in args])
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_entry_point_is_installed():
    """Is the `endtrafficking` command installed beside Python, and does --help list commands?"""
    result = run("--help")
    assert result.returncode == 0
    for name in ("score", "report", "templates", "validate"):
        assert name in result.stdout


def test_score_table():
    """Does `score` print the area table, balance, readiness and ranked gaps?"""
    result = run("score", EXAMPLE, "--top", "3")
    assert result.returncode == 0
    out = result.stdout
    assert "FICTIONAL EXAMPLE" in out and "Readiness 28/100 (Building)" in out
    assert "Restoration       6.7" in out and "Balance: 13/100" in out
    assert "Gaps, most severe first (top 3):" in out and "RST1" in out and "RES3" not in out


def test_score_json_golden(golden):
    """Does `score --format json` on the example give exactly the golden scores?"""
    result = run("score", EXAMPLE, "--format", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["fictional"] is True and len(data["gaps"]) == 23
    golden("example_scores.json", result.stdout)


def test_score_csv(capsys):
    """Does `score --format csv` give the area table and the gaps as two CSV blocks?"""
    code, out, _ = call(capsys, "score", EXAMPLE, "--format", "csv", "--top", "5")
    assert code == 0
    areas_text, gaps_text = out.split("\n\n")
    areas = list(csv.DictReader(io.StringIO(areas_text)))
    gaps = list(csv.DictReader(io.StringIO(gaps_text)))
    assert [a["area_id"] for a in areas][:2] == ["prevention", "identification"]
    assert len(gaps) == 5 and gaps[0]["suggested_option"] == "fill_gap"


def test_report_writes_html(tmp_path):
    """Does `report` write a self-contained HTML report with the inventory?"""
    out = tmp_path / "partners" / "report.html"
    inventory = example_path(EXAMPLE_INVENTORY_FILE)
    result = run("report", EXAMPLE, "-o", out, "--inventory", inventory)
    assert result.returncode == 0 and str(out) in result.stdout
    html = out.read_text(encoding="utf-8")
    assert "FICTIONAL EXAMPLE" in html and "Riverside Legal Aid (fictional)" in html
    assert "<script" not in html and html.count("data:image/png;base64,") == 2


def test_templates_then_up_to_date(tmp_path, capsys):
    """Does `templates --out` write the five templates, then find them up to date?"""
    first = run("templates", "--out", tmp_path)
    assert first.returncode == 0 and first.stdout.count("Wrote") == 5
    code, out, _ = call(capsys, "templates", "--out", tmp_path)
    assert code == 0 and "up to date" in out


@pytest.mark.parametrize(
    ("path", "says"),
    [
        (
            EXAMPLE,
            "valid community assessment (Elderbrook County (fictional), a fictional example)",
        ),
        (example_path(EXAMPLE_INVENTORY_FILE), "valid resource inventory with 11 organizations"),
        (templates_dir() / "framework.yaml", "valid framework: 6 focus areas"),
        (
            REPO_TEMPLATES / "resource_inventory_template.xlsx",
            "valid resource inventory with 0",
        ),
    ],
)
def test_validate_ok(capsys, path, says):
    """Does `validate` recognise each kind of file and say OK?"""
    code, out, _ = call(capsys, "validate", path)
    assert code == 0 and says in out


def test_validate_warns_about_contact_details(tmp_path, capsys):
    """Does `validate` warn when an assessment's text looks like someone's email?"""
    path = tmp_path / "mine.csv"
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "Support ends when", "Ask jane.doe@example.org. Support ends when"
    )
    path.write_text(text, encoding="utf-8")
    code, out, _ = call(capsys, "validate", path)
    assert code == 0 and "warning: RST2 evidence" in out


BROKEN_YAML = "framework_version: '1.0'\ntitle: x\nscale: [\n"


@pytest.mark.parametrize(
    ("args", "files", "message"),
    [
        (["score", "{tmp}/missing.csv"], {}, "does not exist"),
        (["score", "{tmp}/notes.txt"], {"notes.txt": "hello"}, "not one the course reads"),
        (["score", "{tmp}/a.csv"], {"a.csv": "name,score\nx,1\n"}, "no 'indicator_id' column"),
        (
            ["score", "{tmp}/a.csv"],
            {"a.csv": "indicator_id,rating\nPRE1,7\n"},
            "row 2, column rating",
        ),
        (["score", "{tmp}/a.json"], {"a.json": '{"responses": [}'}, "JSON is not valid"),
        (
            ["validate", "{tmp}/framework.yaml"],
            {"framework.yaml": BROKEN_YAML},
            "framework.yaml",
        ),
        (
            ["score", "{example}", "--framework", "{tmp}/framework.yaml"],
            {"framework.yaml": "title: only a title\n"},
            "framework_version",
        ),
        (
            ["validate", "{tmp}/inv.csv"],
            {"inv.csv": "organization,focus_areas\nClinic (fictional),Restorashun\n"},
            "did you mean Restoration",
        ),
        (["report", "{example}", "-o", "/proc/no/report.html"], {}, "cannot be written"),
        (["score", "{example}", "--top", "0"], {}, "--top must be 1 or more"),
    ],
)
def test_bad_input_exits_2(tmp_path, capsys, args, files, message):
    """Does bad input give a clear message on stderr and exit status 2, and leave files alone?"""
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}
    argv = [a.format(tmp=tmp_path, example=EXAMPLE) for a in args]
    code, out, err = call(capsys, *argv)
    assert code == 2, out + err
    assert message in err and "How to fix it" in err and err.startswith("error: ")
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}
    assert after == before


def test_bad_input_through_the_entry_point(tmp_path):
    """Does the installed command exit 2 on a broken file, with no traceback?"""
    path = tmp_path / "mine.csv"
    path.write_text("indicator_id,rating\nPRE1,seven\n", encoding="utf-8")
    result = run("score", path)
    assert result.returncode == 2 and "row 2, column rating" in result.stderr
    assert result.stdout == ""


def test_usage_error_exits_2(capsys):
    """Does an unknown subcommand or format exit 2 with argparse's usage message?"""
    code, _, err = call(capsys, "score", EXAMPLE, "--format", "pdf")
    assert code == 2 and "invalid choice" in err


def test_report_next_to_input_by_default(tmp_path, capsys):
    """Without -o, is the report written beside the assessment?"""
    mine = tmp_path / "mine.csv"
    shutil.copy(EXAMPLE, mine)
    code, _, _ = call(capsys, "report", mine)
    assert code == 0 and (tmp_path / "mine_report.html").exists()


def test_adding_a_subcommand_is_one_line(monkeypatch, capsys):
    """Does listing one more module in COMMANDS add a working subcommand?"""
    module = types.ModuleType("endtrafficking_test_hello")
    module.NAME, module.HELP = "hello", "say hello"
    module.add_arguments = lambda parser: parser.add_argument("name")
    module.run = lambda args: print(f"hello {args.name}") or 0
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(cli, "COMMANDS", [*cli.COMMANDS, module.__name__])
    assert cli.main(["hello", "Harrow Bend"]) == 0
    assert capsys.readouterr().out == "hello Harrow Bend\n"
