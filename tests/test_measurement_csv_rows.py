"""A CSV row with a field too many or too few, in every CSV a measurement reads (panel, cohort, code grouping):
a Danish message naming the file, the row as a spreadsheet numbers it (the header is row 1) and the counts,
never DuckDB's English.  The files are tests/data/housing_first (cohort: 5 fields pnr;start;gruppe;alder;bydel;
panel: pnr and 100 week columns, 101 fields; grouping: 9 fields)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbooks import cli

DATA = Path(__file__).resolve().parent / "data" / "housing_first"


def changed_line(path: Path, row: int, change) -> None:
    """Row ``row`` (1 = the header) of a cp1252 file replaced by ``change(line)``."""
    lines = path.read_bytes().decode("cp1252").split("\n")
    line = lines[row - 1]
    lines[row - 1] = change(line.rstrip("\r")) + ("\r" if line.endswith("\r") else "")
    path.write_bytes("\n".join(lines).encode("cp1252"))


CASES = [
    # file, row, change, expected message (hand: the header's fields counted in the file)
    ("kohorte.csv", 5, lambda line: line.replace(";", ";2026-W0x;", 1),
     "Fejl i filen kohorte.csv: række 5 har 6 felter, overskriften har 5 (skilletegn ';')"),
    ("kohorte.csv", 12, lambda line: line.rsplit(";", 1)[0],
     "Fejl i filen kohorte.csv: række 12 har 4 felter, overskriften har 5 (skilletegn ';')"),
    ("panel.csv", 7, lambda line: line + ";731",
     "Fejl i filen panel.csv: række 7 har 102 felter, overskriften har 101 (skilletegn ';')"),
    ("panel.csv", 9, lambda line: ";".join(line.split(";")[:52]),
     "Fejl i filen panel.csv: række 9 har 52 felter, overskriften har 101 (skilletegn ';')"),
    ("grupper.csv", 3, lambda line: line.replace(";881;", ";881;x;"),
     "Fejl i grupper.csv: række 3 har 10 felter, overskriften har 9 (skilletegn ';')"),
]


@pytest.mark.parametrize("name,row,change,message", CASES)
def test_a_row_with_a_wrong_number_of_fields_is_named_in_danish(tmp_path, capsys, name, row, change, message):
    for f in DATA.iterdir():
        shutil.copy(f, tmp_path / f.name)
    changed_line(tmp_path / name, row, change)
    assert cli.main(["maal", str(tmp_path / "maaling.yaml")]) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Fejl")]
    assert errors == [message]


def test_an_empty_cell_right_of_the_header_is_no_error_in_the_grouping(tmp_path):
    """Danish Excel saves empty cells right of the table as ';;': the grouping reads them as nothing."""
    from udfs.core.data import field_count_error

    assert field_count_error([["a", "b"], ["1", "2", ""], [], ["3", "4"]]) is None
    assert field_count_error([["a", "b"], ["1", "2", ""]], empty_extra=False) == "række 2 har 3 felter, overskriften har 2"
    assert field_count_error([[], ["a", "b"], ["1"]], first_row=2) == "række 4 har 1 felt, overskriften har 2"



@pytest.mark.parametrize("name, content, line", [("kohorte.csv", b"", 8), ("panel.csv", b"\xef\xbb\xbf\r\n  \r\n", 4)])
def test_an_empty_cohort_or_panel_file_is_said_to_be_empty(tmp_path, capsys, name, content, line):
    """The issue: an empty cohort file said 'har ingen kolonne 'pnr''. It says what an empty unit-price file says
    (udfs.core.data.EMPTY_FILE), at the line of the measurement file naming it (counted in maaling.yaml)."""
    for f in DATA.iterdir():
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / name).write_bytes(content)
    assert cli.main(["maal", str(tmp_path / "maaling.yaml")]) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Fejl")]
    assert errors == [f"Fejl i {name.removesuffix('.csv')}.fil (linje {line}): filen er tom; den skal have en overskriftsrække og mindst én "
                      "række med personer"]


def test_an_empty_unit_price_file_says_the_same(tmp_path):
    from udfs.core.data import read_csv
    from udfs.core.errors import SIError

    (tmp_path / "priser.csv").write_bytes(b"\n\n")
    with pytest.raises(SIError) as err:
        read_csv(tmp_path / "priser.csv", "egne_priser")
    assert err.value.full == "Fejl i egne_priser: filen er tom; den skal have en overskriftsrække og mindst én række med priser"
