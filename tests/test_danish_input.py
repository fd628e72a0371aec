"""Issue 12: numbers as Danes type them, everywhere a user types one, and messages that say how to fix.

One reader of number texts (:func:`udfs.core.danish_numbers.number_from_text`) serves the command line, a
case file's fields and a workbook's text cells; one guard (:func:`udfs.core.danish_numbers.unsigned_zero`)
keeps "-0" out of every shown number.  Each table is input → the expected value or Danish message; the
expected values are the typed number read by hand (``30 %`` = 30 / 100 = 0,3; ``1.200.000`` = 1 200 000).
"""

from __future__ import annotations

import datetime
import re
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml

from udfs.core.businesscase import key_figures
from udfs.core.casefile import numbered_field
from udfs.core.danish_numbers import fixed, number_from_text, unsigned_zero
from udfs.core.engine import run
from udfs.core.settlement import percent_text, rates_note
from udfs.core.vocabulary import NO_START_YEAR
from workbooks import book
from workbooks.cli import SHOWN, csv_number, load, main, money
from workbooks.reader import open_template, raw_inputs

CASES = Path(__file__).resolve().parents[1] / "workbooks" / "cases"
EXAMPLE = CASES / "eksempel_ungeindsats.yaml"


# ---------------------------------------------------------------- the one reader and the one guard


@pytest.mark.parametrize(("text", "expected"), [
    ("0,3", (Decimal("0.3"), False)), ("0.3", (Decimal("0.3"), False)), ("30 %", (Decimal(30), True)),
    ("30%", (Decimal(30), True)), ("1.200.000", (Decimal(1_200_000), False)), ("6.500,00", (Decimal("6500.00"), False)),
    ("1 200 000", (Decimal(1_200_000), False)), ("-0,01", (Decimal("-0.01"), False)), ("\u22125", (Decimal(-5), False)),
    ("abc", None), ("nan", None), ("inf", None), ("", None), ("%", None), ("ca. 2000", None),
])  # fmt: skip
def test_number_texts_are_read_as_danes_type_them(text, expected):
    assert number_from_text(text) == expected


@pytest.mark.parametrize(("shown", "expected"), [
    ("-0,0 %", "0,0 %"), ("-0", "0"), ("-0,00", "0,00"), ("\u22120", "0"), ("-0,01", "-0,01"), ("-10", "-10"), ("-0,5 %", "-0,5 %"),
])  # fmt: skip
def test_a_value_shown_as_zero_has_no_minus(shown, expected):
    assert unsigned_zero(shown) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # Finding 4: sibc calc showed "Investors IRR efter garanti  -0,0 %", "én (-0,00 %)" and --csv wrote "-0".
    (SHOWN["share"](-1e-12), "0,0 %"), (SHOWN["share"](-0.0), "0,0 %"), (SHOWN["ratio"](-0.001), "0,00"),
    (percent_text(-0.0), "0,00 %"), (rates_note([-1e-15], -1e-15), "én (0,00 %)"), (csv_number(-0.0), "0"),
    (money(-0.001), "0,00"), (fixed(-0.04, 1), "0,0"), (fixed(-0.06, 1), "-0,1"), (fixed(-1234.5, 1), "-1.234,5"),
    (SHOWN["share"](-0.0006), "-0,1 %"),  # a real negative share is still shown with its sign
])  # fmt: skip
def test_no_negative_zero_is_shown(text, expected):
    assert text == expected


# ---------------------------------------------------------------- workbook text cells (finding 1, 3)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return book.build(load(str(EXAMPLE)), tmp_path_factory.mktemp("wb") / "ung.xlsx")


RISK = {("rk_beskrivelse", 0): "Færre deltagere", ("rk_min", 0): 0, ("rk_mest_sandsynlig", 0): 100_000, ("rk_max", 0): 200_000}


def typed(built: Path, target: Path, changes: dict[tuple[str, int], object]) -> tuple[Path, dict[str, str]]:
    """A copy of ``built`` with the named input cells ((name, index) → value) typed, and where each is."""
    shutil.copy(built, target)
    wb, _, plan = open_template(target, book.layout_from_info)
    raw = raw_inputs(wb, plan, target)
    out, where = openpyxl.load_workbook(target), {}
    for (name, k), value in changes.items():
        sheet, cell = raw[name][k][1].split("!")
        out[sheet][cell] = value
        where[name] = f"{sheet}!{cell}"
    out.save(target)
    return target, where


def _risk(case):
    return case.risici[0].sandsynlighed


# The cells of the economist's report (the example's Effekter!B12, Indsats!B31, Risici!D9, Forudsætninger!B22,
# B11 and B51) and the other kinds of number cell, each as a Dane types a number into a cell formatted as text.
@pytest.mark.parametrize(("name", "value", "get", "expected"), [
    ("eff1_succesrate", "0,3", lambda c: c.effekter[0].succesrate, 0.3),
    ("eff1_succesrate", "30 %", lambda c: c.effekter[0].succesrate, 0.3),  # 30 / 100
    ("eff1_succesrate", "0.3", lambda c: c.effekter[0].succesrate, 0.3),
    ("omk1_pr_aar", "1.200.000", lambda c: c.indsats[0].pr_aar[0], 1_200_000),
    ("omk1_pr_aar", "1.200", lambda c: c.indsats[0].pr_aar[0], 1_200),  # a kr. cell: a thousands point
    ("rk_sandsynlighed", "50 %", _risk, 0.5),
    ("investor_krav", "5 %", lambda c: c.investor.krav_til_afkast, 0.05),
    ("deltagere", "1.000", lambda c: c.deltagere[0], 1000),
    ("deltagere", 40.00000000000001, lambda c: c.deltagere[0], 40),  # float noise: whole at 15 significant digits
    ("startaar", "2027", lambda c: c.startaar, 2027),
    ("eff1_prisfaktor", "1,25", lambda c: c.effekter[0].prisfaktor, 1.25),
    ("omk1_pr_aar", "-0", lambda c: c.indsats[0].pr_aar[0], 0),
])  # fmt: skip
def test_danish_number_texts_in_workbook_cells_are_read(built, tmp_path, name, value, get, expected):
    changes = {(name, 0): value} | (RISK if name.startswith("rk_") else {})
    path, _ = typed(built, tmp_path / "t.xlsx", changes)
    case = book.extract(path)
    assert get(case) == pytest.approx(expected, abs=1e-12)
    if expected == 0:
        assert str(get(case)) in ("0", "0.0")  # not -0.0


@pytest.mark.parametrize(("name", "value", "message"), [
    ("eff1_succesrate", 30, "skal være mellem 0 og 1, ikke 30; skrev du 30 for 30 %? Skriv 0,30 eller 30 %"),  # 30 / 100
    ("eff1_succesrate", "30", "skal være mellem 0 og 1, ikke 30; skrev du 30 for 30 %? Skriv 0,30 eller 30 %"),
    ("optimisme_omk", 10, "skal være mellem 0 og 2 (0 %–200 %), ikke 10 (1.000 %); skrev du 10 for 10 %? Skriv 0,10 eller 10 %"),  # the trial's 1.000 %
    # 2,5 where 0–2 is allowed: 250 %, as the case file's message reads it (validation.per_cent_range), no hint (≤ 2 × 2)
    ("optimisme_omk", 2.5, "skal være mellem 0 og 2 (0 %–200 %), ikke 2,5 (250 %)"),
    ("investor_krav", 5, "skal være mellem 0 og 1, ikke 5; skrev du 5 for 5 %? Skriv 0,05 eller 5 %"),
    ("fast_rente", 3.5, "ikke 3,5; skrev du 3,5 for 3,5 %? Skriv 0,035 eller 3,5 %"),  # 3,5 / 100 within −0,5–0,5
    ("eff1_succesrate", "abc", "skal være et tal, ikke 'abc'; skriv fx 30 % eller 0,3 som tal"),
    ("startaar", datetime.datetime(2026, 1, 1), "skal være et tal, ikke 01-01-2026; skriv kun året, fx 2026"),
    ("omk1_pr_aar", datetime.datetime(2026, 1, 1), "skal være et tal, ikke 01-01-2026; skriv tallet igen (Excel har læst"),
    ("omk1_pr_aar", "30 %", "skal være et tal, ikke '30 %'; cellen er ikke en andel: skriv tallet uden %"),
    ("omk1_pr_aar", "mange", "skal være et tal, ikke 'mange'; skriv beløbet som tal, fx 1.200.000"),
    ("eff1_prisfaktor", "1.250", "er tvetydig: '1.250' kan være 1250 eller 1,250; skriv 1250 eller 1,250 som tal"),
    ("deltagere", 2.5, "skal være et helt tal, ikke 2,5"),  # finding 3: whole persons
    ("deltagere", "2,5", "skal være et helt tal, ikke 2,5"),
    ("eff1_deltagere", 2.5, "skal være et helt tal, ikke 2,5"),
    ("deltagere", 40.000000001, "skal være et helt tal, ikke 40,000000001"),  # not whole at 15 digits, and quoted so
])  # fmt: skip
def test_workbook_cells_refused_say_how_to_type_them(built, tmp_path, capsys, name, value, message):
    path, where = typed(built, tmp_path / "t.xlsx", {(name, 0): value})
    capsys.readouterr()
    assert main(["extract", str(path), "-o", str(tmp_path / "t.yaml")]) == 2
    err = capsys.readouterr().err
    assert f"Fejl i {where[name]} (" in err and message in err, err
    assert not (tmp_path / "t.yaml").exists()


def test_participants_cells_have_a_whole_number_validation(built):
    """Finding 3: the participants' cells accept only whole numbers in Excel too (data validation 'whole')."""
    wb = openpyxl.load_workbook(built)
    _, _, plan = open_template(built, book.layout_from_info)
    for name in ("deltagere", "eff1_deltagere"):
        ref = plan.names[name]
        cell = f"{ref.cell(0).label().split('!')[1]}"
        rules = [dv for dv in wb[ref.sheet].data_validations.dataValidation if cell in dv.sqref]
        assert [dv.type for dv in rules] == ["whole"], (name, cell)


def test_extract_writes_participants_as_whole_numbers(built, tmp_path, capsys):
    """Finding 5: ``- 40``, not ``- 40.0``."""
    assert main(["extract", str(built), "-o", str(tmp_path / "c.yaml")]) == 0
    text = (tmp_path / "c.yaml").read_text(encoding="utf-8")
    assert "deltagere:\n- 40\n- 40\n- 40\n" in text
    assert yaml.safe_load(text)["deltagere"] == [40, 40, 40]


# ---------------------------------------------------------------- case files (finding 2)


def _case_with(tmp_path, change) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _own_price(data, beloeb):
    data["egne_priser"] = [{"id": "egen_mentor_time", "navn": "Mentortime", "enhed": "haendelse", "beloeb": beloeb,
                            "prisaar": 2024, "andel_kommune": 1, "andel_region": 0, "andel_stat": 0,
                            "kilde_udgiver": "Kommunen", "kilde_dokument": "Budget 2024", "kildetype": "egen",
                            "budgetomraade": "Beskæftigelse", "fordelingsgrundlag": "Kommunen betaler mentortimer"}]


@pytest.mark.parametrize(("change", "get", "expected"), [
    (lambda d: d["effekter"][0].update(succesrate="30 %"), lambda c: c.effekter[0].succesrate, 0.3),
    (lambda d: d["effekter"][0].update(succesrate="0,3"), lambda c: c.effekter[0].succesrate, 0.3),
    (lambda d: d.update(investor={"krav_til_afkast": "5 %"}), lambda c: c.investor.krav_til_afkast, 0.05),
    (lambda d: d.update(deltagere=["1.000.000.000"]), lambda c: c.deltagere, [1_000_000_000]),
    (lambda d: d.update(deltagere={"vaerdi": ["1.000.000", "2.000.000"], "kilde": "Kommunen"}), lambda c: c.deltagere,
     [1_000_000, 2_000_000]),
    (lambda d: d["indsats"][0].update(pr_aar=["1.200.000,50"]), lambda c: c.indsats[0].pr_aar, [1_200_000.5]),
    (lambda d: d.update(fremskrivning="2 %"), lambda c: c.fremskrivning, 0.02),
    (lambda d: d.update(optimisme={"omkostninger": "15 %"}), lambda c: c.optimisme.omkostninger, 0.15),  # a share up to 200 %
    (lambda d: d.update(optimisme={"omkostninger": 1.5}), lambda c: c.optimisme.omkostninger, 1.5),  # 150 %: warned, not refused
    (lambda d: _own_price(d, "6.500,00"), lambda c: c.egne_priser[0]["beloeb"], 6500),
    (lambda d: d["effekter"][0].update(succesrate="0.3"), lambda c: c.effekter[0].succesrate, 0.3),  # the file's own notation
])  # fmt: skip
def test_case_file_number_texts_are_read_as_the_command_line_reads_them(tmp_path, change, get, expected):
    case = load(str(_case_with(tmp_path, change)))
    assert get(case) == pytest.approx(expected)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(horisont="10 %"), "Fejl i horisont: skal være et helt tal, ikke '10 %'; feltet er ikke en andel: skriv tallet uden %"),
    (lambda d: d.update(deltagere=[2.5, 40]), "Fejl i deltagere, år 0: skal være et helt tal, ikke 2,5"),
    (lambda d: d["effekter"][0].update(deltagere=[40, "x"]), "Fejl i effekt 1 (job), deltagere, år 1: skal være et helt tal, ikke 'x'"),
    (lambda d: _own_price(d, "ca. 6500"), "Fejl i egen pris 1 (egen_mentor_time), beloeb: skal være et tal, ikke 'ca. 6500'"),
    (lambda d: d["effekter"][0].update(succesrate=30), "Fejl i effekt 1 (job), succesrate: skal ligge mellem 0 og 1, ikke 30; "
                                                       "skrev du 30 for 30 %? Skriv 0,30 eller 30 %"),
    # the user trial: an optimism mark-up of 10 was read as 1.000 %; the limit is 200 % (lineitems.MAX_COST_MARKUP)
    (lambda d: d.update(optimisme={"omkostninger": 10}), "Fejl i optimisme.omkostninger: skal ligge mellem 0 og 2 (0 %–200 %), ikke 10 (1.000 %); "
                                                         "skrev du 10 for 10 %? Skriv 0,10 eller 10 %"),
    (lambda d: d["effekter"][0].update(doedvaegt=15), "Fejl i effekt 1 (job), doedvaegt: skal ligge mellem 0 og 1, ikke 15; "
                                                      "skrev du 15 for 15 %? Skriv 0,15 eller 15 %"),
    (lambda d: d.update(diskontering=3.5), "Fejl i diskontering: en fast rente skal være en andel mellem -0,5 og 0,5, fx 0,035 for "
                                           "3,5 %, ikke 3,5; skrev du 3,5 for 3,5 %? Skriv 0,035 eller 3,5 %"),
    (lambda d: d.update(fremskrivning=2), "Fejl i fremskrivning: skal være en årlig andel mellem -0,5 og 0,5, fx 0,02 for 2 % om "
                                          "året; skrev du 2 for 2 %? Skriv 0,02 eller 2 %"),
    (lambda d: d.update(garanti={"garant": "Fonden", "myndighed": "ingen", "andel": 50}),
     "Fejl i garanti.andel: skal være en andel mellem 0 og 1, ikke 50; skrev du 50 for 50 %? Skriv 0,50 eller 50 %"),
])  # fmt: skip
def test_case_file_refusals_number_lists_as_the_workbook(tmp_path, capsys, change, message):
    path = _case_with(tmp_path, change)
    capsys.readouterr()
    assert main(["calc", str(path)]) == 2
    assert message in re.sub(r" \(linje \d+\)", "", capsys.readouterr().err)  # each message also gives its line


def test_two_own_prices_with_one_id_are_named_as_the_workbook_numbers_them(tmp_path, capsys):
    def twice(d):
        _own_price(d, 6500)
        d["egne_priser"].append(dict(d["egne_priser"][0]))

    assert main(["calc", str(_case_with(tmp_path, twice))]) == 2
    assert "Fejl i egne_priser (linje 57): id 'egen_mentor_time' forekommer mere end én gang (egen pris 1 og 2)" in capsys.readouterr().err


@pytest.mark.parametrize(("argument", "expected"), [
    ("deltagere[0]", "deltagere, år 0"), ("effekter[0].profil[2]", "effekt 1 (job), profil, profilår 3"),
    ("indsats[0].pr_aar[1]", "omkostning 1 (Mentor), pr_aar, år 1"), ("effekter[0].deltagere[3]", "effekt 1 (job), deltagere, år 3"),
    ("betalingsmodel.betalere[1].andel", "betaler 2 (stat), andel"),
])  # fmt: skip
def test_series_are_named_by_their_year_and_payers_by_their_number(argument, expected):
    data = {"effekter": [{"id": "job"}], "indsats": [{"navn": "Mentor"}], "betalingsmodel": {"betalere": [{}, {"betaler": "stat"}]}}
    assert numbered_field(argument, data) == expected


# ---------------------------------------------------------------- messages with a way forward (finding 6)


@pytest.mark.parametrize("command", [["calc"], ["sensitivity"], ["montecarlo"], ["afregn"], ["build", "-o", "{dir}/n.xlsx"]])
def test_a_workbook_given_for_a_case_file_is_told_to_extract_first(built, tmp_path, capsys, command):
    argv = [command[0], str(built), *[a.format(dir=tmp_path) for a in command[1:]]]
    capsys.readouterr()
    assert main(argv) == 2
    assert "er ikke en .yaml-, .yml- eller .json-fil; læs projektmappen ind i en case-fil først: sibc extract ung.xlsx -o ung.yaml" \
        in capsys.readouterr().err


def test_a_workbook_not_made_by_sibc_build_says_so(tmp_path, capsys):
    path = tmp_path / "egen.xlsx"
    openpyxl.Workbook().save(path)
    assert main(["extract", str(path)]) == 2
    err = capsys.readouterr().err
    assert "'egen.xlsx' er ikke lavet med sibc build (skabelonen), så den kan ikke læses; lav en projektmappe med sibc build" in err
    assert "_skabelon" not in err


def test_a_payback_year_without_a_start_year_says_what_is_missing(tmp_path, capsys):
    path = _case_with(tmp_path, lambda d: d.pop("startaar", None))
    k = key_figures(run(load(str(path))))
    assert k["tilbage_betaler_aar"] in (NO_START_YEAR, "ikke inden for perioden")
    assert NO_START_YEAR == "ikke defineret (intet startår i casen)"
    assert main(["calc", str(path)]) == 0
    out = capsys.readouterr().out
    assert "(intet startår i casen)" in out and "Tilbagebetalt i kalenderår" in out


def test_a_number_stored_as_text_is_read_and_named_by_extract_and_as_a_cause_by_check(built, tmp_path, capsys, soffice):
    """The user trial: Danish texts typed into number cells formatted as text (``30 %``, ``1.200.000``) were read by
    ``sibc extract`` without a word, while the workbook's own formulas gave ``#VALUE!`` (or silently 0) and ``sibc check``
    listed some 300 differences without their cause.  Now extract still reads them (0.3 and 1,200,000, the case is
    right) and names each cell, and check lists them as the causes; typed as numbers, the same values give no warning."""
    changes = {("eff1_succesrate", 0): "30 %", ("omk1_pr_aar", 0): "1.200.000"}
    path, where = typed(built, tmp_path / "tekst.xlsx", changes)
    case, strays = book.extract_report(path)
    assert case.effekter[0].succesrate == 0.3 and case.indsats[0].pr_aar[0] == 1_200_000
    as_text = {s.coordinate: s for s in strays if s.kind == "tal_som_tekst"}
    assert {f"{s.sheet}!{c}" for c, s in as_text.items()} == {where["eff1_succesrate"], where["omk1_pr_aar"]}
    assert main(["extract", str(path)]) == 0
    err = capsys.readouterr().err
    assert "Advarsel: 2 inputceller har et tal skrevet som tekst; sibc læser tallet, men regnearkets formler kan ikke regne" in err
    assert f"  {where['eff1_succesrate']} (" in err and "'30 %' læses som 0,3 (et tal skrevet som tekst" in err
    assert "'1.200.000' læses som 1.200.000 (" in err
    assert main(["check", str(path)]) == 2
    out = capsys.readouterr().out
    causes = out.index("årsager")
    assert out.index("'30 %' læses som 0,3") > causes and out.index("Følgeforskelle") > out.index("'30 %' læses som 0,3")

    numbers, _ = typed(built, tmp_path / "tal.xlsx", {("eff1_succesrate", 0): 0.3, ("omk1_pr_aar", 0): 1_200_000})
    assert [s for s in book.extract_report(numbers)[1] if s.kind == "tal_som_tekst"] == []
    assert main(["extract", str(numbers)]) == 0
    assert "som tekst" not in capsys.readouterr().err



def test_check_lists_the_causes_in_full_and_at_most_20_following_differences(built, tmp_path, capsys, soffice):
    """The user trial: three numbers typed as text gave their three cells, then some 1.950 lines of differences that
    follow from them.  The causes are listed in full; of the following differences the first 20 (cli.FOLLOWING_SHOWN),
    then how many more (the header's count − 20), and ``--alle`` lists every one."""
    import re

    changes = {("eff1_succesrate", 0): "30 %", ("omk1_pr_aar", 0): "1.200.000", ("deltagere", 1): "40,0"}
    path, where = typed(built, tmp_path / "tekst.xlsx", changes)
    assert main(["check", str(path)]) == 2
    out = capsys.readouterr().out
    total = int(re.search(r"✗ 3 årsager, (\d+) følgeforskelle:", out).group(1))
    assert total > 20
    causes, following = out.split("Følgeforskelle (forsvinder")
    assert all(f"  {cell} (" in causes for cell in where.values())
    assert following.count("    ✗ ") == 20
    assert f"    … og {total - 20} følgeforskelle mere (vis alle med sibc check --alle)\n" in following
    assert main(["check", str(path), "--alle"]) == 2
    every = capsys.readouterr().out.split("Følgeforskelle (forsvinder")[1]
    assert every.count("    ✗ ") == total and "følgeforskelle mere" not in every

# ---------------------------------------------------------------- per cent by a driver's unit (scenarios, Monte Carlo)
# A share driver (succesrate, doedvaegt, frafald, optimisme.gevinster: case_model.SHARE_DRIVERS) takes "20 %" in a
# scenario and in its distribution as it does in its own field; a factor does not.  20 % = 20 / 100 = 0,2.


def _dist(d, driver, **values):
    d["usikkerhed"]["fordelinger"][driver] = values


@pytest.mark.parametrize(("change", "get", "expected"), [
    (lambda d: d.update(scenarier={"lav": {"effekter.job.succesrate": "20 %"}}), lambda c: c.scenarier["lav"]["effekter.job.succesrate"], 0.2),
    (lambda d: d.update(scenarier={"lav": {"omkostningsfaktor": "1,1"}}), lambda c: c.scenarier["lav"]["omkostningsfaktor"], 1.1),
    (lambda d: _dist(d, "effekter.job.succesrate", fordeling="triangulaer", min="20 %", mest_sandsynlig="35 %", max="0,45"),
     lambda c: [getattr(c.usikkerhed.fordelinger["effekter.job.succesrate"], f) for f in ("min", "mest_sandsynlig", "max")], [0.2, 0.35, 0.45]),
    (lambda d: _dist(d, "optimisme.gevinster", fordeling="normal", middel="10 %", spredning="2,5 %"),  # 2,5 / 100 = 0,025
     lambda c: [c.usikkerhed.fordelinger["optimisme.gevinster"].middel, c.usikkerhed.fordelinger["optimisme.gevinster"].spredning], [0.1, 0.025]),
    (lambda d: _dist(d, "effekter.job.frafald", fordeling="fast", vaerdi={"vaerdi": "15 %", "kilde": "Skøn"}),
     lambda c: c.usikkerhed.fordelinger["effekter.job.frafald"].vaerdi, 0.15),
])  # fmt: skip
def test_a_share_driver_takes_per_cent_in_scenarios_and_distributions(tmp_path, change, get, expected):
    case = load(str(_case_with(tmp_path, change)))
    assert get(case) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: _dist(d, "omkostningsfaktor", fordeling="fast", vaerdi="110 %"), "usikkerhed.fordelinger.omkostningsfaktor.vaerdi"),
    (lambda d: d.update(scenarier={"hoej": {"deltagerfaktor": "120 %"}}), "scenarier.hoej.deltagerfaktor"),
])  # fmt: skip
def test_a_factor_driver_refuses_per_cent(tmp_path, change, field):
    from udfs.core.case_model import parse_case
    from udfs.core.errors import SIError

    data = yaml.safe_load(_case_with(tmp_path, change).read_text(encoding="utf-8"))
    with pytest.raises(SIError) as err:
        parse_case(data)
    found = {e.argument: e.message for e in (err.value, *err.value.others)}
    assert found[field].endswith("feltet er ikke en andel: skriv tallet uden %")


def test_distribution_cells_take_per_cent_by_their_driver(built, tmp_path, capsys):
    """The example's distributions: row 1 effekter.job.succesrate, row 2 effekter.job.frafald, row 3 omkostningsfaktor.
    A per cent typed as text is read by the row's driver: 20 % = 0,2 and 15 % = 0,15 for the shares, refused for the factor."""
    path, _ = typed(built, tmp_path / "p.xlsx", {("mc_min", 0): "20 %", ("mc_max", 1): "15 %"})
    dists = book.extract(path).usikkerhed.fordelinger
    assert dists["effekter.job.succesrate"].min == pytest.approx(0.2) and dists["effekter.job.frafald"].max == pytest.approx(0.15)
    path, where = typed(built, tmp_path / "q.xlsx", {("mc_middel", 2): "110 %"})
    capsys.readouterr()
    assert main(["extract", str(path), "-o", str(tmp_path / "q.yaml")]) == 2
    err = capsys.readouterr().err
    assert f"Fejl i {where['mc_middel']} (Middelværdi, Fordeling 3): skal være et tal, ikke '110 %'" in err, err


# ---------------------------------------------------------------- metric cells that hold a share (user trial, finding 2)
# Metric 2 of eksempel_alle_myndigheder (behandling) is measured as »andel«, so its thresholds are shares and are
# shown in per cent; metric 1 (job) is measured as »antal«.  15 % = 15 / 100 = 0,15; "25%" = 0,25; "0,35" = 0,35.


@pytest.fixture(scope="module")
def all_authorities(tmp_path_factory) -> Path:
    return book.build(load(str(CASES / "eksempel_alle_myndigheder.yaml")), tmp_path_factory.mktemp("wb") / "alle.xlsx")


def test_a_metric_measured_as_a_share_takes_per_cent_as_the_other_share_cells(all_authorities, tmp_path, capsys):
    changes = {("bm2_taerskler", 0): "15 %", ("bm2_taerskler", 1): "25%", ("bm2_taerskler", 2): "0,35"}
    path, where = typed(all_authorities, tmp_path / "t.xlsx", changes)
    case, strays = book.extract_report(path)
    assert case.betalingsmodel.resultatmaal[1].regel.taerskler == pytest.approx([0.15, 0.25, 0.35], abs=1e-12)
    # each is also reported as a number stored as text (the workbook's formulas cannot count it), as a success rate is
    assert sorted(s.now for s in strays if s.kind == "tal_som_tekst") == pytest.approx([0.15, 0.25, 0.35])


def test_a_metric_measured_as_a_count_still_refuses_per_cent(all_authorities, tmp_path, capsys):
    path, where = typed(all_authorities, tmp_path / "t.xlsx", {("bm1_taerskel", 0): "30 %"})
    capsys.readouterr()
    assert main(["extract", str(path), "-o", str(tmp_path / "t.yaml")]) == 2
    err = capsys.readouterr().err
    assert f"Fejl i {where['bm1_taerskel']} (" in err
    assert "skal være et tal, ikke '30 %'; cellen viser kun procent, når målet er en andel: skriv andelen som tal, fx 0,3" in err


@pytest.mark.parametrize(("name", "value", "message"), [
    # the trial: 10 in a threshold of a metric measured as a share is never reached; 10 / 100 = 0,10 lies in 0–1
    (("bm2_taerskler", 2), 30, "Tærskel, Trin 3): skal være en andel mellem 0 og 1 (resultatmålet måles som andel), ikke 30; "
                               "skrev du 30 for 30 %? Skriv 0,30 eller 30 %"),  # 0,1; 0,2; 30: still increasing
    (("bm2_taerskler", 0), -0.1, "Tærskel, Trin 1): skal være en andel mellem 0 og 1 (resultatmålet måles som andel), ikke -0,1"),
])  # fmt: skip
def test_a_threshold_of_a_metric_measured_as_a_share_above_1_is_refused_at_its_cell(all_authorities, tmp_path, capsys,
                                                                                     name, value, message):
    path, where = typed(all_authorities, tmp_path / "t.xlsx", {name: value})
    capsys.readouterr()
    assert main(["extract", str(path), "-o", str(tmp_path / "t.yaml")]) == 2
    err = capsys.readouterr().err
    assert f"Fejl i {where[name[0]]} (" in err and message in err, err


def test_a_linear_target_of_a_metric_measured_as_a_share_is_named_at_its_own_cell(tmp_path, capsys):
    """job_til_mor's metric 1 (merbeskaeftigelse, measured as »andel«) pays linearly from 0 to 0,12 (12 %); typed as 12
    it is refused at the cell Mål (the rule's field maal is the cell maalvaerdi, not the metric's Måles som)."""
    built = book.build(load(str(CASES / "job_til_mor.yaml")), tmp_path / "jtm.xlsx")
    path, where = typed(built, tmp_path / "t.xlsx", {("bm1_maalvaerdi", 0): 12})
    capsys.readouterr()
    assert main(["extract", str(path), "-o", str(tmp_path / "t.yaml")]) == 2
    err = capsys.readouterr().err
    assert (f"Fejl i {where['bm1_maalvaerdi']} (Resultatmål 1, Mål): skal være en andel mellem 0 og 1 (resultatmålet måles "
            "som andel), ikke 12; skrev du 12 for 12 %? Skriv 0,12 eller 12 %") in err, err


def test_a_linear_threshold_typed_as_per_cent_above_its_target_gets_both_messages_at_its_cell(tmp_path, capsys):
    """job_til_mor's metric 1 pays linearly from 0 to 0,12 (12 %); its threshold typed as 10 (meant as 10 %) is above
    the target and beyond a share: the cell Tærskel says both, the per-cent hint included."""
    built = book.build(load(str(CASES / "job_til_mor.yaml")), tmp_path / "jtm.xlsx")
    path, where = typed(built, tmp_path / "t.xlsx", {("bm1_taerskel", 0): 10})
    capsys.readouterr()
    assert main(["extract", str(path), "-o", str(tmp_path / "t.yaml")]) == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Fejl i ")]
    assert lines == [f"Fejl i {where['bm1_taerskel']} (Resultatmål 1, Tærskel): tærsklen skal være mindre end målet; skal være "
                     "en andel mellem 0 og 1 (resultatmålet måles som andel), ikke 10; skrev du 10 for 10 %? Skriv 0,10 eller "
                     "10 % (fil: t.xlsx)"], lines


def _share_metric(regel: dict, link: dict | None = None) -> dict:
    """eksempel_alle_myndigheder with metric 2 (behandling, measured as »andel«) paid by ``regel``."""
    data = yaml.safe_load((CASES / "eksempel_alle_myndigheder.yaml").read_text(encoding="utf-8"))
    data["betalingsmodel"]["resultatmaal"][1]["regel"] = regel
    data["maaling"]["behandling"] = {"effekt": "behandling", "maal": "andel", **(link or {})}
    return data


TIER = {"type": "trappe", "betalinger": [150_000, 300_000]}
LINEAR = {"type": "lineaer", "betaling_ved_maal": 1_000_000}
AT = "betalingsmodel.resultatmaal[1].regel."
SHARE_RULE = "skal være en andel mellem 0 og 1 (resultatmålet måles som andel), ikke "


@pytest.mark.parametrize(("regel", "link", "expected"), [
    # per cent read as the workbook reads it: 10 % = 10 / 100 = 0,1; 10,5 % = 0,105; 20% = 0,2
    ({**TIER, "taerskler": ["10 %", "20 %"]}, None, {"taerskler": [0.1, 0.2]}),
    ({**TIER, "taerskler": ["10,5 %", "20%"]}, None, {"taerskler": [0.105, 0.2]}),
    ({**TIER, "taerskler": {"vaerdi": ["10 %", "20 %"], "kilde": "kontrakten"}}, None, {"taerskler": [0.1, 0.2]}),
    ({**LINEAR, "taerskel": "5 %", "maal": "40 %"}, None, {"taerskel": 0.05, "maal": 0.4}),
    ({**TIER, "taerskler": [0.1, 1]}, None, {"taerskler": [0.1, 1.0]}),  # 1 = 100 % is a share
    # a metric measured as faktor × a share reaches 0 to faktor: 15 weeks at full net success (as sygedagpenge.yaml)
    ({**LINEAR, "taerskel": 0, "maal": 15}, {"faktor": 15}, {"taerskel": 0.0, "maal": 15.0}),
])  # fmt: skip
def test_thresholds_of_a_metric_measured_as_a_share_take_per_cent_in_a_case_file(regel, link, expected):
    from udfs.core.case_model import parse_case

    rule = parse_case(_share_metric(regel, link)).betalingsmodel.resultatmaal[1].regel
    for field, value in expected.items():
        assert getattr(rule, field) == pytest.approx(value, abs=1e-12)


@pytest.mark.parametrize(("regel", "link", "errors"), [
    # the trial: [10, 20] meant 10 % and 20 % and never paid; each threshold named by its path, with the per-cent hint
    ({**TIER, "taerskler": [10, 20]}, None, {
        AT + "taerskler[0]": SHARE_RULE + "10; skrev du 10 for 10 %? Skriv 0,10 eller 10 %",
        AT + "taerskler[1]": SHARE_RULE + "20; skrev du 20 for 20 %? Skriv 0,20 eller 20 %"}),
    ({**TIER, "taerskler": [0.1, 150]}, None, {AT + "taerskler[1]": SHARE_RULE + "150"}),  # 150 / 100 = 1,5: no per cent
    # a per cent beside a share: not strictly increasing, and the per cent still hinted at its own element
    ({**TIER, "taerskler": [10, 0.2]}, None, {
        AT + "taerskler": "skal være strengt stigende",
        AT + "taerskler[0]": SHARE_RULE + "10; skrev du 10 for 10 %? Skriv 0,10 eller 10 %"}),
    ({**TIER, "taerskler": ["5 %", 10, 0.3], "betalinger": [1, 2, 3]}, None, {
        AT + "taerskler": "skal være strengt stigende",
        AT + "taerskler[1]": SHARE_RULE + "10; skrev du 10 for 10 %? Skriv 0,10 eller 10 %"}),
    ({**LINEAR, "taerskel": 0, "maal": 40}, None, {AT + "maal": SHARE_RULE + "40; skrev du 40 for 40 %? Skriv 0,40 eller 40 %"}),
    ({**LINEAR, "taerskel": -0.05, "maal": 0.4}, None, {AT + "taerskel": SHARE_RULE + "-0,05"}),
    ({**LINEAR, "taerskel": 0, "maal": 20}, {"faktor": 15}, {
        # 20 where 15 is the most (a share × faktor 15): no per-cent hint at most twice the highest, where a value
        # over the limit is as likely as a per cent (checks.per_cent_hint)
        AT + "maal": "skal ligge mellem 0 og 15 (resultatmålet måles som andel gange faktor 15), ikke 20"}),
])  # fmt: skip
def test_thresholds_beyond_a_share_are_refused_in_a_case_file(regel, link, errors):
    from udfs.core.case_model import parse_case
    from udfs.core.errors import SIError

    with pytest.raises(SIError) as err:
        parse_case(_share_metric(regel, link))
    assert {e.argument: e.message for e in (err.value, *err.value.others)} == errors


def test_a_per_cent_threshold_above_a_share_target_gets_both_messages():
    """Linear from 10 (meant as 10 %) to 0,3: the threshold is above the target and beyond the share's range."""
    from udfs.core.case_model import parse_case
    from udfs.core.errors import SIError

    with pytest.raises(SIError) as err:
        parse_case(_share_metric({**LINEAR, "taerskel": 10, "maal": 0.3}))
    assert [(e.argument, e.message) for e in (err.value, *err.value.others)] == [
        (AT + "taerskel", "tærsklen skal være mindre end målet"),
        (AT + "taerskel", SHARE_RULE + "10; skrev du 10 for 10 %? Skriv 0,10 eller 10 %")]


def test_per_cent_stays_refused_where_the_metric_is_a_count():
    from udfs.core.case_model import parse_case
    from udfs.core.errors import SIError

    with pytest.raises(SIError) as err:
        parse_case(_share_metric({**TIER, "taerskler": ["10 %", "20 %"]}, {"maal": "antal"}))
    assert (err.value.argument, err.value.message) == (
        AT + "taerskler[0]", "skal være et tal, ikke '10 %'; feltet er ikke en andel: skriv tallet uden %")


# ---------------------------------------------------------------- a share typed as a whole per cent, in the Excel functions
# The same hint as a case file's and a workbook cell's (checks.per_cent_hint): the value / 100 (30 / 100 = 0,30) lies
# within the share's bounds, so it says how to type it.


@pytest.mark.parametrize(("call", "message"), [
    (lambda xl: xl.SI_EFFEKT([[100]], [[1]], 30), "Fejl i succesrate: skal være en andel mellem 0 og 1, ikke 30; "
                                                 "skrev du 30 for 30 %? Skriv 0,30 eller 30 %"),
    (lambda xl: xl.SI_EFFEKT([[100]], [[1]], 0.3, 15), "Fejl i doedvaegt: skal være en andel mellem 0 og 1, ikke 15; "
                                                      "skrev du 15 for 15 %? Skriv 0,15 eller 15 %"),
    (lambda xl: xl.SI_AFREGNING([[100, 0]], [[0, 150]], [[0, 200]], garanti_andel=75, garanti_myndighed="ingen"),
     "Fejl i garanti_andel: skal være en andel mellem 0 og 1 (fx 0,75 for 75 % af investeringen), ikke 75; "
     "skrev du 75 for 75 %? Skriv 0,75 eller 75 %"),
    (lambda xl: xl.SI_AFREGNING([[100, 0]], [[0, 150]], [[0, 200]], optimismetillaeg=15),  # no longer used: refused
     "Fejl i optimismetillaeg: bruges ikke længere: investeringen er investors omkostninger som aftalt, uden "
     "optimismetillæg (tillægget gælder kun kommunens, regionens og statens omkostninger). Lad argumentet stå tomt"),
    (lambda xl: xl.SI_MEREFFEKT(18, 0.12), "Fejl i andel_indsats: skal være en andel mellem 0 og 1, ikke 18; "
                                          "skrev du 18 for 18 %? Skriv 0,18 eller 18 %"),
])  # fmt: skip
def test_excel_functions_say_how_to_type_a_share_typed_as_a_whole_per_cent(call, message):
    from udfs import excel as xl

    assert call(xl) == message


# A threshold typed as a whole per cent beside ones typed right: the steps are then not strictly increasing either, but
# each cell outside 0–1 still gets the per-cent hint, named by its cell (before: only "skal være strengt stigende").
HINTED = "skal være en andel mellem 0 og 1 (resultatmålet måles som andel), ikke {v}; skrev du {v} for {v} %? Skriv 0,{v} eller {v} %"


@pytest.mark.parametrize(("typed_in", "hinted", "increasing"), [
    ({0: 0.05, 1: 10}, [1], False),  # 0,05; 10; 0,3 (eksempel_alle_myndigheder's third step)
    ({0: 10}, [0], False),  # 10; 0,2; 0,3
    ({0: 0.05, 1: 10, 2: 20}, [1, 2], True),  # 0,05; 10; 20: increasing, each per cent hinted as before
])  # fmt: skip
def test_a_per_cent_threshold_beside_a_share_gets_the_hint_at_its_own_cell(all_authorities, tmp_path, capsys, typed_in, hinted,
                                                                            increasing):
    wb, _, plan = open_template(all_authorities, book.layout_from_info)
    cells = [ref for _, ref in raw_inputs(wb, plan, all_authorities)["bm2_taerskler"]]  # Betalingsmodel!B61, C61, …
    path, _ = typed(all_authorities, tmp_path / "t.xlsx", {("bm2_taerskler", k): v for k, v in typed_in.items()})
    capsys.readouterr()
    assert main(["extract", str(path), "-o", str(tmp_path / "t.yaml")]) == 2
    lines = capsys.readouterr().err.splitlines()
    expected = [] if increasing else [f"Fejl i {cells[0]}:{cells[-1].split('!')[1]} (Tærskel): skal være strengt stigende (fil: t.xlsx)"]
    expected += [f"Fejl i {cells[k]} (Tærskel, Trin {k + 1}): {HINTED.format(v=typed_in[k])} (fil: t.xlsx)" for k in hinted]
    assert [line for line in lines if line.startswith("Fejl i ")] == expected, lines
