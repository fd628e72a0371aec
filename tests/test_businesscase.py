"""Payments inside the business case, break-even, payback, scenarios, tornado and Monte Carlo."""

import copy
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import yaml

from tests.test_engine import WORKED
from udfs.core import engine
from tests.feature_cases import AFTER_HORIZON, FEATURE_CASES, LOSS_ABOVE_ZERO, LOSS_BELOW_DEADWEIGHT
from udfs.core.businesscase import (
    break_even_of, break_even_success_rate, break_evens, deadweight_floor, key_figures, linear_pieces, payback_year,
    payback_years, rule_knots, success_profile, yearly_table,
)
from udfs.core.case_model import parse_case
from udfs.core.errors import SIError
from udfs.core.payment import PaymentModel, contract_payments
from udfs.core.uncertainty import monte_carlo, scenarios, switching_values, tornado
from udfs.core.vocabulary import NO_OUTLAY, NOT_WITHIN


def with_payments(rule: dict, maal: str = "antal", cap: float | None = None) -> dict:
    case = copy.deepcopy(WORKED)
    case["indsats"] = [{"navn": "Indsats (investor)", "betaler": "investor", "pr_aar": [100_000, 100_000, 100_000]}]
    metric = {"id": "job", "navn": "Flere i job", "enhed": "personer", "datakilde": "eIndkomst",
              "maaletidspunkt": "efter år 3", "aar": 3, "regel": rule}
    case["betalingsmodel"] = {"resultatmaal": [metric], **({"loft_kontrakt": cap} if cap else {})}
    case["maaling"] = {"job": {"effekt": "job", "maal": maal}}
    return case


LINEAR = {"type": "lineaer", "taerskel": 2, "maal": 8, "betaling_ved_maal": 300_000, "loft": 350_000}


def pv_with_rate(case: dict, rate: float) -> float:
    c = copy.deepcopy(case)
    for e in c["effekter"]:
        e["succesrate"] = rate
    return float(engine.run(parse_case(c)).payer_pv[0])


def test_payment_in_the_case_by_hand():
    # 40 participants × net success (0.30 − 0.10) = 8 net successes = the target → 300,000 kr. in year 3.
    r = engine.run(parse_case(with_payments(LINEAR)))
    assert r.payments[0].tolist() == pytest.approx([0, 0, 0, 300_000, 0])
    assert key_figures(r)["bonus"] == pytest.approx(0.0, abs=0.01)


@pytest.mark.parametrize(
    "case",
    [
        copy.deepcopy(WORKED),  # no payments: PV linear in the rate
        with_payments(LINEAR),  # kinks at threshold, target and cap
        with_payments({"type": "lineaer", "taerskel": 0.0, "maal": 0.15, "betaling_ved_maal": 250_000}, "andel"),
        with_payments(LINEAR, cap=200_000),  # contract cap cuts the payment
    ],
    ids=["no-payments", "linear-with-cap", "linear-on-share", "contract-cap"],
)
def test_break_even_gives_zero_present_value(case):
    rate = break_even_success_rate(parse_case(case))
    assert rate is not None and 0 <= rate <= 1
    assert pv_with_rate(case, rate) == pytest.approx(0.0, abs=0.01)
    assert pv_with_rate(case, max(0.0, rate - 1e-4)) < 0  # the lowest such rate


def test_break_even_at_a_tier_step():
    # A large step payment (5 mio. kr.) at 10 net successes (s = 0.10 + 10/40 = 35 %) makes the PV jump down
    # and stay negative to 100 %: the payer gains only between the first zero and the step, so there is no
    # rate from which it stays ≥ 0 (the old definition said the first zero, 8.2 %).
    case = with_payments({"type": "trappe", "taerskler": [10], "betalinger": [5_000_000]})
    be = break_evens(parse_case(case))["betaler"]
    assert be.rate is None and pv_with_rate(case, 1.0) < 0
    (lo1, hi1), (lo2, hi2) = be.losses
    assert lo1 == 0 and pv_with_rate(case, hi1) == pytest.approx(0.0, abs=0.01) and pv_with_rate(case, hi1 - 1e-6) < 0
    assert (lo2, hi2) == pytest.approx((0.35, 1.0), abs=1e-12)
    assert pv_with_rate(case, 0.35) < 0 <= pv_with_rate(case, 0.35 - 1e-6)


def test_break_even_none_when_unreachable():
    case = copy.deepcopy(WORKED)
    case["indsats"][0]["pr_aar"] = [1e9, 1e9, 1e9]
    assert break_even_success_rate(parse_case(case)) is None


def test_payback_agrees_with_cumulative_table():
    r = engine.run(parse_case(with_payments(LINEAR)))
    table = yearly_table(r)
    col = table[0].index("Netto betaler kumuleret")
    cumulative = [row[col] for row in table[1:]]
    year = payback_year(r.payer_net[0])
    if year is None:
        assert cumulative[-1] < 0
    else:
        assert all(c >= 0 for c in cumulative[year:]) and (year == 0 or cumulative[year - 1] < 0)


# ---------------------------------------------------------------- vectorised payments = scalar payments

RULES = st.one_of(
    st.builds(lambda t, w, p, c: {"type": "lineaer", "taerskel": t, "maal": t + w, "betaling_ved_maal": p, **({"loft": c} if c else {})},
              st.floats(0, 50), st.floats(0.5, 50), st.floats(0, 1e6), st.one_of(st.none(), st.floats(0, 2e6))),
    st.builds(lambda ts, p: {"type": "trappe", "taerskler": sorted(set(ts)), "betalinger": [p * (i + 1) for i in range(len(set(ts)))]},
              st.lists(st.floats(0, 100), min_size=1, max_size=4), st.floats(0, 1e6)),
)


@settings(max_examples=200, deadline=None)
@given(rules=st.lists(RULES, min_size=1, max_size=3), achieved=st.lists(st.floats(0, 150), min_size=3, max_size=3),
       years=st.lists(st.integers(0, 4), min_size=3, max_size=3), cap=st.one_of(st.none(), st.floats(0, 2e6)))
def test_vectorised_payments_equal_the_scalar_contract(rules, achieved, years, cap):
    metrics = [{"id": f"m{i}", "navn": "x", "enhed": "x", "datakilde": "x", "maaletidspunkt": "x", "aar": years[i], "regel": r}
               for i, r in enumerate(rules)]
    model = PaymentModel.model_validate({"resultatmaal": metrics, **({"loft_kontrakt": cap} if cap is not None else {})})
    scalar = contract_payments(model, {f"m{i}": achieved[i] for i in range(len(rules))}, years=5)
    by_year = np.zeros((1, 5))
    for i, m in enumerate(model.resultatmaal):
        by_year[0, m.aar] += engine.metric_payment(m, [np.array([achieved[i]])], np.array([1.0]))[0]
    if cap is not None:
        by_year = engine.cap_latest_first(by_year, cap)
    assert by_year[0].tolist() == pytest.approx(scalar, abs=1e-6)


# ---------------------------------------------------------------- uncertainty

def test_scenarios_and_tornado():
    case = copy.deepcopy(WORKED)
    case["scenarier"] = {"lav": {"effekter.job.succesrate": 0.2}, "hoej": {"effekter.job.succesrate": 0.4}}
    c = parse_case(case)
    result = scenarios(c)
    assert result["lav"]["betaler"] < result["basis"]["betaler"] < result["hoej"]["betaler"]
    bars = tornado(c, 0.1)
    assert bars[0].swing >= bars[-1].swing
    job = next(b for b in bars if b.driver == "effekter.job.succesrate")
    assert (job.low_value, job.high_value) == pytest.approx((0.27, 0.33))
    assert job.pv_low == pytest.approx(scenarios(parse_case({**case, "scenarier": {"x": {"effekter.job.succesrate": 0.27}}}))["x"]["betaler"])


def test_switching_value_gives_zero_present_value():
    c = parse_case(copy.deepcopy(WORKED))
    value = switching_values(c, ["omkostningsfaktor"])["omkostningsfaktor"]
    case = copy.deepcopy(WORKED)
    case["indsats"][0]["pr_aar"] = [100_000 * value] * 3
    assert float(engine.run(parse_case(case)).payer_pv[0]) == pytest.approx(0.0, abs=0.01)


def test_unknown_driver_in_a_scenario_names_it():
    case = copy.deepcopy(WORKED)
    case["scenarier"] = {"lav": {"effekter.findes.succesrate": 0.2}}
    with pytest.raises(SIError) as err:
        scenarios(parse_case(case))
    assert err.value.argument == "scenarier.lav.effekter.findes.succesrate"


def _mc_case(distributions: dict) -> dict:
    case = copy.deepcopy(with_payments(LINEAR))
    case["usikkerhed"] = {"antal_traek": 5000, "seed": 7, "fordelinger": distributions}
    return case


def test_monte_carlo_reproducible_with_seed():
    c = parse_case(_mc_case({"effekter.job.succesrate": {"fordeling": "triangulaer", "min": 0.15, "mest_sandsynlig": 0.3, "max": 0.4},
                              "omkostningsfaktor": {"fordeling": "normal", "middel": 1.0, "spredning": 0.1}}))
    a, b = monte_carlo(c), monte_carlo(c)
    assert np.array_equal(a.payer_pv, b.payer_pv)
    assert not np.array_equal(a.payer_pv, monte_carlo(c, seed=8).payer_pv)
    s = a.summary()
    assert s["P5 nutidsværdi betaler"] <= s["P50 nutidsværdi betaler"] <= s["P95 nutidsværdi betaler"]
    assert 0 <= s["Sandsynlighed for gevinst (betaler)"] <= 1 and 0 <= s["Sandsynlighed for tab (investor, før garanti)"] <= 1


@pytest.mark.parametrize("dist", [
    {"fordeling": "fast", "vaerdi": 0.30},
    {"fordeling": "normal", "middel": 0.30, "spredning": 0.0},
    {"fordeling": "uniform", "min": 0.30, "max": 0.30},
    {"fordeling": "triangulaer", "min": 0.30, "mest_sandsynlig": 0.30, "max": 0.30},
])
def test_monte_carlo_degenerate_equals_deterministic(dist):
    c = parse_case(_mc_case({"effekter.job.succesrate": dist}))
    deterministic = float(engine.run(c).payer_pv[0])
    mc = monte_carlo(c, draws=1000)
    assert mc.payer_pv.mean() == pytest.approx(deterministic, abs=0.01)


def test_monte_carlo_mean_converges_for_a_linear_driver():
    # The PV is linear in the cost factor, so a symmetric distribution's mean converges on the base PV.
    c = parse_case(_mc_case({"omkostningsfaktor": {"fordeling": "uniform", "min": 0.8, "max": 1.2}}))
    deterministic = float(engine.run(c).payer_pv[0])
    spread = 0.2 * 300_000  # the cost PV moves by at most ±20 % of ~0.3 mio.
    assert abs(monte_carlo(c, draws=200_000).payer_pv.mean() - deterministic) < spread / 100


# ---------------------------------------------------------------- break-even: where the payer stays ≥ 0

def test_break_even_is_where_the_payer_stays_non_negative_not_the_first_zero():
    """Hand calculation (tests/feature_cases.py LOSS_ABOVE_ZERO, discount rate 0): 100 participants × s ×
    10 units × 1,000 kr. = 1,000,000·s kr. saved in year 0; the payer pays 59,000 kr. from 2 net successes
    (s = 2 %), 66,000 from 8 (s = 8 %), 600,000 from 50 (s = 50 %), in year 1.
    PV(s) = 1,000,000·s − payment: 0 at s = 0; −39,000 at 2 %, 0 at 5.9 %; 14,000 at 8 %;
    500,000 − 600,000 = −100,000 at 50 %, 0 at 60 %.  So the payer loses at 2–5.9 % and 50–60 %, at most
    100,000 kr., and stays ≥ 0 from 60 % (the old definition, the lowest rate with PV ≥ 0, said 0 %).
    Investor: −50,000 + 59,000 ≥ 0 from 2 % (money back); at its required 25 %: −50,000 + 59,000/1.25 =
    −2,800 < 0, −50,000 + 66,000/1.25 = 2,800 ≥ 0, so from 8 %."""
    case = parse_case(LOSS_ABOVE_ZERO)
    be = break_evens(case)
    assert be["betaler"].rate == pytest.approx(0.60, abs=1e-9)
    assert [tuple(r) for r in be["betaler"].losses] == [pytest.approx((0.02, 0.059), abs=1e-9), pytest.approx((0.5, 0.6), abs=1e-9)]
    assert be["betaler"].minimum == pytest.approx(-100_000, abs=0.01)
    assert be["investor"].rate == pytest.approx(0.02, abs=1e-12)
    assert be["investor"].losses == (pytest.approx((0.0, 0.02), abs=1e-9),)
    assert be["investor_krav"].rate == pytest.approx(0.08, abs=1e-12)
    k = key_figures(engine.run(case))
    assert k["break_even"] == pytest.approx(0.60, abs=1e-9)
    assert k["tab_intervaller"] == "2,0 %–5,9 %; 50,0 %–60,0 %"
    assert k["tab_stoerst"] == pytest.approx(100_000, abs=0.01)
    assert k["be_investor"] == pytest.approx(0.02, abs=1e-12)
    assert k["be_investor_krav"] == pytest.approx(0.08, abs=1e-12)



def test_the_payers_largest_loss_is_sought_from_the_deadweight_up():
    """Hand calculation (tests/feature_cases.py LOSS_BELOW_DEADWEIGHT, discount rate 0): savings
    2,000,000 × (s − 0.10) kr. (deadweight 10 %), the payer's cost 200,000, a step of 300,000 from s = 30 %.
    PV = −400,000 at 0, −200,000 at 10 %, 0 at 20 %, 200,000 just below 30 %, −100,000 at 30 %, 0 at 35 %.
    The payer loses on 0–20 % and 30–35 % (both ranges kept) and breaks even at 35 %; its largest loss from
    the deadweight up is 200,000 kr. (at 10 %), not the 400,000 kr. at 0 %, where the net success rate is −10 %
    and the model books extra benefit weeks."""
    case = parse_case(LOSS_BELOW_DEADWEIGHT)
    assert deadweight_floor(case) == 0.10
    payer = break_evens(case)["betaler"]
    assert payer.start == 0.10
    assert payer.rate == pytest.approx(0.35, abs=1e-9)
    assert [tuple(r) for r in payer.losses] == [pytest.approx((0.0, 0.20), abs=1e-9), pytest.approx((0.30, 0.35), abs=1e-9)]
    assert payer.minimum == pytest.approx(-200_000, abs=0.01)
    k = key_figures(engine.run(case))
    assert (k["break_even"], k["tab_intervaller"]) == (pytest.approx(0.35, abs=1e-9), "0,0 %–20,0 %; 30,0 %–35,0 %")
    assert k["tab_stoerst"] == pytest.approx(200_000, abs=0.01)
    # the same pieces from 0 up: the 400,000 kr. of the user trial's finding (the intervention making things worse)
    f = success_profile(case)
    pieces = linear_pieces(f, sorted({0.0, 1.0, 0.10, *rule_knots(case, engine.prepare(case))}))
    assert break_even_of(pieces, 0, f(1.0)[0]).minimum == pytest.approx(-400_000, abs=0.01)


def test_the_deadweight_floor_is_the_highest_deadweight_or_control_group():
    """The worked example's two effects: a control group succeeding at 10 % and a deadweight of 5 %: the floor is
    10 %; with the second effect's deadweight at 30 % it is 30 % (below it that effect makes things worse);
    without either it is 0.  The payer's largest loss is then taken from the floor: LOSS_BELOW_DEADWEIGHT with
    a control group of 25 % instead: savings 2,000,000 × (s − 0.25), the step from 100 × (s − 0.25) ≥ 20,
    s ≥ 45 %; PV = −200,000 at 25 %, 200,000 just below 45 %, −100,000 at 45 %: the largest loss from 25 % is
    200,000 kr. (at 25 %; 700,000 kr. at 0 %)."""
    assert deadweight_floor(parse_case(WORKED)) == 0.10
    two = copy.deepcopy(WORKED)
    two["effekter"][1]["doedvaegt"] = 0.30
    assert deadweight_floor(parse_case(two)) == 0.30
    none = copy.deepcopy(WORKED)
    for e in none["effekter"]:
        e.pop("doedvaegt", None)
        e.pop("kontrolgruppe", None)
    assert deadweight_floor(parse_case(none)) == 0.0
    control = copy.deepcopy(LOSS_BELOW_DEADWEIGHT)
    control["effekter"][0].pop("doedvaegt")
    control["effekter"][0]["kontrolgruppe"] = 0.25
    payer = break_evens(parse_case(control))["betaler"]
    assert payer.start == 0.25
    assert payer.minimum == pytest.approx(-200_000, abs=0.01)
    assert success_profile(parse_case(control))(0.0)[0] == pytest.approx(-700_000, abs=0.01)

def test_investor_break_even_needs_an_investment_and_a_required_return():
    no_investor = parse_case(with_payments(LINEAR) | {"indsats": WORKED["indsats"]})
    assert break_evens(no_investor)["investor"] is None and break_evens(no_investor)["investor_krav"] is None
    without_requirement = break_evens(parse_case(with_payments(LINEAR)))
    assert without_requirement["investor"] is not None and without_requirement["investor_krav"] is None


@pytest.mark.parametrize("name", sorted(FEATURE_CASES))
def test_break_even_is_the_end_of_the_last_loss(name):
    """For every feature case and every figure: the figure is ≥ 0 just right of the break-even and at 1, and
    < 0 just left of it (unless it is 0); every loss range is negative inside."""
    case = parse_case(FEATURE_CASES[name])
    f = success_profile(case)
    for k, be in enumerate(break_evens(case).values()):
        if be is None:
            continue
        for lo, hi in be.losses:
            assert f((lo + hi) / 2)[k] < 0
        if be.rate is None:
            assert f(1.0)[k] < 0
            continue
        for x in np.linspace(be.rate, 1.0, 41)[1:]:
            assert f(x)[k] >= -0.01
        if be.rate > 0:
            assert f(be.rate - 1e-6)[k] < 0


def test_payback_is_a_duration_and_a_calendar_year():
    """The worked example of tests/test_engine.py (start year 2025): the kommune's net is −11,798.08 in year 0
    (savings 2 × 20 × 2,756.31 × 0.8 = 88,201.92 − costs 100,000), then positive; the cumulative net is ≥ 0 from
    the second year on, so the kommune is paid back after 2 years, by the end of 2026.  The public net adds the
    state's 20 % (22,050.48 kr.) and is +10,252.40 in year 0 and positive after: its cumulative net is never below
    0, so it is never out of pocket and has nothing to pay back (it read 1 year, 2025)."""
    k = key_figures(engine.run(parse_case(WORKED)))
    assert k["tilbage_betaler"] == 2
    assert k["tilbage_betaler_aar"] == 2026
    assert k["tilbage_offentlig"] == NO_OUTLAY == "ikke relevant (intet udlæg)"
    assert k["tilbage_offentlig_aar"] == NO_OUTLAY
    no_start = key_figures(engine.run(parse_case({**WORKED, "startaar": None})))
    assert no_start["tilbage_betaler_aar"] == "ikke defineret (intet startår i casen)"  # paid back, but the case has no calendar year


@pytest.mark.parametrize(("net", "years"), [
    ([-100.0, 30, 40, 50], 4),             # cumulative −100, −70, −30, 20: paid back by the end of the 4th year
    ([100.0, -60], NO_OUTLAY),              # cumulative 100, 40: never out of pocket (it read 1)
    ([0.0, 0.0], NO_OUTLAY),                # nothing at all
    ([50.0, -80, 40], 3),                   # cumulative 50, −30, 10: out of pocket in the 2nd year, back in the 3rd
    ([-100.0, 30], None),                   # cumulative −100, −70: not within the period
])  # fmt: skip
def test_payback_needs_an_outlay(net, years):
    from udfs import excel as xl

    assert payback_years(np.array(net)) == years
    assert xl.SI_TILBAGEBETALINGSTID([net]) == (NOT_WITHIN if years is None else years)


def test_a_kommune_without_an_outlay_has_no_payback_in_the_core_json_and_cli(tmp_path, capsys):
    """The trial: a kommune with no costs that gains and pays later read "Tilbagebetalingstid betaler 1".  By hand
    (with_payments(LINEAR): the investor bears the costs): the kommune's net is 88.201,92 in year 0 (2 × 20 ×
    2.756,31 × 0,8, the worked example's savings), 309.324,99 and 354.044,22 in years 1–2 (the core's table), and
    132.921,15 − the payment 300.000 = −167.078,85 in year 3; cumulative 88.201,92, 397.526,91, 751.571,14,
    584.492,29, never below 0.  The public net adds the state's share and stays above 0 too."""
    import json

    from workbooks.cli import main

    data = with_payments(LINEAR)
    r = engine.run(parse_case(data))
    assert r.payer_net[0].tolist() == pytest.approx([88_201.92, 309_324.992, 354_044.224, -167_078.848, 0])
    k = key_figures(r)
    assert [k[n] for n in ("tilbage_betaler", "tilbage_betaler_aar", "tilbage_offentlig", "tilbage_offentlig_aar")] == [NO_OUTLAY] * 4
    path = tmp_path / "uden_udlaeg.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["calc", str(path)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"Tilbagebetalingstid betaler \(antal år fra start\) +ikke relevant \(intet udlæg\)", out), out
    assert re.search(r"Tilbagebetalt i kalenderår betaler +ikke relevant \(intet udlæg\)", out)
    assert main(["calc", "--json", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["noegletal"]["tilbage_betaler"] is None and data["noegletal"]["tilbage_offentlig_aar"] is None
    assert data["noegletal_forklaring"]["tilbage_betaler"] == NO_OUTLAY


def test_libreoffice_agrees_a_kommune_without_an_outlay_has_no_payback(soffice, tmp_path):
    """The Resultat cells tilbage_* (MIN over the cumulative net ≥ 0) equal the core's text (book.check compares every
    key figure cell), and the Kontrol sheet's SI_TILBAGEBETALINGSTID rows agree with them."""
    from workbooks import book

    case = parse_case(with_payments(LINEAR))
    path = book.build(case, tmp_path / "uden_udlaeg.xlsx")
    checked, differences, cells, kontrol = book.check(path)
    assert differences == [] and cells > 50
    assert kontrol and all(k.ok for k in kontrol), [k for k in kontrol if not k.ok]


def test_missing_figures_say_why_in_the_same_words_everywhere():
    """A payback that does not come reads "ikke inden for perioden" in SI_NOEGLETAL, sibc calc and
    SI_TILBAGEBETALINGSTID alike; a break-even that is not reached is not the same word as "no losses"."""
    from udfs.core.lineitems import ITEMS, labelled
    from udfs.core.vocabulary import NO_LOSS, NONE_REACHED, NOT_WITHIN, UNDEFINED
    from workbooks.cli import figure_text

    never = key_figures(engine.run(parse_case(with_payments(LINEAR) | {"indsats": [{"navn": "Dyr indsats", "betaler": "kommune", "pr_aar": [10**9]}]})))
    assert never["tilbage_betaler"] is None
    shown = dict(labelled(never))
    assert shown[ITEMS["tilbage_betaler"].label] == NOT_WITHIN == figure_text("tilbage_betaler", None)
    assert shown[ITEMS["tilbage_betaler_aar"].label] == NOT_WITHIN
    assert shown[ITEMS["investor_irr"].label] == UNDEFINED  # no investor in this case
    assert never["break_even"] == NONE_REACHED and NONE_REACHED != NO_LOSS
    assert "taber" in NONE_REACHED and "taber" in NO_LOSS  # each says what it means, not a bare "ingen"


def test_savings_after_the_horizon_are_reported():
    """tests/feature_cases.py AFTER_HORIZON: 5 net successes per intake (10 × 0.5); intake 0 lands −2, −1 units in
    years 1–2, intake 2 lands −10, −5 units in years 3–4, after the 3-year horizon.  At 1,000 kr. per unit that
    is 15,000 kr. public (kommune 60 % = 9,000) with present value 10,000 × 1.04⁻³ + 5,000 × 1.04⁻⁴ =
    8,889.96 + 4,274.02 = 13,163.98 kr. (kommune 7,898.39)."""
    k = key_figures(engine.run(parse_case(AFTER_HORIZON)))
    assert k["efter_offentlig_kr"] == pytest.approx(15_000, abs=1e-6)
    assert k["efter_betaler_kr"] == pytest.approx(9_000, abs=1e-6)
    assert k["efter_offentlig_nv"] == pytest.approx(10_000 / 1.04**3 + 5_000 / 1.04**4, abs=1e-6)
    assert k["efter_betaler_nv"] == pytest.approx(7_898.39, abs=0.01)
    assert k["efter_offentlig_nv"] == pytest.approx(13_163.98, abs=0.01)
    # Within the horizon nothing changes: −10 and −5 units in years 1 and 2 → 10,000 and 5,000 kr. saved.
    assert engine.run(parse_case(AFTER_HORIZON)).savings_by_authority[:, 0].sum(axis=0).tolist() == pytest.approx([0, 10_000, 5_000])


def test_no_savings_after_the_horizon_when_every_profile_ends_within_it():
    k = key_figures(engine.run(parse_case(WORKED)))
    assert k["efter_offentlig_kr"] == 0 and k["efter_betaler_nv"] == 0


def test_several_investor_rates_are_listed_beside_excels_irr():
    """Issue 9: the investor's flow −1.32, −1.32, −1.32, 0, 4.2, −1.65 mio. kr. has two internal rates."""
    from tests.feature_cases import SEVERAL_RATES
    from udfs.core.settlement import irr_roots

    r = engine.run(parse_case(SEVERAL_RATES))
    flow = r.payments[0] - r.investment[0]
    low, high = irr_roots(flow)
    # Each root makes the NPV 0 (hand check of the definition), to 1e-6 kr.
    for rate in (low, high):
        assert sum(c / (1 + rate) ** t for t, c in enumerate(flow)) == pytest.approx(0, abs=1e-6)
    k = key_figures(r)
    # Excel's IRR from 0.1 (the workbook's cell; LibreOffice recalculates it in test_standard_workbook) reaches
    # the lower rate, −56.5 %, not the one nearest the guess (−18.5 %).
    assert k["investor_irr"] == pytest.approx(low, rel=1e-12) and low == pytest.approx(-0.5651881, abs=1e-7)
    assert k["investor_renter"] == "flere interne renter: -56,52 %; -18,47 %"


def test_si_break_even_answers_in_words_where_there_is_no_rate(tmp_path):
    """SI_BREAK_EVEN gives the same texts as SI_NOEGLETAL: "nås ikke (…)" where the payer loses even at 100 %,
    "ikke defineret" for the investor's required return when the case has none (not an error message)."""
    import json

    import udfs.excel as xl
    from udfs.core.vocabulary import NONE_REACHED, UNDEFINED

    losing = tmp_path / "taber.json"
    losing.write_text(json.dumps(with_payments(LINEAR) | {"indsats": [{"navn": "Dyr indsats", "betaler": "kommune", "pr_aar": [10**9]}]}), encoding="utf-8")
    assert xl.SI_BREAK_EVEN(str(losing)) == NONE_REACHED
    assert xl.SI_BREAK_EVEN(str(losing), "investor_krav") == UNDEFINED


# ---------------------------------------------------------------- the cost factor leaves the investor's contract alone

HF_SOURCE = {"datakilde": "Kommunens register", "maaletidspunkt": "12 mdr. efter indflytning"}


def _housing_first(distributions: dict) -> dict:
    """The economist's Housing First case (25 homeless a year for 3 years; the investor pre-finances 1.5 mio. kr. in
    years 0 and 1, the kommune 0.2 mio. a year; contract cap 3.45 mio.), with its one priced effect (§ 110 nights,
    own price) and ``distributions``."""
    return {
        "navn": "Housing First", "prisaar": 2024, "startaar": 2026, "horisont": 15, "diskontering": "fm_2021",
        "betaler": "kommune", "forloebsaar": 1, "deltagere": [25, 25, 25], "investor": {"krav_til_afkast": 0.05},
        "indsats": [{"navn": "Team", "betaler": "investor", "type": "drift", "pr_aar": [1_500_000, 1_500_000, 0]},
                    {"navn": "Koordinering", "betaler": "kommune", "type": "drift", "pr_aar": [200_000] * 3}],
        "optimisme": {"omkostninger": 0.1, "gevinster": 0.0},
        "egne_priser": [{"id": "herberg_110_doegn", "navn": "Herbergsdøgn", "enhed": "dag", "beloeb": 1100, "prisaar": 2024,
                         "andel_kommune": 0.5, "andel_region": 0, "andel_stat": 0.5, "fordelingsgrundlag": "50 % statsrefusion",
                         "budgetomraade": "Herberg", "kilde_udgiver": "Vestby Kommune", "kilde_dokument": "Takster 2024",
                         "kildetype": "egen"}],
        "effekter": [{"id": "herberg", "navn": "Færre herbergsnætter", "enhedspris": "herberg_110_doegn",
                      "profil": [-150, -120, -100, -80, -60], "succesrate": 0.6, "doedvaegt": 0.2, "frafald": 0.1}],
        "betalingsmodel": {"loft_kontrakt": 3_450_000, "resultatmaal": [
            {"id": "bolig", "navn": "Stabil bolig", "enhed": "andel", "aar": 3, **HF_SOURCE,
             "regel": {"type": "lineaer", "taerskel": 0.2, "maal": 0.4, "betaling_ved_maal": 2_000_000, "loft": 2_200_000}},
            {"id": "herbergfri", "navn": "Herbergfri", "enhed": "personer", "aar": 4, **HF_SOURCE,
             "regel": {"type": "ratekort", "udfald": ["herbergfri person"], "priser": [50_000], "loft_i_alt": 1_500_000}}]},
        "maaling": {"bolig": {"effekt": "herberg", "maal": "andel"}, "herbergfri": {"effekt": "herberg", "maal": "antal"}},
        "usikkerhed": {"antal_traek": 20_000, "seed": 2026, "fordelinger": distributions},
    }


HF_SUCCESS = {"effekter.herberg.succesrate": {"fordeling": "triangulaer", "min": 0.35, "mest_sandsynlig": 0.6, "max": 0.75}}


def test_cost_factor_scales_the_authorities_costs_not_the_contracted_investment():
    """The cost factor is, like the optimism mark-up, a correction of the public authorities' own costs: the
    investment is what the contract fixes (engine.cost_factors).  Hand: at a cost factor of 1.3 the kommune's
    costs are 0.2 mio. × 3 × 1.3 × 1.1 = 858,000 kr. (undiscounted), the investor's stay 3,000,000 kr."""
    c = parse_case(_housing_first(HF_SUCCESS))
    p = engine.prepare(c)
    drivers = engine.set_drivers(engine.base_drivers(c), c, {"omkostningsfaktor": 1.3})
    r = engine.calculate(p, drivers)
    assert float(r.costs[0, 0].sum()) == pytest.approx(858_000, abs=0.01)
    assert float(r.investment[0].sum()) == pytest.approx(3_000_000, abs=0.01)
    assert float(r.investor_net[0]) == pytest.approx(float(engine.run(c).investor_net[0]), abs=0.01)


def test_monte_carlo_cost_factor_leaves_the_investors_probability_of_loss():
    """The economist's case: a cost factor drawn uniform 1.29–1.31 once gave 'Sandsynlighed for tab (investor)
    100 %' (the drawn factor scaled the contracted 3 mio. above what the 3.45 mio. cap lets back).

    Hand: the investor gets its 3,000,000 kr. back where bolig + herbergfri = 3,000,000 with x = s − 0.2 the net
    success (dødvægt 0.2): bolig = 2,000,000 × (x − 0.2) / 0.2 = 10,000,000·x − 2,000,000 (0.2 ≤ x ≤ 0.4), herbergfri
    = 50,000 × 75 participants × x = 3,750,000·x, so 13,750,000·x = 5,000,000, x = 0.3636, s* = 0.5636 (both
    below their caps: 1,636,364 and 1,363,636).  P(triangular(0.35, 0.6, 0.75) < s*) = (s* − 0.35)² / ((0.75 −
    0.35)(0.6 − 0.35)) = 0.2136² / 0.1 = 45.6 %; 20,000 draws: standard error 0.35 points."""
    s_star = 0.2 + 5_000_000 / 13_750_000
    hand = (s_star - 0.35) ** 2 / ((0.75 - 0.35) * (0.6 - 0.35))
    assert (round(s_star, 4), round(hand, 3)) == (0.5636, 0.456)
    without = monte_carlo(parse_case(_housing_first(HF_SUCCESS)))
    with_cost = monte_carlo(parse_case(_housing_first(
        HF_SUCCESS | {"omkostningsfaktor": {"fordeling": "uniform", "min": 1.29, "max": 1.31}})))
    assert without.figures()["p_tab_investor"] == pytest.approx(hand, abs=0.015)
    assert with_cost.figures()["p_tab_investor"] == without.figures()["p_tab_investor"]
    assert not np.array_equal(with_cost.payer_pv, without.payer_pv)  # the kommune's own costs do move
