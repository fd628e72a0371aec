"""sibc's own workbooks that are no project workbook (the measurement report, the portfolio workbook): sibc tjek
and sibc udtraek say what the file is and that they read workbooks built with sibc byg."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbooks import cli

DATA = Path(__file__).resolve().parent / "data" / "housing_first"


@pytest.mark.parametrize("command", ["check", "extract"])
@pytest.mark.parametrize("make,what", [
    (lambda tmp, out: ["maal", str(copied_spec(tmp)), "-o", str(out)], "en målerapport (skrevet af sibc maal -o)"),
    (lambda tmp, out: ["portefoelje", str(tmp / "sager"), "--xlsx", str(out)],
     "en porteføljeoversigt (skrevet af sibc portefoelje --xlsx)"),
])
def test_check_and_extract_say_what_sibcs_other_workbooks_are(tmp_path, capsys, make, what, command):
    """A report sibc wrote is no project workbook: tjek and udtraek say what it is and that they read workbooks
    built with sibc byg."""
    (tmp_path / "sager").mkdir()
    shutil.copy(DATA / "hf.yaml", tmp_path / "sager" / "hf.yaml")
    out = tmp_path / "rapport.xlsx"
    assert cli.main(make(tmp_path, out)) == 0
    capsys.readouterr()
    assert cli.main([command, str(out)]) != 0
    text = capsys.readouterr()
    assert (f"'rapport.xlsx' er {what}, ikke en projektmappe: sibc tjek og sibc udtraek læser kun projektmapper "
            "bygget med sibc byg (fx sibc byg case.yaml -o case.xlsx)") in text.out + text.err


def copied_spec(tmp_path: Path) -> Path:
    for f in DATA.iterdir():
        shutil.copy(f, tmp_path / f.name)
    return tmp_path / "maaling.yaml"
