"""Tests for udfs.core.cases and the three published cases in workbooks/cases/.

The published figures are those of seed 000 (Carelink Gruppen and Den Sociale
Kapitalfond, "Sociale effektinvesteringer"), mio. kr. at one decimal.  They are
written out here, not read from the case files, so that a wrong case file fails.
"""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from udfs.core.cases import (
    case_payments_by_year,
    component_savings,
    load_case,
    parse_case,
    reproduction,
    settle_case,
)
from udfs.core.errors import SIError
from udfs.core.payment import payment_model_from_yaml, payment_model_json_schema, payment_model_to_yaml
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
    s = settle_case(case)
    if figure.startswith("besparelse:"):
        component = next(c for c in case.besparelser if c.id == figure.split(":")[1])
        return component_savings(component)
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
    assert load_case(CASES_DIR / case_file).offentliggjorte_tal.investors_bonus is None  # shown as "—"


@pytest.mark.parametrize("case_file", CASE_FILES)
def test_net_saving_is_savings_minus_payments(case_file):
    s = settle_case(load_case(CASES_DIR / case_file))
    assert s.net_saving == pytest.approx(s.total_savings - s.total_payments)


@pytest.mark.parametrize("case_file", CASE_FILES)
def test_case_files_state_the_published_figures_of_this_test(case_file):
    # The case file's own record of the published figures must agree with the table above,
    # and reproduction() must agree with the published figure on every row it has.
    published = load_case(CASES_DIR / case_file).offentliggjorte_tal
    expected = {figure: value for f, figure, value in PUBLISHED if f == case_file}
    assert published.investering == expected["investering"]
    assert published.besparelse_i_alt == expected["besparelse_i_alt"]
    assert published.betaling_ved_fuld_succes == expected["betaling"]
    assert published.kommunal_nettobesparelse == expected["nettobesparelse"]
    assert published.besparelser == {k.split(":")[1]: v for k, v in expected.items() if k.startswith("besparelse:")}
    rows = reproduction(load_case(CASES_DIR / case_file))
    assert [(label, pub) for label, pub, comp in rows if pub is not None and pub != comp] == []


def test_sygedagpenge_published_bonus_is_recorded():
    assert load_case(CASES_DIR / "sygedagpenge.yaml").offentliggjorte_tal.investors_bonus == 1.2  # seed 000


# Timing assumptions stated in the case files: each payment falls in its measurement year.
PAYMENT_TIMING = [
    ("sygedagpenge.yaml", [0.0, 0.0, 7.4]),  # both targets measured after the 2-year follow-up
    ("job_til_mor.yaml", [0.0, 0.0, 0.7, 0.0, 4.9]),  # school absence after 3 years, employment after 5
    ("arbejdspladser_i_trivsel.yaml", [0.0, 5.6]),  # both at the end of the 2 years
]


@pytest.mark.parametrize(("case_file", "expected"), PAYMENT_TIMING)
def test_payments_fall_in_the_measurement_year(case_file, expected):
    assert [mio(p) for p in case_payments_by_year(load_case(CASES_DIR / case_file))] == expected


@pytest.mark.parametrize("case_file", CASE_FILES)
def test_derived_unit_prices_are_labelled_as_assumptions(case_file):
    # Seed 000 gives only totals: every unit price is derived, so it must carry an
    # 'antagelse' saying so, and no 'kilde' pretending it is published.
    for component in load_case(CASES_DIR / case_file).besparelser:
        price = component.drivere.enhedspris
        assert price.kilde is None
        assert "afledt af de offentliggjorte tal" in (price.antagelse or "")


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
    d["besparelser"][0]["drivere"]["deltagere"].pop("kilde")


def _percent_effect(d):
    d["besparelser"][0]["drivere"]["effekt"]["vaerdi"] = 12


def _short_profile(d):
    d["besparelser"][0]["tidsprofil"]["andele"] = [0.5, 0.5]


def _profile_not_one(d):
    d["besparelser"][0]["tidsprofil"]["andele"] = [0.0, 0.5, 0.6]


def _late_measurement(d):
    d["betalingsmodel"]["resultatmaal"][0]["aar"] = 3


def _threshold_at_target(d):
    d["betalingsmodel"]["resultatmaal"][0]["regel"]["taerskel"] = 15


def _negative_investment(d):
    d["investering"]["pr_aar"][0] = -1


def _missing_published(d):
    d["offentliggjorte_tal"]["besparelser"].pop("merbeskaeftigelse")


CASE_ERRORS = [
    # (change, argument, message part)
    (_no_source, "besparelser[0].drivere.deltagere.kilde", "kilde eller en antagelse"),
    (_percent_effect, "besparelser[0].drivere.effekt", "ikke procent"),
    (_short_profile, "besparelser[0].tidsprofil.andele", "har 2 værdier, men investering har 3"),
    (_profile_not_one, "besparelser[0].tidsprofil.andele", "summe til 1"),
    (_late_measurement, "betalingsmodel", "år 3"),
    (_threshold_at_target, "betalingsmodel.resultatmaal[0].regel.taerskel", "mindre end målet"),
    (_negative_investment, "investering.pr_aar", "negativ"),
    (_missing_published, "offentliggjorte_tal.besparelser", "ét tal pr. besparelseskomponent"),
]


@pytest.mark.parametrize(("change", "argument", "message"), CASE_ERRORS)
def test_case_errors_name_the_field(change, argument, message):
    with pytest.raises(SIError) as info:
        parse_case(broken(change))
    assert info.value.argument == argument
    assert message in info.value.message


def test_load_case_errors(tmp_path):
    with pytest.raises(SIError) as info:
        load_case(tmp_path / "findes_ikke.yaml")
    assert info.value.argument == "casefil"  # every case file is read by udfs.core.files.read_data
    bad = tmp_path / "bad.yaml"
    bad.write_text("navn: [ikke lukket", encoding="utf-8")
    with pytest.raises(SIError) as info:
        load_case(bad)
    assert (info.value.argument, "kan ikke læses" in info.value.message) == ("casefil", True)
