"""Danish messages found wanting in a trial by a municipal economist: each kind is fixed in one place
and checked over every function, argument or field it applies to."""

from pathlib import Path

import pytest
import yaml

from udfs import excel as xl
from udfs.core.case_model import Case, parse_case
from udfs.core.errors import SIError, count
from udfs.core.files import read_data
from udfs.core.validation import _field_bounds, bounds_text

EXAMPLE = Path(__file__).resolve().parents[1] / "workbooks" / "cases" / "eksempel_ungeindsats.yaml"
DATA = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "rate, tail",
    [(0.6, "0,6 er 60 % om året"), (-1, "-1 er -100 % om året"),  # share × 100 = per cent
     (5, "skrev du 5 for 5 %? Skriv 0,05 eller 5 %"),  # 5 / 100 = 0,05 lies within the bounds: a per cent typed as a number
     (60, "60 er 6000 % om året")],  # 60 / 100 = 0,6 does not: no per cent hint
)
def test_fremskrivning_message_quotes_the_value_given(rate, tail):
    expected = f"Fejl i fremskrivning: skal være en årlig andel mellem -0,5 og 0,5, fx 0,02 for 2 % om året; {tail}"
    assert xl.SI_PRISINDEKS(2023, 2030, None, rate) == expected
    with pytest.raises(SIError) as err:  # the case file says the same (one rule: indices.check_rate)
        parse_case(DATA | {"fremskrivning": rate})
    assert err.value.danish == expected


def _bounded_fields():
    """Every top-level case field declared with a lower and an upper bound."""
    out = []
    for name in Case.model_fields:
        b = _field_bounds(Case, [name])
        if "ge" in b and "le" in b:
            out.append((name, b["ge"], b["le"]))
    return out


def test_bounded_fields_are_found():
    assert {"prisaar", "startaar", "horisont"} <= {n for n, _, _ in _bounded_fields()}


@pytest.mark.parametrize("name, low, high", _bounded_fields())
def test_a_case_field_out_of_range_names_both_bounds_and_the_value(name, low, high):
    # The wording of the Excel functions (checks.check_whole): "skal ligge mellem 1900 og 2200, ikke …".
    for value, shown in ((1_000_000_000, "1.000.000.000"), (low - 1, str(low - 1))):
        with pytest.raises(SIError) as err:
            parse_case(DATA | {name: value})
        assert err.value.argument == name
        assert err.value.message == f"skal ligge mellem {low} og {high}, ikke {shown}"


@pytest.mark.parametrize(
    "change, argument, message",
    [
        ({"prisaar": 1_000_000_000}, "prisaar", "skal ligge mellem 1990 og 2100, ikke 1.000.000.000"),
        ({"startaar": 1_000_000_000}, "startaar", "skal ligge mellem 1990 og 2100, ikke 1.000.000.000"),
        ({"prisaar": "abc"}, "prisaar", "skal være et helt tal, ikke 'abc'"),
        ({"visning": "alle"}, "visning", "skal være en af: kommune, offentlig, ikke 'alle'"),
        ({"navn": None}, "navn", "mangler en værdi"),
    ],
)
def test_case_file_errors_in_danish(change, argument, message):
    with pytest.raises(SIError) as err:
        parse_case(DATA | change)
    assert (err.value.argument, err.value.message) == (argument, message)


def test_bounds_text():
    assert bounds_text(ge=1990, le=2100) == "skal ligge mellem 1990 og 2100"
    assert bounds_text(gt=-0.5, lt=0.5) == "skal være større end -0,5 og mindre end 0,5"
    assert bounds_text(ge=0) == "må ikke være negativ"
    assert bounds_text(le=30) == "skal være højst 30"


@pytest.mark.parametrize("bounds, value, words", [
    # limits.MAX_AMOUNT = 10^12 is a technical limit, said as 10^12 / 10^9 = 1.000 mia., never 1.000.000.000.000
    ({"ge": 0, "le": 1e12}, None, "må ikke være negativ (højst 1.000 mia.)"),
    ({"ge": 0, "le": 1e12}, -5, "må ikke være negativ (højst 1.000 mia.)"),  # the rule the value broke
    ({"ge": 0, "le": 1e12}, 1e15, "må højst være 1.000 mia."),  # only the limit it broke
    ({"gt": 0, "le": 1e12}, 0, "skal være større end 0 (højst 1.000 mia.)"),
    ({"ge": -1e12, "le": 1e12}, None, "skal ligge mellem -1.000 mia. og 1.000 mia."),
    ({"ge": -1e12, "le": 1e12}, -2e12, "må mindst være -1.000 mia."),
    ({"ge": 1990, "le": 2100}, 1e12, "skal ligge mellem 1990 og 2100"),  # a domain rule: both bounds as numbers
])  # fmt: skip
def test_a_technical_limit_is_said_in_words(bounds, value, words):
    assert bounds_text(**bounds, value=value) == words


@pytest.mark.parametrize("change, argument, message", [
    ({"indsats": [{"navn": "x", "pr_aar": [-5]}]}, "indsats[0].pr_aar[0]", "må ikke være negativ, ikke -5"),  # the bound broken
    ({"indsats": [{"navn": "x", "pr_aar": [1e15]}]}, "indsats[0].pr_aar[0]", "må højst være 1.000 mia., ikke 1.000.000.000.000.000"),
    ({"deltagere": [-1]}, "deltagere[0]", "må ikke være negativ, ikke -1"),
    ({"optimisme": {"gevinster": 0.1}, "effekter": [{**DATA["effekter"][0], "prisfaktor": -1}]}, "effekter[0].prisfaktor",
     "må ikke være negativ (højst 1.000 mia.), ikke -1"),
    ({"realiseret": {"dato": "2027-01-01", "kilde": "x", "betalinger": 2e12}}, "realiseret.betalinger",
     "må højst være 1.000 mia., ikke 2.000.000.000.000"),
])  # fmt: skip
def test_case_fields_bounded_by_the_technical_limit_say_it_in_words(change, argument, message):
    """The trial: "skal ligge mellem 0 og 1.000.000.000.000" for a negative amount (limits.MAX_AMOUNT = 10^12)."""
    with pytest.raises(SIError) as err:
        parse_case(DATA | change)
    assert (err.value.argument, err.value.message) == (argument, message)


def test_a_workbook_cell_bounded_by_the_technical_limit_says_it_in_words():
    from workbooks.layout import Validation, bounds_text as cell_bounds

    assert cell_bounds(0, 1e12) == " på mindst 0 (højst 1.000 mia.)" and cell_bounds(0, 1) == " mellem 0 og 1"
    assert Validation.between(0, 1e12).message() == "Skal være et tal på mindst 0 (højst 1.000 mia.)"


def test_count_is_singular_for_one():
    assert (count(1, "værdi", "værdier"), count(2, "værdi", "værdier"), count(0, "værdi", "værdier")) == (
        "1 værdi", "2 værdier", "0 værdier")


def test_a_binary_case_file_is_to_be_saved_as_yaml_or_json(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(SIError) as err:
        read_data(path)
    assert err.value.message == "filen 'case.yaml' er ikke en tekstfil (gem den som YAML eller JSON)"


@pytest.mark.parametrize(
    "function, lower, upper",
    [
        (xl.SI_REFUSIONSSATS, (60, "refusion_2016"), (60, "REFUSION_2016")),
        (xl.SI_REFUSIONSSATS, (60, "medfinansiering_2016"), (60, " Medfinansiering_2016 ")),
        (xl.SI_KOMMUNAL_UDGIFT, (1000, 1, 60, "refusion_2016"), (1000, 1, 60, "Refusion_2016")),
        (xl.SI_PRISINDEKS, (2020, 2023, "fpi"), (2020, 2023, "FPI")),
        (xl.SI_ENHEDSPRIS, ("sygedagpenge_uge", None, "kommune"), ("sygedagpenge_uge", None, "Kommune")),
        (xl.SI_DISKONTERINGSFAKTOR, (10, "fm_2013"), (10, "FM_2013")),
        (xl.SI_BREAK_EVEN, (str(EXAMPLE), "betaler"), (str(EXAMPLE), "Betaler")),
    ],
)
def test_choice_arguments_are_case_insensitive(function, lower, upper):
    assert function(*lower) == function(*upper) and not str(function(*lower)).startswith("Fejl")


def test_choice_fields_of_a_case_are_case_insensitive():
    data = DATA | {"visning": "Offentlig", "indsats": [c | {"betaler": c["betaler"].upper()} for c in DATA["indsats"]]}
    case = parse_case(data)
    assert case.visning == "offentlig" and [c.betaler for c in case.indsats] == [c["betaler"] for c in DATA["indsats"]]


def test_required_columns_are_the_catalogue_models_required_fields():
    from udfs.core.catalogue import REQUIRED_COLUMNS
    from udfs.core.data import UnitCost

    assert set(REQUIRED_COLUMNS) == {n for n, f in UnitCost.model_fields.items() if f.is_required()}


@pytest.mark.parametrize("typed", ["3,5 %", "0,035", " 0.035 "])
def test_a_case_files_fixed_rate_may_be_danish_text(typed):
    """The same reading as SI_NUTIDSVAERDI's skema (udfs.core.discounting.read_schedule): 3,5 % = 0,035."""
    assert parse_case(DATA | {"diskontering": typed}).diskontering == pytest.approx(0.035, abs=1e-15)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # A constant rate is a share (Finansministeriet's 3,5 % is 0,035); the message quotes the value given.
        (5, "Fejl i diskontering: en fast rente skal være en andel mellem -0,5 og 0,5, fx 0,035 for 3,5 %, ikke 5; "
            "skrev du 5 for 5 %? Skriv 0,05 eller 5 %"),  # 5 / 100 = 0,05 within the bounds
        (0.9, "Fejl i diskontering: en fast rente skal være en andel mellem -0,5 og 0,5, fx 0,035 for 3,5 %, ikke 0,9"),
        ("xx", "Fejl i diskontering: ukendt skema 'xx'; kendte: fm_2013, fm_2021, eller en fast rente som andel, fx 0,035"),
        (True, "Fejl i diskontering: skal være et skema (fm_2013, fm_2021) eller en fast rente som andel, fx 0,035"),
    ],
)
def test_a_case_files_discounting_is_checked_as_the_functions_check_it(value, expected):
    """diskontering in a case file: a schedule name (any case) or a constant rate within the functions' bounds."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    with pytest.raises(SIError) as err:
        parse_case(data | {"diskontering": value})
    assert err.value.danish == expected
    assert parse_case(data | {"diskontering": "FM_2013"}).diskontering == "fm_2013"
    assert parse_case(data | {"diskontering": 0.035}).diskontering == 0.035


# --------------------------------------------------------------------------- an unknown field gets the nearest

def _with(path: str, value) -> dict:
    """The example case with ``value`` set at the dotted ``path`` (``[i]`` for a list position)."""
    import copy
    import re

    data = copy.deepcopy(DATA)
    parts = [int(p) if p.isdigit() else p for p in re.split(r"\.|\[|\]\.?", path) if p != ""]
    at = data
    for p in parts[:-1]:
        at = at.setdefault(p, {}) if isinstance(p, str) else at[p]
    at[parts[-1]] = value
    return data


@pytest.mark.parametrize(
    "path, value, argument, message",
    [
        # the trial's finding: a field inside a distribution (fordelinger is keyed by the driver's name)
        ("usikkerhed.fordelinger", {"effekter.job.doedvaegt": {"fordeling": "normal", "middel": 0.25, "sd": 0.05}},
         "usikkerhed.fordelinger.effekter.job.doedvaegt.sd", "ukendt felt (mente du 'spredning'?)"),
        ("usikkerhed.fordelinger", {"omkostningsfaktor": {"fordeling": "normal", "middel": 1, "spredningg": 0.1}},
         "usikkerhed.fordelinger.omkostningsfaktor.spredningg", "ukendt felt (mente du 'spredning'?)"),
        ("usikkerhed.fordelinger", {"omkostningsfaktor": {"fordeling": "uniform", "min": 1, "maks": 2}},
         "usikkerhed.fordelinger.omkostningsfaktor.maks", "ukendt felt (mente du 'max'?)"),
        # the payers of a payment model (a list of tables)
        ("betalingsmodel.betalere", [{"betaler": "kommune", "andle": 1}],
         "betalingsmodel.betalere[0].andle", "ukendt felt (mente du 'andel'?)"),
        # the guarantee
        ("garanti", {"garant": "Fond", "myndighed": "ingen", "beloeb": 1, "daekning": 2},
         "garanti.daekning", "ukendt felt; kendte felter: garant, myndighed, beloeb, andel"),
        ("garanti", {"garant": "Fond", "myndighed": "ingen", "belob": 1}, "garanti.belob", "ukendt felt (mente du 'beloeb'?)"),
        # the realised figures of a portfolio
        ("realiseret", {"dato": "2027-01-01", "kilde": "x", "besparelser": {"komune": 1}},
         "realiseret.besparelser.komune", "ukendt felt (mente du 'kommune'?)"),
        ("realiseret", {"dato": "2027-01-01", "kilde": "x", "betalinger_udbetalt": 1},
         "realiseret.betalinger_udbetalt", "ukendt felt (mente du 'betalinger'?)"),
        # a payment rule inside a tagged union (regel: its type chooses the fields)
        ("betalingsmodel.resultatmaal[0].regel.betaling_ved_mal", 1,
         "betalingsmodel.resultatmaal[0].regel.betaling_ved_mal", "ukendt felt (mente du 'betaling_ved_maal'?)"),
    ],
)  # fmt: skip
def test_an_unknown_field_gets_the_nearest_or_the_known_fields(path, value, argument, message):
    """README: a mistyped field name gets the nearest known one ("mente du …?"), else the known fields --
    also inside a distribution, a payer, the guarantee, the realised figures and a payment rule.  "sd" is
    no near spelling of "spredning", but the word statisticians write for it (Distribution.FIELD_ALIASES)."""
    with pytest.raises(SIError) as err:
        parse_case(_with(path, value))
    assert (err.value.argument, err.value.message) == (argument, message)


@pytest.mark.parametrize(
    "path, value, argument, message",
    [
        # the economist's finding: the return cap written inside the payment model
        ("betalingsmodel.afkastloft", 0.15, "betalingsmodel.afkastloft",
         "ukendt felt her; 'afkastloft' hører til øverst i case-filen, ikke under betalingsmodel"),
        ("investor", {"krav_til_afkast": 0.05, "loft_kontrakt": 1}, "investor.loft_kontrakt",
         "ukendt felt her; 'loft_kontrakt' hører til under betalingsmodel, ikke under investor"),
        ("garanti", {"garant": "Fond", "myndighed": "ingen", "beloeb": 1, "krav_til_afkast": 0.05}, "garanti.krav_til_afkast",
         "ukendt felt her; 'krav_til_afkast' hører til under investor, ikke under garanti"),
        # a rule's field at the top: the path through the list of metrics
        ("taerskel", 0.2, "taerskel",
         "ukendt felt her; 'taerskel' hører til under betalingsmodel.resultatmaal[…].regel, ikke øverst i case-filen"),
        # a field at many levels (navn) gets no place, the known fields as before
        ("garanti", {"garant": "Fond", "myndighed": "ingen", "beloeb": 1, "navn": "x"}, "garanti.navn",
         "ukendt felt; kendte felter: garant, myndighed, beloeb, andel"),
    ],
)  # fmt: skip
def test_a_known_field_at_the_wrong_level_says_where_it_belongs(path, value, argument, message):
    """A field that is known at another level of the case file is answered with where it belongs (the one rule:
    validation.wrong_level), not the list of the fields known here."""
    with pytest.raises(SIError) as err:
        parse_case(_with(path, value))
    assert (err.value.argument, err.value.message) == (argument, message)


def test_an_unknown_field_of_a_measurement_file_gets_the_nearest():
    from udfs.core.measurement.definitions import parse_measurement_file

    measure = {"id": "a", "navn": "a", "type": "status", "gruppe": "selvforsoerget", "uge": 1, "gruppper": ["x"]}
    with pytest.raises(SIError) as err:
        parse_measurement_file({"navn": "x", "panel": {"fil": "p.csv"}, "kohorte": {"fil": "k.csv"}, "maal": [measure]})
    assert err.value.danish == "Fejl i maal[0].gruppper: ukendt felt (mente du 'gruppe'?)"
    measure.pop("gruppper")
    with pytest.raises(SIError) as err:
        parse_measurement_file({"navn": "x", "panel": {"fil": "p.csv", "formatt": "lang"}, "kohorte": {"fil": "k.csv"},
                                "maal": [measure]})
    assert err.value.danish == "Fejl i panel.formatt: ukendt felt (mente du 'format'?)"


# ---------------------------------------------------------------- an empty required field is missing
# Every required field left empty (``prisaar:`` with nothing after it, as an INDIGO import without a price year
# writes it) says it is missing, whatever its type: not "skal være et helt tal", "skal være tekst" or the
# field's own rule.  An optional field left empty is no error (startaar).


def _effect(**change):
    return {"effekter": [DATA["effekter"][0] | change]}


def _cost(**change):
    return {"indsats": [DATA["indsats"][0] | change]}


@pytest.mark.parametrize("change, argument", [
    ({"prisaar": None}, "prisaar"),  # a whole number
    ({"horisont": None}, "horisont"),
    ({"navn": None}, "navn"),  # a text
    ({"betaler": None}, "betaler"),  # a choice
    ({"diskontering": None}, "diskontering"),  # a field with its own validator
    ({"deltagere": None}, "deltagere"),  # a list
    ({"optimisme": {"omkostninger": None, "gevinster": 0.1}}, "optimisme.omkostninger"),
    (_effect(succesrate=None), "effekter[0].succesrate"),  # a share
    (_effect(enhedspris=None), "effekter[0].enhedspris"),
    (_effect(profil=None), "effekter[0].profil"),
    (_cost(pr_aar=[None, 100_000]), "indsats[0].pr_aar[0]"),  # a year of a series
    (_cost(betaler=None), "indsats[0].betaler"),
])  # fmt: skip
def test_an_empty_required_field_is_missing(change, argument):
    data = DATA | change
    data.pop("scenarier")  # they name the example's second effect, which _effect and _cost leave out
    with pytest.raises(SIError) as err:
        parse_case(data)
    found = {e.argument: e.message for e in (err.value, *err.value.others)}
    assert found == {argument: "mangler en værdi"}


def test_an_empty_optional_field_is_no_error():
    assert parse_case(DATA | {"startaar": None}).startaar is None


@pytest.mark.parametrize("name, label", [
    ("prisaar", "Forudsætninger!"), ("horisont", "Forudsætninger!"), ("navn", "Forudsætninger!"), ("eff1_succesrate", "Effekter!"),
])  # fmt: skip
def test_an_empty_required_cell_is_missing(tmp_path, capsys, name, label):
    """The workbook says the same of an empty input cell, named by its sheet, cell and label."""
    import openpyxl

    from workbooks import book
    from workbooks.cli import main
    from workbooks.layout import describe, resolve
    from workbooks.standard import dims_of, layout_for

    case = parse_case(DATA)
    path = book.build(case, tmp_path / "tom.xlsx")
    plan = resolve(layout_for(dims_of(case)), cells=False)
    ref = plan.names[name].cell(0)
    wb = openpyxl.load_workbook(path)
    wb[ref.sheet].cell(ref.min_row, ref.min_col).value = None
    wb.save(path)
    capsys.readouterr()
    assert main(["extract", str(path)]) == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Fejl i ")]
    assert len(lines) == 1 and lines[0].startswith(f"Fejl i {describe(plan, name)}: mangler en værdi"), lines
    assert label in lines[0]


def test_a_rate_card_measured_as_a_share_is_refused():
    """A rate card pays a price per outcome achieved: measured as a share (0–1) it paid 0,3 × 80.000 = 24.000 kr. where
    24 persons × 80.000 (capped at 1.500.000) were meant -- silently.  Refused by the measurement's path; measured as a
    count it is the case of tests/feature_cases.py (the rate card's 20.000 kr. a person)."""
    import copy

    from tests.feature_cases import CAP_AFTER_RATE_CARD_CAP

    data = copy.deepcopy(CAP_AFTER_RATE_CARD_CAP)
    data["maaling"]["kort"] = [{"effekt": "effekt", "maal": "andel"}]
    with pytest.raises(SIError) as err:
        parse_case(data)
    assert (err.value.argument, err.value.message) == (
        "maaling.kort[0].maal", "et ratekort betaler en pris pr. opnået udfald: mål antal (personer), ikke andel")
    parse_case(CAP_AFTER_RATE_CARD_CAP)  # as a count: accepted


@pytest.mark.parametrize("typed, message", [
    # a mark-up typed as "250 %" (2,5): over the 200 % allowed, said in per cent, no "skrev du 2,5 for 2,5 %?"
    (2.5, "skal ligge mellem 0 og 2 (0 %–200 %), ikke 2,5 (250 %)"),
    # 10 for 10 %: more than twice the highest, a per cent typed as a whole number
    (10, "skal ligge mellem 0 og 2 (0 %–200 %), ikke 10 (1.000 %); skrev du 10 for 10 %? Skriv 0,10 eller 10 %"),
])
def test_a_share_allowed_above_100_per_cent_is_refused_in_per_cent(typed, message):
    import copy

    from tests.feature_cases import LOSS_ABOVE_ZERO

    data = copy.deepcopy(LOSS_ABOVE_ZERO) | {"optimisme": {"omkostninger": typed}}
    with pytest.raises(SIError) as err:
        parse_case(data)
    assert (err.value.argument, err.value.message) == ("optimisme.omkostninger", message)
