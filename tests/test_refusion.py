"""Refusion steps (LBK nr. 221 af 12/02/2021 § 5, stk. 2–3) and the kommune's cost of a spell."""

import pytest

from udfs.core.errors import SIError
from udfs.core.refusion import kommune_cost, kommune_share_for_week, rate_for_week

# § 5, stk. 2: refusion 80 % weeks 1–4, 40 % 5–26, 30 % 27–52, 20 % from week 53.
RATES = [(1, 0.8), (4, 0.8), (5, 0.4), (26, 0.4), (27, 0.3), (52, 0.3), (53, 0.2), (520, 0.2)]


@pytest.mark.parametrize("week, rate", RATES)
def test_refusion_rate(week, rate):
    assert rate_for_week(week) == rate


# § 5, stk. 3: co-financing 20 % weeks 1–4, 60 % 5–26, 70 % 27–52, 80 % from week 53.
@pytest.mark.parametrize("week, share", [(1, 0.2), (5, 0.6), (27, 0.7), (53, 0.8)])
def test_cofinancing_share(week, share):
    assert kommune_share_for_week(week, "medfinansiering_2016") == share


# Hand-worked: weekly 1,000 kr.; the kommune bears 1 − refusion.
COSTS = [
    ((1000, 1, 60), 4 * 200 + 22 * 600 + 26 * 700 + 8 * 800),  # = 38,600 (the example)
    ((1000, 1, 4), 4 * 200),
    ((1000, 5, 5), 600),
    ((1000, 20, 30), 7 * 600 + 4 * 700),  # weeks 20–26 at 60 %, 27–30 at 70 %
    ((1000, 53, 104), 52 * 800),
    ((4550, 1, 52), 4550 * (4 * 0.2 + 22 * 0.6 + 26 * 0.7)),  # a year of max sygedagpenge 2023
    ((0, 1, 100), 0),
]


@pytest.mark.parametrize("args, expected", COSTS)
def test_kommune_cost(args, expected):
    assert kommune_cost(*args) == pytest.approx(expected, abs=1e-9)


def test_cofinancing_of_a_year_of_dagpenge():
    # 19,728 kr./md. (max dagpenge 2023) × 12 / 52 per week; weeks 1–52 co-financed 20/60/70 %.
    weekly = 19728 * 12 / 52
    assert kommune_cost(weekly, 1, 52, "medfinansiering_2016") == pytest.approx(weekly * (4 * 0.2 + 22 * 0.6 + 26 * 0.7))


@pytest.mark.parametrize(
    "args, argument",
    [
        ((1000, 0, 10), "fra_uge"),
        ((1000, 5, 4), "til_uge"),
        ((1000, 1.5, 4), "fra_uge"),
        ((1000, 1, 10, "ukendt"), "ordning"),
    ],
)
def test_kommune_cost_errors(args, argument):
    with pytest.raises(SIError) as err:
        kommune_cost(*args)
    assert err.value.argument == argument
