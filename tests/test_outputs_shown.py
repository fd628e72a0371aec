"""What the outputs show: one Danish word for a source kind everywhere, source links kept whole when a
text is shortened for a cell, and CSV numbers without float noise."""

import csv
from pathlib import Path

import pytest

from udfs import excel as xl
from udfs.core.data import SOURCE_KIND_SHOWN, catalogue
from udfs.core.lineitems import YEARLY_LINES
from udfs.excel import MAX_CELL_TEXT, cell_text
from workbooks.cli import catalogue_frame, csv_number, main

EXAMPLE = Path(__file__).resolve().parents[1] / "workbooks" / "cases" / "eksempel_ungeindsats.yaml"


def test_source_kind_is_the_same_danish_word_in_excel_and_the_command_line():
    table = xl.SI_ENHEDSPRISER()
    header = table[0]
    shown_excel = {row[0]: row[header.index("kildetype")] for row in table[1:]}
    frame = catalogue_frame()[0]
    shown_cli = dict(zip(frame["id"], frame["kildetype"]))
    assert shown_excel == shown_cli
    assert shown_excel == {u.id: SOURCE_KIND_SHOWN[u.kildetype] for u in catalogue().values()}
    assert set(shown_excel.values()) <= {"primær", "sekundær", "egen"}


def test_every_catalogue_source_link_survives_the_cell_limit():
    table = xl.SI_ENHEDSPRISER()
    kilde = table[0].index("kilde")
    cells = {row[0]: row[kilde] for row in table[1:]}
    for u in catalogue().values():
        assert len(cells[u.id]) <= MAX_CELL_TEXT
        if u.kilde_url:
            assert u.kilde_url in cells[u.id], u.id


def test_a_long_source_is_cut_in_its_prose_not_its_url():
    url = "https://www.retsinformation.dk/eli/lta/2021/221#" + "x" * 40
    text = "Beskæftigelsesministeriet: " + "Lov om kommunernes finansiering af visse offentlige ydelser " * 4 + f"({url})"
    shown = cell_text(text)
    assert len(shown) == MAX_CELL_TEXT and shown.endswith(f"… ({url})") and shown.startswith("Beskæftigelsesministeriet: Lov")
    assert cell_text("kort (https://a.dk)") == "kort (https://a.dk)"


@pytest.mark.parametrize("value, text", [
    (132302.87999999998, "132302,88"),  # the trial's float noise; Excel shows 132302,88 (15 significant digits)
    (0.9661835748792271, "0,966183574879227"),  # a discount factor 1/1.035 keeps its 15 digits
    (-250000.0, "-250000"),
    (0.0, "0"),
])  # fmt: skip
def test_csv_numbers_at_15_significant_digits(value, text):
    assert csv_number(value) == text


@pytest.mark.parametrize("value, unit, text", [
    (378.599999999977, "kr", "378,6"),  # the user trial's year table: 15 significant digits kept the noise, øre do not
    (378.599999999977, "share", "378,599999999977"),  # not an amount: 15 significant digits as before
    (-1299999.99999, "kr", "-1300000"),  # arbejdspladser_i_trivsel's Netto betaler, year 1 (see below)
    (1234.565, "kr", "1234,57"),  # half away from zero, as AFRUND(1234,565;2)
    (-0.004, "kr", "0"),  # under half an øre: 0, never -0
    (0.9661835748792271, "factor", "0,966183574879227"),  # a discount factor keeps its digits
])  # fmt: skip
def test_csv_amounts_to_the_oere_by_the_lines_unit(value, unit, text):
    assert csv_number(value, unit) == text


def test_sibc_calc_csv_writes_amounts_to_the_oere(tmp_path):
    """arbejdspladser_i_trivsel, year 1: Besparelse kommune 4.300.000 − Omkostninger kommune 0 − Resultatbetalinger
    kommune 5.600.000 = Netto betaler −1.300.000 kr. (sibc calc's table); the CSV wrote -1299999,99999 (float noise at
    15 significant digits) and writes -1300000; the discount factor 1/1,035 = 0,966183574879227 keeps its digits."""
    target = tmp_path / "aar.csv"
    assert main(["calc", str(EXAMPLE.parent / "arbejdspladser_i_trivsel.yaml"), "--csv", str(target)]) == 0
    header, *rows = csv.reader(target.read_text(encoding="utf-8-sig").splitlines(), delimiter=";")
    year1 = dict(zip(header, rows[1], strict=True))
    assert (year1["Netto betaler"], year1["Besparelse kommune"], year1["Resultatbetalinger kommune"]) == ("-1300000", "4300000", "5600000")
    assert year1["Diskonteringsfaktor"] == "0,966183574879227"
    units = {item.label: item.unit for item in YEARLY_LINES}
    for row in rows:  # every amount has at most two decimals
        assert all(len(v.partition(",")[2]) <= 2 for k, v in zip(header, row, strict=True) if units[k] == "kr"), row


def test_sibc_calc_csv_has_no_float_noise(tmp_path):
    target = tmp_path / "aar.csv"
    assert main(["calc", str(EXAMPLE), "--csv", str(target)]) == 0
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    numbers = [v for row in rows[1:] for v in row if v and v[0] in "-0123456789"]
    assert numbers and all(len(v.replace("-", "").replace(",", "").lstrip("0")) <= 15 for v in numbers), numbers
