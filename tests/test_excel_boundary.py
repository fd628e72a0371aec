"""What Excel really hands a function: dates in two forms, error cells, whole numbers with
float noise, long texts and CSV files saved by Danish Excel.

The calls go through xlwings's own Windows call path (``xlwings.udfs.call_udf``, set up in
``tests/test_xlwings_desktop.py``) with values shaped as pywin32 hands them over: floats,
pywin32 dates, COM error codes, tuples of rows, VBA's *Missing*.  Each kind is checked for
every function and argument in ``udfs.excel.REGISTRY``; the Office.js route has the same
checks in ``tests/test_xlwings_server.py``.
"""

from __future__ import annotations

import datetime as dt
import inspect
import itertools
import math
from pathlib import Path

import pytest

import udfs.excel as xl
from addin import examples
from tests.test_xlwings_desktop import (  # noqa: F401  (classic is a fixture)
    MISSING,
    NA_ERROR,
    ComTime,
    call_like_excel,
    classic,
    excel_value,
)
from udfs.core import files
from udfs.core.case_model import parse_case
from udfs.core.dates import day_serial, excel_serial
from udfs.core.errors import SIError

ROOT = Path(__file__).resolve().parents[1]
CASE = str(ROOT / "workbooks" / "cases" / "eksempel_ungeindsats.yaml")

# COM error codes as pywin32 hands an error cell to call_udf: 0x800A0000 + Excel's CVErr
# number (xlErrDiv0 = 2007, xlErrSpill = 2045), as signed 32-bit ints.
DIV0_ERROR = -2146828288 + 2007
SPILL_ERROR = -2146828288 + 2045
assert NA_ERROR == -2146828288 + 2042  # xlErrNA, the value test_xlwings_desktop uses

#: Cell values behind the range references in the examples (the rest get 100, 200, …).
REFERENCE_VALUES = {
    "SI_NUTIDSVAERDI": {"B5:K5": [[-1_000_000.0] + [150_000.0] * 9]},
    "SI_INVESTOR_IRR": {"B5:F5": [[-1_000_000.0, 250_000.0, 300_000.0, 350_000.0, 400_000.0]]},
}
FUNCTIONS = sorted(xl.REGISTRY)


def parameters(name: str) -> list[str]:
    return list(inspect.signature(getattr(xl, name)).parameters)


def arguments(name: str) -> list:
    """The README example's arguments for every parameter (left-out ones OMITTED), with a
    real case file for ``casefil`` and a small Monte Carlo."""
    values = examples.example_arguments(name, REFERENCE_VALUES.get(name))
    values += [examples.OMITTED] * (len(parameters(name)) - len(values))
    for i, p in enumerate(parameters(name)):
        if p == "casefil":
            values[i] = CASE
        if p == "antal_traek":
            values[i] = 200
    return values


def as_excel(values: list) -> list:
    return [MISSING if v is examples.OMITTED else excel_value(v) for v in values]


def cells(result) -> list:
    return [c for row in result for c in row]


def is_error(result) -> bool:
    return len(result) == 1 and len(result[0]) == 1 and isinstance(result[0][0], str) and result[0][0].startswith("Fejl i ")


ALL_ARGUMENTS = [(name, arg) for name in FUNCTIONS for arg in parameters(name)]


def _id(case) -> str:
    return ".".join(map(str, case))


# --------------------------------------------------------------------------- 2. dates


def test_serial_numbers_follow_excels_1900_system():
    # Microsoft, "Date systems in Excel": in the 1900 date system 1 January 1900 is serial 1;
    # Microsoft, "Excel incorrectly assumes that the year 1900 is a leap year": serial 60 is
    # the fictitious 29 February 1900, so 28 February 1900 is 59 and 1 March 1900 is 61.
    assert excel_serial("d", dt.date(1900, 1, 1)) == 1
    assert excel_serial("d", dt.date(1900, 2, 28)) == 59
    assert excel_serial("d", dt.date(1900, 3, 1)) == 61
    # 31 December 9999 is Excel's last date, serial 2958465 (Microsoft, "Excel specifications
    # and limits": latest date allowed for calculation).
    assert excel_serial("d", dt.date(9999, 12, 31)) == 2_958_465
    # A serial's fraction is the time of day: 18:00 is 0.75 of a day.
    assert excel_serial("d", dt.datetime(2024, 1, 1, 18)) == 45292.75
    assert day_serial("d", 45292.75) == day_serial("d", ComTime(2024, 1, 1, 18)) == 45292


def test_serial_numbers_equal_libreoffices_date(libreoffice):
    """LibreOffice's DATE gives the same serial numbers from 1 March 1900 on (its epoch is also
    30 December 1899; it has no fictitious 29 February, so earlier dates differ by design)."""
    days = [dt.date(1900, 3, 1), dt.date(2024, 1, 1), dt.date(2025, 1, 1), dt.date(2026, 1, 1), dt.date(2027, 1, 1)]
    got = libreoffice({f"A{i}": f"=DATE({d.year},{d.month},{d.day})*1" for i, d in enumerate(days, start=1)})
    assert [got[f"A{i}"] for i in range(1, len(days) + 1)] == [excel_serial("d", d) for d in days]


FLOWS = [-1000.0, 300.0, 400.0, 500.0]
DAYS = [dt.date(2024, 1, 1), dt.date(2025, 1, 1), dt.date(2026, 1, 1), dt.date(2027, 1, 1)]
#: XIRR of −1000, 300, 400, 500 on 1 January 2024–2027 (the issue's figure; LibreOffice's XIRR
#: gives the same, see test_xirr_equals_libreoffice).
XIRR_2024 = 0.0888431


def _forms(day: dt.date):
    """One date as Excel may hand it over: a pywin32 date, a serial number (a General cell,
    a formula's result) or a serial with a time of day."""
    serial = float((day - dt.date(1899, 12, 30)).days)
    return [ComTime(day.year, day.month, day.day), serial, serial + 0.75]


@pytest.mark.parametrize("forms", list(itertools.product(*[range(3)] * 4)), ids=lambda f: "".join(map(str, f)))
def test_xirr_is_the_same_whatever_mix_of_date_forms(classic, forms):
    dates = tuple(_forms(d)[k] for d, k in zip(DAYS, forms))
    got = call_like_excel(classic, "SI_INVESTOR_IRR", (tuple(FLOWS),), (dates,), MISSING)
    assert got[0][0] == pytest.approx(XIRR_2024, abs=5e-8), got
    # also as a column, and called from Python with plain dates
    column = call_like_excel(classic, "SI_INVESTOR_IRR", tuple((f,) for f in FLOWS), tuple((d,) for d in dates), MISSING)
    assert column == got


def test_xirr_equals_libreoffice(libreoffice):
    cells_ = {f"{c}1": v for c, v in zip("ABCD", FLOWS)}
    cells_.update({f"{c}2": f"=DATE({d.year},{d.month},{d.day})" for c, d in zip("ABCD", DAYS)})
    cells_["A3"] = "=XIRR(A1:D1,A2:D2)"
    got = libreoffice(cells_)["A3"]
    assert got == pytest.approx(XIRR_2024, abs=5e-8)
    assert xl.SI_INVESTOR_IRR([FLOWS], [[dt.datetime(d.year, d.month, d.day) for d in DAYS]]) == pytest.approx(got, rel=1e-9)


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("1-1-2025", "Fejl i datoer[2]: skal være en dato, ikke teksten '1-1-2025'"),
        (True, "Fejl i datoer[2]: skal være en dato, ikke SAND/FALSK"),
        (None, "Fejl i datoer[2]: mangler (tom celle)"),
        (0.0, "Fejl i datoer[2]: skal være en dato fra 1-1-1900 til 31-12-9999 (serienummer 1 til 2958465)"),
        (-45292.0, "Fejl i datoer[2]: skal være en dato fra 1-1-1900 til 31-12-9999 (serienummer 1 til 2958465)"),
        (ComTime(1899, 12, 31), "Fejl i datoer[2]: skal være en dato fra 1-1-1900 til 31-12-9999 (serienummer 1 til 2958465)"),
    ],
)
def test_a_date_that_is_no_date_is_named(classic, date, message):
    dates = (ComTime(2024, 1, 1), date, ComTime(2026, 1, 1), ComTime(2027, 1, 1))
    assert call_like_excel(classic, "SI_INVESTOR_IRR", (tuple(FLOWS),), (dates,), MISSING) == [[message]]


def test_the_core_takes_every_date_form_too():
    from udfs.core.settlement import xirr

    mixed = [dt.date(2024, 1, 1), 45658, dt.datetime(2026, 1, 1, 12), 46388.0]
    assert xirr(FLOWS, mixed) == pytest.approx(XIRR_2024, abs=5e-8)


# --------------------------------------------------------------------------- 3. error cells


def _message(arg: str, error: str, in_range: bool = False) -> str:
    if in_range:
        return f"Fejl i {arg}: indeholder fejlværdien {error} (række 1, kolonne 2 i området); ret cellen eller formlen, der giver fejlen"
    return f"Fejl i {arg}: er fejlværdien {error}; ret cellen eller formlen, der giver fejlen"


@pytest.mark.parametrize(("name", "arg"), ALL_ARGUMENTS, ids=[_id(c) for c in ALL_ARGUMENTS])
def test_an_error_cell_in_any_argument_is_named(classic, name, arg):
    """#N/A in a cell (xlwings: the COM code, declared err_to_str), #DIV/0! inside a range and
    #SPILL! (a code xlwings does not translate) are refused by name, never taken as left out."""
    base = as_excel(arguments(name))
    k = parameters(name).index(arg)
    for value, error, in_range in [
        (NA_ERROR, "#N/A", False),
        (((1.0, DIV0_ERROR),), "#DIV/0!", True),
        (SPILL_ERROR, "#SPILL!", False),
    ]:
        args = list(base)
        args[k] = value
        assert call_like_excel(classic, name, *args) == [[_message(arg, error, in_range)]]


def test_the_issues_examples_of_error_cells(classic):
    # SI_RESULTATBETALING(150;60;120;7400000;#N/A): the cap is not left out.
    assert call_like_excel(classic, "SI_RESULTATBETALING", 150.0, 60.0, 120.0, 7_400_000.0, NA_ERROR) == [[_message("loft", "#N/A")]]
    # Left out, the cap is the target payment: (150 − 60) / (120 − 60) × 7.4 mio. = 11.1 mio., capped at 7.4 mio.
    assert call_like_excel(classic, "SI_RESULTATBETALING", 150.0, 60.0, 120.0, 7_400_000.0, MISSING) == [[7_400_000.0]]
    # SI_ENHEDSPRIS(id;#N/A;"kommune"): the price year is not the row's own.
    got = call_like_excel(classic, "SI_ENHEDSPRIS", "sygedagpenge_uge", NA_ERROR, "kommune")
    assert got == [[_message("prisaar", "#N/A")]]


EXCEL_ERRORS = ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!",
                "#CALC!", "#BLOCKED!", "#CONNECT!", "#FIELD!", "#UNKNOWN!", "#BUSY!",
                "#I/T", "#VÆRDI!", "#DIVISION/0!", "#NAVN?", "#SPILD!"]  # Danish Excel's names


@pytest.mark.parametrize("error", EXCEL_ERRORS)
def test_every_excel_error_text_is_recognised(error):
    """The texts xlwings hands over with err_to_str (Windows, Mac, Office.js)."""
    assert xl.SI_REFUSIONSSATS(error) == _message("uge", error)
    assert xl.SI_NUTIDSVAERDI([[1.0, error]]) == _message("beloeb", error, in_range=True)


@pytest.mark.parametrize("text", ["N/A", "#1", "# kommentar", "#hashtag"])
def test_a_text_that_is_no_error_value_stays_a_text(text):
    assert xl.SI_REFUSIONSSATS(text).startswith("Fejl i uge: skal være et tal, ikke teksten")


# --------------------------------------------------------------------------- 4. whole numbers


def test_the_issues_whole_numbers(classic):
    noisy = 0.29 * 100
    assert noisy == 28.999999999999996  # what Python and Excel's binary floats compute
    # week 29 lies in weeks 27–52, where the state refunds 30 % (LBK nr. 221 af 12/02/2021 § 5)
    assert call_like_excel(classic, "SI_REFUSIONSSATS", noisy, MISSING) == [[0.3]]
    # weeks 1–29 at 1000 kr.: 4 × 200 + 22 × 600 + 3 × 700 = 16,100 kr. for the kommune
    got = call_like_excel(classic, "SI_KOMMUNAL_UDGIFT", 1000.0, 1.0, noisy, MISSING)[0][0]
    assert got == pytest.approx(16_100, rel=1e-12)
    assert got == call_like_excel(classic, "SI_KOMMUNAL_UDGIFT", 1000.0, 1.0, 29.0, MISSING)[0][0]
    assert call_like_excel(classic, "SI_REFUSIONSSATS", 1.5, MISSING) == [["Fejl i uge: skal være et helt tal, ikke 1,5"]]


def test_libreoffice_counts_the_noise_as_the_whole_number(libreoffice):
    """The spreadsheet engine compares 0,29*100 with 29 as equal, as Excel does."""
    got = libreoffice({"A1": "=0.29*100=29", "A3": "=1.5=2"})
    assert got["A1"] is True and got["A3"] is False


#: Every whole-number argument (found below by calling each argument with 29.5).
WHOLE_ARGUMENTS = {
    ("SI_DISKONTERINGSFAKTOR", "aar"), ("SI_EFFEKT", "forsinkelse"), ("SI_EFFEKT", "horisont"),
    ("SI_BESPARELSE", "forsinkelse"), ("SI_BESPARELSE", "horisont"), ("SI_ENHEDSPRIS", "prisaar"),
    ("SI_ENHEDSPRISER", "prisaar"), ("SI_KOMMUNAL_UDGIFT", "fra_uge"), ("SI_KOMMUNAL_UDGIFT", "til_uge"),
    ("SI_MEREFFEKT", "n_indsats"), ("SI_MEREFFEKT", "n_kontrol"), ("SI_MONTE_CARLO", "antal_traek"),
    ("SI_MONTE_CARLO", "seed"), ("SI_PRISINDEKS", "fra_aar"), ("SI_PRISINDEKS", "til_aar"),
    ("SI_RATEKORT", "deltagere"), ("SI_REFUSIONSSATS", "uge"),
    ("SI_MDE", "n_indsats"), ("SI_MDE", "n_kontrol"), ("SI_MDE_GENNEMSNIT", "n_indsats"), ("SI_MDE_GENNEMSNIT", "n_kontrol"),
    ("SI_UGER_I_GRUPPE", "fra_uge"), ("SI_UGER_I_GRUPPE", "til_uge"),
    ("SI_FULDTIDSPERSONER", "fra_uge"), ("SI_FULDTIDSPERSONER", "til_uge"),
}


def test_every_whole_number_argument_accepts_float_noise(classic):
    """For every argument of every function: where a whole number w is accepted and w + 0,5 is
    refused as "not whole", the floats one step below and above w give exactly w's result."""
    found, wrong = set(), []
    for name in FUNCTIONS:
        base = as_excel(arguments(name))
        for k, arg in enumerate(parameters(name)):
            for whole in (29.0, 2023.0, 3.0, 1.0):
                args = list(base)
                args[k] = whole
                expected = call_like_excel(classic, name, *args)
                if is_error(expected):
                    continue
                args[k] = whole + 0.5
                half = call_like_excel(classic, name, *args)
                if half != [[f"Fejl i {arg}: skal være et helt tal, ikke {whole + 0.5:g}".replace(".", ",")]]:
                    break
                found.add((name, arg))
                for noisy in (math.nextafter(whole, 0), math.nextafter(whole, math.inf)):
                    args[k] = noisy
                    if call_like_excel(classic, name, *args) != expected:
                        wrong.append((name, arg, noisy))
                break
    assert wrong == []
    assert found == WHOLE_ARGUMENTS


def test_whole_numbers_in_case_files_and_own_prices_follow_the_same_rule():
    import yaml

    case = yaml.safe_load(Path(CASE).read_text(encoding="utf-8"))
    noisy = dict(case, horisont=math.nextafter(10.0, 0), prisaar=20.23 * 100, forloebsaar=math.nextafter(1.0, 2))
    parsed = parse_case(noisy)
    assert (parsed.horisont, parsed.prisaar, parsed.forloebsaar) == (10, 2023, 1)
    with pytest.raises(SIError, match="horisont: skal være et helt tal"):
        parse_case(dict(case, horisont=10.5))
    # an own price in a range whose price year a formula computed
    header = ["id", "navn", "enhed", "beloeb", "prisaar", "budgetomraade", "kilde_udgiver", "kilde_dokument", "kildetype"]
    row = ["egen_uge", "Egen pris", "uge", 1000.0, 20.23 * 100, "Egen", "Kommunen", "Takstblad", "egen"]
    assert xl.SI_ENHEDSPRIS("egen_uge", 2023, None, [header, row]) == 1000.0


def test_whole_number_inputs_read_back_from_a_workbook_follow_the_same_rule():
    """An edited standard workbook may hold =0,29*100 in a whole-number input (sibc extract)."""
    from workbooks.layout import Input, Validation, check_value

    year = Input("forloebsaar", "År", kind="integer", validation=Validation.whole(0, 30))
    assert check_value(year, 0.29 * 100, "Forudsætninger!B9") == 29
    with pytest.raises(SIError, match=r"forloebsaar: skal være et helt tal, ikke 1,5 \(Forudsætninger!B9\)"):
        check_value(year, 1.5, "Forudsætninger!B9")
    whole = Input("n", "Antal", kind="number", validation=Validation.whole(0, 100))
    assert check_value(whole, math.nextafter(12.0, 0), "Ark!A1") == pytest.approx(12.0)


# --------------------------------------------------------------------------- 5. long texts


def _texts(result) -> list[str]:
    return [c for c in cells(result) if isinstance(c, str)]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_no_text_cell_of_any_result_is_longer_than_255(classic, name):
    got = call_like_excel(classic, name, *as_excel(arguments(name)))
    assert all(len(t) <= xl.MAX_CELL_TEXT for t in _texts(got)), got


def test_the_catalogues_long_source_texts_are_cut_to_255(classic):
    from udfs.core.catalogue import catalogue_table

    sources = [r["kilde"] for r in catalogue_table()]
    long = [s for s in sources if len(s) > 255]
    assert sorted(map(len, long))[-2:] == [262, 328]  # the two the issue names
    table = call_like_excel(classic, "SI_ENHEDSPRISER", MISSING, MISSING, MISSING, MISSING)
    column = [row[xl.CATALOGUE_HEADER.index("kilde")] for row in table[1:]]
    assert max(map(len, _texts(table))) == 255
    for source in long:  # cut in the prose before the URL, so the link stays whole (cell_text)
        url = source[source.index("(http") + 1:-1]
        shown = next(c for c in column if c.startswith(source[:40]))
        assert len(shown) == 255 and shown.endswith(f"… ({url})")


@pytest.mark.parametrize(("name", "arg"), ALL_ARGUMENTS, ids=[_id(c) for c in ALL_ARGUMENTS])
def test_a_long_text_in_any_argument_gives_an_answer_that_fits_a_cell(classic, name, arg):
    args = as_excel(arguments(name))
    args[parameters(name).index(arg)] = "æ" * 300
    got = call_like_excel(classic, name, *args)
    assert all(len(t) <= xl.MAX_CELL_TEXT for t in _texts(got)), got


def test_an_echoed_text_is_a_short_excerpt():
    message = xl.SI_ENHEDSPRIS("x" * 300)
    assert message == "Fejl i id: ukendt enhedspris '" + "x" * 39 + "…'; se SI_ENHEDSPRISER eller sibc catalogue for gyldige id'er"


# --------------------------------------------------------------------------- 6. CSV files

HEADER = "id;navn;enhed;beloeb;prisaar;andel_kommune;andel_region;andel_stat;budgetomraade;kilde_udgiver;kilde_dokument;kildetype"
#: One own price as Danish Excel saves it: a thousands point and decimal commas.
ROW = "egen_pleje_dag;Særlig støtte – døgn;dag;2.205,05;2023;0,8;0;0,2;Børn og unge;Ærø Kommune;Takstblad 2023;egen"
#: The kommune's part: 2205.05 × 0.8 = 1764.04 kr. per day.
KOMMUNE = 1764.04


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cp1252.csv", f"{HEADER}\r\n{ROW}\r\n".encode("cp1252")),  # "CSV (semikolonsepareret)"
        ("utf8bom.csv", f"{HEADER}\r\n{ROW}\r\n".encode("utf-8-sig")),  # "CSV UTF-8 (kommasepareret)" in Danish
        ("utf16.csv", f"{HEADER}\r\n{ROW}\r\n".replace(";", "\t").encode("utf-16")),  # "Unicode-tekst"
        ("komma.csv", "{}\n{}\n".format(HEADER.replace(";", ","), ROW.replace("2.205,05", "2205.05").replace("0,", "0.").replace(";", ",")).encode()),
        ("tomme.csv", f"{HEADER};;\r\n{ROW};;\r\n;;;;;;;;;;;;;\r\n".encode("cp1252")),  # empty cells and rows
    ],
)
def test_own_prices_csv_as_danish_excel_saves_it(tmp_path, name, data):
    path = _write(tmp_path, name, data)
    assert xl.SI_ENHEDSPRIS("egen_pleje_dag", None, "kommune", path) == pytest.approx(KOMMUNE, rel=1e-12)
    table = xl.SI_ENHEDSPRISER("egen_pleje", None, path)
    assert table[1][:4] == ["egen_pleje_dag", "Særlig støtte – døgn", "dag", 2023]
    assert table[1][-2] == "Ærø Kommune: Takstblad 2023"


def test_own_prices_csv_fixtures_are_what_danish_excel_writes():
    """The bytes of the cp1252 fixture: ø, æ, Æ and – in Windows-1252, the number as text."""
    data = f"{HEADER}\r\n{ROW}\r\n".encode("cp1252")
    assert b"S\xe6rlig st\xf8tte \x96 d\xf8gn" in data and b";2.205,05;" in data and b"\xc6r\xf8 Kommune" in data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "Fejl i egne_priser: filen 'x.csv' er ikke en tekstfil (gem den som CSV eller tekst)"),
        (b"id;navn\r\n\x81\x8d\xc3;x\r\n", "Fejl i egne_priser: filen 'x.csv' er hverken UTF-8 eller Windows-1252 (tegn nr. 10)"),
        (f"{HEADER}\r\n{ROW.replace('2.205,05', '2,205.05')}\r\n".encode("cp1252"), "Fejl i egne_priser: række 2: beloeb: skal være et tal, ikke '2,205.05'"),
        (f"{HEADER}\r\n".encode("cp1252") + b"egen;x;dag;1;2023", "Fejl i egne_priser: række 2 har 5 felter, overskriften har 12 (skilletegn ';')"),
        # (a short row is named as such by the one CSV reader, as Excel writes every separator of a row)
    ],
)
def test_a_csv_file_that_cannot_be_read_is_named_with_the_cause(tmp_path, data, message):
    assert xl.SI_ENHEDSPRIS("egen_pleje_dag", None, None, _write(tmp_path, "x.csv", data)) == message


def test_case_files_saved_by_windows_programs_are_read(tmp_path):
    text = "navn: Ungeindsats – særlig støtte\nprisaar: 2023\n"
    assert files.read_data(_write(tmp_path, "ansi.yaml", text.encode("cp1252")))["navn"] == "Ungeindsats – særlig støtte"
    assert files.read_data(_write(tmp_path, "bom.json", '{"navn": "Ærø"}'.encode("utf-8-sig"))) == {"navn": "Ærø"}


def test_the_command_line_reads_a_case_file_saved_as_ansi(tmp_path, capsys):
    from workbooks.cli import main

    text = Path(CASE).read_text(encoding="utf-8")
    path = _write(tmp_path, "ansi.yaml", text.encode("cp1252"))
    assert main(["calc", path, "--json"]) == 0
    assert "mentorindsats for unge på kontanthjælp" in capsys.readouterr().out


def test_a_file_that_cannot_be_opened_is_named_in_danish(tmp_path):
    path = Path(_write(tmp_path, "laast.csv", f"{HEADER}\r\n{ROW}\r\n".encode("cp1252")))
    with pytest.MonkeyPatch.context() as m:
        m.setattr(Path, "open", lambda self, *a, **k: (_ for _ in ()).throw(PermissionError(13, "Permission denied")))
        assert xl.SI_ENHEDSPRIS("egen_pleje_dag", None, None, str(path)) == (
            "Fejl i egne_priser: filen 'laast.csv' kan ikke læses: ingen adgang (er den låst af et andet program?)"
        )


def test_the_result_check_reaches_every_cell_of_lists_and_tuples():
    # a row of a table may be a tuple: its texts are cut and its NaN refused like a list's
    checked = xl.check_result([("a" * 300, 1.0), ["b"]])
    assert checked == [["a" * 254 + "…", 1.0], ["b"]]
    with pytest.raises(SIError, match="resultat"):
        xl.check_result([(1.0, math.nan)])


# --------------------------------------------------------------------------- a fixed rate typed as text

AMOUNTS = ((-1_000_000.0, 150_000.0, 150_000.0),)  # year 0, 1, 2 as a row of cells


@pytest.mark.parametrize("typed", ["0,04", "4 %", "4%", " 0,04 ", "0.04", 0.04])
def test_a_fixed_rate_typed_as_text_is_read_as_danish(classic, typed):
    """The trial's finding: ``=SI_NUTIDSVAERDI(B5:D5;"0,04")`` said "ukendt skema '0,04'".  A Danish text cell
    holds "0,04" or "4 %": read by the one Danish number parser.  Hand calculation at 4 %:
    PV = -1.000.000 + 150.000/1,04 + 150.000/1,04² = -1.000.000 + 144.230,769… + 138.683,431… = -717.085,798…;
    the factor of year 2 is 1/1,04² = 0,924556…"""
    pv = -1_000_000 + 150_000 / 1.04 + 150_000 / 1.04**2
    assert pv == pytest.approx(-717_085.798816568)
    assert call_like_excel(classic, "SI_NUTIDSVAERDI", AMOUNTS, typed) == [[pytest.approx(pv, abs=1e-6)]]
    assert call_like_excel(classic, "SI_DISKONTERINGSFAKTOR", 2.0, typed) == [[pytest.approx(1 / 1.04**2, rel=1e-12)]]


@pytest.mark.parametrize(
    "typed, message",
    [
        ("fm2021", "ukendt skema 'fm2021' (mente du 'fm_2021'?); kendte: fm_2013, fm_2021, "
                   "eller en fast rente som andel, fx 0,035"),
        ("fire procent", "ukendt skema 'fire procent'; kendte: fm_2013, fm_2021, eller en fast rente som andel, fx 0,035"),
        ("4", "en fast rente skal være en andel mellem -0,5 og 0,5, fx 0,035 for 3,5 %, ikke 4; skrev du 4 for 4 %? "
              "Skriv 0,04 eller 4 %"),  # 4 / 100 = 0,04 lies within −0,5–0,5
        ("60 %", "en fast rente skal være en andel mellem -0,5 og 0,5, fx 0,035 for 3,5 %, ikke 0,6"),
    ],
)  # fmt: skip
def test_a_schedule_that_is_neither_lists_the_fixed_rate(classic, typed, message):
    for name, args in (("SI_NUTIDSVAERDI", (AMOUNTS, typed)), ("SI_DISKONTERINGSFAKTOR", (2.0, typed))):
        assert call_like_excel(classic, name, *args) == [[f"Fejl i skema: {message}"]]
