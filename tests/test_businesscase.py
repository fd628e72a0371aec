"""Payments inside the business case, break-even, payback, scenarios, tornado and Monte Carlo."""

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_engine import WORKED
from udfs.core import engine
from udfs.core.businesscase import break_even_success_rate, key_figures, payback_year, yearly_table
from udfs.core.case_model import parse_case
from udfs.core.errors import SIError
from udfs.core.payment import PaymentModel, contract_payments
from udfs.core.uncertainty import monte_carlo, scenarios, switching_values, tornado


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
    assert key_figures(r)["Investors bonus"] == pytest.approx(0.0, abs=0.01)


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
    # A large step payment at 10 net successes makes the PV jump down; the break-even is where PV ≥ 0 first.
    case = with_payments({"type": "trappe", "taerskler": [10], "betalinger": [5_000_000]})
    rate = break_even_success_rate(parse_case(case))
    assert pv_with_rate(case, rate) >= -0.01 and pv_with_rate(case, rate - 1e-6) < 0


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
    assert 0 <= s["Sandsynlighed for gevinst (betaler)"] <= 1 and 0 <= s["Sandsynlighed for tab (investor)"] <= 1


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
    assert k["Investors IRR"] == pytest.approx(low, rel=1e-12) and low == pytest.approx(-0.5651881, abs=1e-7)
    assert k["Investors interne renter"] == "flere interne renter: -56,52 %; -18,47 %"
