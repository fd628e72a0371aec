"""Every fault of a measurement's data files in one run: ``sibc maal`` names each faulty row of the panel and of the
cohort (file, row as a spreadsheet numbers it, column), in Danish, the panel's first; for each kind of fault the
first ten rows and then how many more.

The files are tests/data/housing_first, as Danish Excel saves them: ';'-separated, decimal commas, Windows-1252.
panel.csv: header pnr;y_2540;y_2541;… (101 fields), row 2 = P000, row n = P(n−2).  kohorte.csv: header
pnr;start;gruppe;alder;bydel, row n = P(n−2); rows 2–26 are the intervention group (25 persons).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from workbooks import cli

DATA = Path(__file__).resolve().parent / "data" / "housing_first"


def copied(tmp_path: Path) -> Path:
    for f in DATA.iterdir():
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


def set_field(path: Path, row: int, index: int, value: str) -> None:
    """Field ``index`` (0 = the first) of row ``row`` (1 = the header) of a ';'-separated cp1252 file set to ``value``."""
    lines = path.read_bytes().decode("cp1252").split("\n")
    fields = lines[row - 1].rstrip("\r").split(";")
    fields[index] = value
    lines[row - 1] = ";".join(fields) + ("\r" if lines[row - 1].endswith("\r") else "")
    path.write_bytes("\n".join(lines).encode("cp1252"))


def changed_line(path: Path, row: int, change) -> None:
    """Row ``row`` (1 = the header) of a cp1252 file replaced by ``change(line)``."""
    lines = path.read_bytes().decode("cp1252").split("\n")
    line = lines[row - 1]
    lines[row - 1] = change(line.rstrip("\r")) + ("\r" if line.endswith("\r") else "")
    path.write_bytes("\n".join(lines).encode("cp1252"))


def errors_of(folder: Path, capsys) -> list[str]:
    assert cli.main(["maal", str(folder / "maaling.yaml")]) == 2
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("Fejl")]


def cohort_faults(folder: Path) -> list[str]:
    """Four different faults in the cohort, and the lines naming them (cohort's checks in order: start, gruppe,
    the covariate's texts, the covariate's empty cells)."""
    k = folder / "kohorte.csv"
    set_field(k, 4, 3, "51,x")        # P002's age
    set_field(k, 6, 1, "2026-X05")    # P004's start
    set_field(k, 8, 2, "behandlet")   # P006's group
    set_field(k, 10, 3, "")           # P008's age
    return [
        "Fejl i filen kohorte.csv, række 6, kolonne start: '2026-X05' er ikke en ISO-uge (fx 2020-W53 eller 202053)",
        "Fejl i filen kohorte.csv, række 8, kolonne gruppe: 'behandlet' er ikke en af: indsats, kontrol, historisk, pulje",
        "Fejl i filen kohorte.csv, række 4, kolonne alder: ikke et tal: '51,x'",
        "Fejl i filen kohorte.csv, række 10, kolonne alder: mangler et tal",
    ]


def test_rows_of_the_wrong_length_in_the_panel_and_every_cohort_fault_come_in_one_run(tmp_path, capsys):
    folder = copied(tmp_path)
    changed_line(folder / "panel.csv", 7, lambda line: line + ";731")                    # 102 fields
    changed_line(folder / "panel.csv", 9, lambda line: ";".join(line.split(";")[:52]))   # 52 fields
    expected_cohort = cohort_faults(folder)
    assert errors_of(folder, capsys) == [
        "Fejl i filen panel.csv: række 7 har 102 felter, overskriften har 101 (skilletegn ';')",
        "Fejl i filen panel.csv: række 9 har 52 felter, overskriften har 101 (skilletegn ';')",
        *expected_cohort,
    ]


def test_a_panel_row_without_id_a_person_twice_and_an_unknown_code_are_named_by_row_and_column(tmp_path, capsys):
    folder = copied(tmp_path)
    p = folder / "panel.csv"
    set_field(p, 11, 0, "")        # row 11 (P009) without a person id
    set_field(p, 5, 0, "P001")     # row 5 (P003) says P001, who is in row 3
    set_field(p, 8, 3, "7311")     # row 8, field 3 = column y_2542: a code the grouping lacks
    set_field(p, 12, 1, "999")     # row 12, field 1 = column y_2540
    grouping = folder / "grupper.csv"  # its "(øvrige)" group made a listed code, so unlisted codes are faults
    grouping.write_bytes(grouping.read_bytes().replace("(øvrige)".encode("cp1252"), b"555"))
    expected_cohort = cohort_faults(folder)
    unknown = "står i ingen gruppe i kodegrupperingen (tilføj koden eller en gruppe med (øvrige))"
    assert errors_of(folder, capsys) == [
        "Fejl i filen panel.csv, række 11, kolonne pnr: mangler person-id",
        "Fejl i filen panel.csv, række 5, kolonne pnr: 'P001' står også i en række før",
        f"Fejl i filen panel.csv, række 8, kolonne y_2542: koden '7311' {unknown}",
        f"Fejl i filen panel.csv, række 12, kolonne y_2540: koden '999' {unknown}",
        *expected_cohort,
    ]


def test_missing_columns_of_both_files_come_together(tmp_path, capsys):
    folder = copied(tmp_path)
    set_field(folder / "panel.csv", 1, 0, "cpr")       # the panel's person column renamed
    set_field(folder / "kohorte.csv", 1, 1, "startuge")  # the cohort's start and covariate columns renamed
    set_field(folder / "kohorte.csv", 1, 3, "age")
    assert errors_of(folder, capsys) == [
        "Fejl i filen panel.csv: har ingen kolonne 'pnr' (personkolonnen)",
        "Fejl i filen kohorte.csv: har ingen kolonne 'start' (startkolonnen)",
        "Fejl i filen kohorte.csv: har ingen kolonne 'alder' (kovariatkolonnen)",
    ]


def test_each_kind_of_fault_names_its_first_ten_rows_and_counts_the_rest(tmp_path, capsys):
    """13 bad starts (rows 2–14) and 12 bad ages (rows 20–31): ten lines each, then 13 − 10 = 3 and 12 − 10 = 2 more."""
    folder = copied(tmp_path)
    k = folder / "kohorte.csv"
    for row in range(2, 15):
        set_field(k, row, 1, "uge")
    for row in range(20, 32):
        set_field(k, row, 3, "?")
    assert errors_of(folder, capsys) == [
        *(f"Fejl i filen kohorte.csv, række {row}, kolonne start: 'uge' er ikke en ISO-uge (fx 2020-W53 eller 202053)"
          for row in range(2, 12)),
        "Fejl i filen kohorte.csv, kolonne start: og 3 rækker mere med samme fejl",
        *(f"Fejl i filen kohorte.csv, række {row}, kolonne alder: ikke et tal: '?'" for row in range(20, 30)),
        "Fejl i filen kohorte.csv, kolonne alder: og 2 rækker mere med samme fejl",
    ]


def test_rows_of_the_wrong_length_are_bounded_too(tmp_path, capsys):
    """12 panel rows one field short (rows 2–13): ten named, then 12 − 10 = 2 more."""
    folder = copied(tmp_path)
    for row in range(2, 14):
        changed_line(folder / "panel.csv", row, lambda line: line.rsplit(";", 1)[0])
    assert errors_of(folder, capsys) == [
        *(f"Fejl i filen panel.csv: række {row} har 100 felter, overskriften har 101 (skilletegn ';')" for row in range(2, 12)),
        "Fejl i filen panel.csv: og 2 rækker mere med samme fejl",
    ]


def test_a_clean_file_measures_the_same_numbers_as_before(capsys):
    """The figures ``sibc maal tests/data/housing_first/maaling.yaml --json`` gave before the data files' errors
    were collected (the same JSON byte for byte at the parent commit)."""
    assert cli.main(["maal", str(DATA / "maaling.yaml"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["antal"] == {"indsats": 25, "kontrol": 50}
    effects = {m["id"]: None if m["effekt"] is None else m["effekt"]["effekt"] for m in out["maal"]}
    assert effects["ingen_herberg_aar"] == pytest.approx(0.3, abs=1e-12)
    assert effects["ikke_herberg_uge52"] is None
    assert effects["uger_kh"] == pytest.approx(2.46, abs=1e-12)
    assert out["betalinger"][3:5] == [1_000_000.0, 375_000.0] and sum(out["betalinger"]) == 1_375_000.0


def test_a_long_panel_names_each_row_whose_week_is_no_iso_week(tmp_path, capsys):
    """The same panel written long (pnr;uge;kode, one row per coded week, as Danish Excel saves it), two weeks
    spoilt: rows 3 and 7 named with the column, then the cohort's faults."""
    folder = copied(tmp_path)
    wide = (folder / "panel.csv").read_bytes().decode("cp1252").splitlines()
    header = wide[0].split(";")
    rows = ["pnr;uge;kode"]
    for line in wide[1:]:
        fields = line.split(";")
        rows += [f"{fields[0]};20{name[2:4]}-W{name[4:6]};{code}" for name, code in zip(header[1:], fields[1:]) if code]
    (folder / "panel.csv").write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))
    spec = (folder / "maaling.yaml").read_text(encoding="utf-8")
    (folder / "maaling.yaml").write_text(spec.replace("format: bred", "format: lang\n  uge: uge\n  kode: kode"), encoding="utf-8")
    set_field(folder / "panel.csv", 3, 1, "2021-W53")  # 2021 has 52 ISO weeks
    set_field(folder / "panel.csv", 7, 1, "uge 5")
    expected_cohort = cohort_faults(folder)
    assert errors_of(folder, capsys) == [
        "Fejl i filen panel.csv, række 3, kolonne uge: '2021-W53' er ikke en ISO-uge (fx 2020-W53 eller 202053)",
        "Fejl i filen panel.csv, række 7, kolonne uge: 'uge 5' er ikke en ISO-uge (fx 2020-W53 eller 202053)",
        *expected_cohort,
    ]
