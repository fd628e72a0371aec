"""Messages a user reads on the command line and from a workbook: cells named by sheet, cell and label,
case-file lists numbered as the workbook numbers them, values quoted as a Danish user reads them,
options named as typed."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import openpyxl
import pytest

from udfs.core.casefile import numbered_field
from udfs.core.errors import SIError
from udfs.core.validation import shown
from workbooks import book
from workbooks.cli import load, main, shown_difference, shown_value
from workbooks.layout import describe
from workbooks.reader import open_template, raw_inputs
from workbooks.standard import workbook_error

CASES = Path(__file__).resolve().parents[1] / "workbooks" / "cases"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("wb") / "ung.xlsx"
    return book.build(load(str(CASES / "eksempel_ungeindsats.yaml")), path)


def edited(built: Path, target: Path, changes: dict[str, object]) -> Path:
    """A copy of ``built`` with the first cell of each named input set to a value."""
    wb, _, plan = open_template(built, book.layout_from_info)
    raw = raw_inputs(wb, plan, built)
    out = openpyxl.load_workbook(built)
    for name, value in changes.items():
        sheet, cell = raw[name][0][1].split("!")
        out[sheet][cell] = value
    out.save(target)
    return target


# The cells of the user's report, each with a value the template refuses; the message must name the cell as
# describe() does (sheet!cell (label)), never the internal name, and quote the value as a Dane reads it.
@pytest.mark.parametrize(("name", "value", "quoted"), [
    ("eff1_succesrate", "abc", "ikke 'abc'"),
    ("omk1_pr_aar", datetime.datetime(2026, 1, 1), "ikke 01-01-2026"),
    ("omk1_betaler", True, "ikke SAND"),
    ("rk_sandsynlighed", "x", "ikke 'x'"),
    ("sc_lav", "y", "ikke 'y'"),
    ("eff2_enhedspris", "findes_ikke", "ikke 'findes_ikke'"),
])
def test_extract_names_a_refused_cell_by_sheet_cell_and_label(built, tmp_path, capsys, name, value, quoted):
    path = edited(built, tmp_path / "x.xlsx", {name: value})
    _, _, plan = open_template(path, book.layout_from_info)
    index = 0 if len(plan.names[name]) > 1 or name in plan.series else None
    assert main(["extract", str(path), "-o", str(tmp_path / "x.yaml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith(f"Fejl i {describe(plan, name, index)}: ") and quoted in err
    assert name not in err and "datetime" not in err and "True" not in err and "(overskrevet" not in err


def test_describe_names_the_label_of_a_row(built):
    _, _, plan = open_template(built, book.layout_from_info)
    assert describe(plan, "omk1_pr_aar", 0).endswith("(Omkostning 1, År 0)")
    # the user's report named Effekter!B12; a line on the scenarios (Følsomhed) above the effects moved it to B13, the
    # line on the folded spare slots to B14
    assert describe(plan, "eff1_succesrate") == "Effekter!B14 (Effekt 1, Succesrate)"
    assert describe(plan, "omk1_betaler").endswith("(Omkostning 1, Betaler)")  # a label repeated per cost
    assert describe(plan, "r_omk_kommune_i_alt").endswith("(Omkostninger kommune, I alt)")  # the total column


def test_fixed_rate_without_a_rate_names_its_cell(built, tmp_path, capsys):
    path = edited(built, tmp_path / "x.xlsx", {"diskontering": "Fast rente", "fast_rente": None})
    _, _, plan = open_template(path, book.layout_from_info)
    assert main(["extract", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Fejl i {describe(plan, 'fast_rente')}: mangler en værdi, når Diskontering er »Fast rente«")


@pytest.mark.parametrize(("argument", "slots", "name"), [
    ("effekter[1].enhedspris", {"effekter": [1, 3]}, "eff3_enhedspris"),  # the 2nd effect in use is slot 3
    ("indsats[0].pr_aar", {"indsats": [2]}, "omk2_pr_aar"),
    ("betalingsmodel.resultatmaal[0].regel", {}, "bm1_regeltype"),
    ("betalingsmodel.resultatmaal[0].regel.taerskel", {}, "bm1_taerskel"),
])
def test_a_case_field_from_a_workbook_is_named_by_its_slot_cell(built, argument, slots, name):
    _, _, plan = open_template(built, book.layout_from_info)
    err = workbook_error(SIError(argument, "ugyldig"), plan, slots)
    assert err.argument == describe(plan, name) and err.message == "ugyldig"


@pytest.mark.parametrize(("value", "text"), [
    (True, "SAND"), (False, "FALSK"), (None, "tom"), (datetime.date(2026, 1, 1), "01-01-2026"),
    (datetime.datetime(2026, 1, 1), "01-01-2026"), (1_000_000_000, "1.000.000.000"), (2026, "2026"), (0.6, "0,6"),
])
def test_values_are_quoted_as_a_danish_user_reads_them(value, text):
    assert shown(value) == text


@pytest.mark.parametrize(("argument", "data", "expected"), [
    ("effekter[1].succesrate", {"effekter": [{"id": "a"}, {"id": "job"}]}, "effekt 2 (job), succesrate"),
    ("betalingsmodel.resultatmaal[1].regel", {"betalingsmodel": {"resultatmaal": [{"id": "a"}, {"id": "fravaer"}]}},
     "resultatmål 2 (fravaer), regel"),
    ("risici[0].min", {"risici": [{"beskrivelse": "Forsinkelse"}]}, "risiko 1 (Forsinkelse), min"),
    ("egne_priser[2].beloeb", {"egne_priser": [{}, {}, {"id": "pris_x"}]}, "egen pris 3 (pris_x), beloeb"),
    ("indsats[0].pr_aar", {"indsats": [{"navn": "Mentor"}]}, "omkostning 1 (Mentor), pr_aar"),
    ("prisaar", {}, "prisaar"),
])
def test_case_file_lists_are_numbered_as_the_workbook_numbers_them(argument, data, expected):
    assert numbered_field(argument, data) == expected


def test_a_mistyped_rule_type_is_numbered_and_gets_a_suggestion(tmp_path, capsys):
    text = (CASES / "job_til_mor.yaml").read_text(encoding="utf-8")
    second = text.index("type: lineaer", text.index("type: lineaer") + 1)
    (tmp_path / "j.yaml").write_text(text[:second] + "type: trappr" + text[second + len("type: lineaer"):], encoding="utf-8")
    assert main(["calc", str(tmp_path / "j.yaml")]) == 2
    err = capsys.readouterr().err
    regel = text[:second].count("\n")  # the line of the metric's "regel:", just above "type:" (1-based: count + 1 − 1)
    assert err.startswith(f"Fejl i resultatmål 2 (skolefravaer), regel (linje {regel}): type skal være en af: lineaer, ratekort, trappe, "
                          "besparelsesandel, skiftende_andel, pr_periode, ikke 'trappr' (mente du 'trappe'?)")


def test_a_decimal_comma_in_a_case_file_is_read_as_the_command_line_reads_it(tmp_path, capsys):
    """Issue 12: a case file's number texts are read as the command line reads its options (``0,6`` is 0.6,
    one parser); before, ``'0,6'`` was refused with a hint to write 0.6."""
    text = (CASES / "eksempel_ungeindsats.yaml").read_text(encoding="utf-8")
    assert "  gevinster: 0.0\n" in text
    (tmp_path / "c.yaml").write_text(text.replace("  gevinster: 0.0\n", "  gevinster: '0,6'\n"), encoding="utf-8")
    assert main(["calc", str(tmp_path / "c.yaml"), "--json"]) == 0
    assert load(str(tmp_path / "c.yaml")).optimisme.gevinster == 0.6


@pytest.mark.parametrize(("argv", "expected"), [
    (["montecarlo", "{case}", "--traek", "1.000.000.000"], "Fejl i --traek: skal ligge mellem 1 og 1.000.000, ikke 1.000.000.000\n"),
    (["montecarlo", "{case}", "--seed", "-1"], "Fejl i --seed: skal være et helt tal mellem 0 og"),
    (["sensitivity", "{case}", "--aendring", "-0,2"], "Fejl i --aendring: skal være en positiv andel mellem 0 og 1"),
    (["calc", "{case}", "--fremskrivning", "2"], "Fejl i --fremskrivning: skal være en årlig andel mellem -0,5 og 0,5"),
])
def test_an_option_out_of_range_is_named_as_typed_and_not_blamed_on_the_case_file(capsys, argv, expected):
    case = str(CASES / "eksempel_ungeindsats.yaml")
    assert main([a.replace("{case}", case) for a in argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith(expected) and "(fil:" not in err and "mangler en værdi" not in err


def test_a_negative_rate_is_read_as_a_number(capsys):
    # -1 % a year after the index's last year (npi ends 2023): the catalogue says so.
    assert main(["catalogue", "faengsel_lukket", "--prisaar", "2026", "--fremskrivning", "-0,01"]) == 0
    assert "fremskrevet med -1,0 % om året fra 2023" in capsys.readouterr().out


def test_sensitivity_names_scenarios_and_drivers_as_the_sheet_does(tmp_path, capsys, monkeypatch):
    from matplotlib.axes import Axes

    ticks = []
    original = Axes.set_yticks
    monkeypatch.setattr(Axes, "set_yticks", lambda self, y, labels=None, **kw: (ticks.extend(labels or []), original(self, y, labels, **kw))[1])
    assert main(["sensitivity", str(CASES / "eksempel_ungeindsats.yaml"), "--png", str(tmp_path / "t.png")]) == 0
    out = capsys.readouterr().out
    rows = [line.split()[0] for line in out.splitlines()[4:7]]
    assert rows == ["Basis", "Lav", "Høj"]
    assert "Succesrate, effekt 1 (job)" in ticks and not any("." in t and " " not in t for t in ticks)  # no codes


@pytest.mark.parametrize(("value", "number_format", "text"), [
    (2031, None, "2031"),                              # a year reads without a thousands point
    (2031, "0", "2031"),
    (1234567.891, None, "1.234.567,89"),               # no longer 1.234.567,891: two decimals at most
    (1234567.891, '#,##0 "kr."', "1.234.567,89 kr."),  # a cell in kr.: kr. with øre
    (-0.004, '#,##0.00 "kr."', "0,00 kr."),  # shown as zero: no minus before it
    (1234567.891, '#,##0 "USD"', "1.234.567,89 USD"),  # a cell of a workbook built in dollars: in dollars
    (0.17284, "0.0%", "17,28 %"),                     # a share: per cent with two decimals
    (0.98765432, "0.0000", "0,9877"),                  # a discount factor: four decimals, as its cell
    (1.40471, "#,##0.00", "1,40"),
    (None, '#,##0 "kr."', "tom"), ("ikke defineret", "0.0%", "'ikke defineret'"), (0.5, None, "0,50"),
])  # fmt: skip
def test_a_compared_value_is_shown_in_its_cells_unit_with_at_most_two_decimals_of_oere(value, number_format, text):
    assert shown_value(value, number_format) == text


@pytest.mark.parametrize(("workbook", "core", "number_format", "text"), [
    (1234567.891234, 1850025.599, '#,##0 "kr."', "-615.457,71 kr."),  # 1.234.567,891234 − 1.850.025,599 = −615.457,707766
    (1234567.891234, 1850025.599, '#,##0 "EUR"', "-615.457,71 EUR"),  # the same, in a workbook built in euro
    (0.17284, 0.06061, "0.0%", "11,22 procentpoint"),                 # (0,17284 − 0,06061) × 100 = 11,223
    (-254.8148, -240.0, "#,##0.00", "-14,81"),                        # −254,8148 + 240 = −14,8148
    (100.0, "ikke defineret", '#,##0 "kr."', ""),                     # a text: no difference to show
])  # fmt: skip
def test_a_difference_is_shown_in_the_cells_unit(workbook, core, number_format, text):
    assert shown_difference(workbook, core, number_format) == text


def test_check_reports_a_file_that_is_not_a_workbook_and_checks_the_rest(built, tmp_path, capsys, soffice):
    (tmp_path / "noter.txt").write_text("ikke et regneark", encoding="utf-8")
    good = shutil.copy(built, tmp_path / "god.xlsx")
    assert main(["check", str(tmp_path / "noter.txt"), str(good)]) == 2
    out, err = capsys.readouterr()
    assert "noter.txt: ✗ kan ikke kontrolleres: Fejl i fil:" in out
    assert "god.xlsx: " in out and "ingen forskelle" in out
    assert err.startswith("Fejl i check: 1 regneark af 2 kunne ikke kontrolleres")


def test_ny_quotes_the_next_command(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["ny", "Ny case æøå"]) == 0
    assert "kør sibc calc 'Ny case æøå.yaml')" in capsys.readouterr().out


def test_portfolio_tells_cases_of_the_same_name_apart_and_names_a_file_that_is_not_a_case(tmp_path, capsys):
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(CASES / "job_til_mor.yaml", tmp_path / name)
    (tmp_path / "c.json").write_text('{"x": 1}', encoding="utf-8")
    assert main(["portefoelje", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    # the tables name each case by its file (a, b), listed once above them with the case's name
    legend = out.split("\n\n")[1].splitlines()
    assert legend[0].startswith("Cases") and [row.split(None, 1) for row in legend[1:]] == [["a", "Job til mor"], ["b", "Job til mor"]]
    rows = [line for line in out.splitlines() if line[:2] in ("a ", "b ")]
    assert len(rows) == 2 * 5 and {r[0] for r in rows} == {"a", "b"}  # one row each in the five tables
    assert "c.json: Fejl i casefil: filen er ikke en case-fil" in out


def test_a_what_if_comparison_is_wrapped_at_100_columns(tmp_path, capsys):
    lines = (CASES / "sygedagpenge.yaml").read_text(encoding="utf-8").split("\n")
    k = next(i for i, line in enumerate(lines) if line.strip() == "succesrate:")
    lines[k + 1] = "    vaerdi: 0.3"  # off the published 1: the published figures are no longer reproduced
    (tmp_path / "s.yaml").write_text("\n".join(lines), encoding="utf-8")
    assert main(["calc", str(tmp_path / "s.yaml")]) == 0
    out = capsys.readouterr().out
    assert "Casen afviger fra de offentliggjorte tal" in out
    assert max(len(line) for line in out.splitlines()) <= 100


# --------------------------------------------------------------------------- choices typed as Excel compares them

def test_a_choice_typed_with_a_capital_is_read_as_excel_compares_it(soffice, tmp_path):
    """The trial's finding: »Ja« on Betalingsmodel was refused ("skal være en af: ja, nej; ikke 'Ja'"), while
    the workbook's formulas (``COUNTIF(…;"ja")``, ``…="ja"``) compare case-insensitively and computed with it.
    eksempel_tre_betalere.yaml: kommune and stat pay by their savings (»ja«), the fund its data file's share.
    Typed as »Ja« and »JA«, the workbook reads back as the case (canonical »ja«) and LibreOffice's recalculation
    equals the core to 0.01 kr."""
    from tests.typing_cells import type_cells

    case = load(str(CASES / "eksempel_tre_betalere.yaml"))
    path = book.build(case, tmp_path / "ja.xlsx")
    type_cells(path, {("bt_besparelse", 0): "Ja", ("bt_besparelse", 2): "JA", ("eff1_egne_deltagere", 0): "Nej"})
    assert book.extract(path) == case
    (read, differences, _, _), = book.check_many([path])
    assert read == case and differences == []


@pytest.mark.parametrize("typed", ["Ja", "JA", "jA"])
def test_a_choice_is_matched_in_one_place(typed):
    """Validation.code_of: a plain list (ja, nej) or a range's list, case-insensitively as Excel's ``=``; the
    canonical spelling back.  Surrounding spaces are not ignored, as Excel's ``="ja"`` and MATCH do not."""
    from workbooks.layout import Validation

    assert Validation.one_of("ja", "nej").code_of(typed) == "ja"
    assert Validation.from_range("ep_id").code_of(typed + "_pris", ["ja_pris", "nej_pris"]) == "ja_pris"
    assert Validation.one_of("ja", "nej").code_of(" ja") == " ja"  # left for the check to refuse
    assert Validation.one_of("ja", "nej").code_of("jo") == "jo"  # not a choice: left for the check to refuse


def test_a_choice_that_is_none_of_them_is_still_refused(tmp_path):
    from tests.typing_cells import type_cells

    case = load(str(CASES / "eksempel_tre_betalere.yaml"))
    path = book.build(case, tmp_path / "jo.xlsx")
    type_cells(path, {("bt_besparelse", 0): "Jaa"})
    with pytest.raises(SIError) as err:
        book.extract(path)
    assert err.value.argument.startswith("Betalingsmodel!")
    assert err.value.message.startswith("skal være en af: ja, nej; ikke 'Jaa'") and err.value.message.endswith("mente du 'ja'?")
