"""The business-case engine against a worked example computed by hand in this file."""

import copy

import yaml

import numpy as np
import pytest

from udfs.core.businesscase import payback_year, yearly_table
from udfs.core.case_model import parse_case
from udfs.core.engine import run
from udfs.core.errors import SIError

KH = 2756.31  # kontanthjælp 30+ ikke-forsørger 2023: 11.944 kr./md. × 12 / 52 (bm.dk), kommune 80 %, stat 20 %
PLACEMENT = 400_000.0  # an own unit price in the example (kr. per year, kommune 100 %)

WORKED = {
    "navn": "Regneeksempel",
    "prisaar": 2023,
    "startaar": 2025,
    "horisont": 5,
    "diskontering": 0.04,
    "deltagere": [10, 20, 10],  # a 3-year intervention
    "indsats": [{"navn": "Indsats", "betaler": "kommune", "pr_aar": [100_000, 100_000, 100_000]}],
    "egne_priser": [{
        "id": "anbringelse_eksempel_aar", "navn": "Anbringelse (eksempelpris)", "enhed": "aar",
        "beloeb": PLACEMENT, "prisaar": 2023, "andel_kommune": 1, "andel_region": 0, "andel_stat": 0,
        "budgetomraade": "Sociale serviceydelser", "kilde_udgiver": "Regneeksempel",
        "kilde_dokument": "Testens egen pris", "kildetype": "egen",
    }],
    "effekter": [
        {"id": "job", "navn": "Færre uger på kontanthjælp", "enhedspris": "kontanthjaelp_30plus_ikke_forsoerger_uge",
         "profil": [-20, -15], "succesrate": 0.30, "kontrolgruppe": 0.10, "frafald": 0.2},
        {"id": "anbringelse", "navn": "Færre anbringelser", "enhedspris": "anbringelse_eksempel_aar",
         "profil": [-0.1], "succesrate": 0.25, "doedvaegt": 0.05, "forsinkelse": 1},
    ],
}

# Effect "job": net success 0.30 − 0.10 (control group) = 0.20; kernel −20, −15 × (1 − 0.2) = −12.
DQ_JOB = [
    10 * 0.2 * -20,                      # year 0: intake 0, profile year 0
    10 * 0.2 * -12 + 20 * 0.2 * -20,     # year 1
    20 * 0.2 * -12 + 10 * 0.2 * -20,     # year 2
    10 * 0.2 * -12,                      # year 3
    0.0,
]  # fmt: skip
# Effect "anbringelse": net 0.25 − 0.05 = 0.20, one year's lag, kernel −0.1.
DQ_PLACEMENT = [0.0, 10 * 0.2 * -0.1, 20 * 0.2 * -0.1, 10 * 0.2 * -0.1, 0.0]

SAVE_KOMMUNE = [-(q1 * KH * 0.8 + q2 * PLACEMENT) for q1, q2 in zip(DQ_JOB, DQ_PLACEMENT)]
SAVE_STAT = [-q1 * KH * 0.2 for q1 in DQ_JOB]
COSTS = [100_000, 100_000, 100_000, 0, 0]
NET_KOMMUNE = [s - c for s, c in zip(SAVE_KOMMUNE, COSTS)]
NET_PUBLIC = [k + s - c for k, s, c in zip(SAVE_KOMMUNE, SAVE_STAT, COSTS)]
PV_KOMMUNE = sum(n / 1.04**y for y, n in enumerate(NET_KOMMUNE))


def test_worked_example_every_year_and_authority():
    r = run(parse_case(WORKED))
    s = r.savings_by_authority[:, 0]
    for y in range(5):
        assert s[0, y] == pytest.approx(SAVE_KOMMUNE[y], abs=0.01), y
        assert s[1, y] == pytest.approx(0.0, abs=0.01), y
        assert s[2, y] == pytest.approx(SAVE_STAT[y], abs=0.01), y
        assert r.payer_net[0, y] == pytest.approx(NET_KOMMUNE[y], abs=0.01), y
        assert r.public_net[0, y] == pytest.approx(NET_PUBLIC[y], abs=0.01), y
    assert r.payer_pv[0] == pytest.approx(PV_KOMMUNE, abs=0.01)


def test_worked_example_table_and_payback():
    table = yearly_table(run(parse_case(WORKED)))
    header, rows = table[0], table[1:]
    col = {name: i for i, name in enumerate(header)}
    assert [r[col["Kalenderår"]] for r in rows] == [2025, 2026, 2027, 2028, 2029]
    cumulative = np.cumsum(NET_KOMMUNE)
    assert [r[col["Netto betaler kumuleret"]] for r in rows] == pytest.approx(list(cumulative), abs=0.01)
    expected = next(y for y in range(5) if all(c >= 0 for c in cumulative[y:]))
    assert payback_year(np.array(NET_KOMMUNE)) == expected


def test_optimism_bias_scales_costs_and_benefits():
    case = copy.deepcopy(WORKED)
    case["optimisme"] = {"omkostninger": 0.2, "gevinster": 0.1}
    r = run(parse_case(case))
    assert r.payer_net[0, 1] == pytest.approx(SAVE_KOMMUNE[1] * 0.9 - COSTS[1] * 1.2, abs=0.01)


# The optimism deduction on gains (10 %) shrinks gains only (trial 3, finding 4): "anbringelse" now has a
# profile of MORE use (+0.1, extra spending), which counts in full; "job" (less use) keeps the deduction.
OPTIMISM = copy.deepcopy(WORKED)
OPTIMISM["optimisme"] = {"omkostninger": 0.0, "gevinster": 0.1}
OPTIMISM["effekter"][1]["profil"] = [0.1]
OPT_KOMMUNE = [-(0.9 * q1 * KH * 0.8 + (-q2) * PLACEMENT) for q1, q2 in zip(DQ_JOB, DQ_PLACEMENT)]  # DQ_PLACEMENT's sign flips
OPT_STAT = [-0.9 * q1 * KH * 0.2 for q1 in DQ_JOB]


def test_optimism_deduction_shrinks_gains_only():
    s = run(parse_case(OPTIMISM)).savings_by_authority[:, 0]
    for y in range(5):
        assert s[0, y] == pytest.approx(OPT_KOMMUNE[y], abs=0.01), y
        assert s[2, y] == pytest.approx(OPT_STAT[y], abs=0.01), y
    everything = 0.9 * -(DQ_JOB[1] * KH * 0.8 - DQ_PLACEMENT[1] * PLACEMENT)  # 10 % off the extra spending too
    assert OPT_KOMMUNE[1] < everything  # more cautious than deducting 10 % from everything


def test_optimism_deduction_same_in_the_fast_present_values():
    from udfs.core.engine import base_drivers, calculate, prepare, present_values

    case = parse_case(OPTIMISM)
    p, d = prepare(case), base_drivers(case)
    payer, public, investor = present_values(p, d)
    full = calculate(p, d)
    assert payer[0] == pytest.approx(full.payer_pv[0], rel=1e-12)
    assert public[0] == pytest.approx(full.public_pv[0], rel=1e-12)


def _bad(path, value):
    case = copy.deepcopy(WORKED)
    target = case
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return case


@pytest.mark.parametrize(
    "case, field",
    [
        (_bad(["effekter", 0, "enhedspris"], "findes_ikke"), "effekter[0].enhedspris"),
        (_bad(["effekter", 1, "profil"], [-0.1] * 6), "effekter[1].profil"),  # longer than the horizon
        (_bad(["effekter", 0, "succesrate"], 30), "effekter[0].succesrate"),  # per cent, not a share
        (_bad(["effekter", 0, "frafald"], -0.1), "effekter[0].frafald"),
        (_bad(["deltagere"], {2027: 10, 2026: 5}), "deltagere"),  # years out of order
        (_bad(["deltagere"], [1, 2, 3, 4, 5, 6]), "deltagere"),
        (_bad(["indsats", 0, "pr_aar"], [1, -2]), "indsats[0].pr_aar[1]"),
        (_bad(["horisont"], 31), "horisont"),
        (_bad(["effekter", 0, "doedvaegt"], 0.1), "effekter[0].kontrolgruppe"),  # both given
        (_bad(["effekter", 0, "enhedspris"], "offentlig_gevinst_kontanthjaelp_til_job_aar"), "effekter[0].enhedspris"),
    ],
)
def test_bad_case_names_the_field(case, field):
    with pytest.raises(SIError) as err:
        parse_case(case)
    assert err.value.argument == field, err.value.danish


def test_years_as_calendar_mapping():
    case = copy.deepcopy(WORKED)
    case["deltagere"] = {2025: 10, 2026: 20, 2027: 10}
    assert run(parse_case(case)).payer_pv[0] == pytest.approx(PV_KOMMUNE, abs=0.01)


# ------------------------------------------------------------------ the published cases through the engine

from pathlib import Path  # noqa: E402

from udfs.core.businesscase import key_figures  # noqa: E402
from udfs.core.casefile import load_business_case, read_data  # noqa: E402
from udfs.core.published import mio  # noqa: E402

CASES = [p for p in sorted((Path(__file__).resolve().parents[1] / "workbooks" / "cases").glob("*.yaml")) if "offentliggjort" in read_data(p)]


def test_the_three_published_cases_are_found():
    assert [p.stem for p in CASES] == ["arbejdspladser_i_trivsel", "job_til_mor", "sygedagpenge"]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_published_cases_through_the_full_engine(path):
    """Seed 000 (Den Sociale Kapitalfond / Carelink Gruppen): the same published figures at 0.1 mio. kr."""
    case = load_business_case(path)
    fig = case.offentliggjort
    r = run(case)
    kommune_savings = r.savings_by_authority[0, 0]
    assert mio(r.investment[0].sum()) == fig.investering
    for i, e in enumerate(case.effekter):
        assert mio(r.savings[i, 0, 0].sum()) == fig.besparelser[e.id], e.id
    assert mio(kommune_savings.sum()) == fig.besparelse_i_alt
    assert mio(r.payments[0].sum()) == fig.betaling_ved_fuld_succes
    if fig.investors_bonus is not None:
        assert mio(key_figures(r)["bonus"]) == fig.investors_bonus
    assert mio(r.payer_net[0].sum()) == fig.kommunal_nettobesparelse


def test_case_json_schema_validates_the_examples_and_round_trips():
    """The JSON Schema of the case file accepts every example; YAML → case → YAML → case is equal."""
    import jsonschema

    from udfs.core.case_model import case_json_schema, dump_case
    from udfs.core.casefile import load_business_case

    schema = case_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    examples = sorted((Path(__file__).resolve().parents[1] / "workbooks" / "cases").glob("*.yaml"))
    for path in examples:
        case = load_business_case(path)
        jsonschema.validate(case.model_dump(mode="json"), schema)
        assert parse_case(yaml.safe_load(dump_case(case))) == case, path.name
    jsonschema.validate(WORKED, schema)


@pytest.mark.parametrize(
    "refusion, kommune",
    [
        ({"uge": 10}, 0.6),  # weeks 5–26: the state refunds 40 % (LBK nr. 221 af 12/02/2021 § 5, stk. 2)
        ({"uge": 53}, 0.8),  # from week 53: 20 % refusion
        ({"uge": 2}, 0.2),  # weeks 1–4: 80 % refusion
        ({"uge": 30, "ordning": "medfinansiering_2016"}, 0.7),  # § 5, stk. 3: co-financing 70 % in weeks 27–52
    ],
)
def test_refusion_assumption_sets_the_split(refusion, kommune):
    case = copy.deepcopy(WORKED)
    case["effekter"][0]["refusion"] = refusion
    r = run(parse_case(case))
    for y in range(5):  # effect "job" only: −ΔQ × 2,756.31 kr. × the kommune's / the state's share
        assert r.savings[0, 0, 0, y] == pytest.approx(-DQ_JOB[y] * KH * kommune, abs=0.01)
        assert r.savings[0, 2, 0, y] == pytest.approx(-DQ_JOB[y] * KH * (1 - kommune), abs=0.01)


@pytest.mark.parametrize(
    "refusion, field",
    [({"uge": 0}, "effekter[0].refusion.uge"), ({"uge": 5, "ordning": "gammel"}, "effekter[0].refusion.ordning")],
)
def test_bad_refusion_assumption_names_the_field(refusion, field):
    case = copy.deepcopy(WORKED)
    case["effekter"][0]["refusion"] = refusion
    with pytest.raises(SIError) as err:
        parse_case(case)
    assert err.value.argument == field
