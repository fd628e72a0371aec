"""A savings share that switches once the investors are repaid (``skiftende_andel``), paid every year on that
year's savings (``til_aar``): the split of a year that crosses the switch, the Utah case from its public terms,
and the Danish messages for bad input."""

from __future__ import annotations

import copy
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from udfs.core.casefile import load_business_case
from udfs.core.engine import calculate, prepare, run
from udfs.core.errors import SIError
from udfs.core.payment import OutcomeMetric, PaymentModel, contract_payments

UTAH = Path(__file__).resolve().parents[1] / "workbooks" / "cases" / "kontrakter" / "utah_preschool.yaml"


def metric(regel, aar=1, til_aar=7, **kw):
    return OutcomeMetric.model_validate({"id": "s", "navn": "s", "enhed": "kr.", "datakilde": "x", "maaletidspunkt": "x",
                                         "aar": aar, "til_aar": til_aar, "regel": regel, **kw})  # fmt: skip


# Utah High Quality Preschool Program: 95 % of the state's avoided special-education costs until the investors are
# repaid with interest, then 40 % (Salt Lake Tribune, B. Wood, 7 Oct 2015, as reposted by United Way Worldwide);
# 5 % interest (Salt Lake Tribune, 14 Jun 2013).
UTAH_RULE = {"type": "skiftende_andel", "andel_foer": 0.95, "andel_efter": 0.4, "hovedstol": 1_000_000, "afkast": 0.05}


def test_a_year_that_crosses_the_switch_pays_the_old_share_up_to_it_and_the_new_share_on_the_rest():
    # Hand calculation: switch T = 1 000 000 × 1.05 = 1 050 000 kr. of payments, reached at cumulative savings
    # T / 0.95 = 1 105 263.157894737.  Savings 281 550 a year from year 1:
    # years 1–3: 0.95 × 281 550 = 267 472.50 each (cumulative savings 844 650, payments 802 417.50);
    # year 4: 0.95 × (1 105 263.157894737 − 844 650) = 247 582.50 up to the switch, then
    #         0.40 × (1 126 200 − 1 105 263.157894737) = 8 374.736842105 → 255 957.236842105;
    # years 5–7: 0.40 × 281 550 = 112 620 each.
    paid = metric(UTAH_RULE).yearly(np.array([0.0] + [281_550.0] * 7))
    expected = [0, 267_472.5, 267_472.5, 267_472.5, 247_582.5 + 8_374.736842105263, 112_620, 112_620, 112_620]
    assert paid == pytest.approx(expected, abs=1e-6)


def test_the_first_year_pays_the_savings_before_it_and_years_after_til_aar_pay_nothing():
    # aar 2, til_aar 3, 10 % of each year's savings; savings 100, −50, 200, 300, 400 by year:
    # year 2 pays 10 % of the savings so far, each counted from 0: 0.1 × (100 + 0 + 200) = 30;
    # year 3: 0.1 × 300 = 30; year 4 is after til_aar: 0.  The year with −50 is not set off.
    paid = metric({"type": "besparelsesandel", "andel": 0.1}, aar=2, til_aar=3).yearly(np.array([100.0, -50, 200, 300, 400]))
    assert paid == pytest.approx([0, 0, 30, 30, 0], abs=1e-12)


@given(
    savings=st.lists(st.floats(-200_000, 900_000, allow_nan=False), min_size=8, max_size=8),
    before=st.floats(0.01, 1), after=st.floats(0, 1), principal=st.floats(0, 3_000_000), cap=st.none() | st.floats(0, 4e6),
)
@settings(max_examples=200)
def test_yearly_payments_sum_to_the_rule_on_the_cumulative_savings(savings, before, after, principal, cap):
    """Property: the years' payments add up to the capped rule on all savings counted from 0; each year pays
    between the smaller and the larger share of that year's savings; the payments are never negative."""
    m = metric({"type": "skiftende_andel", "andel_foer": before, "andel_efter": after, "hovedstol": principal},
               aar=0, loft=cap)  # fmt: skip
    s = np.array(savings)
    paid = m.yearly(s)
    total = m.capped(m.regel.pay(np.maximum(0, s).sum()))
    assert paid.sum() == pytest.approx(total, rel=1e-9, abs=1e-6)
    assert np.all(paid >= -1e-6)
    if cap is None:
        assert np.all(paid <= max(before, after) * np.maximum(0, s) + 1e-6)
        assert np.all(paid >= min(before, after) * np.maximum(0, s) - 1e-6)


def test_the_utah_case_reproduces_the_published_first_payment():
    # Published inputs: 110 children in the first cohort at risk of special education, 1 used it (Vox,
    # 19.10.2015: "of those students, just one needed special-education services"), saving the state 281 550 USD
    # (Vox 19.10.2015; Salt Lake Tribune 7.10.2015: "about $281,000 in cost avoidance").  Terms: 95 % of the
    # savings until the investors are repaid (Goldman Sachs, June 2013).
    # Published outcome: "a check for $267,000" (Salt Lake Tribune, 7.10.2015).
    # Hand: 109 × 281 550 / 109 = 281 550 saved in year 1; 0.95 × 281 550 = 267 472.50 ≈ 267 000 (to the thousand).
    r = run(load_business_case(UTAH))
    assert r.savings_by_authority[2, 0, 1] == pytest.approx(281_550, abs=1e-6)
    assert r.payments[0, 1] == pytest.approx(267_472.5, abs=1e-6)
    assert round(r.payments[0, 1], -3) == 267_000
    # and then the switch in year 4 (hand calculation above): 255 957.24, then 40 %: 112 620 a year
    assert r.payments[0] == pytest.approx([0, 267_472.5, 267_472.5, 267_472.5, 255_957.236842105, 112_620, 112_620, 112_620], abs=1e-5)
    assert r.payer_net[0].sum() == pytest.approx(7 * 281_550 - 1_396_234.736842105, abs=1e-4)


def test_the_fast_present_values_equal_the_full_engine_for_a_yearly_metric():
    from udfs.core.engine import base_drivers, present_values

    case = load_business_case(UTAH)
    p = prepare(case)
    d = base_drivers(case)
    payer_pv, public_pv, investor_net = present_values(p, d)
    full = calculate(p, d)
    assert payer_pv[0] == pytest.approx(full.payer_pv[0], rel=1e-12)
    assert investor_net[0] == pytest.approx(full.investor_net[0], rel=1e-12)


def test_break_even_knots_of_a_yearly_metric_are_where_a_year_crosses_the_switch():
    from udfs.core.businesscase import rule_knots

    case = load_business_case(UTAH)
    knots = rule_knots(case, prepare(case))
    # Savings a year at success rate s: 110 × s × 2 583.0275… = 284 133.03 × s (281 550 at s = 109/110).  Year t's
    # cumulative savings t × 284 133.03 × s reach the switch 1 105 263.16 at s = 1 105 263.16 / (t × 284 133.03):
    # t = 4: 0.97247, t = 5: 0.77797, t = 6: 0.64831, t = 7: 0.55570 (t ≤ 3 only above s = 1).
    per_year = 110 * 281_550 / 109
    expected = [1_050_000 / 0.95 / (t * per_year) for t in (7, 6, 5, 4)]
    assert [k for k in knots if k > 0] == pytest.approx(expected, rel=1e-9)


def test_contract_payments_take_savings_by_year_for_a_yearly_metric():
    model = PaymentModel.model_validate({"resultatmaal": [metric(UTAH_RULE).model_dump()]})
    paid = contract_payments(model, {}, {"s": [0] + [281_550] * 7})
    assert paid[1] == 267_472.5 and math.isclose(sum(paid), 1_396_234.736842105, abs_tol=1e-6)  # as above


@pytest.mark.parametrize(
    ("change", "argument", "message"),
    [
        ({"regel": {"type": "lineaer", "taerskel": 0, "maal": 1, "betaling_ved_maal": 3}}, "til_aar", "betales af besparelsen"),
        ({"aar": 5, "til_aar": 3}, "til_aar", "mindst aar (5)"),
        ({"regel": UTAH_RULE | {"andel_foer": 0}}, "andel_foer", ""),
        ({"regel": UTAH_RULE | {"andel_efter": 1.4}}, "andel_efter", ""),
        ({"regel": UTAH_RULE | {"hovedstol": -1}}, "hovedstol", ""),
    ],
)
def test_bad_terms_name_the_field(change, argument, message):
    data = metric(UTAH_RULE).model_dump() | change
    with pytest.raises(Exception) as err:  # noqa: PT011 - an SIError, or pydantic's error that names the field
        PaymentModel.model_validate({"resultatmaal": [data]})
    assert argument in str(err.value) and message in str(err.value)


def test_a_yearly_metric_after_the_horizon_and_on_an_outcome_are_refused_in_danish():
    from udfs.core.case_model import parse_case

    data = load_business_case(UTAH).model_dump(mode="json")
    late = copy.deepcopy(data)
    late["betalingsmodel"]["resultatmaal"][0]["til_aar"] = 8
    with pytest.raises(SIError, match="efter horisonten"):
        run(parse_case(late))
    outcome = copy.deepcopy(data)
    outcome["maaling"]["specialundervisning"] = {"effekt": "specialundervisning", "maal": "antal"}
    with pytest.raises(SIError) as err:
        run(parse_case(outcome))
    assert "besparelse" in str(err.value)
    with pytest.raises(SIError, match="besparelser: har 3 år.*hvert år fra år 0"):
        contract_payments(PaymentModel.model_validate(data["betalingsmodel"]), {}, {"specialundervisning": [1, 2, 3]})


# ---------------------------------------------------------------------------------------- pay per week, months


WEEKLY = {"type": "pr_periode", "sats": 1_000, "loft_pr_deltager": 20_000, "loft_i_alt": 50_000}


def test_pay_per_week_applies_the_cap_per_participant_to_each_person():
    # Weeks per person 10, 30, 5: 1 000 × (10 + min(30, 20) + 5) = 35 000 kr. (the second person's 30 000 kr.
    # cut to 20 000); with 45 weeks for a fourth person: 35 000 + 20 000 = 55 000 > 50 000 in total: 50 000.
    rule = metric(WEEKLY, til_aar=None).regel
    assert rule.payment([10, 30, 5]) == 35_000
    assert rule.payment([10, 30, 5, 45]) == 50_000
    # the same weeks in total (90) with 4 participants: min(90 000, 20 000 × 4, 50 000) = 50 000
    assert rule.model_copy(update={"deltagere": 4}).payment(90) == 50_000


@pytest.mark.parametrize(
    ("rule", "achieved", "argument"),
    [
        (WEEKLY, 90, "deltagere"),  # weeks in total with a cap per participant need the participants
        (WEEKLY | {"deltagere": 2}, [1, 2, 3], "deltagere"),  # one value per participant
        (WEEKLY, [1, -2], "uger"),  # weeks are ≥ 0
        (WEEKLY, "mange", "uger"),
    ],
)
def test_pay_per_week_bad_input_names_the_argument(rule, achieved, argument):
    with pytest.raises(SIError) as err:
        metric(rule, til_aar=None).regel.payment(achieved)
    assert err.value.argument == argument


@pytest.mark.parametrize(("month", "year"), [(0, 0), (11, 0), (12, 1), (18, 1), (23, 1), (24, 2), (36, 3), (48, 4)])
def test_a_measurement_month_falls_due_in_year_month_over_12(month, year):
    # Month 12 is the first day of year 1 (twelve whole months after the start of year 0): ⌊m / 12⌋.
    data = metric(WEEKLY, til_aar=None).model_dump() | {"maaned": month}
    del data["aar"]
    assert OutcomeMetric.model_validate(data).aar == year


def test_a_month_that_disagrees_with_the_year_is_refused_naming_maaned():
    with pytest.raises(Exception, match=r"maaned: er 18 måneder efter start, som falder i år 1, men aar er 2"):  # noqa: PT011
        OutcomeMetric.model_validate(metric(WEEKLY, til_aar=None).model_dump() | {"maaned": 18, "aar": 2})
