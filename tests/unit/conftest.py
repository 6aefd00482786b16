"""Fixtures shared by the unit tests: the course framework and a filled assessment.

The filled assessment is a small FICTIONAL community made up for the tests; no
organization in it exists.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from endtrafficking.assessment import Assessment
from endtrafficking.framework import Framework, load_framework

FICTIONAL_COMMUNITY = "Harrow Bend (fictional)"


def make_filled(framework: Framework) -> Assessment:
    """A fictional community: strong in Justice, nothing yet in Restoration."""
    assessment = Assessment.blank(FICTIONAL_COMMUNITY, framework)
    assessment.fictional = True
    levels = {
        "prevention": 2,
        "identification": 2,
        "rescue_response": 1,
        "restoration": 0,
        "justice": 3,
        "partnership": 1,
    }
    for area in framework.areas:
        for n, indicator in enumerate(area.indicators):
            rating = None if (area.id == "partnership" and n == 0) else levels[area.id]
            assessment.set_response(indicator.id, rating=rating)
    assessment.set_response(
        "JUS1",
        evidence="Task force meets monthly; «café» notes, naïve quotes “like this”, 日本語",
        organizations=[
            "Harrow Bend Task Force (fictional)",
            "County Prosecutor's Office (fictional)",
        ],
        notes="Line one\nLine two, with a comma; and a semicolon",
    )
    assessment.set_response("RES2", organizations=["Harrow Bend Shelter (fictional)"])
    assessment.set_response("PRE3", evidence='Quoted "drop-in" centre, =not a formula')
    first_prompt = framework.prompts[0].id
    assessment.context[first_prompt] = "Farm work and a highway corridor (fictional example)."
    return assessment


@pytest.fixture(scope="session")
def framework() -> Framework:
    """The course's own framework (immutable, so shared by every test)."""
    return load_framework()


@pytest.fixture
def filled(framework: Framework) -> Assessment:
    """A filled assessment of a fictional community."""
    return make_filled(framework)


# --------------------------------------------------------------------------- golden files
# `pytest tests/unit --update-goldens` (or UPDATE_GOLDENS=1 pytest ...) rewrites
# the golden files under tests/unit/files/ on purpose; review the diff, then commit.
GOLDEN_DIR = Path(__file__).parent / "files"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register ``--update-goldens`` (ignored if a parent conftest already did)."""
    try:
        parser.addoption(
            "--update-goldens",
            action="store_true",
            default=False,
            help="rewrite the golden files under tests/unit/files instead of comparing",
        )
    except ValueError:  # already registered by tests/conftest.py
        pass


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare text with a golden file, or rewrite the file when asked to."""
    update = bool(request.config.getoption("--update-goldens", default=False)) or (
        os.environ.get("UPDATE_GOLDENS", "") not in ("", "0")
    )

    def check(name: str, actual: str) -> None:
        path = GOLDEN_DIR / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"{path} is missing: run pytest tests/unit --update-goldens"
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, (
            f"output differs from {path.name}; if the change is intended, run "
            "pytest tests/unit --update-goldens and review the diff"
        )

    return check


# --------------------------------------------------------------------------- office-like files
def with_cached_results(xlsx: bytes, results: dict[str, object], sheet: int = 1) -> bytes:
    """Store a result beside each formula, as Excel or LibreOffice do when they save.

    openpyxl writes formulas without results; ``results`` maps a cell (``"D5"``)
    of worksheet number ``sheet`` (1-based) to the value its formula shows.
    """
    import re
    import zipfile
    from io import BytesIO

    source = zipfile.ZipFile(BytesIO(xlsx))
    out = BytesIO()
    name = f"xl/worksheets/sheet{sheet}.xml"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == name:
                xml = data.decode("utf-8")
                for ref, value in results.items():
                    kind = "" if isinstance(value, int | float) else ' t="str"'
                    pattern = rf'<c r="{ref}"[^>]*>(<f>.*?</f>)(?:<v\s*/>|<v>[^<]*</v>)?</c>'
                    xml, count = re.subn(
                        pattern,
                        lambda m, r=ref, k=kind, v=value: (
                            f'<c r="{r}"{k}>{m.group(1)}<v>{v}</v></c>'
                        ),
                        xml,
                    )
                    assert count == 1, f"no formula in {ref}"
                data = xml.encode("utf-8")
            target.writestr(item, data)
    return out.getvalue()


def excel_csv(text: str) -> bytes:
    """CSV text re-saved as Excel does in many locales: ';' separators, BOM, CRLF."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


@pytest.fixture
def office():
    """Helpers that save files the way Excel or LibreOffice do."""
    from types import SimpleNamespace

    return SimpleNamespace(with_cached_results=with_cached_results, excel_csv=excel_csv)


# --------------------------------------------------------------------------- real LibreOffice
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
#: LibreOffice's CSV export: ';' separated, UTF-8, the given sheet (1-based) at the end.
LIBREOFFICE_CSV = (
    "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,false,false,false,{sheet}"
)
LIBREOFFICE_XLSX = "xlsx:Calc MS Excel 2007 XML"


def require_soffice() -> str:
    """LibreOffice's soffice, or a failure (CI) / skip (elsewhere) that says how to install it."""
    if SOFFICE is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("LibreOffice (soffice) is missing: apt-get install libreoffice-calc")
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc")
    return SOFFICE


def libreoffice_convert(sources: list[Path], target: str, out: Path, home: Path) -> None:
    """Open ``sources`` in real LibreOffice and save them as ``target`` into ``out``."""
    subprocess.run(
        [
            require_soffice(),
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(out),
        ]
        + [str(s) for s in sources],
        check=True,
        capture_output=True,
        env={**os.environ, "HOME": str(home)},
        timeout=240,
    )


# Saved learner work (nothing, or the whole course), shared by the course-view tests.
from .learner_work import completed, work  # noqa: E402, F401
