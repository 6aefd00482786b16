"""Bad input: every kind of file a person can hand the package.

Each file either loads correctly, or fails with a CourseInputError whose
message names the file, the row or field, the problem and the fix. Either way
the learner's saved work (their assessment and its backup) is untouched, and
so is the bad file itself.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook, load_workbook

from endtrafficking.assessment import TABLE_COLUMNS, Assessment
from endtrafficking.errors import AssessmentFileError, CourseInputError, FrameworkError
from endtrafficking.framework import load_framework
from endtrafficking.paths import templates_dir
from endtrafficking.safe_save import backup_path
from endtrafficking.storage import (
    XLSX_SHEET,
    load_assessment,
    save_assessment,
    table_rows,
    to_json,
    to_xlsx_bytes,
)
from endtrafficking.workspace import ASSESSMENT_FILE, work_file

#: The header row and the first indicator rows sit at these spreadsheet rows.
HEADER_ROW = 1
PRE1_ROW = 7
PRE2_ROW = 8


# --------------------------------------------------------------------------- helpers
@pytest.fixture
def saved_work(filled) -> dict[Path, bytes]:
    """The learner's saved assessment (saved twice, so a .bak exists), byte for byte."""
    path = work_file(ASSESSMENT_FILE)
    mine = copy.deepcopy(filled)
    save_assessment(mine, path)
    mine.set_response("PRE5", rating=3)
    save_assessment(mine, path)
    files = [path, backup_path(path)]
    return {f: f.read_bytes() for f in files}


@pytest.fixture
def untouched(saved_work):
    """After the test: the learner's saved files are byte-for-byte the same."""
    yield saved_work
    for path, content in saved_work.items():
        assert path.read_bytes() == content, f"{path.name} changed"


def expect_error(path: Path, where: str | None, problem: str, error=CourseInputError, **kw):
    """Load ``path``; check the error names the file, the place, the problem and a fix."""
    before = path.read_bytes()
    with pytest.raises(error) as info:
        load_assessment(path, **kw)
    message = str(info.value)
    assert str(path) in message
    assert "How to fix it:" in message and info.value.fix
    if where is not None:
        assert info.value.where is not None and where in info.value.where, message
    assert re.search(problem, message, flags=re.IGNORECASE), message
    assert path.read_bytes() == before, "a failed load changed the file"
    return info.value


def csv_text(assessment: Assessment, delimiter: str = ",", newline: str = "\n") -> str:
    """The assessment as a spreadsheet program might write it."""
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=list(TABLE_COLUMNS), delimiter=delimiter, lineterminator=newline
    )
    writer.writeheader()
    writer.writerows(table_rows(assessment))
    return buffer.getvalue()


def csv_with(tmp_path: Path, lines: list[list[str]], name: str = "bad.csv") -> Path:
    """A CSV with the template header and the given rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TABLE_COLUMNS)
    writer.writerows(lines)
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def indicator_row(ind: str, rating: str = "", evidence: str = "") -> list[str]:
    return ["Prevention", ind, "question", rating, evidence, "", ""]


# --------------------------------------------------------------------------- CSV saved by hand
def test_csv_with_bom_loads(filled, tmp_path, untouched):
    """Does a CSV saved by Excel as "CSV UTF-8" (with a BOM) load?"""
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text(filled).encode("utf-8"))
    assert load_assessment(path) == filled


def test_csv_with_semicolons_loads(filled, tmp_path, untouched):
    """Does a CSV with semicolons (Excel in many European locales) load?"""
    path = tmp_path / "semicolons.csv"
    path.write_text(csv_text(filled, delimiter=";"), encoding="utf-8")
    assert load_assessment(path) == filled


def test_csv_with_sep_line_loads(filled, tmp_path, untouched):
    """Does a CSV that starts with Excel's "sep=;" line load?"""
    path = tmp_path / "sep.csv"
    path.write_text("sep=;\n" + csv_text(filled, delimiter=";"), encoding="utf-8")
    assert load_assessment(path) == filled


def test_tab_separated_loads(filled, tmp_path, untouched):
    """Does a tab-separated file named .csv load?"""
    path = tmp_path / "tabs.csv"
    path.write_text(csv_text(filled, delimiter="\t"), encoding="utf-8")
    assert load_assessment(path) == filled


def test_crlf_line_endings_load(filled, tmp_path, untouched):
    """Does a CSV with Windows line endings load, multi-line notes included?"""
    path = tmp_path / "crlf.csv"
    path.write_bytes(csv_text(filled, newline="\r\n").replace("\n", "\r\n").encode("utf-8"))
    loaded = load_assessment(path)
    assert loaded == filled
    assert loaded.responses["JUS1"].notes == "Line one\nLine two, with a comma; and a semicolon"


def test_cp1252_csv_loads(framework, tmp_path, untouched):
    """Does a CSV in the Windows-1252 encoding (older Excel) load with its accents?"""
    text = "Café in São Tomé – “quoted” £5"
    path = csv_with(tmp_path, [indicator_row("PRE1", "2", text)])
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    assert load_assessment(path, framework).responses["PRE1"].evidence == text


def test_utf16_csv_with_bom_loads(filled, tmp_path, untouched):
    """Does a UTF-16 file with a BOM (Excel's "Unicode Text", tab-separated) load?"""
    path = tmp_path / "utf16.csv"
    path.write_bytes(csv_text(filled, delimiter="\t").encode("utf-16"))
    assert load_assessment(path) == filled


def test_utf16_csv_without_bom_is_refused_clearly(filled, tmp_path, untouched):
    """Is UTF-16 text without a BOM refused with how to save it instead?"""
    path = tmp_path / "utf16.csv"
    path.write_bytes(csv_text(filled, delimiter="\t").encode("utf-16-le"))
    expect_error(path, None, r"UTF-16.*How to fix it: .*CSV UTF-8")


def test_xlsx_renamed_csv_is_refused_clearly(filled, tmp_path, untouched):
    """Is a workbook renamed to .csv refused with "rename it to .xlsx"?"""
    path = tmp_path / "workbook.csv"
    path.write_bytes(to_xlsx_bytes(filled))
    expect_error(path, None, r"really an Excel workbook.*rename it to end in \.xlsx")


@pytest.mark.parametrize("content", [b"", b"\n\n  \r\n", b"\xef\xbb\xbf"])
def test_empty_csv_is_refused(tmp_path, untouched, content):
    """Is an empty file (or one holding only blank lines) refused?"""
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    expect_error(path, None, r"the file is empty.*blank template")


def test_missing_rating_column(tmp_path, untouched):
    """Is a header without a rating column refused, naming the columns it has?"""
    path = tmp_path / "norating.csv"
    path.write_text("area,indicator_id,question,evidence\nPrevention,PRE1,q,x\n", encoding="utf-8")
    expect_error(path, f"row {HEADER_ROW}", r"no 'rating' column \(it has: area, indicator_id")


def test_unknown_indicator_suggests_the_closest(tmp_path, untouched):
    """Is an unknown indicator id refused with "did you mean ..."?"""
    path = csv_with(tmp_path, [indicator_row("PRE1", "1"), indicator_row("IDE 3", "2")])
    error = expect_error(path, "row 3, column indicator_id", r"'IDE 3' is not an indicator")
    assert "did you mean IDE3?" in error.fix


def test_empty_indicator_id(tmp_path, untouched):
    """Is a row with a rating but no indicator id refused, naming the row?"""
    path = csv_with(tmp_path, [indicator_row("", "1")])
    expect_error(path, "row 2", r"indicator id is empty.*PRE1")


def test_duplicate_indicator_names_both_rows(filled, tmp_path, untouched):
    """Is an indicator listed twice refused, naming both rows?"""
    path = tmp_path / "dup.csv"
    path.write_text(csv_text(filled) + "Prevention,PRE2,q,1,,,\n", encoding="utf-8")
    last_row = len(table_rows(filled)) + 2
    expect_error(
        path, f"row {last_row}", rf"PRE2 appears twice \(first at row {PRE2_ROW}\).*keep one row"
    )


@pytest.mark.parametrize("rating", ["4", "-1", "2.5", "high", "3/3"])
def test_rating_out_of_range(tmp_path, untouched, rating):
    """Is a rating off the 0-3 scale refused, naming the row, the column and the allowed values?"""
    path = csv_with(tmp_path, [indicator_row("PRE1", rating)])
    expect_error(path, "row 2, column rating", rf"{re.escape(rating)}.*(0 to 3|Absent)")


@pytest.mark.parametrize(("label", "value"), [("Established", 2), ("absent", 0), ("3 - Strong", 3)])
def test_rating_given_as_label_loads(framework, tmp_path, untouched, label, value):
    """Does a rating typed as its label ("Established") load as its number?"""
    path = csv_with(tmp_path, [indicator_row("PRE1", label)])
    assert load_assessment(path, framework).responses["PRE1"].rating == value


def test_bad_fictional_flag(tmp_path, untouched):
    """Is a fictional flag that is neither yes nor no refused?"""
    path = csv_with(tmp_path, [["About this assessment", "FICTIONAL", "q", "", "maybe", "", ""]])
    expect_error(path, "row 2, column evidence", r"'maybe' is not yes or no")


def test_hand_edited_saved_csv_is_left_as_is(filled, tmp_path, untouched):
    """When the learner's own CSV is broken, is it (and its backup) left exactly as it was?"""
    path = save_assessment(filled, tmp_path / "mine.csv")
    save_assessment(filled, path)
    path.write_text(path.read_text(encoding="utf-8-sig").replace(",2,", ",9,", 1))
    backup = backup_path(path).read_bytes() if backup_path(path).exists() else None
    expect_error(path, "column rating", r"9")
    if backup is not None:
        assert backup_path(path).read_bytes() == backup


# --------------------------------------------------------------------------- XLSX
def workbook_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_extra_sheets_loads(filled, tmp_path, untouched):
    """Does a workbook with extra sheets, and the assessment sheet renamed, load?"""
    book = load_workbook(io.BytesIO(to_xlsx_bytes(filled)))
    book[XLSX_SHEET].title = "Our community"
    notes = book.create_sheet("Read me first", 0)
    notes.append(["Anything people add before the table"])
    book.create_sheet("Scratch").append(["indicator_id?", 1, 2, 3])
    path = tmp_path / "extra.xlsx"
    path.write_bytes(workbook_bytes(book))
    assert load_assessment(path) == filled


def test_xlsx_without_assessment_sheet(tmp_path, untouched):
    """Is a workbook with no sheet holding the columns refused, listing the sheets?"""
    book = Workbook()
    book.active.title = "Budget"
    book.active.append(["item", "cost"])
    path = tmp_path / "budget.xlsx"
    path.write_bytes(workbook_bytes(book))
    expect_error(path, None, r"no sheet has the indicator_id, rating columns \(sheets: Budget\)")


def with_formula(filled, cached: str | None) -> bytes:
    """The workbook with PRE1's rating as the formula =1+1, with or without its saved result."""
    book = load_workbook(io.BytesIO(to_xlsx_bytes(filled)))
    sheet = book[XLSX_SHEET]
    assert sheet[f"B{PRE1_ROW}"].value == "PRE1"
    sheet[f"D{PRE1_ROW}"] = "=1+1"
    raw = workbook_bytes(book)
    if cached is None:
        return raw
    # Excel and LibreOffice store each formula's result next to it; openpyxl cannot.
    source, out = zipfile.ZipFile(io.BytesIO(raw)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(
                    rb"<f>1\+1</f><v ?/>", f"<f>1+1</f><v>{cached}</v>".encode(), data
                )
                assert count == 1
            target.writestr(item, data)
    return out.getvalue()


def test_xlsx_formula_with_saved_result_loads(filled, tmp_path, untouched):
    """Does a formula whose result was saved by Excel or LibreOffice load as that result?"""
    path = tmp_path / "formula.xlsx"
    path.write_bytes(with_formula(filled, cached="2"))
    loaded = load_assessment(path)
    assert loaded.responses["PRE1"].rating == 2
    assert loaded.responses["PRE2"] == filled.responses["PRE2"]


def test_xlsx_formula_without_saved_result(filled, tmp_path, untouched):
    """Is a formula with no saved result refused, naming the cell, with how to store it?"""
    path = tmp_path / "formula.xlsx"
    path.write_bytes(with_formula(filled, cached=None))
    expect_error(
        path,
        f"sheet '{XLSX_SHEET}', row {PRE1_ROW}, column 4",
        r"formula '=1\+1' but no saved result.*save it",
    )


@pytest.mark.parametrize("damage", ["truncated", "not a zip"])
def test_corrupt_xlsx(filled, tmp_path, untouched, damage):
    """Is a damaged workbook refused with how to recover?"""
    raw = to_xlsx_bytes(filled)
    path = tmp_path / "corrupt.xlsx"
    path.write_bytes(raw[: len(raw) // 2] if damage == "truncated" else b"hello, not a workbook")
    expect_error(path, None, r"cannot be opened as an Excel workbook.*save it again")


def test_xlsx_with_a_cut_short_sheet(filled, tmp_path, untouched):
    """Is a workbook whose sheet XML is cut short refused clearly, not with a traceback?"""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(to_xlsx_bytes(filled)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as damaged:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            damaged.writestr(item, data)
    path = tmp_path / "cut_short.xlsx"
    path.write_bytes(buffer.getvalue())
    expect_error(path, None, r"cannot be opened as an Excel workbook.*save it again")


def test_xlsx_rating_off_scale(filled, tmp_path, untouched):
    """Is a rating of 7 typed into the workbook refused, naming sheet, row and column?"""
    book = load_workbook(io.BytesIO(to_xlsx_bytes(filled)))
    book[XLSX_SHEET][f"D{PRE2_ROW}"] = 7
    path = tmp_path / "seven.xlsx"
    path.write_bytes(workbook_bytes(book))
    expect_error(path, f"sheet '{XLSX_SHEET}', row {PRE2_ROW}, column rating", r"7.*0 to 3")


# --------------------------------------------------------------------------- JSON edited by hand
def test_json_syntax_error_gives_line_and_column(filled, tmp_path, untouched):
    """Does a missing comma in hand-edited JSON give its line and column?"""
    lines = to_json(filled).splitlines()
    broken = next(i for i, line in enumerate(lines) if '"community"' in line)
    assert lines[broken].endswith(",")
    lines[broken] = lines[broken][:-1]
    path = tmp_path / "broken.json"
    path.write_text("\n".join(lines), encoding="utf-8")
    error = expect_error(path, f"line {broken + 2}, column", r"not valid.*\.bak")
    assert re.fullmatch(r"line \d+, column \d+", error.where)


def test_learners_own_json_broken_is_left_as_is(untouched):
    """When the learner's saved JSON was broken by hand, do it and its backup stay untouched?"""
    path = work_file(ASSESSMENT_FILE)
    path.write_text(path.read_text(encoding="utf-8").replace('"format"', "format", 1))
    untouched[path] = path.read_bytes()
    expect_error(path, "line 2, column", r"not valid")


@pytest.mark.parametrize(
    ("change", "where", "problem"),
    [
        (lambda d: d["responses"]["PRE1"].update(rating="two"), "responses.PRE1.rating", "'two'"),
        (lambda d: d["responses"]["PRE1"].update(rating=True), "responses.PRE1.rating", "True"),
        (lambda d: d["responses"]["PRE1"].update(rating=5), "responses.PRE1.rating", "0 to 3"),
        (
            lambda d: d["responses"]["PRE1"].update(organizations=5),
            "responses.PRE1.organizations",
            "list of names",
        ),
        (lambda d: d["responses"]["PRE1"].update(evidence=3), "responses.PRE1.evidence", "text"),
        (lambda d: d["responses"].update(PRE1=2), "responses.PRE1", "must be an object"),
        (lambda d: d.update(responses=[1, 2]), "field responses", "map indicator ids"),
        (lambda d: d.update(community=42), "field community", "must be text"),
        (lambda d: d.update(fictional="yes"), "field fictional", "true or false"),
        (lambda d: d.update(context={"CTX1": 5}), "field context.CTX1", "not text"),
        (lambda d: d.update(context="none"), "field context", "map prompt ids"),
        (lambda d: d.update(format="something.else"), "field format", "not a community assessment"),
        (
            lambda d: d["responses"].update(PRE9={"rating": 1}),
            "responses.PRE9",
            "not an indicator",
        ),
    ],
)
def test_json_wrong_types(filled, tmp_path, untouched, change, where, problem):
    """Is a JSON value of the wrong type refused, naming the field?"""
    data = json.loads(to_json(filled))
    change(data)
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    expect_error(path, where, problem)


def test_json_not_an_object(tmp_path, untouched):
    """Is a JSON file holding a list refused?"""
    path = tmp_path / "list.json"
    path.write_text("[1, 2, 3]", encoding="utf-8")
    expect_error(path, None, r"does not hold an object")


# --------------------------------------------------------------------------- failed saves
def test_failed_save_keeps_saved_file_and_backup(filled, monkeypatch, untouched):
    """If writing the workbook fails half-way, are the saved file and its backup untouched?"""
    import endtrafficking.storage as storage

    def broken(assessment):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(storage, "to_xlsx_bytes", broken)
    path = work_file("assessment.xlsx")
    with pytest.raises(OSError):
        save_assessment(filled, path)
    assert not path.exists()
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_save_with_unsaveable_characters_succeeds(framework, tmp_path, untouched):
    """Does text pasted with control characters save as XLSX instead of crashing?"""
    assessment = Assessment.blank("Pasted\x00 name\x1b (fictional)", framework)
    assessment.set_response("PRE1", evidence="bell\x07 and\x0b vertical tab", notes="\ufffe")
    path = save_assessment(assessment, tmp_path / "pasted.xlsx")
    assert load_assessment(path, framework) == assessment
    assert assessment.community == "Pasted name (fictional)"


# --------------------------------------------------------------------------- framework files
@pytest.fixture
def framework_data() -> dict:
    return yaml.safe_load((templates_dir() / "framework.yaml").read_text(encoding="utf-8"))


def write_framework(tmp_path: Path, data_or_text: dict | str) -> Path:
    path = tmp_path / "framework.yaml"
    text = data_or_text if isinstance(data_or_text, str) else yaml.safe_dump(data_or_text)
    path.write_text(text, encoding="utf-8")
    return path


def expect_framework_error(path: Path, where: str | None, problem: str) -> FrameworkError:
    before = path.read_bytes()
    with pytest.raises(FrameworkError) as info:
        load_framework(path)
    message = str(info.value)
    assert str(path) in message and "How to fix it:" in message
    if where is not None:
        assert info.value.where is not None and where in info.value.where, message
    assert re.search(problem, message, flags=re.IGNORECASE), message
    assert path.read_bytes() == before
    return info.value


def test_framework_field_typo(framework_data, tmp_path, untouched):
    """Is a misspelt field name in the framework named, with "did you mean"?"""
    indicator = framework_data["areas"][2]["indicators"][1]
    indicator["questoin"] = indicator.pop("question")
    error = expect_framework_error(
        write_framework(tmp_path, framework_data),
        "field areas[2].indicators[1]",
        r"'questoin' was unexpected",
    )
    assert "did you mean 'question'?" in error.fix


def test_framework_top_level_typo(framework_data, tmp_path, untouched):
    """Is "area:" instead of "areas:" reported as the typo it is?"""
    framework_data["area"] = framework_data.pop("areas")
    error = expect_framework_error(
        write_framework(tmp_path, framework_data), "(top level)", r"'area' was unexpected"
    )
    assert "did you mean 'areas'?" in error.fix


def test_framework_duplicate_id(framework_data, tmp_path, untouched):
    """Is an indicator id used twice named at both places?"""
    framework_data["areas"][1]["indicators"][0]["id"] = "PRE1"
    expect_framework_error(
        write_framework(tmp_path, framework_data),
        "field areas[1].indicators[0].id",
        r"'PRE1' is used twice \(also at field areas\[0\]\.indicators\[0\]\.id\)",
    )


def test_framework_duplicate_prompt_id(framework_data, tmp_path, untouched):
    """Is a supporting-section prompt id used twice refused?"""
    sections = framework_data["sections"]
    sections[1]["prompts"][0]["id"] = sections[0]["prompts"][0]["id"]
    expect_framework_error(
        write_framework(tmp_path, framework_data), "field sections[1].prompts[0].id", "used twice"
    )


@pytest.mark.parametrize(
    ("change", "where", "problem"),
    [
        (
            lambda s: [lv.update(value=i + 1) for i, lv in enumerate(s)],
            "field scale",
            r"\[1, 2, 3, 4\].*count up from 0",
        ),
        (lambda s: s[1].update(value="one"), "field scale[1].value", "not of type 'integer'"),
        (lambda s: s.pop(), None, None),  # a 0-2 scale is still a scale: it loads
        (lambda s: [s.pop() for _ in range(3)], "field scale", "at least 2 entries"),
        (lambda s: s[2].pop("label"), "field scale[2]", "'label' is a required property"),
    ],
)
def test_framework_bad_scale(framework_data, tmp_path, untouched, change, where, problem):
    """Is a rating scale that does not count 0, 1, 2, ... refused?"""
    change(framework_data["scale"])
    path = write_framework(tmp_path, framework_data)
    if problem is None:
        assert load_framework(path).max_rating == 2
        return
    expect_framework_error(path, where, problem)


def framework_text() -> str:
    return (templates_dir() / "framework.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_framework_invalid_yaml_unclosed_quote(tmp_path, untouched):
    """Is an unclosed quote reported with where it starts?"""
    text = framework_text()
    start = line_of(text, "title:")
    broken = text.replace("title: ", 'title: "', 1)
    error = expect_framework_error(
        write_framework(tmp_path, broken), "line", rf"starts at line {start}, column"
    )
    assert "quote" in error.fix


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("      - id: PRE2\n", "    - id: PRE2\n"),
        ("        question: Do schools", "      question: Do schools"),
        ("  - id: identification\n", "   - id: identification\n"),
    ],
)
def test_framework_wrong_indentation(tmp_path, untouched, old, new):
    """Is a line indented wrongly reported with its line number, in plain words?"""
    text = framework_text()
    assert old in text
    broken = text.replace(old, new, 1)
    error = expect_framework_error(
        write_framework(tmp_path, broken), "line", r"indentation does not line up"
    )
    assert re.fullmatch(r"line \d+, column \d+", error.where)
    assert abs(int(error.where.split()[1].rstrip(",")) - line_of(text, old)) <= 1


def test_framework_tab_indentation(tmp_path, untouched):
    """Is a tab used for indentation reported with its line and "spaces, not tabs"?"""
    text = framework_text()
    broken = text.replace("      - id: PRE2\n", "\t- id: PRE2\n", 1)
    error = expect_framework_error(
        write_framework(tmp_path, broken),
        f"line {line_of(text, '      - id: PRE2')}",
        r"'\\t'|a tab character",
    )
    assert "spaces, not tabs" in error.fix


@pytest.mark.parametrize("text", ["", "- just\n- a list\n", "# only a comment\n"])
def test_framework_empty_or_list(tmp_path, untouched, text):
    """Is an empty framework file (or a plain list) refused?"""
    expect_framework_error(write_framework(tmp_path, text), None, r"does not hold a mapping")


def test_framework_not_utf8(tmp_path, untouched):
    """Is a framework saved in a Windows encoding refused with "save it as UTF-8"?"""
    path = tmp_path / "framework.yaml"
    path.write_bytes(framework_text().replace("Absent", "Absént").encode("cp1252"))
    expect_framework_error(path, None, r"not UTF-8.*save it as UTF-8")


def test_framework_missing_file(tmp_path, untouched):
    """Is a framework path that does not exist refused?"""
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(FrameworkError, match="does not exist"):
        load_framework(path)


def test_framework_bad_engagement_option(framework_data, tmp_path, untouched):
    """Is a misspelt engagement option refused, listing the allowed ones?"""
    framework_data["engagement_options"][0]["id"] = "enhence"
    expect_framework_error(
        write_framework(tmp_path, framework_data),
        "field engagement_options[0].id",
        r"'enhence' is not one of \['enhance', 'come_alongside', 'fill_gap'\]",
    )


def test_every_error_is_a_value_error():
    """Can widgets catch every input error as ValueError, as the team rule says?"""
    assert issubclass(AssessmentFileError, ValueError)
    assert issubclass(FrameworkError, ValueError)
