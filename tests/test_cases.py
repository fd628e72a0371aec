"""Tests for the three published cases in workbooks/cases/: ordinary case files with sources and published figures.

The published figures are those of seed 000 (Carelink Gruppen and Den Sociale
Kapitalfond, "Sociale effektinvesteringer"), mio. kr. at one decimal.  They are
written out here, not read from the case files, so that a wrong case file fails.
"""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from udfs.core.case_model import case_json_schema, dump_case, parse_case
from udfs.core.casefile import load_business_case as load_case
from udfs.core.engine import run
from udfs.core.errors import SIError
from udfs.core.payment import payment_model_from_yaml, payment_model_json_schema, payment_model_to_yaml
from udfs.core.published import deviation_text, deviations, reproduction, settle_case
from udfs.core.rounding import excel_round

CASES_DIR = Path(__file__).resolve().parents[1] / "workbooks" / "cases"
CASE_FILES = ["sygedagpenge.yaml", "job_til_mor.yaml", "arbejdspladser_i_trivsel.yaml"]


def mio(kr: float) -> float:
    return excel_round(kr / 1e6, 1)


# (case file, figure, published mio. kr.) — all from seed 000.
PUBLISHED = [
    # "Case: Investering i sygedagpengeindsatsen"
    ("sygedagpenge.yaml", "investering", 6.2),  # "stiller samlet 6,2 mio. kr. til rådighed"
    ("sygedagpenge.yaml", "besparelse:merbeskaeftigelse", 6.4),  # "6,4 mio. kr. … 15 ugers merbeskæftigelse"
    ("sygedagpenge.yaml", "besparelse:faerre_helaarspersoner", 23.0),  # "23 mio. kr. … 144 fuldsårspersoner"
    ("sygedagpenge.yaml", "besparelse_i_alt", 29.4),  # "samlet besparelse … 29,4 mio. kr."
    ("sygedagpenge.yaml", "betaling", 7.4),  # "kommunal betaling på 7,4 mio. kr."
    ("sygedagpenge.yaml", "bonus", 1.2),  # "resultatbonus på 1,2 mio. kr."
    ("sygedagpenge.yaml", "nettobesparelse", 22.0),  # "kommunal nettobesparelse på 22 mio. kr."
    # "Case: Job til mor"
    ("job_til_mor.yaml", "investering", 4.4),  # "investerer 4,4 mio. kr."
    ("job_til_mor.yaml", "besparelse:merbeskaeftigelse", 7.2),  # "7,2 mio. kr. … merbeskæftigelse på 12%"
    ("job_til_mor.yaml", "besparelse:skolefravaer", 1.1),  # "1,1 mio. kr. … 40% reduceret skolefravær"
    ("job_til_mor.yaml", "besparelse_i_alt", 8.3),  # "samlet besparelse … 8,3 mio. kr."
    ("job_til_mor.yaml", "betaling", 5.6),  # "kommunal betaling på 5,6 mio."
    ("job_til_mor.yaml", "nettobesparelse", 2.7),  # "kommunal nettobesparelse på 2,7 mio. kr."
    # "Case: Arbejdspladser i trivsel"
    ("arbejdspladser_i_trivsel.yaml", "investering", 4.4),  # "investerer 4,4 mio. kr."
    ("arbejdspladser_i_trivsel.yaml", "besparelse:sygefravaer", 7.0),  # "7,0 mio. kr. … sygefravær med 50%"
    ("arbejdspladser_i_trivsel.yaml", "besparelse:medarbejderomsaetning", 1.6),  # "1,6 mio. kr. … 30%"
    ("arbejdspladser_i_trivsel.yaml", "besparelse_i_alt", 8.6),  # "samlet besparelse … 8,6 mio. kr."
    ("arbejdspladser_i_trivsel.yaml", "betaling", 5.6),  # "kommunal betaling på 5,6 mio."
    ("arbejdspladser_i_trivsel.yaml", "nettobesparelse", 3.0),  # "nettobesparelse på 3,0 mio. kr."
]

# Seed 000 shows no bonus for these two, but payment 5.6 − investment 4.4 = 1.2 (derived, not published).
IMPLIED_BONUS = [("job_til_mor.yaml", 1.2), ("arbejdspladser_i_trivsel.yaml", 1.2)]


def computed(case_file: str, figure: str) -> float:
    case = load_case(CASES_DIR / case_file)
    result = run(case)
    s = settle_case(case, result=result)
    if figure.startswith("besparelse:"):
        i = [e.id for e in case.effekter].index(figure.split(":")[1])
        return float(result.savings[i, result.payer_index, 0].sum())
    return {
        "investering": s.total_investment,
        "besparelse_i_alt": s.total_savings,
        "betaling": s.total_payments,
        "bonus": s.bonus,
        "nettobesparelse": s.net_saving,
    }[figure]


@pytest.mark.parametrize(("case_file", "figure", "published"), PUBLISHED)
def test_case_reproduces_published_figure(case_file, figure, published):
    assert excel_round(computed(case_file, figure) / 1e6, 1) == published  # seed 000


@pytest.mark.parametrize(("case_file", "bonus"), IMPLIED_BONUS)
def test_bonus_implied_where_seed_shows_none(case_file, bonus):
    assert excel_round(computed(case_file, "bonus") / 1e6, 1) == bonus  # 5.6 − 4.4 (seed 000)
    assert load_case(CASES_DIR / case_file).offentliggjort.investors_bonus is None  # shown as "—"


@pytest.mark.parametrize("case_file", CASE_FILES)
def test_net_saving_is_savings_minus_payments(case_file):
    s = settle_case(load_case(CASES_DIR / case_file))
    assert s.net_saving == pytest.approx(s.total_savings - s.total_payments)


@pytest.mark.parametrize("case_file", CASE_FILES)
def test_case_files_state_the_published_figures_of_this_test(case_file):
    # The case file's own record of the published figures must agree with the table above,
    # and reproduction() must agree with the published figure on every row it has.
    published = load_case(CASES_DIR / case_file).offentliggjort
    expected = {figure: value for f, figure, value in PUBLISHED if f == case_file}
    assert published.investering == expected["investering"]
    assert published.besparelse_i_alt == expected["besparelse_i_alt"]
    assert published.betaling_ved_fuld_succes == expected["betaling"]
    assert published.kommunal_nettobesparelse == expected["nettobesparelse"]
    assert published.besparelser == {k.split(":")[1]: v for k, v in expected.items() if k.startswith("besparelse:")}
    rows = reproduction(load_case(CASES_DIR / case_file))
    assert len(rows) == 7 and deviations(rows) == []
    assert deviation_text(rows) == "Alle offentliggjorte tal genskabes."


def test_sygedagpenge_published_bonus_is_recorded():
    assert load_case(CASES_DIR / "sygedagpenge.yaml").offentliggjort.investors_bonus == 1.2  # seed 000


# Timing assumptions stated in the case files: each payment falls in its measurement year.
PAYMENT_TIMING = [
    ("sygedagpenge.yaml", [0.0, 0.0, 7.4]),  # both targets measured after the 2-year follow-up
    ("job_til_mor.yaml", [0.0, 0.0, 0.7, 0.0, 4.9]),  # school absence after 3 years, employment after 5
    ("arbejdspladser_i_trivsel.yaml", [0.0, 5.6]),  # both at the end of the 2 years
]


@pytest.mark.parametrize(("case_file", "expected"), PAYMENT_TIMING)
def test_payments_fall_in_the_measurement_year(case_file, expected):
    assert [mio(p) for p in run(load_case(CASES_DIR / case_file)).payments[0]] == expected


@pytest.mark.parametrize("case_file", CASE_FILES)
def test_derived_unit_prices_are_labelled_as_assumptions(case_file):
    # Seed 000 gives only totals: every unit price is derived, so it must carry an
    # 'antagelse' saying so, and no 'kilde' pretending it is published.
    case = load_case(CASES_DIR / case_file)
    assert len(case.egne_priser) == len(case.effekter)
    for i in range(len(case.egne_priser)):
        note = case.kilder[f"egne_priser[{i}].beloeb"]
        assert note.kilde is None
        assert "afledt af de offentliggjorte tal" in (note.antagelse or "")


@pytest.mark.parametrize("case_file", CASE_FILES)
def test_every_driver_keeps_its_source_or_assumption(case_file):
    # Each of the four drivers of the earlier format (participants, change in quantity, unit price,
    # effect) and the investment carries a kilde or an antagelse in the case file.
    case = load_case(CASES_DIR / case_file)
    for i in range(len(case.effekter)):
        for field in ("profil", "succesrate"):
            assert f"effekter[{i}].{field}" in case.kilder, (i, field)
        assert f"effekter[{i}].deltagere" in case.kilder or (i == 0 and "deltagere" in case.kilder)
    assert "indsats[0].pr_aar" in case.kilder and "prisaar" in case.kilder


# --------------------------------------------------------------------------
# The payment model inside each case file: JSON Schema and YAML round trip
# --------------------------------------------------------------------------


def raw_payment_model(case_file: str) -> dict:
    return yaml.safe_load((CASES_DIR / case_file).read_text(encoding="utf-8"))["betalingsmodel"]


@pytest.mark.parametrize("case_file", CASE_FILES)
def test_json_schema_validates_case_payment_model(case_file):
    jsonschema.Draft202012Validator(payment_model_json_schema()).validate(raw_payment_model(case_file))


@pytest.mark.parametrize("case_file", CASE_FILES)
def test_case_payment_model_round_trips_through_yaml(case_file):
    model = load_case(CASES_DIR / case_file).betalingsmodel
    assert payment_model_from_yaml(payment_model_to_yaml(model)) == model


# --------------------------------------------------------------------------
# Errors in case files
# --------------------------------------------------------------------------


def broken(change) -> dict:
    data = yaml.safe_load((CASES_DIR / "sygedagpenge.yaml").read_text(encoding="utf-8"))
    change(data)
    return data


def _no_source(d):
    d["deltagere"].pop("kilde")


def _percent_effect(d):
    d["effekter"][0]["succesrate"]["vaerdi"] = 12


def _long_profile(d):
    d["effekter"][0]["profil"]["vaerdi"] = [0, -5, -5, -5]


def _source_not_text(d):
    d["effekter"][0]["succesrate"]["kilde"] = ["a", "b"]


def _late_measurement(d):
    d["betalingsmodel"]["resultatmaal"][0]["aar"] = 3


def _threshold_at_target(d):
    d["betalingsmodel"]["resultatmaal"][0]["regel"]["taerskel"] = 15


def _negative_investment(d):
    d["indsats"][0]["pr_aar"]["vaerdi"][0] = -1


def _unknown_published_effect(d):
    d["offentliggjort"]["besparelser"]["ukendt"] = 1.0


def _source_twice(d):
    d["kilder"] = {"deltagere": {"kilde": "også her"}}


def _source_for_nothing(d):
    d["kilder"] = {"effekter[0].doedvaegt_x": {"kilde": "intet felt"}}


def _floor_above_cap(d):
    d["afkastloft"], d["afkastgulv"] = 0.2, 0.3


def _factor_zero(d):
    d["maaling"]["merbeskaeftigelse"]["faktor"]["vaerdi"] = 0


CASE_ERRORS = [
    # (change, argument, message part)
    (_no_source, "deltagere", "kilde eller en antagelse"),
    (_percent_effect, "effekter[0].succesrate", "mellem 0 og 1, ikke 12"),
    (_long_profile, "effekter[0].profil", "har 4 år, men horisonten er 3 år"),
    (_source_not_text, "effekter[0].succesrate", "skal være tekst"),
    (_late_measurement, "betalingsmodel.resultatmaal[0].aar", "år 3 ligger efter horisonten (år 0–2)"),
    (_threshold_at_target, "betalingsmodel.resultatmaal[0].regel.taerskel", "mindre end målet"),
    (_negative_investment, "indsats[0].pr_aar[0]", ""),
    (_unknown_published_effect, "offentliggjort.besparelser", "ukendt effekt 'ukendt'"),
    (_source_twice, "deltagere", "angiv den ét sted"),
    (_source_for_nothing, "effekter[0].doedvaegt_x", "har ikke det felt"),
    (_factor_zero, "maaling.merbeskaeftigelse.faktor", ""),
    (_floor_above_cap, "afkastgulv", "må ikke være større end afkastloftet"),  # udfs.core.settlement's rule
]


@pytest.mark.parametrize(("change", "argument", "message"), CASE_ERRORS)
def test_case_errors_name_the_field(change, argument, message):
    with pytest.raises(SIError) as info:
        parse_case(broken(change))
    assert info.value.argument == argument
    assert message in info.value.message


def test_the_earlier_published_format_is_refused_with_a_danish_note(tmp_path):
    old = tmp_path / "gammel.yaml"
    old.write_text("navn: x\nbesparelser: []\noffentliggjorte_tal: {}\n", encoding="utf-8")
    with pytest.raises(SIError) as info:
        load_case(old)
    assert info.value.argument == "casefil" and "tidligere format" in info.value.message


# --------------------------------------------------------------------------
# One format: sources in the JSON Schema and in the YAML round trip
# --------------------------------------------------------------------------


@pytest.mark.parametrize("case_file", CASE_FILES)
def test_raw_case_file_with_sources_fits_the_json_schema(case_file):
    schema = case_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load((CASES_DIR / case_file).read_text(encoding="utf-8")))
    bad = broken(lambda d: d["deltagere"].update(kilder="stavefejl"))  # not a sourced value: refused by the schema too
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


@pytest.mark.parametrize("case_file", CASE_FILES)
def test_sources_round_trip_through_yaml_beside_their_values(case_file):
    case = load_case(CASES_DIR / case_file)
    text = dump_case(case)
    data = yaml.safe_load(text)
    assert "kilder" not in data and "antagelse" in data["effekter"][0]["succesrate"]
    assert parse_case(data) == case


# --------------------------------------------------------------------------
# What-ifs: a copy with a driver changed calculates and reports the difference
# --------------------------------------------------------------------------


def test_what_if_from_a_published_case_calculates_and_reports_the_difference():
    data = broken(lambda d: d["effekter"][0]["succesrate"].update(vaerdi=0.5))
    case = parse_case(data)
    rows = reproduction(case)
    # Hand calculation (sygedagpenge, merbeskaeftigelse at half success): savings 120 × 15 × 0.5 ×
    # 3,555.5556 = 3,200,000.04 kr. → 3.2 mio.; the total 3.2 + 23.0 = 26.2; the linear payment from 0 to 15
    # weeks at 7.5 weeks pays half of 1,610,884.35 = 805,442.18, so payments 805,442.18 + 5,789,115.65 =
    # 6,594,557.83 → 6.6; bonus 6.6 − 6.2 = 0.4 (0.394557.83 → 0.4); net 26,200,000.0 − 6,594,557.8 → 19.6.
    # "Betaling ved fuld succes" is the payment with every success rate at 1, as published, not at the
    # what-if's rates: the linear payment reaches 15 weeks and pays 1,610,884.35 in full, so 7,400,000 → 7.4.
    assert deviations(rows) == [
        ("Besparelse: 15 ugers merbeskæftigelse for de 120 sygemeldte", 6.4, 3.2),
        ("Besparelse i alt", 29.4, 26.2),
        ("Investors bonus", 1.2, 0.4),
        ("Kommunal nettobesparelse", 22.0, 19.6),
    ]
    assert ("Betaling ved fuld succes", 7.4, 7.4) in rows
    assert deviation_text(rows).startswith("Casen afviger fra de offentliggjorte tal (mio. kr.): "
                                           "Besparelse: 15 ugers merbeskæftigelse for de 120 sygemeldte 6,4 "
                                           "offentliggjort, 3,2 beregnet;")


def test_what_if_through_the_command_line_is_a_report_not_a_refusal(tmp_path, capsys):
    from workbooks.cli import main

    what_if = tmp_path / "hvad_hvis.yaml"
    what_if.write_text(yaml.safe_dump(broken(lambda d: d["effekter"][0]["succesrate"].update(vaerdi=0.5)),
                                      allow_unicode=True), encoding="utf-8")
    assert main(["calc", str(what_if)]) == 0
    out = capsys.readouterr().out
    assert "Casen afviger fra de offentliggjorte tal (mio. kr.)" in out and "✗ Besparelse i alt" in out
    assert main(["calc", str(what_if), "--json"]) == 0
    data = __import__("json").loads(capsys.readouterr().out)
    assert data["offentliggjort_sammenligning"].startswith("Casen afviger fra de offentliggjorte tal")


def test_load_case_errors(tmp_path):
    with pytest.raises(SIError) as info:
        load_case(tmp_path / "findes_ikke.yaml")
    assert info.value.argument == "casefil"  # every case file is read by udfs.core.files.read_data
    bad = tmp_path / "bad.yaml"
    bad.write_text("navn: [ikke lukket", encoding="utf-8")
    with pytest.raises(SIError) as info:
        load_case(bad)
    assert (info.value.argument, "kan ikke læses" in info.value.message) == ("casefil", True)
